//! Proves the test harness in `tests/harness/` works: an overlayfs sandbox that runs bash for
//! real as root without touching the host, PATH stubs that keep state, and a private MariaDB.
//! Needs root, `unshare`, `mariadbd`; in CI (`CI` set) a missing one is a failure, else a skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/harness")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn have(tool: &str) -> bool {
    Command::new("bash")
        .args([
            "-c",
            &format!("command -v {tool} || test -x /usr/sbin/{tool}"),
        ])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Returns false (after printing why) when the test must be skipped; panics in CI.
fn prerequisites(tools: &[&str]) -> bool {
    let mut missing: Vec<String> = Vec::new();
    if !is_root() {
        missing.push("root".into());
    }
    for t in tools {
        if !have(t) {
            missing.push((*t).to_string());
        }
    }
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI: harness prerequisites missing: {}", missing.join(", "));
    }
    eprintln!("skipping: missing {}", missing.join(", "));
    false
}

fn run(args: &[&str]) -> Output {
    Command::new("bash")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("bash {args:?}: {e}"))
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "bash {args:?} failed: {}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A scratch directory under the temp dir, removed (with the sandbox or server in it) on drop.
struct Scratch {
    dir: PathBuf,
    kind: &'static str,
}

impl Scratch {
    fn new(name: &str, kind: &'static str) -> Scratch {
        // Under /tmp: short paths (a Unix socket path has at most 107 bytes).
        let base = std::env::temp_dir().join("runbook-harness-selftest");
        std::fs::create_dir_all(&base).expect("create the scratch directory");
        let dir = base.join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch { dir, kind }
    }
    fn path(&self) -> &str {
        self.dir.to_str().expect("utf-8 path")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let script = harness().join(self.kind);
        let _ = Command::new("bash")
            .arg(script)
            .args(["rm", self.path()])
            .output();
    }
}

const SCRIPT: &str = r#"set -u
echo selftest >/etc/runbook-selftest
yum install -y chrony
systemctl enable chronyd
systemctl is-enabled chronyd
keystone-manage bootstrap --bootstrap-password adminpw --bootstrap-region-id RegionOne \
  --bootstrap-public-url http://controller:5000/v3/
export OS_USERNAME=admin OS_PASSWORD=adminpw OS_AUTH_URL=http://controller:5000/v3
openstack user create --domain default --password x glance >/dev/null || exit 10
if openstack user create --domain default --password x glance 2>/tmp/err; then exit 11; fi
grep -q 'HTTP 409' /tmp/err || exit 12
openstack user show glance >/dev/null || exit 13
rpm -q chrony >/dev/null || exit 14
exit 0
"#;

