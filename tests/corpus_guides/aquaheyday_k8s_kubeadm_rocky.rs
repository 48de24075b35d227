//! `aquaheyday-k8s-kubeadm-rocky.md`: what a careful operator would run where.
//!
//! **Roles.** The spec table gives two roles, `| Master | …` and `| Worker | …`, with host names
//! `k8s-master` and `k8s-worker-1` ("1~n 형태": one or more workers): the nodes are `master` and
//! `worker`.
//!
//! **Where things run.** Emoji `##` headings: "📁 공통 작업 (모든 노드)", "🧭 Master Node 설정",
//! "🚀 Worker Node 설정", "✅ 클러스터 확인 (Master 노드에서)". The common heading is followed at
//! once by more `##` headings ("## 1. 계정 생성 (선택)", "## 2. 초기 서버 설정"), so its scope is
//! "until the Master Node heading", not "until the next `##`" (both readings give every node,
//! since an unsignalled step runs everywhere). Inside one common block, trailing comments send
//! single lines to one role: "sudo hostnamectl set-hostname k8s-master # 마스터 노드에서 실행",
//! "… k8s-worker-1 # 워커 노드에서 실행 (1~n 형태)". Two sub-headings name the *other* role as a
//! subject, not as the place to run: "### 4. Worker 노드 조인 명령어 확인" (under Master: print the
//! join command on the master) and "### 1. Master에서 받은 조인 명령어 실행" (under Worker: run,
//! on the worker, the command received from the master).
//!
//! **File edits.** `cat <<EOF | sudo tee FILE` heredocs (`/etc/yum.repos.d/kubernetes.repo`,
//! `/etc/modules-load.d/k8s.conf`, `/etc/sysctl.d/k8s.conf`); `sed -i` on `/etc/selinux/config`,
//! `/etc/fstab` and `/etc/containerd/config.toml`; `containerd config default | sudo tee …`.
//!
//! **Must not run.** The "(선택)" (optional) sections unless selected: "## 1. 계정 생성 (선택)"
//! (`useradd`, `passwd`, `usermod` of a `kubeadmin` user), "1-3. SSH 접속 허용 (선택)"
//! (`sudo su - kubeadmin`, an interactive login in any case) and "### 5. 방화벽 설정 (선택)"
//! (`firewall-cmd`, an incomplete port list). `passwd` is interactive.
//!
//! **Ambiguous, not asserted.** The kernel modules and sysctl block sits under "Master Node 설정",
//! but `kubeadm join` and Flannel need `br_netfilter` and `ip_forward` on workers too: only "at
//! least on the master" is asserted.

use crate::support::{Expect, Guide, Step};
use std::collections::BTreeSet;

const GUIDE: &str = "aquaheyday-k8s-kubeadm-rocky.md";
const BOTH: &[&str] = &["master", "worker"];
const MASTER: &[&str] = &["master"];
const WORKER: &[&str] = &["worker"];

/// Unattended steps that change the file at `path`: edits of it, and commands with a line that
/// names it and writes (a redirection, `tee`, `sed -i`, a pipe into a writer).
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

/// Everything a step puts in a file: content, lines, settings and its command text.
fn written(s: &Step) -> String {
    let settings: Vec<String> = s.v["settings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| format!("{}={}", x["key"].as_str().unwrap_or(""), x["value"]))
                .collect()
        })
        .unwrap_or_default();
    format!(
        "{}\n{}\n{}\n{}",
        s.content(),
        s.lines().join("\n"),
        settings.join("\n"),
        s.run()
    )
}

/// `path` is written unattended on `nodes` (exactly, or at least when `at_least`), and what is
/// written holds every needle.
fn writes_on(g: &Guide, path: &str, nodes: &[&str], at_least: bool, needles: &[&str]) {
    let w = edits(g, path);
    let naming: Vec<String> = g
        .steps()
        .iter()
        .filter(|s| s.original().contains(path))
        .map(|s| s.describe())
        .collect();
    assert!(
        !w.is_empty(),
        "{}: nothing writes {path}; steps naming it:\n{}",
        g.name,
        naming.join("\n")
    );
    let got: BTreeSet<&str> = w.iter().flat_map(|s| s.nodes()).collect();
    let want: BTreeSet<&str> = nodes.iter().copied().collect();
    let all: Vec<String> = w.iter().map(|s| s.describe()).collect();
    let ok = if at_least {
        got.is_superset(&want)
    } else {
        got == want
    };
    assert!(
        ok,
        "{}: {path} written on {got:?}, want {}{want:?}:\n{}",
        g.name,
        if at_least { "at least " } else { "" },
        all.join("\n")
    );
    for n in needles {
        assert!(
            w.iter().any(|s| written(s).contains(n)),
            "{}: nothing written to {path} holds {n:?}:\n{}",
            g.name,
            all.join("\n")
        );
    }
}

