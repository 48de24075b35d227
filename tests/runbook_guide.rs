//! The bundled guide's runbooks (controller.sh, compute.sh) run for real in the sandbox, with
//! the harness's MariaDB for the SQL steps: first run, second run (changed=0, no file changed),
//! --force (no file changed), --check (no change, a diff for every edit), a missing variable,
//! secrets never printed, and SIGKILL at 8+ points followed by a rerun.

mod runbook_support;

use runbook_support::*;
use std::path::PathBuf;
use std::process::Output;

struct Built {
    dir: PathBuf,
    vars: String,
    secrets: Vec<String>,
}

fn build() -> Built {
    let c = runbook::compile(&root().join("guide")).expect("compile guide");
    let dir = scratch("guide-runbooks");
    render_into(&c.plan, &dir);
    let mut secrets = Vec::new();
    let vars = runbook::secrets::vars_text(&c.plan, |_| {
        let s = runbook::secrets::random_secret(24)?;
        secrets.push(s.clone());
        Ok(s)
    })
    .unwrap();
    assert!(!secrets.is_empty());
    Built { dir, vars, secrets }
}

/// Stand-ins for what a real CentOS host and OpenStack do on their own that the stubs do not
/// model: libvirt comes with openstack-nova-compute as a dependency; every project has a
/// `default` security group.
fn prepare_host(sbx: &Sandbox) {
    let o = sbx.sh(
        "yum install -y libvirt >/dev/null && echo off >/var/lib/stubs/openstack_auth && \
         OS_AUTH_URL=x OS_USERNAME=x OS_PASSWORD=x openstack security group create default >/dev/null && \
         rm -f /var/lib/stubs/openstack_auth && echo 0 >/var/lib/stubs/calls.count",
    );
    assert!(o.status.success(), "prepare: {}", text(&o));
}

fn setup(b: &Built, node: &str, name: &str) -> Sandbox {
    let sbx = Sandbox::new(name);
    sbx.put(
        &b.dir.join(format!("{node}.sh")),
        &format!("/opt/runbook-input/{node}.sh"),
    );
    sbx.put_text("/root/vars.env", &b.vars);
    prepare_host(&sbx);
    sbx
}

fn run(sbx: &Sandbox, node: &str, env: &[&str], args: &[&str]) -> Output {
    let script = format!("/opt/runbook-input/{node}.sh");
    let mut a = vec!["bash", script.as_str()];
    a.extend_from_slice(args);
    sbx.exec(env, &a)
}

fn changed_count(o: &Output) -> u32 {
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out
        .lines()
        .rev()
        .find(|l| l.starts_with("ok="))
        .unwrap_or("");
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix("changed="))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no summary: {}", text(o)))
}

fn no_secrets(b: &Built, what: &str, s: &str) {
    for v in &b.secrets {
        assert!(!s.contains(v.as_str()), "a secret value in {what}");
    }
}

#[test]
fn bundled_guide_runs_twice_and_forced() {
    if !have_sandbox() || !have_tool("mysql", "SQL steps") {
        return;
    }
    let Some(db) = MariaDb::start("guide") else {
        return;
    };
    let b = build();
    for node in ["controller", "compute"] {
        let mut sbx = setup(&b, node, &format!("guide-{node}"));
        sbx.mysql = Some(db.dir.clone());
        let args = ["--vars", "/root/vars.env", "--yes"];
        let o1 = run(&sbx, node, &[], &args);
        assert_eq!(o1.status.code(), Some(0), "{node} first run: {}", text(&o1));
        assert!(changed_count(&o1) > 10);
        let snap = sbx.snapshot(&[]);
        let o2 = run(&sbx, node, &[], &args);
        assert_eq!(
            o2.status.code(),
            Some(0),
            "{node} second run: {}",
            text(&o2)
        );
        assert_eq!(changed_count(&o2), 0, "{}", text(&o2));
        assert_eq!(
            sbx.snapshot(&[]),
            snap,
            "{node}: the second run changed files"
        );
        let mut fargs = args.to_vec();
        fargs.push("--force");
        let o3 = run(&sbx, node, &[], &fargs);
        assert_eq!(o3.status.code(), Some(0), "{node} --force: {}", text(&o3));
        assert_eq!(sbx.snapshot(&[]), snap, "{node}: --force changed files");
        let log = sbx
            .read(&format!("/var/log/runbook/{node}.log"))
            .unwrap_or_default();
        assert!(log.contains("ok="), "no log");
        for (w, o) in [("first", &o1), ("second", &o2), ("force", &o3)] {
            no_secrets(
                &b,
                &format!("{node} {w} stdout"),
                &String::from_utf8_lossy(&o.stdout),
            );
            no_secrets(
                &b,
                &format!("{node} {w} stderr"),
                &String::from_utf8_lossy(&o.stderr),
            );
        }
        no_secrets(&b, &format!("{node} log"), &log);
        let hosts = sbx.read("/etc/hosts").unwrap();
        assert!(
            hosts.contains("controller") && hosts.contains("localhost"),
            "{hosts}"
        );
        if node == "controller" {
            let ks = sbx.read("/etc/keystone/keystone.conf").unwrap();
            let pass = b
                .vars
                .lines()
                .find_map(|l| l.strip_prefix("KEYSTONE_DBPASS="))
                .unwrap();
            assert!(
                ks.contains(&format!(
                    "connection = mysql+pymysql://keystone:{pass}@controller/keystone\n"
                )),
                "{ks}"
            );
            assert!(ks.contains("\nprovider = fernet\n"), "{ks}");
            assert_eq!(ks.matches("\nprovider = fernet").count(), 1);
            let openrc = sbx.read("/root/admin-openrc").unwrap();
            assert!(openrc.contains("export OS_USERNAME=admin"), "{openrc}");
            // the databases and grants exist (both runs succeeded against the real server)
            let dbs = db.query("SHOW DATABASES");
            for d in ["keystone", "glance", "placement"] {
                assert!(dbs.lines().any(|l| l == d), "no database {d}: {dbs}");
            }
            let g = db.query("SHOW GRANTS FOR 'keystone'@'localhost'");
            assert!(g.contains("ON `keystone`.*"), "{g}");
            let g = db.query("SHOW GRANTS FOR 'keystone'@'%'");
            assert!(g.contains("ALL PRIVILEGES"), "{g}");
        }
    }
}

