//! Work a cluster needs done once, on one machine: founding the cluster (`kubeadm init`,
//! `cephadm bootstrap`, `hosted-engine --deploy`, `hdfs namenode -format`, ...) and driving it
//! through its client (`kubectl apply`, `ceph orch host add`, `openstack user create`); and the
//! sections that add machines to a founded cluster (`노드 추가`, `Join the workers`).
//!
//! Guides whose machines are peers (`node1`, `node2`, `node3`) rarely say where such work runs:
//! the author ran it on the first machine and added the others after. These tables name the
//! commands by what they do, whatever the guide around them.

use super::shell::first_word;

/// Commands that found a cluster: run once, on the machine the others then join. Each entry is
/// the program and words that must follow it (in order, not necessarily adjacent).
const FOUNDS: &[(&str, &[&str])] = &[
    ("kubeadm", &["init"]),
    ("cephadm", &["bootstrap"]),
    ("ceph-deploy", &["new"]),
    ("hosted-engine", &["--deploy"]),
    ("hdfs", &["namenode", "-format"]),
    ("hadoop", &["namenode", "-format"]),
    ("galera_new_cluster", &[]),
    ("docker", &["swarm", "init"]),
    ("pcs", &["cluster", "setup"]),
    ("redis-cli", &["--cluster", "create"]),
    ("packstack", &["--answer-file"]),
    ("packstack", &["--allinone"]),
];

/// Clients that act on the whole cluster through its API: where they run changes nothing on the
/// machine, so they run once, where the cluster was founded (their credentials live there).
const DRIVES: &[(&str, &[&str])] = &[
    ("kubectl", &[]),
    ("helm", &[]),
    ("oc", &[]),
    ("openstack", &[]),
    ("ceph", &[]),
    ("rbd", &[]),
    ("radosgw-admin", &[]),
    ("hdfs", &["dfs"]),
    ("hdfs", &["dfsadmin"]),
    ("hdfs", &["haadmin"]),
    ("yarn", &["rmadmin"]),
    ("hosted-engine", &["--vm-status"]),
    ("microk8s", &["add-node"]),
];

fn matches(line: &str, table: &[(&str, &[&str])]) -> bool {
    let line = line.trim();
    let word = first_word(line);
    let prog = word.rsplit('/').next().unwrap_or(word);
    let prog = prog.strip_suffix(".sh").unwrap_or(prog);
    // the words after the program (`first_word` skipped `sudo` and assignments)
    let rest: Vec<&str> = line
        .split_whitespace()
        .skip_while(|w| w.as_ptr() != word.as_ptr())
        .skip(1)
        .collect();
    // a program's words are ASCII (`ceph 키값을 …` is a sentence that starts with a name)
    if rest.first().is_some_and(|w| !w.is_ascii()) {
        return false;
    }
    table.iter().any(|(p, words)| {
        *p == prog && {
            let mut it = rest.iter();
            words.iter().all(|w| it.any(|r| r == w))
        }
    })
}

/// The command lines of a step's `run` (comments and blank lines left out).
fn command_lines(run: &str) -> impl Iterator<Item = &str> {
    run.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Whether a step's commands found a cluster.
pub fn founds_cluster(run: &str) -> bool {
    command_lines(run).any(|l| matches(l, FOUNDS))
}

/// Whether every command of a step drives the cluster through its client.
pub fn drives_cluster(run: &str) -> bool {
    let mut any = false;
    for l in command_lines(run) {
        if !matches(l, DRIVES) {
            return false;
        }
        any = true;
    }
    any
}

/// Words saying a section adds machines to the cluster: the step's nodes are the machines added.
const ADDS: &[&str] = &[
    "노드 추가",
    "노드추가",
    "노드를 추가",
    "node 추가",
    "node를 추가",
    "host 추가",
    "호스트 추가",
    "호스트를 추가",
    "서버 추가",
    "add node",
    "add nodes",
    "adding node",
    "add host",
    "adding host",
    "join",
    "조인",
    "합류",
];

/// Whether a heading speaks of adding machines to the cluster (`Step 2. oVirt node 추가`,
/// `워커 노드 조인`, `Join the nodes`).
pub fn adds_machines(heading: &str) -> bool {
    let h = heading.to_lowercase();
    ADDS.iter().any(|w| h.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn founding_commands_in_several_phrasings() {
        for run in [
            "kubeadm init --pod-network-cidr=10.244.0.0/16",
            "sudo kubeadm init",
            "cephadm bootstrap --mon-ip 10.0.0.1",
            "./cephadm bootstrap --mon-ip 10.0.0.1",
            "hosted-engine --deploy --config-append=answers.conf",
            "hdfs namenode -format",
            "$HADOOP_HOME/bin/hdfs namenode -format",
            "galera_new_cluster",
            "docker swarm init --advertise-addr 10.0.0.1",
            "redis-cli --cluster create 10.0.0.1:7000 10.0.0.2:7000",
        ] {
            assert!(founds_cluster(run), "{run}");
        }
        for run in [
            "kubeadm join 10.0.0.1:6443 --token x",
            "dnf install -y kubeadm",
            "hdfs dfs -ls /",
            "echo kubeadm init",
        ] {
            assert!(!founds_cluster(run), "{run}");
        }
    }

    #[test]
    fn cluster_clients() {
        assert!(drives_cluster(
            "kubectl apply -f flannel.yml\nkubectl get nodes"
        ));
        assert!(drives_cluster("ceph orch host add node2 10.0.0.2"));
        assert!(drives_cluster(
            "openstack user create --domain default demo"
        ));
        assert!(drives_cluster("hosted-engine --vm-status"));
        assert!(!drives_cluster(
            "kubectl get nodes\nsystemctl restart kubelet"
        ));
        assert!(!drives_cluster("ceph-volume lvm list"));
        assert!(!drives_cluster(""));
        assert!(!drives_cluster("ceph key값을 Hosts에 추가 함"));
    }

    #[test]
    fn headings_that_add_machines() {
        for h in [
            "Step 2. oVirt node 추가",
            "워커 노드 추가",
            "Join the worker nodes",
            "클러스터에 조인",
            "Adding hosts",
            "호스트를 추가합니다",
        ] {
            assert!(adds_machines(h), "{h}");
        }
        for h in ["Step 1. oVirt engine 설치", "노드 설정", "패키지 추가 설치"] {
            assert!(!adds_machines(h), "{h}");
        }
    }
}
