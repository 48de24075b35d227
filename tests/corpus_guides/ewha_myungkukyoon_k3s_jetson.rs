//! `ewha-myungkukyoon-k3s-jetson.md`: what a careful operator would run where.
//!
//! **Roles.** Three Jetson boards: "Master Node  : 192.168.0.24", "Worker Node 1: …", "Worker
//! Node 2: …"; the k3s server runs on the master ("마스터 노드(k3s server)"), agents on the others
//! ("워커 노드(k3s agent)"), and k3s names them `master`, `worker-1`, `worker-2`. The nodes are
//! `master` and `worker`.
//!
//! **Where things run.** A blockquote right under a `###` heading scopes the section:
//! "> 아래 과정은 모든 Jetson 보드에서 동일하게 수행됩니다." ((3) and (4): every board),
//! "> 아래 과정은 마스터/워커 노드별로 구분하여 수행됩니다." ((5): per bullet),
//! "> 아래 과정은 마스터 노드에서 수행합니다." ((6)). In (5) a bold tag opens each list item and
//! holds for everything nested in it (paragraphs and blocks): "**(Master)**", "**(Workers)**",
//! "**(Optional/Master)**". Sentences repeat it ("마스터 노드에서 node token을 확인합니다",
//! "워커 노드에서 k3s 설치 명령어를 실행합니다").
//!
//! **File edits.** `sudo vi /etc/docker/daemon.json` in one block and, after "`daemon.json` 파일을
//! 다음과 같이 수정합니다.", the whole JSON in the next: a whole `file`. The same pattern for
//! `/etc/netplan/config.yaml` (YAML).
//!
//! **Must not run.** The physical setup written as a blockquote ("> 스위치와 라우터를 LAN
//! 케이블로 연결"); the address plan in a ```` ```text ```` block; the SSH logins from the school
//! server (`ssh <username>@192.168.176.47 -p <port>`, the operator's own machine); `sudo vi`;
//! `newgrp docker` (opens a new shell); `read -p "…" VAR` (the guide asking the operator for a
//! value: the variable comes from the vars file); sample outputs in ```` ```text ```` blocks
//! (`Default Runtime: nvidia`, `WARNING:root:…`, the `kubectl get nodes`/`get pod` tables whose
//! `<none>` is not a placeholder); `reboot` (manual). Optional parts are not run unless selected:
//! "(4) 고정 IP 주소 설정" opens with "**(Optional)**" (and its addresses are the master's,
//! 192.168.0.24: on every board they would clash), and "**(Optional/Master)**" loosens the
//! kubeconfig (`chmod -R 777`). The empty trailing chapters (STEP 2–4) have no steps.
//!
//! **Ambiguous, not asserted.** "워커 노드마다 `--node-name` 값을 다르게 설정합니다": the agent's
//! `--node-name worker-1` should differ per worker (a per-host value); how is left open.

use crate::support::{Expect, Guide, Step};
use std::collections::BTreeSet;

const GUIDE: &str = "ewha-myungkukyoon-k3s-jetson.md";
const BOTH: &[&str] = &["master", "worker"];
const MASTER: &[&str] = &["master"];
const WORKER: &[&str] = &["worker"];
/// A line of the daemon.json block only (the prose quotes `"default-runtime": "nvidia"` too).
const JSON: &str = "\"path\": \"nvidia-container-runtime\"";

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

/// The line of a step's `run` that holds `needle`.
fn run_line<'a>(s: &Step<'a>, needle: &str) -> &'a str {
    s.run()
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}: {}", s.describe()))
}

#[test]
fn the_nodes_are_master_and_worker() {
    let g = guide!(GUIDE);
    let want: BTreeSet<&str> = BOTH.iter().copied().collect();
    assert_eq!(g.nodes(), want);
}

/// "(3) 기본 환경 설정" ("> 아래 과정은 모든 Jetson 보드에서 동일하게 수행됩니다.").
#[test]
#[ignore = "gap: no worker node exists, so the every-board section (daemon.json included) runs on the master only; `sudo nvpmodel -m 0` is no step"]
fn every_board_is_prepared_alike() {
    let g = guide!(GUIDE);
    g.runs_on("systemctl set-default multi-user.target", BOTH);
    g.runs_on("nvpmodel -m 0", BOTH);
    g.runs_on("swapoff -a", BOTH);
    g.runs_on("systemctl restart docker", BOTH);
    g.runs_on("groupadd docker", BOTH);
    g.runs_on("usermod -aG docker", BOTH);
    g.runs_on("dist-upgrade", BOTH);
    for s in g.running("dist-upgrade") {
        let l = run_line(&s, "dist-upgrade");
        assert!(
            l.contains(" -y") || l.contains("--yes") || l.contains("--assume-yes"),
            "dist-upgrade asks for confirmation: {l:?}"
        );
    }
    g.step("docker info").on(BOTH).kind_is("verify");
    g.step("sudo reboot").on(BOTH).kind_is("manual");
    let w = edits(&g, "/etc/docker/daemon.json");
    let nodes: BTreeSet<&str> = w.iter().flat_map(|s| s.nodes()).collect();
    assert_eq!(
        nodes,
        BOTH.iter().copied().collect::<BTreeSet<_>>(),
        "daemon.json"
    );
}

/// `sudo vi /etc/docker/daemon.json`, then the whole JSON (after "`daemon.json` 파일을 다음과 같이
/// 수정합니다."): a whole file, written before Docker restarts (on which boards: see
/// `every_board_is_prepared_alike`).
#[test]
fn docker_daemon_json_is_a_whole_file() {
    let g = guide!(GUIDE);
    g.step(JSON)
        .kind_is("file")
        .path_is("/etc/docker/daemon.json")
        .content_has("\"default-runtime\": \"nvidia\"")
        .content_has("\"path\": \"nvidia-container-runtime\"");
    g.before(JSON, "systemctl restart docker");
    g.never_runs("vi /etc/docker/daemon.json");
}

