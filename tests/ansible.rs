//! `out/ansible/` and fleets: the per-host transformation of the plan (`crates/compile/src/fleet.rs`),
//! the inventory and playbook (`crates/render/src/ansible.rs`), `ansible-playbook --syntax-check` on the
//! bundled guide and the fleet fixture, and a real run of the fixture's playbook against one
//! controller and two compute hosts, each its own sandbox root (`tests/harness/sandbox.sh`)
//! reached through the connection plugin `tests/ansible/connection_plugins/sandbox.py`.
//!
//! In CI (`CI` set) a missing ansible-playbook or sandbox is a failure; locally a skip.

use runbook::build::write_atomically;
use runbook::model::{Kind, Plan};
use runbook::output::OutFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether `tool` runs here; in CI its absence fails the test.
fn have_tool(tool: &str, why: &str) -> bool {
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

fn have_sandbox() -> bool {
    let uid = Command::new("id").arg("-u").output().ok();
    let is_root = uid.is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let why = if !is_root {
        Some("not root")
    } else if !have_tool("unshare", "sandbox harness") {
        Some("no unshare")
    } else if !have_tool("mariadbd", "the controller's SQL step") {
        Some("no mariadbd")
    } else {
        None
    };
    match why {
        None => true,
        Some(w) if in_ci() => panic!("the sandbox harness cannot run: {w}"),
        Some(w) => {
            eprintln!("SKIP: sandbox harness unavailable: {w}");
            false
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    // one folder per process: engineers share this checkout and may run the tests at once
    let d = root()
        .join("target/ansible-tests")
        .join(format!("{name}-{}", std::process::id()));
    if d.exists() {
        // a sandbox left by an interrupted run: unmount before deleting
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.join(".sandbox").exists() {
                    let _ = Command::new(sandbox_sh()).arg("rm").arg(&p).output();
                } else if p.join("mysql.sock").exists() || p.join("mysqld.pid").exists() {
                    let _ = Command::new(mariadb_sh()).arg("rm").arg(&p).output();
                }
            }
        }
        std::fs::remove_dir_all(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
    }
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sandbox_sh() -> PathBuf {
    root().join("tests/harness/sandbox.sh")
}

fn mariadb_sh() -> PathBuf {
    root().join("tests/harness/mariadb.sh")
}

fn fleet_guide() -> PathBuf {
    root().join("tests/fixtures/fleet/guide")
}

fn compile(guide: &Path) -> Plan {
    runbook::compile(guide)
        .unwrap_or_else(|e| panic!("{}: {e:#}", guide.display()))
        .plan
}

/// The runbooks, per-host env files and ansible files of a guide, written under `out`.
fn build(guide: &Path, out: &Path) -> Plan {
    let plan = compile(guide);
    let mut files: Vec<OutFile> = runbook::render::runbook::render_all(&plan);
    files.extend(runbook::render::ansible::render(&plan));
    write_atomically(out, &files).unwrap();
    plan
}

fn text(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn step_with<'a>(plan: &'a Plan, nodes: &[&str], pred: impl Fn(&str) -> bool) -> Vec<&'a str> {
    plan.steps
        .iter()
        .filter(|s| s.nodes.iter().map(String::as_str).eq(nodes.iter().copied()))
        .map(|s| s.run.as_str())
        .filter(|r| pred(r))
        .collect()
}

// ---- the plan transformation ------------------------------------------------------------------

#[test]
fn fleet_plan_has_per_host_values() {
    let plan = compile(&fleet_guide());
    // compute's own steps use the host's values, not the example's
    let compute_runs: Vec<&str> = step_with(&plan, &["compute"], |_| true);
    assert!(
        compute_runs.iter().all(|r| !r.contains("10.0.0.31")),
        "compute steps still hold the example address: {compute_runs:#?}"
    );
    assert!(compute_runs
        .iter()
        .any(|r| r.contains("my_ip = ${HOST_ADDRESS}")));
    assert!(compute_runs
        .iter()
        .any(|r| r.contains("IPADDR=${HOST_ADDRESS}")));
    assert!(compute_runs
        .iter()
        .any(|r| r.trim() == "hostnamectl set-hostname \"${HOST_NAME}\""));
    // the controller's own hostname stays
    assert_eq!(
        step_with(&plan, &["controller"], |r| r.contains("hostnamectl")),
        vec!["hostnamectl set-hostname controller"]
    );
    // /etc/hosts lists every host, on every node
    let hosts_step = plan
        .steps
        .iter()
        .find(|s| s.path() == Some("/etc/hosts"))
        .expect("an /etc/hosts step");
    assert_eq!(hosts_step.nodes, vec!["controller", "compute"]);
    assert_eq!(
        hosts_step.action.lines(),
        &[
            "10.0.0.11\tcontroller",
            "10.0.0.31\tcompute1",
            "10.0.0.32\tcompute2"
        ]
    );
    // the controller's reachability check reaches every compute host
    assert_eq!(
        step_with(&plan, &["controller"], |r| r.contains("ping")),
        vec!["ping -c 4 compute1\nping -c 4 compute2"]
    );
    // values: each host's own; no per-node default for a two-host node
    let host = |n: &str| plan.hosts.iter().find(|h| h.name == n).unwrap();
    let vars = |n: &str| -> BTreeMap<&str, &str> {
        host(n)
            .vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    };
    assert_eq!(vars("compute1")["HOST_ADDRESS"], "10.0.0.31");
    assert_eq!(vars("compute2")["HOST_ADDRESS"], "10.0.0.32");
    assert_eq!(vars("compute2")["HOST_NAME"], "compute2");
    assert_eq!(
        vars("compute2")["OVERLAY_INTERFACE_IP_ADDRESS"],
        "10.0.0.32"
    );
    assert_eq!(vars("compute2")["INTERFACE_NAME"], "eth2");
    let var = |n: &str| plan.variables.iter().find(|v| v.name == n).unwrap();
    assert!(!var("HOST_ADDRESS").secret);
    assert!(var("HOST_ADDRESS").per_node.is_empty());
    let overlay: Vec<&str> = var("OVERLAY_INTERFACE_IP_ADDRESS")
        .per_node
        .iter()
        .map(|p| p.node.as_str())
        .collect();
    assert_eq!(overlay, vec!["controller"]);
    // step ids do not move: they hash the guide's text, which the fleet does not change
    for s in &plan.steps {
        assert!(!s.original.contains("${HOST_"), "{}", s.id);
    }
}

#[test]
fn bundled_guide_without_hosts_is_unchanged() {
    let c = runbook::compile(&root().join("guide")).unwrap();
    let mut plain = c.plan.clone();
    runbook::fleet::apply(&mut plain, &runbook::config::Config::default());
    assert_eq!(plain, c.plan);
    assert!(c
        .plan
        .variables
        .iter()
        .all(|v| !v.name.starts_with("HOST_")));
    assert_eq!(c.plan.hosts.len(), c.plan.nodes.len());
}

#[test]
fn one_host_node_keeps_its_values_as_defaults() {
    let c = runbook::compile(&root().join("guide")).unwrap();
    let mut cfg = c.guide.config.clone();
    let compute = cfg.nodes.iter_mut().find(|n| n.name == "compute").unwrap();
    compute.hosts = vec![runbook::config::HostConfig {
        name: "cn-07".into(),
        address: Some("10.0.0.47".into()),
        vars: Default::default(),
    }];
    let mut plan = c.plan.clone();
    plan.hosts.retain(|h| h.node != "compute");
    plan.hosts.push(runbook::model::Host {
        node: "compute".into(),
        name: "cn-07".into(),
        address: Some("10.0.0.47".into()),
        vars: Vec::new(),
    });
    runbook::fleet::apply(&mut plan, &cfg);
    let var = |n: &str| plan.variables.iter().find(|v| v.name == n).unwrap();
    let default = |n: &str| {
        var(n)
            .per_node
            .iter()
            .find(|p| p.node == "compute")
            .map(|p| p.value.clone())
    };
    assert_eq!(default("HOST_ADDRESS").as_deref(), Some("10.0.0.47"));
    assert_eq!(default("HOST_NAME").as_deref(), Some("cn-07"));
    assert_eq!(
        default("OVERLAY_INTERFACE_IP_ADDRESS").as_deref(),
        Some("10.0.0.47")
    );
    let nova = plan
        .steps
        .iter()
        .find(|s| {
            s.kind() == Kind::Ini
                && s.nodes == ["compute"]
                && s.path() == Some("/etc/nova/nova.conf")
        })
        .unwrap();
    assert!(nova.run.contains("my_ip = ${HOST_ADDRESS}"), "{}", nova.run);
    assert!(nova.variables.iter().any(|v| v == "HOST_ADDRESS"));
    let hosts = plan
        .steps
        .iter()
        .find(|s| s.path() == Some("/etc/hosts"))
        .unwrap();
    assert!(hosts.run.contains("10.0.0.47\tcn-07"), "{}", hosts.run);
    // the controller's nova.conf keeps the controller's address
    let ctl = plan
        .steps
        .iter()
        .find(|s| s.nodes == ["controller"] && s.path() == Some("/etc/nova/nova.conf"))
        .unwrap();
    assert!(ctl.run.contains("my_ip = 10.0.0.11"));
    // the compute runbook renders and declares the host's defaults
    let sh = runbook::render::runbook::render(&plan, "compute");
    assert!(
        sh.contains("rb_var 'HOST_ADDRESS' 0 "),
        "no HOST_ADDRESS rb_var"
    );
    assert!(sh.contains("'10.0.0.47'"));
}

/// The site's index and execution-order page name every host of each node.
#[test]
fn site_shows_the_hosts_of_each_node() {
    let c = runbook::compile(&fleet_guide()).unwrap();
    let files = runbook::build::render_all(&c, &Default::default()).unwrap();
    let page = |name: &str| -> String {
        let f = files
            .iter()
            .find(|f| f.path == Path::new("site").join(name))
            .unwrap_or_else(|| panic!("no site/{name}"));
        String::from_utf8_lossy(&f.bytes).into_owned()
    };
    for name in ["index.html", "order.html"] {
        let html = page(name);
        // the text of every `class="host"` element (the theme's host chips)
        let chips: Vec<String> = html
            .split("class=\"host\">")
            .skip(1)
            .map(|rest| {
                let end = rest.find("</span>").unwrap_or(rest.len());
                let mut t = String::new();
                let mut tag = false;
                for ch in rest[..end].chars() {
                    match ch {
                        '<' => tag = true,
                        '>' => tag = false,
                        c if !tag => t.push(c),
                        _ => {}
                    }
                }
                t.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect();
        for h in [
            "controller 10.0.0.11",
            "compute1 10.0.0.31",
            "compute2 10.0.0.32",
        ] {
            assert!(
                chips.iter().any(|c| c == h),
                "site/{name} shows no host {h:?} (host elements: {chips:?})"
            );
        }
    }
}

// ---- the rendered files ----------------------------------------------------------------------

#[test]
fn inventory_and_playbook_shape() {
    let out = scratch("shape");
    let plan = build(&fleet_guide(), &out.join("out"));
    let inv = text(&out.join("out/ansible/inventory.yml"));
    let site = text(&out.join("out/ansible/site.yml"));
    for h in ["\"compute1\":", "\"compute2\":", "\"controller\":"] {
        assert!(inv.contains(h), "inventory lacks {h}");
    }
    assert!(inv.contains("ansible_host: !unsafe \"10.0.0.32\""));
    assert!(inv.contains("HOST_ADDRESS: !unsafe \"10.0.0.32\""));
    // one play per phase with steps, in phase order, after the staging play
    let plays: Vec<&str> = site.lines().filter(|l| l.starts_with("- name: ")).collect();
    assert!(plays[0].contains("올리기"));
    let phases: Vec<u32> = plays[1..]
        .iter()
        .map(|l| {
            let n = l.split("묶음 ").nth(1).unwrap().split('/').next().unwrap();
            n.parse().unwrap()
        })
        .collect();
    let mut want: Vec<u32> = plan
        .steps
        .iter()
        .filter(|s| s.selected())
        .map(|s| s.phase)
        .collect();
    want.dedup();
    assert_eq!(phases, want);
    assert!(site.contains("--phase 6 --yes"));
    assert!(site.contains("'--check' if ansible_check_mode"));
    assert!(site.contains("changed_when: runbook_result.stdout is regex"));
    assert!(site.contains("mode: \"0600\""));
    // per-host values for a site without Ansible
    let env2 = text(&out.join("out/runbooks/hosts/compute2.env"));
    assert!(env2.contains("\nHOST_ADDRESS=10.0.0.32\n"), "{env2}");
    assert!(env2.contains("\nHOST_NAME=compute2\n"));
    // byte-identical on rebuild
    let again = runbook::render::ansible::render(&compile(&fleet_guide()));
    for f in again {
        let p = out.join("out").join(&f.path);
        assert_eq!(std::fs::read(&p).unwrap(), f.bytes, "{}", p.display());
    }
}

/// Hostile config values stay data: quoted, never templated by Ansible.
#[test]
fn hostile_host_values_are_quoted() {
    let mut plan = compile(&fleet_guide());
    for h in plan.hosts.iter_mut() {
        if h.name == "compute2" {
            h.vars
                .push(("EVIL".into(), "{{ lookup('pipe','id') }}\"\n- x: y".into()));
        }
    }
    let inv = runbook::render::ansible::inventory(&plan);
    assert!(inv.contains(r#"EVIL: !unsafe "{{ lookup('pipe','id') }}\"\n- x: y""#));
    if !have_tool("ansible-inventory", "YAML inventory parse check") {
        return;
    }
    let out = scratch("hostile");
    let p = out.join("inventory.yml");
    std::fs::write(&p, inv).unwrap();
    let o = Command::new("ansible-inventory")
        .arg("-i")
        .arg(&p)
        .arg("--host")
        .arg("compute2")
        .env("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("lookup('pipe','id')"), "{stdout}");
}

fn syntax_check(dir: &Path) {
    let o = Command::new("ansible-playbook")
        .current_dir(dir)
        .args(["--syntax-check", "-i", "inventory.yml", "site.yml"])
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "syntax check failed in {}:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn ansible_syntax_check_bundled_guide_and_fleet() {
    if !have_tool("ansible-playbook", "the playbook must pass --syntax-check") {
        return;
    }
    let out = scratch("syntax");
    build(&root().join("guide"), &out.join("guide"));
    syntax_check(&out.join("guide/ansible"));
    build(&fleet_guide(), &out.join("fleet"));
    syntax_check(&out.join("fleet/ansible"));
}

// ---- the real run ----------------------------------------------------------------------------

struct Fleet {
    dir: PathBuf,
    hosts: Vec<String>,
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for h in &self.hosts {
            let _ = Command::new(sandbox_sh())
                .arg("rm")
                .arg(self.dir.join(h))
                .output();
        }
        let _ = Command::new(mariadb_sh())
            .arg("rm")
            .arg(self.dir.join("controller.mysql"))
            .output();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn must(o: std::io::Result<Output>, what: &str) -> String {
    let o = o.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        o.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `PLAY RECAP` counts per host: host -> (ok, changed, unreachable, failed).
fn recap(out: &str) -> BTreeMap<String, (u32, u32, u32, u32)> {
    let mut m = BTreeMap::new();
    let Some(at) = out.find("PLAY RECAP") else {
        return m;
    };
    for line in out[at..].lines().skip(1) {
        let Some((host, rest)) = line.split_once(" : ") else {
            continue;
        };
        let get = |k: &str| -> u32 {
            rest.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(u32::MAX)
        };
        m.insert(
            host.trim().to_string(),
            (get("ok"), get("changed"), get("unreachable"), get("failed")),
        );
    }
    m
}

fn play(fleet: &Fleet, ansible_dir: &Path, vars: &Path, check: bool) -> (bool, String) {
    let mut cmd = Command::new("ansible-playbook");
    cmd.current_dir(ansible_dir)
        .args(["-i", "inventory.yml", "site.yml"])
        .args(["-e", "ansible_connection=sandbox"])
        .args(["-e", "ansible_python_interpreter=/usr/bin/python3"])
        .arg("-e")
        .arg(format!("runbook_vars_file={}", vars.display()))
        .env(
            "ANSIBLE_CONNECTION_PLUGINS",
            root().join("tests/ansible/connection_plugins"),
        )
        .env("RUNBOOK_SANDBOX_ROOT", &fleet.dir)
        .env("RUNBOOK_SANDBOX_SH", sandbox_sh())
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_PIPELINING", "True")
        .env("ANSIBLE_FORCE_COLOR", "0")
        .env("ANSIBLE_RETRY_FILES_ENABLED", "0")
        .env("ANSIBLE_LOCAL_TEMP", fleet.dir.join("ansible-local"));
    if check {
        cmd.arg("--check");
    }
    let o = cmd.output().expect("ansible-playbook");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), text)
}

fn upper(fleet: &Fleet, host: &str, path: &str) -> String {
    let p = fleet
        .dir
        .join(host)
        .join("upper")
        .join(path.trim_start_matches('/'));
    std::fs::read_to_string(&p).unwrap_or_default()
}

#[test]
fn fleet_playbook_runs_on_three_sandboxed_hosts() {
    if !have_tool("ansible-playbook", "the playbook runs for real") || !have_sandbox() {
        return;
    }
    let dir = scratch("run");
    let plan = build(&fleet_guide(), &dir.join("out"));
    let ansible_dir = dir.join("out/ansible");
    let hosts: Vec<String> = plan.hosts.iter().map(|h| h.name.clone()).collect();
    assert_eq!(hosts, ["controller", "compute1", "compute2"]);
    let fleet = Fleet {
        dir: dir.clone(),
        hosts: hosts.clone(),
    };
    for h in &hosts {
        must(
            Command::new(sandbox_sh())
                .arg("new")
                .arg(dir.join(h))
                .output(),
            "sandbox.sh new",
        );
    }
    must(
        Command::new(mariadb_sh())
            .arg("start")
            .arg(dir.join("controller.mysql"))
            .output(),
        "mariadb.sh start",
    );
    // the vars file `runbook secrets` would write: the secrets only
    let mut vars = String::new();
    for v in plan.variables.iter().filter(|v| v.secret) {
        vars.push_str(&format!("{}=s3cret-{}\n", v.name, v.name.to_lowercase()));
    }
    let vars_file = dir.join("vars.env");
    std::fs::write(&vars_file, vars).unwrap();

    // check mode on fresh hosts: changes reported, none made
    let (ok, out) = play(&fleet, &ansible_dir, &vars_file, true);
    assert!(ok, "check run failed:\n{out}");
    let r = recap(&out);
    for h in &hosts {
        let (_, changed, unreach, failed) = r[h];
        assert!(changed > 0 && unreach == 0 && failed == 0, "{h}: {out}");
        assert_eq!(
            upper(&fleet, h, "/etc/hostname"),
            "",
            "{h}: check mode changed the host"
        );
    }
    assert_eq!(upper(&fleet, "compute1", "/etc/nova/nova.conf"), "");

    // first run
    let (ok, out) = play(&fleet, &ansible_dir, &vars_file, false);
    assert!(ok, "first run failed:\n{out}");
    let r = recap(&out);
    assert_eq!(r.keys().cloned().collect::<Vec<_>>().len(), 3, "{out}");
    for h in &hosts {
        let (_, changed, unreach, failed) = r[h];
        assert!(changed > 0 && unreach == 0 && failed == 0, "{h}: {out}");
        assert_eq!(upper(&fleet, h, "/etc/hostname").trim(), h.as_str());
        let etc_hosts = upper(&fleet, h, "/etc/hosts");
        for line in [
            "10.0.0.11\tcontroller",
            "10.0.0.31\tcompute1",
            "10.0.0.32\tcompute2",
        ] {
            assert!(
                etc_hosts.lines().any(|l| l == line),
                "{h}: /etc/hosts lacks {line:?}:\n{etc_hosts}"
            );
        }
        assert!(
            !etc_hosts.lines().any(|l| l.ends_with("\tcompute")),
            "{h}: /etc/hosts lists the example name:\n{etc_hosts}"
        );
    }
    for (h, addr, iface) in [
        ("compute1", "10.0.0.31", "eth1"),
        ("compute2", "10.0.0.32", "eth2"),
    ] {
        let nova = upper(&fleet, h, "/etc/nova/nova.conf");
        assert!(
            nova.lines().any(|l| l == format!("my_ip = {addr}")),
            "{h} nova.conf:\n{nova}"
        );
        assert!(nova.contains("rabbit://openstack:s3cret-rabbit_pass@controller"));
        let lb = upper(&fleet, h, "/etc/neutron/plugins/ml2/linuxbridge_agent.ini");
        assert!(
            lb.lines().any(|l| l == format!("local_ip = {addr}")),
            "{h} linuxbridge_agent.ini:\n{lb}"
        );
        let ifcfg = upper(
            &fleet,
            h,
            &format!("/etc/sysconfig/network-scripts/ifcfg-{iface}"),
        );
        assert!(
            ifcfg.lines().any(|l| l == format!("IPADDR={addr}")),
            "{h} ifcfg-{iface}:\n{ifcfg}"
        );
        let vars_mode = std::fs::metadata(dir.join(h).join("upper/root/runbook/vars.env"))
            .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777)
            .unwrap_or(0);
        assert_eq!(vars_mode, 0o600, "{h}: vars file mode");
    }
    // the controller reached both compute hosts by name
    let calls = upper(&fleet, "controller", "/var/log/stubs/calls.log");
    assert!(
        calls.contains("compute1") && calls.contains("compute2"),
        "{calls}"
    );

    // second run: nothing changes anywhere
    let snap = |h: &str, n: &str| {
        let f = dir.join(format!("{h}.{n}.snapshot"));
        must(
            Command::new(sandbox_sh())
                .arg("snapshot")
                .arg(dir.join(h))
                .arg(&f)
                .output(),
            "sandbox.sh snapshot",
        );
        std::fs::read(&f).unwrap()
    };
    let before: Vec<Vec<u8>> = hosts.iter().map(|h| snap(h, "1")).collect();
    let (ok, out) = play(&fleet, &ansible_dir, &vars_file, false);
    assert!(ok, "second run failed:\n{out}");
    let r = recap(&out);
    for h in &hosts {
        let (okn, changed, unreach, failed) = r[h];
        assert!(
            okn > 0 && changed == 0 && unreach == 0 && failed == 0,
            "{h} second run: {out}"
        );
    }
    assert!(
        out.matches("ok=").count() >= 3 && !out.contains("changed=1"),
        "{out}"
    );
    let after: Vec<Vec<u8>> = hosts.iter().map(|h| snap(h, "2")).collect();
    assert_eq!(before, after, "the second run changed files");
    drop(fleet);
}