#[test]
fn sandbox_runs_for_real_and_keeps_the_host_clean() {
    if !prerequisites(&["unshare", "chroot", "flock", "sha256sum"]) {
        return;
    }
    assert!(
        !Path::new("/etc/runbook-selftest").exists(),
        "host already has /etc/runbook-selftest"
    );
    let sbx = Scratch::new("sbx", "sandbox.sh");
    let sh = harness().join("sandbox.sh");
    let sh = sh.to_str().expect("utf-8 path");
    ok(&[sh, "new", sbx.path()]);
    let script = sbx.dir.with_extension("sh");
    std::fs::write(&script, SCRIPT).expect("write script");
    ok(&[
        sh,
        "put",
        sbx.path(),
        script.to_str().expect("utf-8"),
        "/opt/runbook-input/selftest.sh",
    ]);
    let _ = std::fs::remove_file(&script);

    let out = ok(&[
        sh,
        "exec",
        sbx.path(),
        "--",
        "bash",
        "/opt/runbook-input/selftest.sh",
    ]);
    assert!(out.contains("enabled"), "systemctl is-enabled: {out}");
    assert!(
        !Path::new("/etc/runbook-selftest").exists(),
        "the sandbox wrote to the host's /etc"
    );
    let inside = std::fs::read_to_string(sbx.dir.join("upper/etc/runbook-selftest"))
        .expect("file in the upper layer");
    assert_eq!(inside, "selftest\n");

    // Changes persist across exec calls; the exit status comes through.
    let o = run(&[
        sh,
        "exec",
        sbx.path(),
        "--",
        "bash",
        "-c",
        "cat /etc/runbook-selftest; exit 7",
    ]);
    assert_eq!(o.status.code(), Some(7));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "selftest\n");

    let changed = ok(&[sh, "changed", sbx.path()]);
    assert!(
        changed.lines().any(|l| l == "A /etc/runbook-selftest"),
        "changed: {changed}"
    );
    assert!(
        changed.lines().any(|l| l == "A /etc/chrony.conf"),
        "yum stub lays down the package's files: {changed}"
    );
    assert!(
        !changed.contains("/var/lib/stubs") && !changed.contains("/tmp/"),
        "noise listed: {changed}"
    );

    let calls =
        std::fs::read_to_string(sbx.dir.join("upper/var/log/stubs/calls.log")).expect("calls.log");
    assert!(calls.contains("yum install -y chrony"), "{calls}");
    assert!(calls.contains("systemctl enable chronyd"), "{calls}");

    // Snapshots are stable, and see a deletion (whiteout) as one.
    let snap1 = sbx.dir.with_extension("snap1");
    let snap2 = sbx.dir.with_extension("snap2");
    let p1 = snap1.to_str().expect("utf-8");
    let p2 = snap2.to_str().expect("utf-8");
    ok(&[sh, "snapshot", sbx.path(), p1]);
    ok(&[sh, "snapshot", sbx.path(), p2]);
    let s1 = std::fs::read_to_string(&snap1).expect("snapshot");
    assert_eq!(s1, std::fs::read_to_string(&snap2).expect("snapshot"));
    assert!(
        s1.contains("/etc/runbook-selftest\tfile\t644\t0:0\tsha256:"),
        "{s1}"
    );
    ok(&[sh, "exec", sbx.path(), "--", "rm", "/etc/runbook-selftest"]);
    let changed = ok(&[sh, "changed", sbx.path()]);
    assert!(
        !changed.contains("/etc/runbook-selftest"),
        "created then deleted: {changed}"
    );
    ok(&[sh, "exec", sbx.path(), "--", "rm", "/etc/debian_version"]);
    let changed = ok(&[sh, "changed", sbx.path()]);
    assert!(
        changed.lines().any(|l| l == "D /etc/debian_version"),
        "{changed}"
    );
    assert!(
        Path::new("/etc/debian_version").exists(),
        "host file deleted"
    );
    let _ = std::fs::remove_file(&snap1);
    let _ = std::fs::remove_file(&snap2);

    // The kill switch: the 2nd stub call SIGKILLs the run before doing its work.
    let o = run(&[
        sh,
        "exec",
        sbx.path(),
        "--env",
        "STUB_KILL_AT=2",
        "--",
        "bash",
        "-c",
        "echo 0 >/var/lib/stubs/calls.count; yum install -y a; yum install -y b; echo survived",
    ]);
    assert_eq!(o.status.code(), Some(137), "{o:?}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("survived"));
    assert!(sbx.dir.join("upper/var/lib/stubs/rpm/a").exists());
    assert!(!sbx.dir.join("upper/var/lib/stubs/rpm/b").exists());

    // No mount leaks into the host's namespace.
    let mounts = std::fs::read_to_string("/proc/self/mounts").expect("mounts");
    assert!(!mounts.contains(sbx.path()), "leaked mount: {mounts}");
}

#[test]
fn mariadb_is_real_and_reachable_from_a_sandbox() {
    if !prerequisites(&["unshare", "mariadbd", "mariadb-install-db", "mysql"]) {
        return;
    }
    let db = Scratch::new("db", "mariadb.sh");
    let m = harness().join("mariadb.sh");
    let m = m.to_str().expect("utf-8 path");
    let env = ok(&[m, "start", db.path()]);
    let sock = format!("{}/mysql.sock", db.path());
    assert!(env.contains(&format!("MYSQL_UNIX_PORT={sock}")), "{env}");

    let sql = |q: &str| {
        Command::new("mysql")
            .args([
                "--no-defaults",
                "-uroot",
                &format!("--socket={sock}"),
                "-e",
                q,
            ])
            .output()
            .expect("mysql client")
    };
    assert!(sql("CREATE DATABASE t1").status.success());
    let again = sql("CREATE DATABASE t1");
    assert!(!again.status.success(), "second CREATE DATABASE must fail");
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    assert!(sql("CREATE DATABASE IF NOT EXISTS t1").status.success());

    // A plain `mysql` as root inside a sandbox reaches it.
    let sbx = Scratch::new("sbx-db", "sandbox.sh");
    let sh = harness().join("sandbox.sh");
    let sh = sh.to_str().expect("utf-8 path");
    ok(&[sh, "new", sbx.path()]);
    let out = ok(&[
        sh,
        "exec",
        sbx.path(),
        "--mysql",
        db.path(),
        "--",
        "mysql",
        "-N",
        "-e",
        "SHOW DATABASES LIKE 't1'",
    ]);
    assert_eq!(out.trim(), "t1");
    ok(&[m, "stop", db.path()]);
    assert!(
        !sql("SELECT 1").status.success(),
        "server still answers after stop"
    );
}
