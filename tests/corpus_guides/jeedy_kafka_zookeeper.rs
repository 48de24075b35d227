//! `jeedy-kafka-zookeeper.md`: what a careful operator would run where.
//!
//! **Roles.** A three-server ZooKeeper ensemble and three Kafka brokers, each named by the plain
//! label line before its block: "zookeeper-공통 config/zookeeper.properties :" (공통: all three
//! ZooKeeper servers), "zookeeper-1 /tmp/zookeeper/myid 파일생성 :" (and -2, -3),
//! "kafka-0 config/server.properties" (and kafka-1, kafka-2). Each instance gets different content
//! (myid 1/2/3, broker.id 0/1/2, its own `advertised.listeners`), so role-level `zookeeper`/`kafka`
//! nodes would run all three `echo N > /tmp/zookeeper/myid` on every server and leave myid=3
//! everywhere: the nodes are the six instances, named as the guide names them. Whether a broker
//! shares a machine with a ZooKeeper server is not said (private `ip-172-31-…` names for the
//! ensemble, public IPs for the brokers), so they stay six nodes. The two start chapters
//! ("## 주키퍼 스타트", "## 카프카 스타트") name no host: each runs on every instance of the service
//! it starts, not on every node.
//!
//! **File edits.** A label line "NODE PATH [파일생성] :" before the block; paths are relative to
//! the Kafka directory (`config/…`, as the commands' `bin/…`), so only the path's end is asserted.
//! zookeeper.properties is `KEY=VALUE` lines with `#` comment lines and trailing `#…` notes
//! ("initLimit=10  #처음 주키퍼의 follower가…"), which in a Java properties file would become part
//! of the value if kept. The server.properties blocks are `...` excerpts: `lines` (an assignment
//! replaces the key's), never a whole file. myid is written by `$ echo N > /tmp/zookeeper/myid`.
//!
//! **Must not run.** Output: the `1`/`2`/`3` printed by `cat`, the `[2013-04-22 …] INFO …` log and
//! `...`; the reference URL list; the `tags:` line. The start scripts run in the foreground and
//! never return: a runbook must start them in the background (`-daemon`, `nohup …&`) or leave
//! them to the operator, or the node's runbook hangs and every node waiting on its phase with it.

use crate::support::{Expect, Guide, Step};
use std::collections::BTreeSet;

const GUIDE: &str = "jeedy-kafka-zookeeper.md";
/// The guide's names. Only `the_nodes_are_the_six_instances` holds them; the other tests find the
/// ZooKeeper servers as "the nodes that write myid 1, 2, 3" and the brokers as "the nodes that set
/// broker.id 0, 1, 2", so they hold whatever the instances are called.
const ZK: &[&str] = &["zookeeper-1", "zookeeper-2", "zookeeper-3"];
const KAFKA: &[&str] = &["kafka-0", "kafka-1", "kafka-2"];
const ZK_CONNECT: &str = "zookeeper.connect=ip-172-31-41-231.ap-northeast-2.compute.internal:2181,ip-172-31-45-231.ap-northeast-2.compute.internal:2181,ip-172-31-39-41.ap-northeast-2.compute.internal:2181";

/// Unattended steps that change the file whose path ends with `path`: edits of it, and commands
/// with a line that names it and writes (a redirection, `tee`, `sed -i`, a pipe into a writer).
fn edits<'a>(g: &'a Guide, path: &str) -> Vec<Step<'a>> {
    g.steps()
        .into_iter()
        .filter(|s| s.runs() && s.kind() != "verify")
        .filter(|s| {
            s.path().ends_with(path)
                || (s.kind() == "command"
                    && s.run().lines().any(|l| {
                        l.contains(path)
                            && [">", "tee", "sed -i", "| "].iter().any(|w| l.contains(w))
                    }))
        })
        .collect()
}

/// The lines a step leaves in its file, trimmed: its `lines`, its `content`'s lines, its settings
/// as `key=value`, or its command's lines.
fn file_lines(s: &Step) -> Vec<String> {
    let mut out: Vec<String> = s.lines().iter().map(|l| l.trim().to_string()).collect();
    out.extend(s.content().lines().map(|l| l.trim().to_string()));
    if let Some(a) = s.v["settings"].as_array() {
        for x in a {
            out.push(format!(
                "{}={}",
                x["key"].as_str().unwrap_or(""),
                x["value"].as_str().unwrap_or("")
            ));
        }
    }
    if s.kind() == "command" {
        out.extend(s.run().lines().map(|l| l.trim().to_string()));
    }
    out
}

