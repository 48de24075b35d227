//! `rhgkstjf-hadoop-cluster.md`: what a careful operator would run where.
//!
//! **Roles.** Hadoop 2.7.7 on three kinds of machine, named by the guide's `/etc/hosts` example
//! and its prose (`second, slave node 도메인 입력`, `마스터, 세컨드, 슬레이브 노드 동작확인`):
//! `master` (NameNode, ResourceManager), `second` (secondary NameNode), `slave` (`slave1`,
//! `slave2`… are its hosts). Signals: one bullet `* 실행 호스트 : Master` under the ssh key
//! section; `처음 실행 시 마스터에서 네임노드 포맷과정 필요` before the start block;
//! `jps 사용하여 마스터, 세컨드, 슬레이브 노드 동작확인`. Above all the guide's flow: Hadoop is
//! configured once on the master and copied to the others by `scp` (`Hadoop 환경설정 완료된
//! 파일 및 폴더를 second, slave node에 배포`), so the Hadoop download and configuration run on
//! the master only, while Java (not copied, needed by every daemon) and `/etc/hosts` (every
//! machine resolves the others) go on every machine — the Java section has no node signal.
//!
//! **File edits.** `vim /home/hadoop/.bashrc` in one block, `<아래 내용 파일에 추가>` (or
//! `입력`), then the lines in the next block; `파일 경로 : $HADOOP_HOME/etc/hadoop/X.xml` (or
//! `경로 :`) before a whole file. `$HADOOP_HOME` is the guide's own `HADOOP_HOME=$HOME/
//! hadoop-2.7.7` of user `hadoop` (the `dfs.name.dir` value confirms `/home/hadoop/hadoop-2.7.7`),
//! so the paths resolve to absolute ones; the runbook runs as root, where `$HADOOP_HOME` is unset.
//! XML files are whole `file`s; `.bashrc` and `hadoop-env.sh` get `lines`. Shell variables in the
//! exports (`$HOME`, `${HADOOP_PREFIX}`, `$JAVA_HOME`) stay shell variables, never plan variables.
//!
//! **Must not run.** `vim`; the commented `#cp …bashrc slave1:` / `#scp … slave1:` lines (a `#`
//! comment in a block without prompts, not a root prompt); the first contact with `second` over
//! ssh (password and `ssh-keygen` prompts); the port-forwarding rule on the router
//! (`1.1.1.1:50070 -> …`); the `/etc/hosts` example's commented `#1.2.3.4 slave2...`.

use crate::support::{Expect, Guide, Step};
use std::collections::BTreeSet;

const ALL: &[&str] = &["master", "second", "slave"];
const CONF: &str = "/home/hadoop/hadoop-2.7.7/etc/hadoop";

/// The lines a file-writing step leaves: a whole file's lines or the `lines`, trimmed.
fn body(s: Step<'_>) -> Vec<String> {
    let raw: Vec<&str> = match s.kind() {
        "file" => s.content().lines().collect(),
        _ => s.lines(),
    };
    raw.iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Lines of a step's `run` that are not shell comments.
fn active_lines(s: Step<'_>) -> Vec<&str> {
    s.run()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// No unattended step runs `needle` outside a comment.
fn never_active(g: &Guide, needle: &str) {
    let hits: Vec<String> = g
        .steps()
        .into_iter()
        .filter(|s| s.runs() && active_lines(*s).iter().any(|l| l.contains(needle)))
        .map(|s| s.describe())
        .collect();
    assert!(
        hits.is_empty(),
        "{}: {needle:?} is commented out in the guide, but runs in:\n{}",
        g.name,
        hits.join("\n")
    );
}

#[test]
fn master_second_and_slave() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    let want: BTreeSet<&str> = ALL.iter().copied().collect();
    assert_eq!(g.nodes(), want, "nodes");
}

#[test]
#[ignore = "gap: single-node plan: Java and /etc/hosts only on master"]
fn java_and_hosts_on_every_machine() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    // every daemon needs the JDK at the path hadoop-env.sh names; scp copies no JDK
    g.runs_on("mv jdk1.8.0_201 /usr/lib/jvm", ALL);
    g.runs_on("update-alternatives --install /usr/bin/java", ALL);
    g.runs_on("java -version", ALL);
    // every machine resolves the others (`ssh second`, `hdfs://master:9000`)
    g.step("1.2.3.1 master").on(ALL);
}

