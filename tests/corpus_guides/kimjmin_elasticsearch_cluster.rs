//! `kimjmin-elasticsearch-cluster.md`: what a careful operator would run where.
//!
//! **Roles.** One master and three data nodes cloned from the master's AWS image. The prose
//! says `마스터 노드` and `데이터 노드` (hosts `es-master`, `es-data-1`…`es-data-3` in the logs
//! and the `HOSTNAME=` line), so the nodes are `master` and `data`. Signals are sentences, never
//! headings or prompts: `데이터 노드를 추가한 뒤에 먼저 다음 설정들을 진행합니다.` and
//! `추가한 노드들에서는 이 데이터들을 먼저 삭제` cover the four bullets after them (stop, wipe
//! `path.data`, hostname, reboot: all on the data nodes); `먼저 마스터 노드의 Java Heap…` and
//! `마스터 노드는 데이터를 저장하지 않도록…` name the master right before a block;
//! `각 데이터 노드들은 반대로…` names the data nodes.
//!
//! **File edits.** `sudo vim FILE`, a blank line, then the lines to add, all in one block (the
//! prose says `추가합니다`): `lines` edits of existing files (`elasticsearch.yml` already holds
//! the cluster settings of the earlier posts, so it must never be rewritten whole). The hostname
//! is one `HOSTNAME=` assignment per data node (`es-data-1` is the first node's example value).
//!
//! **Must not run.** The pasted ES logs; the AWS console steps (screenshots only); `vim`;
//! `sudo reboot` (manual); the series' links in blockquotes. The final "restart every node"
//! sentence has no command and is not asserted.

use crate::support::{Expect, Guide, Step};
use std::collections::BTreeSet;

const YML: &str = "/etc/elasticsearch/elasticsearch.yml";

/// A `HOSTNAME=` assignment with the example value or a per-node variable.
fn sets_hostname(s: Step<'_>) {
    assert!(
        s.lines()
            .iter()
            .any(|l| *l == "HOSTNAME=es-data-1" || l.starts_with("HOSTNAME=${")),
        "HOSTNAME line missing: {} lines={:?}",
        s.describe(),
        s.lines()
    );
}

fn yml_steps(g: &Guide) -> Vec<Step<'_>> {
    g.steps().into_iter().filter(|s| s.path() == YML).collect()
}

#[test]
fn one_master_and_the_data_nodes() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    let want: BTreeSet<&str> = ["master", "data"].into_iter().collect();
    assert_eq!(g.nodes(), want, "nodes");
}

#[test]
fn cloned_data_nodes_are_reset_on_the_data_nodes() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    g.runs_on("service elasticsearch stop", &["data"]);
    // wiping path.data on the master would destroy the cluster's state
    g.runs_on("rm -rf /var/lib/elasticsearch/nodes", &["data"]);
    g.step("HOSTNAME=es-data-1").on(&["data"]);
    g.step("sudo reboot").on(&["data"]);
}

#[test]
fn hostname_is_an_assignment_and_reboot_is_manual() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    let h = g
        .step("HOSTNAME=es-data-1")
        .kind_is("lines")
        .path_is("/etc/sysconfig/network")
        .run_lacks("vim");
    sets_hostname(h);
    g.step("sudo reboot").not_run();
}

#[test]
fn data_node_reset_in_the_guide_order() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    g.before(
        "sudo service elasticsearch stop",
        "sudo rm -rf /var/lib/elasticsearch/nodes",
    );
    g.before(
        "sudo rm -rf /var/lib/elasticsearch/nodes",
        "HOSTNAME=es-data-1",
    );
    g.before("HOSTNAME=es-data-1", "sudo reboot");
}

#[test]
#[ignore = "gap: the machines are found now; the steps are not yet scoped to them"]
fn master_heap_is_raised_on_the_master() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    g.step("-Xms4g")
        .on(&["master"])
        .kind_is("lines")
        .path_is("/etc/elasticsearch/jvm.options")
        .has_line("-Xms4g")
        .has_line("-Xmx4g")
        .run_lacks("vim");
}

#[test]
fn each_node_gets_its_own_role_lines() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    g.step("node.master: true").on(&["master"]);
    g.step("node.master: false").on(&["data"]);
}

#[test]
fn node_roles_are_added_to_the_existing_yml() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    g.step("node.master: true")
        .kind_is("lines")
        .path_is(YML)
        .has_line("node.master: true")
        .has_line("node.data: false")
        .run_lacks("vim");
    g.step("node.master: false")
        .kind_is("lines")
        .path_is(YML)
        .has_line("node.master: false")
        .has_line("node.data: true")
        .run_lacks("vim");
    // `추가합니다`: the cluster settings of the earlier posts stay in the file
    for s in yml_steps(&g) {
        assert_ne!(s.kind(), "file", "never rewritten whole: {}", s.describe());
    }
}

#[test]
fn logs_editors_and_links_do_not_run() {
    let g = guide!("kimjmin-elasticsearch-cluster.md");
    g.never_runs("ZenDiscovery");
    g.never_runs("failed to send join request");
    g.never_runs("zen-disco-node-join");
    g.never_runs("ClusterApplierService");
    g.never_runs("vim");
    g.never_runs("reboot");
    g.never_runs("2018-01-build-es-cluster");
}