/// The one node the step holding `quote` runs on.
fn one_node<'a>(g: &'a Guide, quote: &str) -> &'a str {
    let s = g.step(quote);
    let n = s.nodes();
    assert_eq!(
        n.len(),
        1,
        "{}: one node for {quote:?}: {}",
        g.name,
        s.describe()
    );
    n.into_iter().next().unwrap_or_default()
}

/// The three ZooKeeper servers, in myid order: three different nodes.
fn zookeepers(g: &Guide) -> Vec<&str> {
    let zk: Vec<&str> = (1..=3)
        .map(|n| one_node(g, &format!("echo {n} > /tmp/zookeeper/myid")))
        .collect();
    let distinct: BTreeSet<&str> = zk.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "{}: myid 1, 2, 3 on {zk:?}", g.name);
    zk
}

/// The three brokers, in broker.id order: three different nodes, none a ZooKeeper server.
fn brokers(g: &Guide) -> Vec<&str> {
    let kafka: Vec<&str> = (0..=2)
        .map(|id| one_node(g, &format!("broker.id={id}")))
        .collect();
    let distinct: BTreeSet<&str> = kafka.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        3,
        "{}: broker.id 0, 1, 2 on {kafka:?}",
        g.name
    );
    let zk = zookeepers(g);
    assert!(
        kafka.iter().all(|k| !zk.contains(k)),
        "{}: brokers {kafka:?} and ZooKeeper servers {zk:?} are other nodes",
        g.name
    );
    kafka
}

/// A step in the background or left to the operator: it does not hold the runbook.
fn does_not_block(s: &Step) -> bool {
    let r = s.run();
    !s.runs()
        || r.contains("-daemon")
        || r.contains("nohup")
        || r.contains("setsid")
        || r.contains("systemd-run")
        || r.trim_end().ends_with('&')
}

#[test]
fn the_nodes_are_the_six_instances() {
    let g = guide!(GUIDE);
    let want: BTreeSet<&str> = ZK.iter().chain(KAFKA).copied().collect();
    assert_eq!(g.nodes(), want);
}

/// "zookeeper-공통 config/zookeeper.properties :": the ensemble's settings on the three ZooKeeper
/// servers, comments stripped from values, before they start.
#[test]
#[ignore = "gap: a 'NODE PATH :' label line is not read as node and file; the zookeeper.properties block is no step at all"]
fn zookeeper_ensemble_config_on_every_zookeeper() {
    let g = guide!(GUIDE);
    let w = edits(&g, "config/zookeeper.properties");
    assert!(
        !w.is_empty(),
        "{}: nothing edits zookeeper.properties",
        g.name
    );
    let nodes: BTreeSet<&str> = w.iter().flat_map(|s| s.nodes()).collect();
    let zk: BTreeSet<&str> = zookeepers(&g).into_iter().collect();
    assert_eq!(nodes, zk, "zookeeper.properties on the three servers only");
    let lines: Vec<String> = w.iter().flat_map(file_lines).collect();
    for want in [
        "dataDir=/tmp/zookeeper",
        "clientPort=2181",
        "maxClientCnxns=0",
        "initLimit=10",
        "syncLimit=5",
        "server.1=ip-172-31-41-231.ap-northeast-2.compute.internal:2888:3888",
        "server.2=ip-172-31-45-231.ap-northeast-2.compute.internal:2888:3888",
        "server.3=ip-172-31-39-41.ap-northeast-2.compute.internal:2888:3888",
    ] {
        assert!(
            lines.iter().any(|l| l == want),
            "{}: zookeeper.properties lacks the line {want:?}: {lines:?}",
            g.name
        );
    }
    for l in &lines {
        assert!(
            !l.contains("#처음") && !l.contains("#server.id"),
            "a trailing note stays in a value: {l:?}"
        );
    }
    g.before("clientPort=2181", "zookeeper-server-start.sh");
}

