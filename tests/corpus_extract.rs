//! Acceptance tests for extraction on real third-party guides (`../shared/corpus/`) and on the
//! seed guide (`../shared/seeds/`). The guides are read in place, never copied into the repo.
//!
//! Every assertion states what a careful operator would run where, read from the guide itself.
//! Assertions the extractor does not meet yet live in `<guide>_known_gaps` tests, marked
//! `#[ignore = "extractor bug: ..."]`, so the main tests pass and the gaps stay visible:
//! `cargo test --test corpus_extract -- --ignored` lists them.

use runbook::model::{Kind, Plan, Step};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join(rel)
}

fn corpus_file(name: &str) -> PathBuf {
    shared("corpus").join(name)
}

fn compile(path: &Path) -> Plan {
    match runbook::compile(path) {
        Ok(c) => c.plan,
        Err(e) => panic!("{} does not compile: {e:#}", path.display()),
    }
}

fn guide(name: &str) -> Plan {
    compile(&corpus_file(name))
}

fn describe(s: &Step) -> String {
    format!(
        "{}-{} {:?} on {:?} path={:?} run={:?}",
        s.source.line,
        s.end_line,
        s.kind(),
        s.nodes,
        s.path(),
        s.run.chars().take(160).collect::<String>()
    )
}

/// The step whose text covers guide line `line`, if any.
fn try_at(p: &Plan, line: usize) -> Option<&Step> {
    p.steps
        .iter()
        .find(|s| s.source.line <= line && line <= s.end_line)
}

/// The step whose text covers guide line `line`.
fn at(p: &Plan, line: usize) -> &Step {
    try_at(p, line).unwrap_or_else(|| {
        let near: Vec<String> = p
            .steps
            .iter()
            .filter(|s| s.end_line + 30 >= line && s.source.line <= line + 30)
            .map(describe)
            .collect();
        panic!(
            "no step covers line {line}; steps nearby:\n{}",
            near.join("\n")
        )
    })
}

fn nodes(s: &Step) -> Vec<&str> {
    s.nodes.iter().map(String::as_str).collect()
}

fn node_set(s: &Step) -> BTreeSet<&str> {
    s.nodes.iter().map(String::as_str).collect()
}

fn all_nodes(p: &Plan) -> BTreeSet<&str> {
    p.nodes.iter().map(String::as_str).collect()
}

/// Asserts the step covering `line` runs exactly on `want`.
#[track_caller]
fn on(p: &Plan, line: usize, want: &[&str]) {
    let s = at(p, line);
    let got = node_set(s);
    let want: BTreeSet<&str> = want.iter().copied().collect();
    assert_eq!(
        got,
        want,
        "nodes of the step at line {line}: {}",
        describe(s)
    );
}

/// Asserts the step covering `line` runs on every node of the plan.
#[track_caller]
fn on_all(p: &Plan, line: usize) {
    let s = at(p, line);
    assert_eq!(
        node_set(s),
        all_nodes(p),
        "step at line {line} should run on every node: {}",
        describe(s)
    );
}

#[track_caller]
fn kind(p: &Plan, line: usize, want: Kind) {
    let s = at(p, line);
    assert_eq!(
        s.kind(),
        want,
        "kind of the step at line {line}: {}",
        describe(s)
    );
}

#[track_caller]
fn path_is(p: &Plan, line: usize, want: &str) {
    let s = at(p, line);
    assert_eq!(
        s.path(),
        Some(want),
        "path of the step at line {line}: {}",
        describe(s)
    );
}

#[track_caller]
fn run_has(p: &Plan, line: usize, needle: &str) {
    let s = at(p, line);
    assert!(
        s.run.contains(needle),
        "run of the step at line {line} should contain {needle:?}: {}",
        describe(s)
    );
}

#[track_caller]
fn run_lacks(p: &Plan, line: usize, needle: &str) {
    let s = at(p, line);
    assert!(
        !s.run.contains(needle),
        "run of the step at line {line} should not contain {needle:?}: {}",
        describe(s)
    );
}

/// No step's `run` contains `needle` (output lines, prompts, markup).
#[track_caller]
fn no_run_has(p: &Plan, needle: &str) {
    let bad: Vec<String> = p
        .steps
        .iter()
        .filter(|s| s.run.contains(needle))
        .map(describe)
        .collect();
    assert!(
        bad.is_empty(),
        "no step should run {needle:?}:\n{}",
        bad.join("\n")
    );
}

/// No `command` step's `run` contains `needle` (file content shown as commands).
#[track_caller]
fn no_command_has(p: &Plan, needle: &str) {
    let bad: Vec<String> = p
        .steps
        .iter()
        .filter(|s| s.kind() == Kind::Command && s.run.contains(needle))
        .map(describe)
        .collect();
    assert!(
        bad.is_empty(),
        "no command should run {needle:?}:\n{}",
        bad.join("\n")
    );
}

/// The `lines` of the step at `line` include `want` (compared trimmed).
#[track_caller]
fn has_line(p: &Plan, line: usize, want: &str) {
    let s = at(p, line);
    let ls = s.action.lines().to_vec();
    assert!(
        ls.iter().any(|l| l.trim() == want),
        "lines of the step at line {line} should include {want:?}: {ls:?} ({})",
        describe(s)
    );
}

fn setting<'a>(s: &'a Step, section: &str, key: &str) -> Option<&'a str> {
    s.action
        .settings()
        .iter()
        .find(|x| x.section == section && x.key == key)
        .map(|x| x.value.as_str())
}

#[track_caller]
fn ini_has(p: &Plan, line: usize, section: &str, key: &str, value: &str) {
    let s = at(p, line);
    assert_eq!(
        setting(s, section, key),
        Some(value),
        "[{section}] {key} of the step at line {line}: settings={:?}",
        s.action.settings()
    );
}

#[track_caller]
fn content_has(p: &Plan, line: usize, needle: &str) {
    let s = at(p, line);
    let c = s.action.content().unwrap_or("");
    assert!(
        c.contains(needle),
        "content of the step at line {line} should contain {needle:?}: {}",
        describe(s)
    );
}

#[track_caller]
fn later(p: &Plan, before: usize, after: usize) {
    let (a, b) = (at(p, before), at(p, after));
    assert!(
        a.phase < b.phase,
        "step at line {after} (phase {}) must come in a later phase than the step at line {before} (phase {})",
        b.phase,
        a.phase
    );
}

fn var<'a>(p: &'a Plan, name: &str) -> Option<&'a runbook::model::Variable> {
    p.variables.iter().find(|v| v.name == name)
}

/// Selected steps on `node` of kind `k` whose path is `path`.
fn edits_on<'a>(p: &'a Plan, node: &str, k: Kind, path: &str) -> Vec<&'a Step> {
    p.steps
        .iter()
        .filter(|s| s.selected() && s.kind() == k && s.path() == Some(path))
        .filter(|s| s.nodes.iter().any(|n| n == node))
        .collect()
}