#[test]
fn bundled_guide_check_and_missing_variable() {
    if !have_sandbox() {
        return;
    }
    let b = build();
    let sbx = setup(&b, "controller", "guide-check");
    let before = sbx.snapshot(&[]);
    let o = run(
        &sbx,
        "controller",
        &[],
        &["--vars", "/root/vars.env", "--yes", "--check"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    no_secrets(&b, "--check output", &out);
    assert!(
        out.contains("********"),
        "masked values expected in the diffs"
    );
    // every file/ini/lines step shows a diff (a fresh host: every edit changes something)
    let c = runbook::compile(&root().join("guide")).unwrap();
    let steps = runbook::render::runbook::node_steps(&c.plan, "controller");
    let mut edits = 0;
    let mut changed = 0;
    for s in &steps {
        if matches!(
            s.kind(),
            runbook::model::Kind::File | runbook::model::Kind::Ini | runbook::model::Kind::Lines
        ) {
            edits += 1;
            let label = format!("] {} ", s.id);
            let pos = out
                .find(&label)
                .unwrap_or_else(|| panic!("step {} not in --check output", s.id));
            let rest = &out[pos..];
            let line_end = rest.find('\n').unwrap();
            let status = &rest[..line_end];
            // a fresh host: an edit changes something, except commenting out lines of a file
            // that only a package installed by an earlier step would bring
            if status.ends_with("changed") {
                assert!(
                    rest[line_end..].trim_start().starts_with("--- /"),
                    "no diff after {status}"
                );
                changed += 1;
            } else {
                assert!(status.ends_with(" ok"), "{status}");
            }
        }
    }
    assert!(edits >= 10, "only {edits} edits");
    assert!(
        changed + 4 >= edits,
        "{changed} of {edits} edits show a diff"
    );
    assert_eq!(sbx.snapshot(&[]), before, "--check changed files");

    // a missing variable: named, nothing changed
    sbx.sh("grep -v '^RABBIT_PASS=' /root/vars.env > /root/partial.env");
    let before = sbx.snapshot(&[]);
    let o = run(
        &sbx,
        "controller",
        &[],
        &["--vars", "/root/partial.env", "--yes"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("RABBIT_PASS"));
    assert_eq!(sbx.snapshot(&[]), before);
}

#[test]
fn bundled_guide_sigkill_then_rerun() {
    if !have_sandbox() || !have_tool("mysql", "SQL steps") {
        return;
    }
    let Some(db) = MariaDb::start("guide-kill") else {
        return;
    };
    let b = build();
    let node = "controller";
    let args = ["--vars", "/root/vars.env", "--yes"];
    // reference: one uninterrupted run, in a fresh database
    let reset = || {
        db.query("DROP DATABASE IF EXISTS keystone; DROP DATABASE IF EXISTS glance; DROP DATABASE IF EXISTS placement; DROP DATABASE IF EXISTS nova; DROP DATABASE IF EXISTS nova_api; DROP DATABASE IF EXISTS nova_cell0; DROP DATABASE IF EXISTS neutron");
    };
    reset();
    let mut r = setup(&b, node, "guide-kill-ref");
    r.mysql = Some(db.dir.clone());
    let o = run(&r, node, &[], &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // ssh-keygen makes a new random key on every host: not a file the runbook decides
    let volatile = ["/root/.ssh"];
    let want = r.snapshot(&volatile);
    let calls: u32 = r
        .read("/var/lib/stubs/calls.count")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    drop(r);
    assert!(calls >= 8, "{calls}");
    let points: Vec<u32> = (0..8).map(|k| 1 + k * (calls - 1) / 7).collect();
    for n in points {
        reset();
        let mut sbx = setup(&b, node, &format!("guide-kill-{n}"));
        sbx.mysql = Some(db.dir.clone());
        let at = format!("STUB_KILL_AT={n}");
        let o = run(&sbx, node, &[&at], &args);
        assert_eq!(o.status.code(), Some(137), "kill at {n}: {}", text(&o));
        let o = run(&sbx, node, &[], &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "rerun after kill at {n}: {}",
            text(&o)
        );
        assert_eq!(
            sbx.snapshot(&volatile),
            want,
            "files differ after a kill at stub call {n}"
        );
    }
}