/// "zookeeper-N /tmp/zookeeper/myid 파일생성 :": each server its own id, before the ensemble starts.
#[test]
fn each_zookeeper_writes_its_own_myid() {
    let g = guide!(GUIDE);
    let zk = zookeepers(&g);
    for n in 1..=3 {
        let s = g.step(&format!("echo {n} > /tmp/zookeeper/myid"));
        assert!(
            s.kind() == "command" || s.kind() == "file",
            "myid is written: {}",
            s.describe()
        );
    }
    g.before("echo 3 > /tmp/zookeeper/myid", "zookeeper-server-start.sh");
    // and no server runs another's `echo N > myid` (the last would win)
    for (n, node) in zk.iter().enumerate() {
        for s in g.all("> /tmp/zookeeper/myid") {
            if s.nodes().contains(node) {
                assert!(
                    s.original().contains(&format!("echo {} >", n + 1)),
                    "{node} gets another id: {}",
                    s.describe()
                );
            }
        }
    }
}

/// "kafka-N config/server.properties": `...` excerpts, so `lines` on that broker only.
#[test]
fn each_broker_sets_its_own_server_properties() {
    let g = guide!(GUIDE);
    let kafka = brokers(&g);
    let hosts = [
        "public-ip-52.79.116.39",
        "public-ip-54.180.117.24",
        "public-ip-52.79.226.201",
    ];
    for (id, (node, host)) in kafka.iter().zip(hosts).enumerate() {
        let s = g
            .step(&format!("broker.id={id}"))
            .on(&[*node])
            .kind_is("lines")
            .has_line(&format!("broker.id={id}"))
            .has_line(&format!(
                "advertised.listeners=PLAINTEXT://{host}.compute.internal:9092"
            ))
            .has_line("log.dirs=/tmp/kafka-logs-cluster")
            .has_line(ZK_CONNECT);
        assert!(
            s.path().ends_with("config/server.properties"),
            "{}",
            s.describe()
        );
        assert!(
            !s.lines().iter().any(|l| l.trim() == "..."),
            "`...` is not a line: {}",
            s.describe()
        );
    }
    g.before("broker.id=2", "kafka-server-start.sh");
}

/// Each service starts on its own instances, the ensemble before the brokers.
#[test]
fn each_service_starts_on_its_own_instances() {
    let g = guide!(GUIDE);
    g.step("bin/zookeeper-server-start.sh config/zookeeper.properties")
        .on(&zookeepers(&g));
    g.step("bin/kafka-server-start.sh config/server.properties")
        .on(&brokers(&g));
    g.before("zookeeper-server-start.sh", "kafka-server-start.sh");
}

/// The guide's order: ids, then the ensemble, then the brokers.
#[test]
fn guide_order_is_kept() {
    let g = guide!(GUIDE);
    g.before(
        "echo 1 > /tmp/zookeeper/myid",
        "echo 2 > /tmp/zookeeper/myid",
    );
    g.before(
        "echo 2 > /tmp/zookeeper/myid",
        "echo 3 > /tmp/zookeeper/myid",
    );
    g.before("zookeeper-server-start.sh", "kafka-server-start.sh");
}

/// Printed values, logs, `...` and the reference list never run.
#[test]
fn output_and_references_do_not_run() {
    let g = guide!(GUIDE);
    // (a `file` step's run carries its content, which for myid is `1`: only commands count)
    for s in g
        .steps()
        .iter()
        .filter(|s| s.runs() && matches!(s.kind(), "command" | "verify"))
    {
        for l in s.run().lines() {
            assert!(
                !["1", "2", "3", "..."].contains(&l.trim()),
                "output {l:?} runs: {}",
                s.describe()
            );
        }
    }
    g.never_runs("INFO Reading configuration");
    g.never_runs("kafka.apache.org/quickstart");
    g.never_runs("tistory.com");
    g.never_runs("tags: kafka");
}

/// The foreground start scripts must not hold the runbook.
#[test]
#[ignore = "gap: foreground server starts (`bin/*-server-start.sh`, shown with their streaming log) run as is and would never return"]
fn servers_start_without_holding_the_runbook() {
    let g = guide!(GUIDE);
    for quote in ["zookeeper-server-start.sh", "kafka-server-start.sh"] {
        let all = g.all(quote);
        assert!(!all.is_empty(), "{}: no step starts {quote}", g.name);
        for s in all {
            assert!(
                does_not_block(&s),
                "runs in the foreground: {}",
                s.describe()
            );
        }
    }
}