fn corpus_guides() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(shared("corpus"))
        .expect("../shared/corpus exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Invariants on every guide

#[test]
fn every_corpus_guide_compiles_into_a_well_formed_plan() {
    let guides = corpus_guides();
    assert_eq!(guides.len(), 22, "the corpus holds 22 guides: {guides:?}");
    let mut problems = Vec::new();
    for g in guides
        .iter()
        .chain([shared("seeds/openstack-install-guide.md")].iter())
    {
        let name = g.file_name().unwrap().to_string_lossy().to_string();
        let path = g.clone();
        let res = std::panic::catch_unwind(move || runbook::compile(&path));
        let plan = match res {
            Err(_) => {
                problems.push(format!("{name}: panicked"));
                continue;
            }
            Ok(Err(e)) => {
                problems.push(format!("{name}: error {e:#}"));
                continue;
            }
            Ok(Ok(c)) => c.plan,
        };
        if plan.nodes.is_empty() {
            problems.push(format!("{name}: no nodes"));
        }
        if plan.steps.is_empty() {
            problems.push(format!("{name}: no steps"));
        }
        let known = all_nodes(&plan);
        let mut ids = BTreeSet::new();
        let mut last_phase = 0;
        for s in &plan.steps {
            if s.nodes.is_empty() {
                problems.push(format!("{name}:{}: step with no node", s.source.line));
            }
            for n in &s.nodes {
                if !known.contains(n.as_str()) {
                    problems.push(format!(
                        "{name}:{}: node {n} not in plan.nodes",
                        s.source.line
                    ));
                }
            }
            let id_ok = !s.id.is_empty()
                && s.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !id_ok {
                problems.push(format!("{name}:{}: bad id {:?}", s.source.line, s.id));
            }
            if !ids.insert(s.id.clone()) {
                problems.push(format!("{name}:{}: duplicate id {}", s.source.line, s.id));
            }
            if s.phase < 1 || s.phase < last_phase {
                problems.push(format!(
                    "{name}:{}: phase {} after phase {last_phase}",
                    s.source.line, s.phase
                ));
            }
            last_phase = s.phase;
            if s.phase > plan.phases {
                problems.push(format!(
                    "{name}:{}: phase {} > plan.phases",
                    s.source.line, s.phase
                ));
            }
            if s.source.line > s.end_line {
                problems.push(format!(
                    "{name}:{}: end_line {} before line",
                    s.source.line, s.end_line
                ));
            }
            if matches!(s.kind(), Kind::File | Kind::Ini | Kind::Lines) {
                match &s.path() {
                    None => problems.push(format!(
                        "{name}:{}: {:?} step without path",
                        s.source.line,
                        s.kind()
                    )),
                    Some(p)
                        if !(p.starts_with('/') || p.starts_with('~') || p.starts_with("${")) =>
                    {
                        // relative paths are reported by the gap tests, not here
                    }
                    Some(_) => {}
                }
            }
            if s.kind() == Kind::Ini && s.action.settings().is_empty() {
                problems.push(format!(
                    "{name}:{}: ini step without settings",
                    s.source.line
                ));
            }
            if s.kind() == Kind::Lines
                && s.action.lines().is_empty()
                && s.action.comment_out().is_empty()
            {
                problems.push(format!(
                    "{name}:{}: lines step without lines",
                    s.source.line
                ));
            }
            if s.kind() == Kind::File && s.action.content().is_none() {
                problems.push(format!(
                    "{name}:{}: file step without content",
                    s.source.line
                ));
            }
        }
        for n in &plan.nodes {
            let ok = !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !ok {
                problems.push(format!("{name}: node name {n:?} is not lowercase ASCII"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The seed

#[test]
fn seed_openstack_install_guide() {
    let p = compile(&shared("seeds/openstack-install-guide.md"));
    assert_eq!(p.nodes, ["controller", "compute"]);

    let hosts: Vec<&Step> = p
        .steps
        .iter()
        .filter(|s| s.path() == Some("/etc/hosts"))
        .collect();
    assert_eq!(hosts.len(), 1, "one /etc/hosts edit");
    let h = hosts[0];
    assert_eq!(h.kind(), Kind::Lines);
    assert_eq!(node_set(h), BTreeSet::from(["controller", "compute"]));
    let ls = h.action.lines().to_vec();
    let norm: Vec<String> = ls
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(norm.contains(&"10.0.0.11 controller".to_string()), "{ls:?}");
    assert!(norm.contains(&"10.0.0.31 compute".to_string()), "{ls:?}");
    assert!(
        !ls.iter().any(|l| l.trim_start().starts_with('#')),
        "comments are not host entries: {ls:?}"
    );

    let ifcfg: Vec<&Step> = p
        .steps
        .iter()
        .filter(|s| s.path().is_some_and(|x| x.contains("ifcfg-")))
        .collect();
    assert_eq!(ifcfg.len(), 1, "one ifcfg edit");
    let i = ifcfg[0];
    assert_eq!(i.kind(), Kind::Lines);
    assert_eq!(node_set(i), BTreeSet::from(["controller", "compute"]));
    assert_eq!(
        i.path(),
        Some("/etc/sysconfig/network-scripts/ifcfg-${INTERFACE_NAME}")
    );
    assert!(i.variables.iter().any(|v| v == "INTERFACE_NAME"));
    assert!(
        var(&p, "INTERFACE_NAME").is_some(),
        "INTERFACE_NAME is a plan variable"
    );
    let il = i.action.lines().to_vec();
    for want in ["TYPE=Ethernet", "ONBOOT=yes", "BOOTPROTO=none"] {
        assert!(il.iter().any(|l| l == want), "{want} in {il:?}");
    }
    // The ifcfg edit comes before /etc/hosts, as in the guide.
    assert!(i.source.line < h.source.line);
}

// ---------------------------------------------------------------------------------------------
// ry7791-packstack-controller.md: one packstack all-in-one controller, `# ` root prompts,
// `//` comments, output lines under `chronyc sources`, line-numbered answer-file edits.

const RY_CTRL: &str = "ry7791-packstack-controller.md";

#[test]
fn ry7791_packstack_controller() {
    let p = guide(RY_CTRL);
    assert_eq!(p.nodes, ["controller"]);
    kind(&p, 6, Kind::Verify);
    run_has(&p, 6, "yum repolist");
    kind(&p, 12, Kind::Command);
    run_has(&p, 12, "yum update -y");
    kind(&p, 20, Kind::Command);
    run_has(&p, 20, "systemctl stop firewalld");
    run_has(&p, 23, "systemctl stop NetworkManager");
    run_lacks(&p, 20, "//");
    run_lacks(&p, 20, "# systemctl");
    kind(&p, 45, Kind::Lines);
    path_is(&p, 45, "/etc/selinux/config");
    has_line(&p, 45, "SELINUX=disabled");
    run_has(&p, 59, "yum install chrony -y");
    kind(&p, 67, Kind::Lines);
    path_is(&p, 67, "/etc/chrony.conf");
    has_line(&p, 67, "allow 10.0.0.0/24");
    assert!(at(&p, 64)
        .action
        .comment_out()
        .iter()
        .any(|l| l.trim() == "server 0.centos.pool.ntp.org iburst"));
    kind(&p, 79, Kind::Verify);
    no_run_has(&p, "Number of sources");
    no_run_has(&p, "127.127.1.0                   0");
    kind(&p, 110, Kind::Lines);
    path_is(&p, 110, "/root/openstack.txt");
    has_line(&p, 109, "CONFIG_KEYSTONE_ADMIN_PW=abc123");
    has_line(&p, 114, "CONFIG_NEUTRON_OVS_BRIDGE_IFACES=br-ex:ens33");
    kind(&p, 117, Kind::Command);
    assert_eq!(
        at(&p, 117).run.trim(),
        "time packstack --answer-file=/root/openstack.txt"
    );
    run_has(&p, 104, "yum install -y openstack-packstack");
}

#[test]
#[ignore = "extractor bug: file comments read as lines to comment out; tab indent kept; npdate line dropped"]
fn ry7791_packstack_controller_known_gaps() {
    let p = guide(RY_CTRL);
    // `#     targeted - Targeted processes are protected,` is a comment of the file, not a
    // setting the author disabled.
    assert!(
        at(&p, 45).action.comment_out().is_empty(),
        "{:?}",
        at(&p, 45).action.comment_out()
    );
    // The chrony.conf lines are indented with a tab only to set them off in the block.
    let ls = at(&p, 67).action.lines().to_vec();
    assert!(ls.iter().all(|l| !l.starts_with('\t')), "{ls:?}");
    // `# npdate time.nuri.net` (line 75) is silently dropped from the block.
    let s = at(&p, 75);
    assert!(
        s.run.contains("npdate") || s.kind() == Kind::Manual,
        "{}",
        describe(s)
    );
}

// ---------------------------------------------------------------------------------------------
// ppojin-packstack.md: a single CentOS machine, `$ ` prompts, `$ vi file` with the content in
// the same block, command output under prompts.

const PPOJIN: &str = "ppojin-packstack.md";

#[test]
fn ppojin_packstack() {
    let p = guide(PPOJIN);
    assert_eq!(p.nodes.len(), 1, "one machine: {:?}", p.nodes);
    kind(&p, 32, Kind::Verify);
    kind(&p, 33, Kind::Command);
    run_has(&p, 33, "yum upgrade -y");
    kind(&p, 34, Kind::Manual);
    run_has(&p, 34, "reboot");
    run_has(&p, 40, "systemctl stop firewalld");
    run_has(&p, 53, "setenforce 0");
    run_lacks(&p, 53, "$ ");
    kind(&p, 63, Kind::Lines);
    path_is(&p, 63, "/etc/sysconfig/selinux");
    has_line(&p, 63, "SELINUX=permissive");
    kind(&p, 72, Kind::Verify);
    no_run_has(&p, "SELinux status:");
    no_run_has(&p, "Permissive\n");
    run_has(&p, 91, "yum install -y ntpdate chrony");
    kind(&p, 102, Kind::Lines);
    path_is(&p, 102, "/etc/chrony.conf");
    has_line(&p, 106, "allow 10.0.0.0/24");
    run_has(&p, 110, "ntpdate 2.kr.pool.ntp.org");
    no_run_has(&p, "adjust time server");
    kind(&p, 114, Kind::Verify);
    kind(&p, 128, Kind::Lines);
    path_is(&p, 128, "/etc/hosts");
    has_line(&p, 128, "10.0.0.100 controller");
    has_line(&p, 129, "10.0.0.101 compute1");
    kind(&p, 165, Kind::Lines);
    path_is(&p, 165, "/root/openstack.txt");
    has_line(&p, 165, "CONFIG_KEYSTONE_ADMIN_PW=abc123");
    no_run_has(&p, "Packstack changed given value");
    run_has(&p, 179, "packstack --answer-file /root/openstack.txt");
    no_run_has(&p, "openstack-nova-api:");
}

/// Once known gaps, now held: the machine's name and the read-only checks.
#[test]
fn ppojin_packstack_one_machine_and_its_checks() {
    let p = guide(PPOJIN);
    // "네트워크 설정" is "network settings", not a network node; /etc/hosts calls the machine
    // `controller` (packstack all-in-one).
    assert_eq!(p.nodes, ["controller"]);
    kind(&p, 16, Kind::Verify); // lscpu
    kind(&p, 189, Kind::Verify); // openstack-status
    assert!(
        at(&p, 63).action.comment_out().is_empty(),
        "{:?}",
        at(&p, 63).action.comment_out()
    );
}

// ---------------------------------------------------------------------------------------------
// colorfulvox-kubernetes.md: no fences, `> cmd<br>` blockquotes, GUI screenshots, a master and
// two worker VMs cloned from it; "(10) 쿠버네티스 구성 - master에서만 실행".

const COLORFUL: &str = "colorfulvox-kubernetes.md";

#[test]
fn colorfulvox_kubernetes() {
    let p = guide(COLORFUL);
    assert!(p.nodes.iter().any(|n| n == "master"), "{:?}", p.nodes);
    assert_eq!(p.nodes.len(), 2, "master and the workers: {:?}", p.nodes);
    kind(&p, 98, Kind::Command);
    run_has(&p, 98, "apt-get install -y openssh-server curl vim tree");
    on_all(&p, 181);
    run_has(&p, 181, "swapoff -a");
    on_all(&p, 194);
    run_has(&p, 194, "modprobe br_netfilter");
    on_all(&p, 241);
    run_has(&p, 241, "apt-get install -y kubelet kubeadm kubectl");
    on_all(&p, 247);
    run_has(&p, 236, "/etc/apt/sources.list.d/kubernetes.list");
    kind(&p, 302, Kind::Verify);
    kind(&p, 336, Kind::Verify);
    on(&p, 336, &["master"]);
    assert!(
        !nodes(at(&p, 322)).contains(&"master"),
        "the join-error fix runs on the workers"
    );
    run_has(&p, 322, "systemctl restart containerd");
    no_run_has(&p, "<br>");
    no_run_has(&p, "\n> ");
    for s in &p.steps {
        assert!(
            !s.run.starts_with("> "),
            "blockquote marker left: {}",
            describe(s)
        );
    }
    // The `cat \<\<EOF > /etc/sysctl.d/k8s.conf` heredoc (lines 204-207) is a file on every node.
    let k8s: Vec<&Step> = p
        .steps
        .iter()
        .filter(|s| s.path() == Some("/etc/sysctl.d/k8s.conf"))
        .collect();
    assert_eq!(k8s.len(), 1, "the k8s.conf heredoc is one step");
    assert_eq!(node_set(k8s[0]), all_nodes(&p));
    // `sudo vi /etc/hostname` + "master.example.com 으로 입력" is a file edit on master.
    assert!(
        p.steps.iter().any(|s| s.path() == Some("/etc/hostname")),
        "/etc/hostname edit missing"
    );
    // `ssh master@127.0.0.1 -p 104` is typed on the operator's PC, not on a node.
    let s = try_at(&p, 106);
    assert!(
        s.is_none_or(|s| s.kind() == Kind::Manual),
        "{:?}",
        s.map(describe)
    );
    // GUI-only steps (VirtualBox network, IPv4 settings, cloning) are manual.
    assert!(
        p.steps.iter().any(|s| s.kind() == Kind::Manual),
        "no manual step at all"
    );
}

#[test]
#[ignore = "extractor bug: `master에서만 실행` not applied to the sibling headings that follow it; `cat token.txt` on worker; `cat > token.txt` run unattended"]
fn colorfulvox_kubernetes_known_gaps() {
    let p = guide(COLORFUL);
    // Section (10) "master에서만 실행": kubeadm init, kubeconfig, weave and the token file are on
    // master only (its sub-parts are written as sibling `###` headings).
    on(&p, 266, &["master"]);
    on(&p, 273, &["master"]);
    on(&p, 286, &["master"]);
    on(&p, 297, &["master"]);
    on(&p, 302, &["master"]);
    // `cat token.txt` reads the token saved on master.
    on(&p, 311, &["master"]);
    // `cat > token.txt` then pasting the token is interactive.
    let s = at(&p, 289);
    assert!(
        s.kind() == Kind::Manual || !s.run.contains("cat > token.txt"),
        "{}",
        describe(s)
    );
}

// ---------------------------------------------------------------------------------------------
// ry7791-remaining-services.md: one long fence in which the author switches machines with bare
// words ("Compute node 추가", "controller", "compute node에서") and `[root@host]#` prompts;
// shell-history numbers; line-numbered config.

const RY_REST: &str = "ry7791-remaining-services.md";

#[test]
fn ry7791_remaining_services() {
    let p = guide(RY_REST);
    assert!(p.nodes.iter().any(|n| n == "controller"), "{:?}", p.nodes);
    assert!(p.nodes.iter().any(|n| n == "compute"), "{:?}", p.nodes);
    on(&p, 33, &["compute"]);
    run_has(&p, 33, "cp nova.conf nova.conf.old");
    run_has(
        &p,
        34,
        "scp controller:/etc/nova/nova.conf /etc/nova/nova.conf",
    );
    run_lacks(&p, 33, "[root@compute1");
    on(&p, 79, &["compute"]);
    run_has(&p, 80, "systemctl start openstack-nova-compute");
    on(&p, 157, &["compute"]);
    run_has(
        &p,
        157,
        "yum install -y openstack-neutron-linuxbridge ebtables ipset",
    );
    on(&p, 165, &["compute"]);
    run_lacks(&p, 165, "//");
    kind(&p, 175, Kind::Ini);
    path_is(&p, 175, "/etc/neutron/plugins/ml2/linuxbridge_agent.ini");
    on(&p, 175, &["compute"]);
    on(&p, 189, &["compute"]);
    run_has(
        &p,
        198,
        "systemctl enable neutron-linuxbridge-agent.service",
    );
    run_lacks(&p, 199, "//");
    no_run_has(&p, "Found 2 cell mappings");
    no_run_has(&p, "| nova-compute |");
    no_run_has(&p, "br_netfilter           22256");
    run_has(&p, 238, "openstack server create --flavor m1.nano");
    run_has(&p, 240, "--key-name mykey selfservice-instance");
    run_has(&p, 216, "openstack network create selfservice");
    run_lacks(&p, 216, "218  openstack");
    run_has(&p, 277, "cinder create --name demo-v1 1");
    run_lacks(&p, 277, "264  cinder");
}

#[test]
#[ignore = "extractor bug: bare-word node switches and `[root@controller]#` prompts ignored inside one fence; most of the first block dropped; line-numbered ini keys"]
fn ry7791_remaining_services_known_gaps() {
    let p = guide(RY_REST);
    // packstack all-in-one controller plus compute1; "Network Service (NEUTRON)" is a heading,
    // not a node.
    assert_eq!(p.nodes, ["controller", "compute"]);
    // `[root@controller ~(keystone_admin)]#` prompts: controller.
    on(&p, 85, &["controller"]);
    on(&p, 92, &["controller"]);
    on(&p, 200, &["controller"]);
    // The first lines of the block edit the controller's nova.conf ([DEFAULT] my_ip 10.0.0.11).
    kind(&p, 9, Kind::Ini);
    path_is(&p, 9, "/etc/nova/nova.conf");
    on(&p, 9, &["controller"]);
    // "Compute node 추가": hostname, ifcfg, packages on compute.
    run_has(&p, 26, "hostnamectl set-hostname compute1");
    on(&p, 26, &["compute"]);
    kind(&p, 30, Kind::Lines);
    has_line(&p, 30, "IPADDR=10.0.0.101");
    run_has(&p, 54, "openstack-nova-compute");
    on(&p, 54, &["compute"]);
    // bare line among `# ` prompts is still a command
    run_has(&p, 42, "systemctl start openstack-nova-compute.service");
    // "controller" then the iptables edit
    path_is(&p, 70, "/etc/sysconfig/iptables");
    on(&p, 70, &["controller"]);
    // line numbers ("158 ", "214: ", "182 [securitygroup]") are not part of keys
    ini_has(
        &p,
        175,
        "linux_bridge",
        "physical_interface_mappings",
        "provider:ens33",
    );
    ini_has(&p, 178, "vxlan", "local_ip", "10.0.0.101");
    ini_has(&p, 182, "securitygroup", "enable_security_group", "true");
    // The CLI instance launch runs once, on the controller (keystonerc_demo lives there).
    on(&p, 218, &["controller"]);
    on(&p, 277, &["controller"]);
    // `virsh console 1 ( disconnect는 ^] )` is interactive prose, not a command.
    for s in p.steps.iter().filter(|s| s.kind() == Kind::Command) {
        assert!(!s.run.contains("virsh console"), "{}", describe(s));
    }
}

// ---------------------------------------------------------------------------------------------
// revenge1005-openstack-base.md: "(모든 노드 해당)", "(Controller Node)",
// "(Compute, Network Node)" headings, `vim file` and the content in one block, heredocs.

const REV_BASE: &str = "revenge1005-openstack-base.md";

#[test]
fn revenge1005_openstack_base() {
    let p = guide(REV_BASE);
    assert_eq!(p.nodes, ["controller", "compute", "network"]);
    on_all(&p, 5);
    run_has(&p, 5, "sed -i '/127.0.1.1/d' /etc/hosts");
    kind(&p, 10, Kind::Lines);
    path_is(&p, 10, "/etc/hosts");
    on_all(&p, 10);
    has_line(&p, 11, "192.168.56.120  compute");
    has_line(&p, 12, "192.168.56.130  network");
    on_all(&p, 15);
    on_all(&p, 21);
    on(&p, 32, &["controller"]);
    kind(&p, 45, Kind::Lines);
    path_is(&p, 45, "/etc/chrony/chrony.conf");
    on(&p, 45, &["controller"]);
    has_line(&p, 50, "allow 192.168.56/24");
    assert!(at(&p, 39)
        .action
        .comment_out()
        .iter()
        .any(|l| l.starts_with("pool ntp.ubuntu.com")));
    kind(&p, 57, Kind::Verify);
    on(&p, 63, &["compute", "network"]);
    on(&p, 75, &["compute", "network"]);
    has_line(&p, 75, "server controller iburst");
    on_all(&p, 94);
    on_all(&p, 102);
    on(&p, 111, &["controller"]);
    path_is(&p, 118, "/etc/mysql/mariadb.conf.d/99-openstack.cnf");
    on(&p, 151, &["controller"]);
    assert!(var(&p, "RABBIT_PASS").is_some_and(|v| v.secret));
    assert!(at(&p, 151).variables.iter().any(|v| v == "RABBIT_PASS"));
    path_is(&p, 187, "/etc/memcached.conf");
    on(&p, 187, &["controller"]);
    kind(&p, 215, Kind::Lines);
    path_is(&p, 215, "/etc/default/etcd");
    has_line(&p, 215, "ETCD_NAME=\"controller\"");
    on(&p, 230, &["controller"]);
    later(&p, 57, 63);
    // (4) "Secure the database service by running the mysql_secure_installation script"
    kind(&p, 135, Kind::Manual);
    on(&p, 135, &["controller"]);
}

#[test]
#[ignore = "extractor bug: `[mysqld]` cnf heredoc made `lines`; `lsof` check dropped"]
fn revenge1005_openstack_base_known_gaps() {
    let p = guide(REV_BASE);
    // "Create and edit the ...99-openstack.cnf file": a new file with a [mysqld] section.
    let k = at(&p, 118).kind();
    assert!(matches!(k, Kind::File | Kind::Ini), "{:?}", k);
    // `lsof -i tcp:5672` is a read-only check in the same block as `ps -ef | grep rabbitmq`.
    run_has(&p, 169, "lsof -i tcp:5672");
}

// ---------------------------------------------------------------------------------------------
// revenge1005-openstack-neutron.md: controller, network and compute sections; `vim file` in one
// block and the content in the next; `\$` inside heredocs.

const REV_NEUTRON: &str = "revenge1005-openstack-neutron.md";

#[test]
fn revenge1005_openstack_neutron() {
    let p = guide(REV_NEUTRON);
    assert_eq!(p.nodes, ["controller", "network", "compute"]);
    kind(&p, 12, Kind::Sql);
    on(&p, 12, &["controller"]);
    run_has(&p, 10, "CREATE DATABASE");
    run_lacks(&p, 12, "\nexit");
    on(&p, 23, &["controller"]);
    run_lacks(&p, 23, "NEUTRON_PASS neutron");
    assert!(var(&p, "NEUTRON_PASS").is_some_and(|v| v.secret));
    kind(&p, 40, Kind::Verify);
    kind(&p, 60, Kind::File);
    path_is(&p, 60, "/etc/neutron/neutron.conf");
    on(&p, 60, &["controller"]);
    content_has(&p, 60, "core_plugin = ml2");
    kind(&p, 124, Kind::Ini);
    path_is(&p, 124, "/etc/neutron/plugins/ml2/ml2_conf.ini");
    ini_has(&p, 124, "ml2", "type_drivers", "flat,vlan,gre,vxlan");
    kind(&p, 147, Kind::Ini);
    path_is(&p, 147, "/etc/nova/nova.conf");
    on(&p, 147, &["controller"]);
    ini_has(&p, 161, "neutron", "service_metadata_proxy", "True");
    on(&p, 184, &["network"]);
    run_has(&p, 184, "net.ipv4.ip_forward=1");
    kind(&p, 210, Kind::File);
    on(&p, 210, &["network"]);
    kind(&p, 258, Kind::Ini);
    path_is(&p, 258, "/etc/neutron/dhcp_agent.ini");
    ini_has(&p, 258, "DEFAULT", "interface_driver", "linuxbridge");
    on(&p, 275, &["network"]);
    path_is(&p, 275, "/etc/neutron/metadata_agent.ini");
    kind(&p, 322, Kind::Verify);
    on(&p, 322, &["controller"]);
    on(&p, 332, &["compute"]);
    kind(&p, 355, Kind::File);
    on(&p, 355, &["compute"]);
    ini_has(&p, 416, "DEFAULT", "vif_plugging_timeout", "300");
    on(&p, 416, &["compute"]);
    on(&p, 455, &["controller"]);
    later(&p, 316, 322);
    later(&p, 448, 455);
    // `lock_path = \$state_path/tmp` in an unquoted heredoc writes `$state_path/tmp`.
    content_has(&p, 108, "lock_path = $state_path/tmp");
    assert!(!at(&p, 108).action.content().unwrap_or("").contains("\\$"));
}

#[test]
#[ignore = "extractor bug: second line of 2-line blocks (`chgrp`) dropped; `#line16` snippet as lines; local_ip under [securitygroup]"]
fn revenge1005_openstack_neutron_known_gaps() {
    let p = guide(REV_NEUTRON);
    // `chmod 640` then `chgrp neutron` (lines 112-113, 236-237, 380-381): both run.
    run_has(&p, 113, "chgrp neutron /etc/neutron/neutron.conf");
    run_has(&p, 237, "chgrp neutron /etc/neutron/neutron.conf");
    // `#line16` + `interface_driver = linuxbridge`: a [DEFAULT] setting of l3_agent.ini, not a
    // line appended at the end of the file (which ends in another section).
    kind(&p, 247, Kind::Ini);
    ini_has(&p, 247, "DEFAULT", "interface_driver", "linuxbridge");
    // `# line 284:` local_ip belongs to [vxlan] of linuxbridge_agent.ini.
    ini_has(&p, 311, "vxlan", "local_ip", "192.168.219.130");
}

// ---------------------------------------------------------------------------------------------
// ssup2-kubernetes-kubeadm.md: `(All)#`, `(Master)#`, `(Worker)#`, Jekyll captions after the
// block, alternatives (Calico / Flannel / Cilium).

const KUBEADM: &str = "ssup2-kubernetes-kubeadm.md";

#[test]
fn ssup2_kubernetes_kubeadm() {
    let p = guide(KUBEADM);
    assert_eq!(p.nodes, ["master", "worker"]);
    kind(&p, 49, Kind::File);
    path_is(&p, 49, "/etc/netplan/50-cloud-init.yaml");
    on(&p, 49, &["master"]);
    content_has(&p, 49, "192.168.0.150/24");
    on_all(&p, 106);
    run_has(&p, 107, "apt-get install -y docker.io");
    run_lacks(&p, 107, "(All)#");
    on_all(&p, 116);
    on(&p, 132, &["master"]);
    run_has(
        &p,
        132,
        "kubeadm init --apiserver-advertise-address=10.0.0.10",
    );
    run_lacks(&p, 132, "kubeadm join");
    on(&p, 166, &["master"]);
    on(&p, 174, &["master"]);
    on(&p, 197, &["worker"]);
    run_has(&p, 197, "kubeadm join 10.0.0.10:6443");
    later(&p, 132, 197);
    kind(&p, 205, Kind::Verify);
    on(&p, 205, &["master"]);
    no_run_has(&p, "NotReady");
    later(&p, 197, 205);
    on(&p, 291, &["worker"]);
    on(&p, 302, &["master"]);
    on(&p, 352, &["master"]);
    run_has(&p, 352, "kubectl create -f ~/dashboard-admin.yaml");
}

#[test]
#[ignore = "extractor bug: unmarked alternatives all run; per-host netplan files all written on every worker; ~/.bashrc snippet run as a command; `...` snippet written as whole file; caption files missing"]
fn ssup2_kubernetes_kubeadm_known_gaps() {
    let p = guide(KUBEADM);
    // Calico / Flannel / Cilium are alternatives: kubeadm init runs once.
    let inits = p
        .steps
        .iter()
        .filter(|s| s.selected() && s.run.contains("kubeadm init"))
        .count();
    assert_eq!(inits, 1, "kubeadm init runs once");
    // [파일 2] Worker Node 01 and [파일 3] Worker Node 02 carry different addresses: one host
    // each, never both files on the same machine.
    let netplans = edits_on(&p, "worker", Kind::File, "/etc/netplan/50-cloud-init.yaml");
    assert!(
        netplans.len() <= 1,
        "{} netplan files on each worker",
        netplans.len()
    );
    // [파일 4] Master Node - ~/.bashrc, "~/.bashrc에 [파일 4]의 내용을 추가한다".
    kind(&p, 180, Kind::Lines);
    assert!(at(&p, 180).path().is_some_and(|x| x.ends_with(".bashrc")));
    // [파일 6] starts and ends with `...`: a partial edit, never a whole-file write.
    assert_ne!(at(&p, 313).kind(), Kind::File, "{}", describe(at(&p, 313)));
    // [파일 7] ~/dashboard-admin.yaml is created before `kubectl create -f` uses it.
    kind(&p, 335, Kind::File);
    assert!(at(&p, 335)
        .path()
        .is_some_and(|x| x.ends_with("dashboard-admin.yaml")));
    // [파일 5] cilium.yaml partial edit: at least shown as a manual step on master.
    kind(&p, 260, Kind::Manual);
}

// ---------------------------------------------------------------------------------------------
// ssup2-ceph-deploy.md: `(Ceph)#` on the three Ceph nodes, `(Deploy)#` then `(Deploy)$` after
// `login cephdeploy`, interactive `passwd` and `ssh-keygen`, captions after the block.

const CEPH: &str = "ssup2-ceph-deploy.md";

#[test]
fn ssup2_ceph_deploy() {
    let p = guide(CEPH);
    assert!(p.nodes.iter().any(|n| n == "deploy"), "{:?}", p.nodes);
    assert!(p.nodes.iter().any(|n| n == "ceph"), "{:?}", p.nodes);
    on(&p, 96, &["ceph"]);
    run_has(&p, 96, "apt install -y ntp");
    run_has(&p, 103, "useradd -d /home/cephnode -m cephnode");
    kind(&p, 104, Kind::Manual);
    run_has(&p, 104, "passwd cephnode");
    no_run_has(&p, "Enter new UNIX password");
    no_run_has(&p, "passwd: password updated");
    on(&p, 110, &["ceph"]);
    kind(&p, 120, Kind::Lines);
    path_is(&p, 120, "/etc/hosts");
    on(&p, 120, &["deploy"]);
    has_line(&p, 121, "10.0.0.20 node02");
    assert!(!at(&p, 120)
        .action
        .lines()
        .to_vec()
        .iter()
        .any(|l| l.trim() == "..."));
    on(&p, 135, &["deploy"]);
    run_has(&p, 135, "apt install -y ceph-deploy");
    kind(&p, 156, Kind::Manual);
    on(&p, 156, &["deploy"]);
    no_run_has(&p, "Generating public/private rsa key pair");
    path_is(&p, 175, "/home/cephdeploy/.ssh/config");
    on(&p, 213, &["deploy"]);
    run_has(&p, 218, "ceph-deploy osd create --data /dev/sdb node01");
    kind(&p, 244, Kind::Verify);
    no_run_has(&p, "HEALTH_OK");
    later(&p, 110, 213);
    later(&p, 213, 244);
    on(&p, 267, &["ceph"]);
    no_run_has(&p, "/dev/rbd0");
    // [파일 5] ~/.ssh/config: three `User cephnode` lines, one per Host block.
    let s = at(&p, 175);
    let users = match s.kind() {
        Kind::File => s
            .action
            .content()
            .unwrap_or("")
            .matches("User cephnode")
            .count(),
        _ => s
            .action
            .lines()
            .to_vec()
            .iter()
            .filter(|l| l.trim() == "User cephnode")
            .count(),
    };
    assert_eq!(users, 3, "{}", describe(s));
    // "/root/admin.secret 파일을 생성한다": a new file.
    kind(&p, 304, Kind::File);
    // The passwd step belongs to "cephnode User를 생성한다." (the caption after its block).
    assert!(
        at(&p, 104).title.contains("cephnode"),
        "{}",
        at(&p, 104).title
    );
}

#[test]
#[ignore = "extractor bug: per-host netplan files on every ceph node; `login cephdeploy` run as a command"]
fn ssup2_ceph_deploy_known_gaps() {
    let p = guide(CEPH);
    // [파일 1..3] Node 01/02/03 netplan files carry different addresses.
    let netplans = edits_on(&p, "ceph", Kind::File, "/etc/netplan/50-cloud-init.yaml");
    assert!(
        netplans.len() <= 1,
        "{} netplan files on every ceph node",
        netplans.len()
    );
    // `login cephdeploy` switches user (the following `(Deploy)$` lines run as cephdeploy);
    // it is not a command to run unattended.
    for st in &p.steps {
        assert!(
            !(st.kind() == Kind::Command && st.run.lines().any(|l| l.trim() == "login cephdeploy")),
            "{}",
            describe(st)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// nasa1515-kubernetes.md: nodes named in prose, `[user@nasa-master ~]$` prompts with host names,
// long output under prompts, a wrapped `kubeadm join` line.

const NASA: &str = "nasa1515-kubernetes.md";

#[test]
fn nasa1515_kubernetes() {
    let p = guide(NASA);
    assert!(p.nodes.iter().any(|n| n == "master"), "{:?}", p.nodes);
    assert!(p.nodes.iter().any(|n| n == "worker"), "{:?}", p.nodes);
    assert_eq!(p.nodes.len(), 2, "{:?}", p.nodes);
    assert!(nodes(at(&p, 149)).contains(&"master"));
    run_has(&p, 151, "sed -e '/swap/ s/^#*/#/' -i /etc/fstab");
    kind(&p, 181, Kind::File);
    path_is(&p, 181, "/etc/sysctl.d/k8s.conf");
    kind(&p, 320, Kind::File);
    path_is(&p, 320, "/etc/yum.repos.d/kubernetes.repo");
    on_all(&p, 320);
    on_all(&p, 359);
    on(&p, 370, &["master"]);
    on(&p, 386, &["master"]);
    run_has(&p, 386, "kubeadm init");
    no_run_has(&p, "[preflight]");
    no_run_has(&p, "Your Kubernetes control-plane");
    assert!(nodes(at(&p, 204)).contains(&"worker"));
    run_has(&p, 204, "hostnamectl set-hostname nasa-node3");
    run_lacks(&p, 204, "[h43254@");
    kind(&p, 232, Kind::Manual);
    on(&p, 232, &["master"]);
    no_run_has(&p, "randomart");
    on(&p, 450, &["worker"]);
    later(&p, 386, 450);
    on(&p, 486, &["master"]);
    no_run_has(&p, "serviceaccount/weave-net created");
    kind(&p, 500, Kind::Verify);
    on(&p, 500, &["master"]);
    no_run_has(&p, "nasa-node1    Ready");
    on(&p, 567, &["master"]);
    run_has(&p, 578, "kubectl logs nasa-pod");
}

#[test]
#[ignore = "extractor bug: '사전 작업은 master, node1, node2 모두 동일하게' not applied; bare prompt lines become commands; wrapped join lost; pod-test.yaml missing"]
fn nasa1515_kubernetes_known_gaps() {
    let p = guide(NASA);
    // "사전 작업은 master, node1, node2 모두 동일하게 진행합니다": every node.
    for line in [149, 163, 171, 181, 184, 192] {
        on_all(&p, line);
    }
    // kubeconfig for the control plane: master only (admin.conf exists only there).
    on(&p, 421, &["master"]);
    // A prompt with nothing after it is not a command.
    for s in &p.steps {
        let t = s.run.trim_start();
        assert!(
            !t.starts_with("[h43254@") && !t.starts_with("[root@"),
            "{}",
            describe(s)
        );
    }
    // The join command is wrapped over lines 450-452 (or it is a manual copy of init's output).
    let s = at(&p, 450);
    assert!(
        s.kind() == Kind::Manual
            || s.run
                .contains("discovery-token-ca-cert-hash sha256:00f7773e"),
        "{}",
        describe(s)
    );
    // "/etc/hosts에 각 노드 등록" on MASTER: the hosts entries, not a `cat`.
    kind(&p, 219, Kind::Lines);
    path_is(&p, 219, "/etc/hosts");
    on(&p, 219, &["master"]);
    // "아래 pod-test.yaml 파일을 생성" before `kubectl apply -f pod-test.yaml`.
    kind(&p, 550, Kind::File);
    assert!(at(&p, 550)
        .path()
        .is_some_and(|x| x.ends_with("pod-test.yaml")));
    // `yum update && yum install docker-ce-...`: the install must not prompt.
    run_has(&p, 352, "yum install -y docker-ce-18.06.2.ce");
    // Inline code in an explanation ("``swapoff -a``: paging 과 swap 기능을 끕니다") is not a step.
    assert!(
        try_at(&p, 154).is_none(),
        "{:?}",
        try_at(&p, 154).map(describe)
    );
    // "SSH 버튼을 눌러서 nasa-master에 접속해 ssh-keygen" is on master only.
    assert!(!nodes(at(&p, 227)).contains(&"worker"));
}

// ---------------------------------------------------------------------------------------------
// ssup2-openstack-stein-kolla.md: Node01 = controller + network + ceph, Node02/03 = compute +
// ceph, Node09 = monitoring + registry + deploy; role labels in prompts; captions after blocks.

const KOLLA: &str = "ssup2-openstack-stein-kolla.md";

#[test]
fn ssup2_openstack_stein_kolla() {
    let p = guide(KOLLA);
    kind(&p, 62, Kind::File);
    path_is(&p, 62, "/etc/netplan/50-cloud-init.yaml");
    assert_eq!(
        at(&p, 62).nodes.len(),
        1,
        "[파일 1] is Node01's: {}",
        describe(at(&p, 62))
    );
    assert!(!nodes(at(&p, 62)).contains(&"deploy"));
    on(&p, 159, &["deploy"]);
    run_has(&p, 163, "pip install kolla==8.0.0 kolla-ansible==8.0.0");
    no_run_has(&p, "(Deploy)#");
    no_run_has(&p, "(All Node)#");
    on_all(&p, 189);
    run_has(&p, 190, "apt-get remove -y --purge netplan.io");
    kind(&p, 200, Kind::Manual);
    on(&p, 200, &["deploy"]);
    no_run_has(&p, "randomart");
    kind(&p, 226, Kind::Manual);
    on(&p, 226, &["deploy"]);
    kind(&p, 329, Kind::File);
    path_is(&p, 329, "/etc/kolla/passwords.yml");
    on(&p, 329, &["deploy"]);
    on(&p, 634, &["deploy"]);
    on_all(&p, 664);
    assert_eq!(at(&p, 672).nodes.len(), 1, "{}", describe(at(&p, 672)));
    assert!(!nodes(at(&p, 672)).contains(&"deploy"));
    run_has(&p, 675, "./bin/create_certificates.sh");
    on(&p, 710, &["deploy"]);
    run_has(&p, 711, "kolla-ansible -i ~/kolla-ansible/multinode deploy");
    later(&p, 634, 710);
    kind(&p, 746, Kind::Verify);
    kind(&p, 872, Kind::Manual);
    run_has(&p, 872, "reboot");
    kind(&p, 891, Kind::Verify);
    no_run_has(&p, "ansible.log  ceph");
    // [파일 11] shows the admin-openrc.sh that post-deploy generated: not commands on every node.
    if let Some(s) = try_at(&p, 727) {
        assert!(
            s.kind() != Kind::Command && !nodes(s).contains(&"ceph"),
            "{}",
            describe(s)
        );
    }
}

#[test]
#[ignore = "extractor bug: captions after blocks attached to the next block (hosts->authorized_keys, ansible.cfg->/etc/hosts, globals->passwords); per-host netplans everywhere; literal labels as variables"]
fn ssup2_openstack_stein_kolla_known_gaps() {
    let p = guide(KOLLA);
    // [파일 2..4] are Node02's, Node03's and Node09's own files: one machine each, all different.
    let mut seen = BTreeSet::new();
    for line in [62, 88, 111, 134] {
        let s = at(&p, line);
        assert_eq!(s.nodes.len(), 1, "netplan at {line}: {}", describe(s));
        assert!(
            seen.insert(s.nodes[0].clone()),
            "netplan at {line} on an already configured node"
        );
    }
    // [파일 5] Deploy Node - /etc/hosts: host entries on deploy, not ~/.ssh/authorized_keys on all.
    kind(&p, 236, Kind::Lines);
    path_is(&p, 236, "/etc/hosts");
    on(&p, 236, &["deploy"]);
    // [파일 6] Deploy Node - /etc/ansible/ansible.cfg
    path_is(&p, 251, "/etc/ansible/ansible.cfg");
    on(&p, 251, &["deploy"]);
    ini_has(&p, 251, "defaults", "host_key_checking", "False");
    // [파일 7] the multinode inventory is not key=value settings.
    assert_ne!(at(&p, 278).kind(), Kind::Ini, "{}", describe(at(&p, 278)));
    // [파일 9] Deploy Node - /etc/kolla/globals.yml (not passwords.yml, not on every node).
    path_is(&p, 566, "/etc/kolla/globals.yml");
    on(&p, 566, &["deploy"]);
    // [파일 12] globals.yml starts with `...`: a partial edit, never a whole-file write.
    assert_ne!(at(&p, 844).kind(), Kind::File, "{}", describe(at(&p, 844)));
    // KOLLA_CEPH_OSD_BOOTSTRAP_BS is a literal partition label; "ACTIVE_STANDBY" a quoted value.
    assert!(var(&p, "KOLLA_CEPH_OSD_BOOTSTRAP_BS").is_none());
    assert!(var(&p, "ACTIVE_STANDBY").is_none());
    run_has(&p, 687, "mkpart KOLLA_CEPH_OSD_BOOTSTRAP_BS 1 -1");
    // [파일 10] a systemd drop-in: `ExecStart=` (reset) then the new ExecStart, as a file.
    kind(&p, 655, Kind::File);
    content_has(&p, 656, "ExecStart=\n");
    // `(Deploy / chroot)#` lines run inside the image's chroot, not on the deploy node itself.
    let s = at(&p, 790);
    assert!(
        s.kind() == Kind::Manual || s.run.contains("chroot"),
        "{}",
        describe(s)
    );
    // `(Node01)#` is the machine `(Controller)#` / `(Network)#` name: the same node.
    assert_eq!(node_set(at(&p, 891)), node_set(at(&p, 672)));
    assert!(
        !(p.nodes.iter().any(|n| n == "node01") && p.nodes.iter().any(|n| n == "network")),
        "node01 and network are one machine: {:?}",
        p.nodes
    );
}

// ---------------------------------------------------------------------------------------------
// ssup2-openstack-newton-2017a.md: Ubuntu, `~~~` fences for file content, commands as
// `> \# cmd <br>` blockquotes, mysql> sessions, "모든 Node" / Controller / Compute / Storage.

const NEWTON_A: &str = "ssup2-openstack-newton-2017a.md";

#[test]
fn ssup2_openstack_newton_2017a() {
    let p = guide(NEWTON_A);
    assert_eq!(p.nodes, ["controller", "compute", "storage"]);
    kind(&p, 43, Kind::Lines);
    path_is(&p, 43, "/etc/hosts");
    on_all(&p, 43);
    has_line(&p, 46, "10.0.0.31       compute1");
    on_all(&p, 56);
    run_has(&p, 56, "apt install -y software-properties-common");
    no_run_has(&p, "<br>");
    no_run_has(&p, "\\#");
    on(&p, 97, &["controller"]);
    kind(&p, 102, Kind::Lines);
    path_is(&p, 102, "/etc/chrony/chrony.conf");
    on(&p, 102, &["controller"]);
    kind(&p, 124, Kind::File);
    path_is(&p, 124, "/etc/mysql/mariadb.conf.d/99-openstack.cnf");
    run_has(
        &p,
        146,
        "rabbitmqctl set_permissions openstack \".*\" \".*\" \".*\"",
    );
    kind(&p, 166, Kind::File);
    path_is(&p, 166, "/root/admin-openrc");
    path_is(&p, 179, "/root/demo-openrc");
    on(&p, 226, &["compute"]);
    has_line(&p, 226, "server controller iburst");
    on(&p, 271, &["storage"]);
    ini_has(&p, 302, "token", "provider", "fernet");
    has_line(&p, 315, "ServerName controller");
    run_has(&p, 337, "--password \"${DEMO_PASS}\"");
    run_lacks(&p, 337, "--password-prompt");
    assert!(var(&p, "DEMO_PASS").is_some_and(|v| v.secret));
    ini_has(&p, 515, "DEFAULT", "my_ip", "10.0.0.11");
    on(&p, 515, &["controller"]);
    ini_has(&p, 570, "DEFAULT", "my_ip", "10.0.0.31");
    on(&p, 570, &["compute"]);
    path_is(&p, 604, "/etc/nova/nova-compute.conf");
    ini_has(&p, 606, "libvirt", "virt_type", "qemu");
    kind(&p, 618, Kind::Verify);
    on(&p, 618, &["controller"]);
    later(&p, 611, 618);
    ini_has(&p, 713, "vxlan", "local_ip", "10.0.0.11");
    ini_has(&p, 805, "vxlan", "local_ip", "10.0.0.31");
    on(&p, 805, &["compute"]);
    kind(&p, 838, Kind::Verify);
    no_run_has(&p, "| Field");
    no_run_has(&p, "| 38047887");
    // `token issue` checks (3.2 검증, "Controller Node에서 Keystone 동작 확인").
    kind(&p, 345, Kind::Verify);
    kind(&p, 360, Kind::Verify);
    on(&p, 360, &["controller"]);
    // "/etc/network/interfaces을 다음과 같이 수정": the whole file, per node.
    for (line, node) in [(80, "controller"), (204, "compute"), (249, "storage")] {
        kind(&p, line, Kind::File);
        path_is(&p, line, "/etc/network/interfaces");
        on(&p, line, &[node]);
    }
    no_command_has(&p, "dns-nameservers 8.8.8.8");
}

#[test]
#[ignore = "extractor bug: blockquoted `mysql>` sessions dropped; `apt dist-upgrade` without -y; `-->` / `추가` snippets written as whole files; Horizon login not manual"]
fn ssup2_openstack_newton_2017a_known_gaps() {
    let p = guide(NEWTON_A);
    // `> \# mysql -u root -p` then `> mysql> CREATE DATABASE keystone; <br>`: one sql step each.
    for (line, db) in [
        (286, "keystone"),
        (383, "glance"),
        (484, "nova"),
        (627, "neutron"),
    ] {
        kind(&p, line, Kind::Sql);
        on(&p, line, &["controller"]);
        run_has(&p, line, &format!("CREATE DATABASE IF NOT EXISTS {db}"));
    }
    // `apt update && apt dist-upgrade`: the upgrade must not prompt.
    run_has(&p, 61, "apt dist-upgrade -y");
    // local_settings.py "다음과 같이 수정" with `old --> new` pairs: never the literal text as
    // the whole file; "다음의 내용 추가": appended, not a whole-file write.
    assert_ne!(at(&p, 893).kind(), Kind::File, "{}", describe(at(&p, 893)));
    assert_ne!(at(&p, 926).kind(), Kind::File, "{}", describe(at(&p, 926)));
    // 7.2 검증: log in to Horizon with a web browser.
    kind(&p, 941, Kind::Manual);
}

// ---------------------------------------------------------------------------------------------
// ssup2-openstack-newton-ubuntu16.md: the same install rewritten with `(Controller)#` prompts
// (some misspelt `(Contorller)#`), `mysql>` sessions, and Jekyll highlight blocks whose file and
// node are named in a caption AFTER the block ("[파일 N] Controller Node - /path").

const NEWTON_U: &str = "ssup2-openstack-newton-ubuntu16.md";

#[test]
fn ssup2_openstack_newton_ubuntu16() {
    let p = guide(NEWTON_U);
    assert_eq!(p.nodes, ["controller", "compute", "storage"]);
    kind(&p, 45, Kind::Lines);
    path_is(&p, 45, "/etc/hosts");
    on_all(&p, 45);
    on_all(&p, 62);
    no_run_has(&p, "(All)#");
    no_run_has(&p, "(Controller)#");
    no_run_has(&p, "(Contorller)#");
    on(&p, 110, &["controller"]);
    kind(&p, 117, Kind::Lines);
    path_is(&p, 117, "/etc/chrony/chrony.conf");
    assert!(!at(&p, 117)
        .action
        .lines()
        .to_vec()
        .iter()
        .any(|l| l.trim() == "..."));
    on(&p, 176, &["controller"]);
    kind(&p, 345, Kind::Sql);
    on(&p, 345, &["controller"]);
    run_has(&p, 345, "CREATE DATABASE IF NOT EXISTS keystone");
    run_lacks(&p, 348, "exit");
    path_is(&p, 362, "/etc/keystone/keystone.conf");
    ini_has(
        &p,
        362,
        "database",
        "connection",
        "mysql+pymysql://keystone:root@controller/keystone",
    );
    run_has(&p, 414, "--password \"${DEMO_PASS}\"");
    // `(Contorller)#` still means the controller.
    kind(&p, 734, Kind::Verify);
    on(&p, 734, &["controller"]);
    no_run_has(&p, "nova-consoleauth   |");
    kind(&p, 753, Kind::Sql);
    on(&p, 753, &["controller"]);
    on(&p, 779, &["controller"]);
    on(&p, 926, &["controller"]);
    on(&p, 667, &["compute"]);
    later(&p, 725, 734);
    kind(&p, 1018, Kind::Verify);
    on(&p, 1018, &["compute"]);
    on(&p, 1211, &["storage"]);
    ini_has(&p, 1241, "DEFAULT", "my_ip", "10.0.0.41");
    on(&p, 1241, &["storage"]);
    path_is(&p, 1241, "/etc/cinder/cinder.conf");
    kind(&p, 1285, Kind::Verify);
    on(&p, 1285, &["controller"]);
    // [파일 4] Controller Node - /etc/mysql/mariadb.conf.d/99-openstack.cnf
    path_is(&p, 147, "/etc/mysql/mariadb.conf.d/99-openstack.cnf");
    // 3.2 검증 "Controller Node에서 Keystone의 동작 확인한다": controller, read-only.
    kind(&p, 424, Kind::Verify);
    on(&p, 424, &["controller"]);
    on(&p, 438, &["controller"]);
    // [파일 2] Controller Node - /etc/network/interfaces
    kind(&p, 80, Kind::File);
    path_is(&p, 80, "/etc/network/interfaces");
    on(&p, 80, &["controller"]);
    no_command_has(&p, "dns-nameservers 8.8.8.8");
}

#[test]
#[ignore = "extractor bug: a block's file taken from the PREVIOUS block's caption/prose instead of its own caption after it; `...` snippet as whole file; fenced `.\\*` kept"]
fn ssup2_openstack_newton_ubuntu16_known_gaps() {
    let p = guide(NEWTON_U);
    // [파일 6] /root/admin-openrc holds the admin credentials, [파일 7] /root/demo-openrc the demo.
    path_is(&p, 205, "/root/admin-openrc");
    kind(&p, 205, Kind::File);
    path_is(&p, 221, "/root/demo-openrc");
    // [파일 18] Compute Node - /etc/nova/nova-compute.conf
    path_is(&p, 714, "/etc/nova/nova-compute.conf");
    // [파일 20] ml2_conf.ini, [파일 21] linuxbridge_agent.ini (controller)
    path_is(&p, 828, "/etc/neutron/plugins/ml2/ml2_conf.ini");
    path_is(&p, 851, "/etc/neutron/plugins/ml2/linuxbridge_agent.ini");
    // [파일 27] linuxbridge_agent.ini (compute)
    path_is(&p, 972, "/etc/neutron/plugins/ml2/linuxbridge_agent.ini");
    on(&p, 972, &["compute"]);
    // [파일 15]'s content is glance-registry.conf ("/etc/glance/glance-registry.conf에 ... 추가"):
    // never the api file a second time.
    assert_ne!(at(&p, 523).path(), Some("/etc/glance/glance-api.conf"));
    // [파일 29] local_settings.py is full of `...`: not a whole-file write.
    assert_ne!(
        at(&p, 1071).kind(),
        Kind::File,
        "{}",
        describe(at(&p, 1071))
    );
    // `".\*"` copied into a fence from the markdown version means `".*"`.
    run_has(&p, 177, "set_permissions openstack \".*\" \".*\" \".*\"");
}
