//! `TaeHun-Lee-k8s-kubeadm-ubuntu.md`: what a careful operator would run where.
//!
//! **Roles.** Two VirtualBox VMs, host names `k8s-master` and `k8s-worker1`, called 마스터 노드
//! and 워커 노드 throughout: the nodes are `master` and `worker` (host names map to their role).
//!
//! **Where things run.** A bold line right under each `##` chapter heading scopes the whole
//! chapter, its `###` sub-sections included: "**(마스터, 워커 양쪽 노드 모두 실행)**" (chapters 2,
//! 3 and 4: both nodes), "**(마스터 노드에서만 실행)**" (5 and 7), "**(워커 노드에서만 실행)**" (6).
//! Sentences repeat it ("마스터 노드에서 아래 명령어를 실행하여", "양쪽 노드에서 동일한 버전이
//! 설치되었는지 확인한다"), and in the worker chapter a blockquote narrows one check back to the
//! master: "> **상태 확인 (마스터 노드에서 실행):** `kubectl get nodes` 명령어로 …".
//!
//! **File edits.** `cat <<EOF | sudo tee FILE` heredocs write whole files
//! (`/etc/modules-load.d/k8s.conf`, `/etc/sysctl.d/k8s.conf`); `echo 'deb …' | sudo tee FILE`
//! writes the apt sources; `containerd config default | sudo tee /etc/containerd/config.toml`
//! writes a generated file that `sed -i` then edits; `sed -i` comments out swap in `/etc/fstab`.
//!
//! **Must not run.** The flag-by-flag bullet lists under each block (`` `-a`: … ``,
//! `` `--system`: … ``, `` `config default`: … ``, `` `apt-mark hold`: … `apt-get upgrade`
//! 명령어를 실행했을 때 … ``) and inline code in prose ("마스터 노드 초기화(`kubeadm init`) 완료 시"
//! inside the worker chapter) explain; they are not steps. The three `curl http://<…>` probes of
//! 7.1 need values the operator reads off earlier output (a random NodePort, a pod IP), so they
//! are checks at most, never changes. `kubeadm init` and `kubeadm join` carry placeholders
//! (`<마스터노드IP>`, `<토큰값>`, `<해시값>`) that must become variables, never reach bash as `<…>`.

use crate::support::{Expect, Guide, Step};
use std::collections::BTreeSet;

const GUIDE: &str = "TaeHun-Lee-k8s-kubeadm-ubuntu.md";
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