/// **(Master)** items and "(6) 쿠버네티스 동작 확인": the k3s server, its token, the taint and the
/// demo deployment.
#[test]
#[ignore = "gap: the machines are found now; the steps are not yet scoped to them"]
fn k3s_server_and_demo_on_the_master() {
    let g = guide!(GUIDE);
    g.runs_on("--advertise-address 192.168.0.24", MASTER);
    g.step("cat /var/lib/rancher/k3s/server/node-token")
        .on(MASTER);
    g.runs_on("kubectl taint nodes master", MASTER);
    g.step("kubectl describe node master | grep Taints")
        .on(MASTER)
        .kind_is("verify");
    g.runs_on(
        "git clone https://github.com/ewha-myungkukyoon/jetson-cluster.git",
        MASTER,
    );
    g.runs_on("kubectl apply -f jetson-ex.yaml", MASTER);
    g.step("kubectl get pod -o wide")
        .on(MASTER)
        .kind_is("verify");
}

/// The master's `sudo k3s kubectl …` blocks (after a paragraph inside a **(Master)** item): its
/// checks and the worker labels.
#[test]
#[ignore = "gap: the `sudo k3s kubectl get nodes` and `sudo k3s kubectl label node` blocks produce no step"]
fn the_master_checks_and_labels_the_nodes() {
    let g = guide!(GUIDE);
    g.runs_on("k3s kubectl get nodes", MASTER);
    g.step("sudo k3s kubectl get nodes").kind_is("verify");
    g.runs_on(
        "kubectl label node worker-1 worker-2 node-role.kubernetes.io/worker=worker",
        MASTER,
    );
    g.before("K3S_URL=", "kubectl label node worker-1");
}

/// **(Workers)**: the agent joins with the master's address and token, which `read -p` asked
/// the operator for: variables of the plan, never an interactive prompt.
#[test]
#[ignore = "gap: the **(Workers)** item runs on the master; `read -p … VAR` is not read as a variable the operator supplies (none is declared)"]
fn workers_join_with_values_the_operator_supplies() {
    let g = guide!(GUIDE);
    g.runs_on("K3S_URL=", WORKER);
    let agent = g.step("K3S_TOKEN=${YOUR_NODE_TOKEN}").on(WORKER);
    for v in ["YOUR_SERVER_NODE_IP", "YOUR_NODE_TOKEN"] {
        assert!(agent.variables().contains(&v), "{v}: {}", agent.describe());
    }
    assert!(g.variable("YOUR_SERVER_NODE_IP").is_some());
    let token = g.variable("YOUR_NODE_TOKEN").expect("the node token");
    assert_eq!(token["secret"], true, "the node token is a secret");
}

/// The guide's order across the boards.
#[test]
fn order_across_the_boards() {
    let g = guide!(GUIDE);
    g.before("swapoff -a", "--advertise-address 192.168.0.24");
    g.before(JSON, "--advertise-address 192.168.0.24");
    g.before("--advertise-address 192.168.0.24", "K3S_URL=");
    g.before("K3S_URL=", "kubectl taint nodes master");
    g.before("K3S_URL=", "kubectl apply -f jetson-ex.yaml");
}

/// Physical setup, logins from the operator's machine, editors, new shells, prompts for input,
/// the address plan and short sample outputs never run.
#[test]
fn setup_logins_shells_and_prompts_do_not_run() {
    let g = guide!(GUIDE);
    g.never_runs("LAN 케이블");
    g.never_runs("192.168.176.47");
    g.never_runs("Worker Node 1: 192.168.0.25");
    g.never_runs("sudo vi");
    g.never_runs("newgrp");
    g.never_runs("read -p");
    g.never_runs("Default Runtime: nvidia");
    g.never_runs("WARNING:root:Cannot call Open vSwitch");
    g.never_runs("default via 192.168.0.1 (static)");
    g.never_runs("control-plane   179m");
    g.never_runs("Taints: node-role");
}

/// The sample `kubectl` tables listing the workers' pods and nodes are output: not run, and their
/// `<none>` is no placeholder.
#[test]
fn kubectl_output_tables_do_not_run() {
    let g = guide!(GUIDE);
    g.never_runs("worker-1   Ready");
    g.never_runs("example-76b45bdf56");
    assert!(g.variable("NONE").is_none(), "`<none>` is output");
}

/// "**(Optional)**" static IPs and "**(Optional/Master)**" kubeconfig: not run unless selected.
#[test]
fn optional_parts_do_not_run_by_default() {
    let g = guide!(GUIDE);
    g.never_runs("netplan.io");
    g.never_runs("netplan apply");
    assert!(
        edits(&g, "/etc/netplan/config.yaml").is_empty(),
        "{}: the optional static IP is written",
        g.name
    );
    g.never_runs("chmod -R 777 /etc/rancher/k3s/k3s.yaml");
}

/// "## 📦 STEP 2.", "## 🗂️ STEP 3.", "## 🚀 STEP 4.": headings only.
#[test]
fn empty_trailing_chapters_have_no_steps() {
    let g = guide!(GUIDE);
    for s in g.steps() {
        let section = s.v["section"].to_string();
        for h in ["로컬 레지스트리", "NFS 설정", "실행 예제"] {
            assert!(!section.contains(h), "a step under {h}: {}", s.describe());
        }
    }
}