/// The steps whose guide text holds `quote` run unattended, on exactly `nodes` together.
fn only_on(g: &Guide, quote: &str, nodes: &[&str]) {
    let hits: Vec<Step> = g.all(quote).into_iter().filter(|s| s.runs()).collect();
    assert!(!hits.is_empty(), "{}: nothing runs {quote:?}", g.name);
    let got: BTreeSet<&str> = hits.iter().flat_map(|s| s.nodes()).collect();
    let want: BTreeSet<&str> = nodes.iter().copied().collect();
    assert_eq!(
        got,
        want,
        "{}: {quote:?} runs on the wrong nodes:\n{}",
        g.name,
        hits.iter()
            .map(|s| s.describe())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_nodes_are_master_and_worker() {
    let g = guide!(GUIDE);
    let want: BTreeSet<&str> = BOTH.iter().copied().collect();
    assert_eq!(g.nodes(), want);
}

/// "📁 공통 작업 (모든 노드)": the OS, containerd and the Kubernetes packages on every node.
#[test]
fn common_preparation_on_every_node() {
    let g = guide!(GUIDE);
    g.runs_on("dnf update -y", BOTH);
    g.runs_on("setenforce 0", BOTH);
    g.runs_on("swapoff -a", BOTH);
    g.runs_on(
        "dnf install -y yum-utils device-mapper-persistent-data lvm2",
        BOTH,
    );
    g.runs_on("yum-config-manager --add-repo", BOTH);
    g.runs_on("dnf install -y containerd.io", BOTH);
    g.runs_on("systemctl enable --now containerd", BOTH);
    g.runs_on("dnf install -y kubelet kubeadm kubectl", BOTH);
    g.runs_on("systemctl enable --now kubelet", BOTH);
    writes_on(
        &g,
        "/etc/selinux/config",
        BOTH,
        false,
        &["SELINUX=permissive"],
    );
    writes_on(&g, "/etc/fstab", BOTH, false, &["swap"]);
    writes_on(
        &g,
        "/etc/containerd/config.toml",
        BOTH,
        false,
        &["containerd config default", "SystemdCgroup = true"],
    );
}

/// The repository file (every node) and the kernel files (at least the master, see the module
/// doc) are written, not checked.
#[test]
fn repository_and_kernel_files_are_written() {
    let g = guide!(GUIDE);
    writes_on(
        &g,
        "/etc/yum.repos.d/kubernetes.repo",
        BOTH,
        false,
        &[
            "[kubernetes]",
            "baseurl=https://pkgs.k8s.io/core:/stable:/v1.29/rpm/",
            "gpgcheck=1",
        ],
    );
    writes_on(
        &g,
        "/etc/modules-load.d/k8s.conf",
        MASTER,
        true,
        &["br_netfilter"],
    );
    writes_on(
        &g,
        "/etc/sysctl.d/k8s.conf",
        MASTER,
        true,
        &["net.bridge.bridge-nf-call-iptables", "net.ipv4.ip_forward"],
    );
}

/// "sudo hostnamectl set-hostname k8s-master # 마스터 노드에서 실행" and the worker's line: a
/// trailing comment sends one line of a common block to one role.
#[test]
fn each_role_gets_its_own_hostname() {
    let g = guide!(GUIDE);
    only_on(&g, "set-hostname k8s-master", MASTER);
    only_on(&g, "set-hostname k8s-worker-1", WORKER);
}

/// "🧭 Master Node 설정" and "✅ 클러스터 확인 (Master 노드에서)".
#[test]
fn control_plane_on_the_master() {
    let g = guide!(GUIDE);
    g.step("kubeadm init --pod-network-cidr=10.244.0.0/16")
        .on(MASTER)
        .kind_is("command")
        .run_has("--cri-socket=unix:///run/containerd/containerd.sock");
    g.runs_on("mkdir -p $HOME/.kube", MASTER);
    g.runs_on("/etc/kubernetes/admin.conf $HOME/.kube/config", MASTER);
    g.runs_on("kube-flannel.yml", MASTER);
    g.runs_on("kubectl get nodes", MASTER);
    g.step("kubectl get nodes").kind_is("verify");
}

/// "### 4. Worker 노드 조인 명령어 확인" prints the join command on the master; "### 1. Master에서
/// 받은 조인 명령어 실행" runs it on the worker.
#[test]
fn join_command_printed_on_the_master_and_run_on_the_worker() {
    let g = guide!(GUIDE);
    g.runs_on("kubeadm token create --print-join-command", MASTER);
    g.runs_on("kubeadm join", WORKER);
    g.step("kubeadm join <MASTER_IP>:6443")
        .on(WORKER)
        .kind_is("command")
        .run_has("--cri-socket=unix:///run/containerd/containerd.sock");
}

/// The join's `<MASTER_IP>`, `<TOKEN>`, `<HASH>` are variables, the token a secret.
#[test]
fn join_placeholders_are_variables() {
    let g = guide!(GUIDE);
    let join = g.step("kubeadm join <MASTER_IP>:6443").run_lacks("<TOKEN>");
    for v in ["MASTER_IP", "TOKEN", "HASH"] {
        assert!(join.variables().contains(&v), "{v}: {}", join.describe());
    }
    let token = g.variable("TOKEN").expect("TOKEN is a variable");
    assert_eq!(token["secret"], true, "the join token is a secret");
}

/// The guide's order is the order across the nodes.
#[test]
fn order_across_the_nodes() {
    let g = guide!(GUIDE);
    g.before("systemctl enable --now kubelet", "kubeadm init");
    g.before("kubeadm init", "kubeadm join");
    g.before("kube-flannel.yml", "kubeadm join");
    g.before("kubeadm token create --print-join-command", "kubeadm join");
    g.before("kubeadm join", "kubectl get nodes");
}

/// Interactive commands never run unattended, optional or not.
#[test]
fn interactive_commands_do_not_run() {
    let g = guide!(GUIDE);
    g.never_runs("passwd kubeadmin");
    g.never_runs("su - kubeadmin");
    g.step("sudo passwd kubeadmin").not_run();
}

/// The "(선택)" sections are the operator's choice: not in a runbook unless selected.
#[test]
fn optional_sections_do_not_run_by_default() {
    let g = guide!(GUIDE);
    g.never_runs("useradd -m kubeadmin");
    g.never_runs("usermod -aG wheel kubeadmin");
    g.never_runs("firewall-cmd");
}