#[test]
fn hosts_example_is_lines_of_etc_hosts() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    let hosts = g
        .step("1.2.3.1 master")
        .kind_is("lines")
        .path_is("/etc/hosts")
        .has_line("1.2.3.1 master")
        .has_line("1.2.3.2 second")
        .has_line("1.2.3.3 slave1");
    assert!(
        !hosts.lines().iter().any(|l| l.starts_with("1.2.3.4")),
        "the commented slave2 is not a host entry: {:?}",
        hosts.lines()
    );
}

#[test]
fn java_environment_goes_into_bashrc() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    // the node set is left open: every machine, or the master whose .bashrc is copied later
    g.step("export CLASSPATH=$JAVA_HOME/lib:$CLASSPATH")
        .kind_is("lines")
        .path_is("/home/hadoop/.bashrc")
        .has_line("export JAVA_HOME=\"/usr/lib/jvm/jdk1.8.0_201\"")
        .has_line("export PATH=$JAVA_HOME/bin:$PATH");
    g.never_runs("vim ");
}

#[test]
fn ssh_keys_are_set_up_from_the_master() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    let keygen = g.step("ssh-keygen -t rsa").on(&["master"]);
    // ssh-keygen asks where and for a passphrase: manual, or told both
    assert!(
        !keygen.runs() || keygen.run().contains("-N"),
        "interactive ssh-keygen: {}",
        keygen.describe()
    );
    // the first ssh to `second` asks for its password, then ssh-keygen's questions
    g.step("ssh second 'ssh-keygen -t rsa'")
        .on(&["master"])
        .not_run();
    g.step("cat /home/hadoop/.ssh/id_rsa.pub >> /home/hadoop/.ssh/authorized_keys")
        .on(&["master"]);
    g.step("scp /home/hadoop/.ssh/authorized_keys second:")
        .on(&["master"]);
}

#[test]
#[ignore = "gap: `scp authorized_keys second:` (password prompt, no key yet) runs unattended"]
fn first_contact_with_second_is_manual() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    // no key is on `second` yet: both ask for second's password
    g.step("ssh second cat /home/hadoop/.ssh/id_rsa.pub")
        .not_run();
    g.step("scp /home/hadoop/.ssh/authorized_keys second:")
        .not_run();
}

#[test]
fn hadoop_is_downloaded_on_the_master() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    g.runs_on("hadoop-2.7.7.tar.gz", &["master"]);
    for name in [
        "HADOOP_PREFIX",
        "HADOOP_HOME",
        "YARN_HOME",
        "JAVA_HOME",
        "HOME",
        "PATH",
    ] {
        assert!(
            g.variable(name).is_none(),
            "{name} is a shell variable of .bashrc, not a plan variable: {:?}",
            g.variable_names()
        );
    }
}

#[test]
fn hadoop_environment_goes_into_the_masters_bashrc() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    g.step("export HADOOP_PREFIX=$HOME/hadoop-2.7.7")
        .on(&["master"])
        .kind_is("lines")
        .path_is("/home/hadoop/.bashrc")
        .has_line("export HADOOP_HOME=$HOME/hadoop-2.7.7")
        .has_line("export HADOOP_CONF_DIR=${HADOOP_PREFIX}/etc/hadoop")
        .has_line("export HADOOP_OPTS=\"-Djava.library.path=$YARN_HOME/lib\"");
}

