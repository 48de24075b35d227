//! Shared helpers of the `runbook_*` tests: fixture plans, rendering, tool checks, and a thin
//! wrapper over the sandbox harness (`tests/harness/sandbox.sh`).
#![allow(dead_code)]

use runbook::model::Plan;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether `tool` is on PATH. In CI a missing tool fails the test; locally it is a skip.
pub fn have_tool(tool: &str, why: &str) -> bool {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} >/dev/null 2>&1"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        if in_ci() {
            panic!("{tool} is required in CI ({why})");
        }
        eprintln!("SKIP: {tool} not installed ({why})");
    }
    ok
}

/// Whether the sandbox harness can run here (root, overlayfs, unshare).
pub fn have_sandbox() -> bool {
    let harness = root().join("tests/harness/sandbox.sh");
    let mut ok = harness.exists();
    let mut why = String::from("tests/harness/sandbox.sh missing");
    if ok {
        let uid = Command::new("id").arg("-u").output().ok();
        let is_root = uid
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        if !is_root {
            ok = false;
            why = "not root".into();
        }
    }
    if ok && !have_tool("unshare", "sandbox") {
        ok = false;
        why = "no unshare".into();
    }
    if !ok {
        if in_ci() {
            panic!("the sandbox harness cannot run: {why}");
        }
        eprintln!("SKIP: sandbox harness unavailable: {why}");
    }
    ok
}

/// A fixture plan (`tests/fixtures/runbook/NAME.json`) with every step's `run` filled the way
/// the plan stage fills it.
pub fn fixture_plan(name: &str) -> Plan {
    let p = root()
        .join("tests/fixtures/runbook")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut plan: Plan =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    for s in plan.steps.iter_mut() {
        runbook::runtext::fill(s);
    }
    plan
}

/// A fresh scratch directory under target/, never shared: tests run in parallel, and two of them
/// asking for the same name (each test's `setup` renders its scripts) must not remove each
/// other's files.
pub fn scratch(name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = root()
        .join("target/runbook-tests")
        .join(format!("{name}-{}-{n}", std::process::id()));
    if d.exists() {
        std::fs::remove_dir_all(&d).ok();
    }
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Render every node's runbook of `plan` into `dir`; returns (node, path).
pub fn render_into(plan: &Plan, dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for f in runbook::render::runbook::render_all(plan) {
        let p = dir.join(f.path.file_name().unwrap());
        std::fs::write(&p, &f.bytes).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let node = p.file_stem().unwrap().to_string_lossy().into_owned();
        out.push((node, p));
    }
    out
}

pub fn text(o: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A throwaway copy-on-write root (the harness's sandbox), removed on drop.
pub struct Sandbox {
    pub dir: PathBuf,
    pub mysql: Option<PathBuf>,
}

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        let base = scratch(&format!("sbx-{name}"));
        let dir = base.join("sbx");
        let o = Command::new(root().join("tests/harness/sandbox.sh"))
            .arg("new")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "sandbox new: {}", text(&o));
        Sandbox { dir, mysql: None }
    }

    /// Copy a host file into the sandbox at an absolute path.
    pub fn put(&self, src: &Path, dest: &str) {
        let o = Command::new(root().join("tests/harness/sandbox.sh"))
            .arg("put")
            .arg(&self.dir)
            .arg(src)
            .arg(dest)
            .output()
            .unwrap();
        assert!(o.status.success(), "sandbox put: {}", text(&o));
    }

    /// Write `content` to a file inside the sandbox.
    pub fn put_text(&self, dest: &str, content: &str) {
        // one scratch file per sandbox and call: tests run in parallel
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "{}.put-{}.tmp",
            self.dir.file_name().unwrap().to_string_lossy(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let tmp = self.dir.parent().unwrap().join(name);
        std::fs::write(&tmp, content).unwrap();
        self.put(&tmp, dest);
        std::fs::remove_file(&tmp).ok();
    }

    /// Run `args` in the sandbox with `env` (K=V).
    pub fn exec(&self, env: &[&str], args: &[&str]) -> Output {
        let mut c = Command::new(root().join("tests/harness/sandbox.sh"));
        c.arg("exec").arg(&self.dir);
        for e in env {
            c.arg("--env").arg(e);
        }
        if let Some(m) = &self.mysql {
            c.arg("--mysql").arg(m);
        }
        c.arg("--timeout").arg("300");
        c.arg("--");
        c.args(args);
        c.stdin(Stdio::null());
        c.output().unwrap()
    }

    /// Run a shell command line in the sandbox.
    pub fn sh(&self, cmd: &str) -> Output {
        self.exec(&[], &["bash", "-c", cmd])
    }

    /// The snapshot of what the sandbox changed (noise excluded), plus `--exclude` paths.
    pub fn snapshot(&self, exclude: &[&str]) -> String {
        let out = self.dir.parent().unwrap().join("snap.txt");
        let mut c = Command::new(root().join("tests/harness/sandbox.sh"));
        c.arg("snapshot").arg(&self.dir).arg(&out);
        for e in exclude {
            c.arg("--exclude").arg(e);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "sandbox snapshot: {}", text(&o));
        std::fs::read_to_string(&out).unwrap()
    }

    /// Read a file of the sandbox (its upper layer, else the host's).
    pub fn read(&self, path: &str) -> Option<String> {
        let up = self.dir.join("upper").join(path.trim_start_matches('/'));
        std::fs::read_to_string(&up)
            .ok()
            .or_else(|| std::fs::read_to_string(path).ok())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = Command::new(root().join("tests/harness/sandbox.sh"))
            .arg("rm")
            .arg(&self.dir)
            .output();
        if let Some(p) = self.dir.parent() {
            std::fs::remove_dir_all(p).ok();
        }
    }
}

/// A private MariaDB server (`tests/harness/mariadb.sh`), stopped and removed on drop.
pub struct MariaDb {
    pub dir: PathBuf,
}

impl MariaDb {
    pub fn start(name: &str) -> Option<MariaDb> {
        let dir = scratch(&format!("mysql-{name}")).join("db");
        let o = Command::new(root().join("tests/harness/mariadb.sh"))
            .arg("start")
            .arg(&dir)
            .output()
            .unwrap();
        if !o.status.success() {
            if in_ci() {
                panic!("mariadb.sh start failed: {}", text(&o));
            }
            eprintln!("SKIP: mariadb.sh start failed: {}", text(&o));
            return None;
        }
        Some(MariaDb { dir })
    }

    /// Run SQL on the host against this server; returns stdout.
    pub fn query(&self, sql: &str) -> String {
        let o = Command::new("mysql")
            .arg(format!(
                "--socket={}",
                self.dir.join("mysql.sock").display()
            ))
            .arg("-u")
            .arg("root")
            .arg("-N")
            .arg("-B")
            .arg("-e")
            .arg(sql)
            .output()
            .unwrap();
        assert!(o.status.success(), "mysql: {}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        let _ = Command::new(root().join("tests/harness/mariadb.sh"))
            .arg("rm")
            .arg(&self.dir)
            .output();
        if let Some(p) = self.dir.parent() {
            std::fs::remove_dir_all(p).ok();
        }
    }
}
