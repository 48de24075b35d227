//! `jeedy-redis-sentinel.md`: what a careful operator would run where.
//!
//! **Roles.** Three machines, one per heading, each heading carrying the machine's address:
//! `### 마스터 설정 (192.168.1.100)`, `### 슬레이브 설정 (192.168.1.101)`,
//! `### Sentinel 설정(192.168.1.102)`. The node names are the guide's own role words: `master`,
//! `slave`, `sentinel` (the configs are `redis-master.conf`, `redis-slave.conf`,
//! `sentinel.conf`). The check section repeats them as plain labels before each block
//! (`마스터 (192.168.1.100):`, `슬레이브(192.168.1.101)`, `Sentinel(192.168.1.102)`); its prompts
//! carry host names of another setup (`redis@node01 redis-2.8.8]$`, `[redis@node02 …]$`) that
//! are not roles. No step runs on more than one machine.
//!
//! **File edits.** A bare label `redis-master.conf:` before a whole config file (``` ```bash ```
//! fence, no `vi`, no heredoc); the file is then started by `./src/redis-server
//! ./redis-master.conf` after `cd /usr/local/redis-5.0.5/`, so it lives in that folder. Settings
//! carry SQL-style `-- 설명` notes after the value, which are not part of the setting (Redis
//! rejects the extra words).
//!
//! **Must not run.** Links; the `복제 정보 확인` blocks' pasted output (`role:master`,
//! `connected_slaves:1`, …) and the `192.168.1.102:5003> info sentinel` line (a redis-cli prompt,
//! not a shell command: `info` is GNU info); the `troubleshooting` section (the `sentinel
//! config-epoch …` lines are lines to DELETE from sentinel.conf after a failover).

use crate::support::{Expect, Guide, Step};
use std::collections::BTreeSet;

/// The one unattended step that writes the file named `name` (any folder): a whole `file`, or
/// `lines` (the file is new, so both leave exactly those settings).
fn conf<'a>(g: &'a Guide, name: &str) -> Step<'a> {
    let suffix = format!("/{name}");
    let hits: Vec<Step> = g
        .steps()
        .into_iter()
        .filter(|s| s.runs() && s.path().ends_with(&suffix))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{}: one step must write {name}; writing it: {:?}; all steps:\n{}",
        g.name,
        hits.iter().map(|s| s.describe()).collect::<Vec<_>>(),
        g.steps()
            .iter()
            .map(|s| format!("{} {}", s.describe(), s.path()))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let s = hits[0];
    assert!(
        matches!(s.kind(), "file" | "lines"),
        "{name} is a whole config file: {}",
        s.describe()
    );
    assert!(s.path().starts_with('/'), "absolute path: {}", s.describe());
    s
}