#[test]
#[ignore = "gap: `경로 : $HADOOP_HOME/…` lines name no file: slaves list appended to .bashrc, XML blocks dropped"]
fn hadoop_files_are_written_on_the_master_under_hadoop_home() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    let slaves = g
        .step("#slave3...")
        .on(&["master"])
        .path_is(&format!("{CONF}/slaves"));
    for host in ["master", "second", "slave1"] {
        assert!(
            body(slaves).iter().any(|l| l == host),
            "{host} in slaves: {:?}",
            body(slaves)
        );
    }
    g.step("<value>hdfs://master:9000</value>")
        .on(&["master"])
        .kind_is("file")
        .path_is(&format!("{CONF}/core-site.xml"))
        .content_has("<name>fs.default.name</name>");
    g.step("dfs.namenode.secondary.http-address")
        .on(&["master"])
        .kind_is("file")
        .path_is(&format!("{CONF}/hdfs-site.xml"))
        .content_has("<value>second:50090</value>")
        .content_has("<value>/home/hadoop/hadoop-2.7.7/hdfs/name</value>");
    g.step("yarn.resourcemanager.webapp.address")
        .on(&["master"])
        .kind_is("file")
        .path_is(&format!("{CONF}/yarn-site.xml"))
        .content_has("<value>master:8088</value>");
    // the guide writes the `.template`; Hadoop reads `mapred-site.xml`: either is accepted
    let mapred = g
        .step("mapreduce.framework.name")
        .on(&["master"])
        .kind_is("file")
        .content_has("<value>yarn</value>");
    assert!(
        mapred
            .path()
            .starts_with(&format!("{CONF}/mapred-site.xml")),
        "{}",
        mapred.describe()
    );
    // `java 경로 변환` in the stock hadoop-env.sh: an assignment, not a new file
    g.step("#The java implementation to use.")
        .on(&["master"])
        .kind_is("lines")
        .path_is(&format!("{CONF}/hadoop-env.sh"))
        .has_line("export JAVA_HOME=\"/usr/lib/jvm/jdk1.8.0_201\"");
}

#[test]
fn copied_to_second_from_the_master() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    g.runs_on("scp -r /home/hadoop/hadoop-2.7.7 second:", &["master"]);
    g.runs_on("scp /home/hadoop/.bashrc second:", &["master"]);
}

#[test]
fn commented_slave_copies_do_not_run() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    // `#slave에 배포시` and the two lines after it are comments in a block without prompts
    never_active(&g, "slave1:/home/hadoop");
}

#[test]
#[ignore = "gap: the `$HADOOP_HOME/sbin/start-all.sh` / `hadoop namenode -format` block is dropped (unknown command words)"]
fn formatted_and_started_on_the_master_after_the_copy() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    g.runs_on("hadoop namenode -format", &["master"]);
    g.runs_on("start-all.sh", &["master"]);
    g.runs_on("stop-all.sh", &["master"]);
    // configure, then copy, then format and start
    g.before(
        "mapreduce.framework.name",
        "scp -r /home/hadoop/hadoop-2.7.7 second:",
    );
    g.before(
        "scp -r /home/hadoop/hadoop-2.7.7 second:",
        "hadoop namenode -format",
    );
    // the JDK is on every machine before the master starts their daemons
    g.before(
        "update-alternatives --install /usr/bin/java",
        "hadoop namenode -format",
    );
}

#[test]
#[ignore = "gap: the `jps` block is dropped (unknown command word)"]
fn checks_on_every_machine_and_the_example_job_once() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    // `jps 사용하여 마스터, 세컨드, 슬레이브 노드 동작확인`
    g.step("jps").kind_is("verify").on(ALL);
    // the wordcount example creates /input and /output in HDFS: once, from the master
    for s in g.running("wordcount") {
        s.on(&["master"]);
    }
    for s in g.running("hadoop fs -mkdir /input") {
        s.on(&["master"]);
    }
}

#[test]
fn router_and_web_notes_do_not_run() {
    let g = guide!("rhgkstjf-hadoop-cluster.md");
    g.never_runs("1.1.1.1");
    g.never_runs("192.168.0.100");
    g.never_runs("포트포워딩");
    g.never_runs("Yarn Web port");
}