/// `path` is written unattended on exactly `nodes`, and what is written holds every needle.
fn writes(g: &Guide, path: &str, nodes: &[&str], needles: &[&str]) {
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
    assert_eq!(
        got,
        want,
        "{}: {path} written on the wrong nodes:\n{}",
        g.name,
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

/// No step is made of exactly `text` (inline code of an explanation, not a step).
fn not_a_step(g: &Guide, text: &str) {
    let hits: Vec<String> = g
        .steps()
        .iter()
        .filter(|s| s.original().trim() == text)
        .map(|s| s.describe())
        .collect();
    assert!(
        hits.is_empty(),
        "{}: the explanation `{text}` became a step:\n{}",
        g.name,
        hits.join("\n")
    );
}

#[test]
fn the_nodes_are_master_and_worker() {
    let g = guide!(GUIDE);
    let want: BTreeSet<&str> = BOTH.iter().copied().collect();
    assert_eq!(g.nodes(), want);
}

/// Chapters 2–4 ("(마스터, 워커 양쪽 노드 모두 실행)", sub-sections included): swap, kernel,
/// containerd and the Kubernetes packages on both VMs.
#[test]
#[ignore = "gap: the bold '(마스터, 워커 양쪽 노드 모두 실행)' line scopes chapters 2-4 to the worker only; `kubeadm version` is classified command"]
fn os_runtime_and_packages_on_both_nodes() {
    let g = guide!(GUIDE);
    g.runs_on("swapoff -a", BOTH);
    g.runs_on("modprobe br_netfilter", BOTH);
    g.runs_on("sysctl --system", BOTH);
    g.runs_on("apt-get install -y containerd.io", BOTH);
    g.runs_on("systemctl restart containerd", BOTH);
    g.runs_on("systemctl enable containerd", BOTH);
    g.runs_on("apt-get install -y kubelet kubeadm kubectl", BOTH);
    g.runs_on("apt-mark hold kubelet kubeadm kubectl", BOTH);
    g.step("systemctl status containerd")
        .on(BOTH)
        .kind_is("verify");
    // "양쪽 노드에서 동일한 버전이 설치되었는지 확인한다": read-only checks on both.
    g.step("kubeadm version").on(BOTH).kind_is("verify");
    g.step("kubectl version --client")
        .on(BOTH)
        .kind_is("verify");
}

/// The heredoc-written files and the `sed -i`/`tee` edits of chapters 2–4, on both VMs.
#[test]
fn kernel_runtime_and_repository_files_on_both_nodes() {
    let g = guide!(GUIDE);
    writes(
        &g,
        "/etc/modules-load.d/k8s.conf",
        BOTH,
        &["overlay", "br_netfilter"],
    );
    writes(
        &g,
        "/etc/sysctl.d/k8s.conf",
        BOTH,
        &["net.bridge.bridge-nf-call-iptables", "net.ipv4.ip_forward"],
    );
    writes(&g, "/etc/fstab", BOTH, &["swap"]);
    writes(
        &g,
        "/etc/containerd/config.toml",
        BOTH,
        &["containerd config default", "SystemdCgroup = true"],
    );
    writes(
        &g,
        "/etc/apt/sources.list.d/docker.list",
        BOTH,
        &["download.docker.com/linux/ubuntu"],
    );
    writes(
        &g,
        "/etc/apt/sources.list.d/kubernetes.list",
        BOTH,
        &["pkgs.k8s.io/core:/stable:/v1.30/deb/"],
    );
}

/// Chapters 5 and 7 ("(마스터 노드에서만 실행)"), and the check the worker chapter sends back to
/// the master ("> **상태 확인 (마스터 노드에서 실행):** `kubectl get nodes`").
#[test]
fn cluster_setup_and_test_deployment_on_the_master() {
    let g = guide!(GUIDE);
    g.runs_on("mkdir -p $HOME/.kube", MASTER);
    g.runs_on("/etc/kubernetes/admin.conf $HOME/.kube/config", MASTER);
    g.runs_on("calico/v3.28.0/manifests/calico.yaml", MASTER);
    g.runs_on("kubectl get nodes", MASTER);
    g.runs_on("kubectl get pods -n kube-system", MASTER);
    g.runs_on("kubectl create deployment nginx-test", MASTER);
    g.runs_on("kubectl scale deployment nginx-test --replicas=2", MASTER);
    g.runs_on("kubectl expose deployment nginx-test", MASTER);
}

/// "(워커 노드에서만 실행)": the join runs on the worker.
#[test]
fn kubeadm_join_runs_on_the_worker() {
    let g = guide!(GUIDE);
    g.runs_on("kubeadm join", WORKER);
    g.step("kubeadm join 192.168.56.101:6443")
        .on(WORKER)
        .kind_is("command")
        .run_has("--discovery-token-ca-cert-hash");
}

/// `kubeadm init` creates the cluster once, on the master: the worker chapter's "마스터 노드
/// 초기화(`kubeadm init`) 완료 시 출력된 …" only refers to it.
#[test]
#[ignore = "gap: inline `kubeadm init` in a prose sentence of the worker chapter becomes a step run on the worker"]
fn kubeadm_init_runs_on_the_master_only() {
    let g = guide!(GUIDE);
    g.runs_on("kubeadm init", MASTER);
    g.step("kubeadm init --apiserver-advertise-address")
        .on(MASTER)
        .kind_is("command")
        .run_has("--pod-network-cidr=192.168.0.0/16");
}

/// `<마스터노드IP>`, `<토큰값>`, `<해시값>` are values the operator supplies: variables, never `<…>`
/// handed to bash (a redirection there).
#[test]
#[ignore = "gap: angle-bracket placeholders with non-ASCII names (<마스터노드IP>, <토큰값>) are not variables; they stay literal in run"]
fn kubeadm_placeholders_become_variables() {
    let g = guide!(GUIDE);
    let init = g
        .step("kubeadm init --apiserver-advertise-address")
        .run_lacks("<마스터노드IP>");
    assert!(!init.variables().is_empty(), "{}", init.describe());
    let join = g
        .step("kubeadm join 192.168.56.101:6443")
        .run_lacks("<토큰값>")
        .run_lacks("<해시값>");
    assert!(join.variables().len() >= 2, "{}", join.describe());
}

/// The guide's order is the order across the two VMs.
#[test]
fn order_across_the_nodes() {
    let g = guide!(GUIDE);
    g.before("swapoff -a", "kubeadm init --apiserver-advertise-address");
    g.before(
        "apt-mark hold kubelet kubeadm kubectl",
        "kubeadm init --apiserver-advertise-address",
    );
    g.before("kubeadm init --apiserver-advertise-address", "kubeadm join");
    g.before("calico.yaml", "kubeadm join");
    // The test deployment expects its pods on the worker: it waits for the join.
    g.before("kubeadm join", "kubectl create deployment nginx-test");
}

/// Flag explanations and inline code in prose are not steps.
#[test]
#[ignore = "gap: inline code in '`X`: 설명' bullets and prose becomes steps: `apt-mark hold`, `apt-get upgrade -y` (a full upgrade), `kubeadm init` on the worker"]
fn explanations_are_not_steps() {
    let g = guide!(GUIDE);
    for text in [
        "-a",
        "-i",
        "-p",
        "--system",
        "--dearmor",
        "modprobe",
        "config default",
        "apt-mark hold",
        "apt-transport-https",
        "kubeadm init",
        "$(dpkg --print-architecture)",
    ] {
        not_a_step(&g, text);
    }
    // "`apt-get upgrade` 명령어를 실행했을 때" explains `apt-mark hold`; nothing upgrades.
    g.never_runs("apt-get upgrade");
}

/// The three probes of 7.1 need a random NodePort and IPs read off earlier output: checks at
/// most (or left to the operator), never changes, never `<…>` handed to bash.
#[test]
#[ignore = "gap: the 7.1 curl probes are classified command, with literal <…> placeholders in run"]
fn the_nodeport_probes_change_nothing() {
    let g = guide!(GUIDE);
    let probes = g.all("curl http://<");
    assert!(!probes.is_empty(), "{}: the 7.1 probes are missing", g.name);
    for p in probes {
        assert_ne!(p.kind(), "command", "a probe: {}", p.describe());
        if p.runs() {
            p.on(MASTER).run_lacks("<WorkerVM의 IP>");
        }
    }
}