/// The settings a config step leaves, one per line, trimmed, blank lines dropped.
fn settings(s: Step<'_>) -> Vec<String> {
    let raw: Vec<&str> = match s.kind() {
        "file" => s.content().lines().collect(),
        _ => s.lines(),
    };
    raw.iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn has_setting(s: Step<'_>, line: &str) {
    let got = settings(s);
    assert!(
        got.iter().any(|l| l == line),
        "{line:?} missing: {}\nsettings: {got:?}",
        s.describe()
    );
}

/// No `-- 설명` note is left on a setting (a commented-out line may keep its note).
fn no_notes(s: Step<'_>) {
    let got = settings(s);
    let noted: Vec<&String> = got
        .iter()
        .filter(|l| !l.starts_with('#') && l.contains(" -- "))
        .collect();
    assert!(
        noted.is_empty(),
        "notes kept as values: {noted:?}\n{}",
        s.describe()
    );
}

/// No shell command (a `command` or `verify` step) runs `needle`.
fn no_command(g: &Guide, needle: &str) {
    let hits: Vec<String> = g
        .running(needle)
        .iter()
        .filter(|s| matches!(s.kind(), "command" | "verify" | "sql"))
        .map(|s| s.describe())
        .collect();
    assert!(
        hits.is_empty(),
        "{}: {needle:?} is not a shell command, but runs in:\n{}",
        g.name,
        hits.join("\n")
    );
}

#[test]
fn three_machines_named_by_their_role_headings() {
    let g = guide!("jeedy-redis-sentinel.md");
    let want: BTreeSet<&str> = ["master", "slave", "sentinel"].into_iter().collect();
    assert_eq!(g.nodes(), want, "nodes");
    // every section is about one machine: nothing runs on two of them
    for s in g.steps().into_iter().filter(|s| s.runs()) {
        assert_eq!(s.nodes().len(), 1, "one machine per step: {}", s.describe());
    }
}

#[test]
#[ignore = "gap: the `redis-master.conf:` label names no file: the config runs as shell commands, `-- 설명` notes kept"]
fn master_config_without_notes() {
    let g = guide!("jeedy-redis-sentinel.md");
    let c = conf(&g, "redis-master.conf")
        .on(&["master"])
        // started as `./redis-master.conf` right after `cd /usr/local/redis-5.0.5/`
        .path_is("/usr/local/redis-5.0.5/redis-master.conf");
    for line in [
        "port 5000",
        "daemonize yes",
        "protected-mode yes",
        "bind 0.0.0.0",
        "masterauth redis1234",
        "requirepass redis1234",
        "repl-backlog-size 10mb",
        "pidfile /var/run/redis_5000.pid",
        "dir ./repl/master/",
    ] {
        has_setting(c, line);
    }
    no_notes(c);
    // the master replicates from nobody
    assert!(
        !settings(c).iter().any(|l| l.starts_with("replicaof")),
        "{}",
        c.describe()
    );
}

#[test]
#[ignore = "gap: the `redis-slave.conf:` label names no file: the config runs as shell commands"]
fn slave_config_points_at_the_master() {
    let g = guide!("jeedy-redis-sentinel.md");
    let c = conf(&g, "redis-slave.conf").on(&["slave"]);
    for line in [
        "port 5001",
        "replicaof 192.168.1.100 5000",
        "masterauth redis1234",
        "requirepass redis1234",
        "logfile \"redis-server_5001.log\"",
        "dir ./repl/slave/",
    ] {
        has_setting(c, line);
    }
    no_notes(c);
}

#[test]
#[ignore = "gap: the `sentinel.conf:` label names no file: the config runs as shell commands"]
fn sentinel_config_monitors_the_master() {
    let g = guide!("jeedy-redis-sentinel.md");
    let c = conf(&g, "sentinel.conf").on(&["sentinel"]);
    for line in [
        "port 5003",
        "sentinel monitor mymaster 192.168.1.100 5000 1",
        "sentinel parallel-syncs mymaster 1",
        "sentinel auth-pass mymaster redis1234",
        "sentinel down-after-milliseconds mymaster 3000",
    ] {
        has_setting(c, line);
    }
    no_notes(c);
}

#[test]
fn config_lines_are_not_shell_commands() {
    let g = guide!("jeedy-redis-sentinel.md");
    no_command(&g, "replica-serve-stale-data");
    no_command(&g, "protected-mode yes");
    no_command(&g, "repl-timeout 60");
    no_command(&g, "sentinel monitor");
}

#[test]
fn each_machine_starts_its_own_server() {
    let g = guide!("jeedy-redis-sentinel.md");
    g.runs_on("./src/redis-server ./redis-master.conf", &["master"]);
    g.runs_on("redis-cli -h 127.0.0.1 -p 5000 shutdown", &["master"]);
    g.runs_on("./src/redis-server ./redis-slave.conf", &["slave"]);
    g.runs_on("./src/redis-sentinel ./sentinel.conf", &["sentinel"]);
}

#[test]
fn servers_start_master_then_slave_then_sentinel() {
    let g = guide!("jeedy-redis-sentinel.md");
    // the relative paths only work from the folder the guide `cd`s into
    g.step("./src/redis-server ./redis-master.conf")
        .run_has("cd /usr/local/redis-5.0.5");
    // the replica needs its master up, the sentinel both (a strictly later phase once they
    // run on different machines)
    g.before(
        "./src/redis-server ./redis-master.conf",
        "./src/redis-server ./redis-slave.conf",
    );
    g.before(
        "./src/redis-server ./redis-slave.conf",
        "./src/redis-sentinel ./sentinel.conf",
    );
}

#[test]
fn configs_written_before_their_server_starts() {
    let g = guide!("jeedy-redis-sentinel.md");
    for (name, start) in [
        (
            "redis-master.conf",
            "./src/redis-server ./redis-master.conf",
        ),
        ("redis-slave.conf", "./src/redis-server ./redis-slave.conf"),
        ("sentinel.conf", "./src/redis-sentinel ./sentinel.conf"),
    ] {
        let c = conf(&g, name);
        let s = g.step(start);
        assert!(
            c.line() < s.line() && c.phase() <= s.phase() && c.nodes() == s.nodes(),
            "{name} before {start}: {} / {}",
            c.describe(),
            s.describe()
        );
    }
}

#[test]
fn pasted_output_links_and_troubleshooting_do_not_run() {
    let g = guide!("jeedy-redis-sentinel.md");
    // pasted `info` output
    for out in [
        "role:master",
        "connected_slaves:1",
        "slave0:ip=",
        "master_link_status:up",
        "sentinel_masters:1",
        "master0:name=mymaster",
    ] {
        g.never_runs(out);
    }
    // the troubleshooting lines are to be deleted from sentinel.conf, never added or run
    for q in ["sentinel config-epoch", "sentinel known-replica mymaster"] {
        for s in g.all(q) {
            s.not_run();
        }
        g.never_runs(q);
    }
    // `info sentinel` at a `192.168.1.102:5003>` prompt is redis-cli's, never GNU `info`
    for s in g.running("info sentinel") {
        s.kind_is("verify").on(&["sentinel"]).run_has("redis-cli");
    }
    // links
    g.never_runs("redisgate.kr");
    g.never_runs("lettuce.io");
}

#[test]
#[ignore = "gap: the `redis@node01 redis-2.8.8]$` block (prompt missing `[`) is dropped; the other check runs on `node02`"]
fn replication_checks_are_read_only_on_their_machine() {
    let g = guide!("jeedy-redis-sentinel.md");
    // the two `redis-cli info replication` checks, labelled `마스터 (…):` and `슬레이브(…)`
    // (whether they run at all is open: they show another setup's port 6379)
    let checks = g.all("redis-cli info replication");
    assert_eq!(checks.len(), 2, "two replication checks");
    checks[0].on(&["master"]);
    checks[1].on(&["slave"]);
    for s in checks.into_iter().filter(|s| s.runs()) {
        s.kind_is("verify");
    }
}
