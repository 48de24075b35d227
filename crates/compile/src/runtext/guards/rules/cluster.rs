//! Cluster init and join, and the objects of cluster clients (kubectl, helm, kafka).

use super::super::cmd::Cmd;
use super::super::Guard;

/// The argument index of the first word that is not an option, skipping the values of
/// `with_value` options.
fn first_word(c: &Cmd, from: usize, with_value: &[&str]) -> Option<usize> {
    let args = c.args();
    let mut i = from;
    while let Some(w) = args.get(i) {
        if !w.is_option() {
            return Some(i);
        }
        i += if with_value.contains(&w.text()) { 2 } else { 1 };
    }
    None
}

/// `kubeadm init` makes /etc/kubernetes/admin.conf and fails when it exists; `kubeadm join`
/// makes /etc/kubernetes/kubelet.conf.
pub fn kubeadm(c: &Cmd) -> Option<Guard> {
    if c.name() != "kubeadm" {
        return None;
    }
    let k = first_word(c, 0, &["--config", "-v"])?;
    let file = match c.arg(k)? {
        "init" if c.arg(k + 1) != Some("phase") => "/etc/kubernetes/admin.conf",
        "join" if c.arg(k + 1) != Some("phase") => "/etc/kubernetes/kubelet.conf",
        _ => return None,
    };
    Some(Guard::Unless(format!("[ -e {file} ]")))
}

/// `cephadm bootstrap` writes /etc/ceph/ceph.conf (or `--output-config FILE`) and refuses to
/// run again; `ceph-deploy new` writes ./ceph.conf (or ./CLUSTER.conf) over the edited one.
pub fn ceph(c: &Cmd) -> Option<Guard> {
    match c.name() {
        "cephadm" => {
            let k = first_word(c, 0, &["--image", "--docker", "--data-dir", "--log-dir"])?;
            if c.arg(k)? != "bootstrap" {
                return None;
            }
            let conf = c.opt(&["--output-config"]).unwrap_or("/etc/ceph/ceph.conf");
            Some(Guard::Unless(format!("[ -e {conf} ]")))
        }
        "ceph-deploy" => {
            let k = first_word(c, 0, &["--username", "--cluster", "--ceph-conf"])?;
            if c.arg(k)? != "new" {
                return None;
            }
            let cluster = c.opt(&["--cluster"]).unwrap_or("ceph");
            Some(Guard::Unless(format!("[ -e {cluster}.conf ]")))
        }
        _ => None,
    }
}

/// `hdfs namenode -format` (also `hadoop namenode -format`, `-bootstrapStandby`) wipes the
/// name directory: skipped when its current/VERSION exists. `hdfs zkfc -formatZK` keeps its
/// state in ZooKeeper: run once per node (`rb_once`).
pub fn hdfs(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "hdfs" | "hadoop") {
        return None;
    }
    let sub = c.arg(0)?;
    let has = |o: &str| c.args().iter().any(|w| w.is(o));
    match sub {
        "namenode" if has("-format") || has("-bootstrapStandby") => {
            let raw = c.words[c.at].raw;
            let hdfs = match raw.strip_suffix("hadoop") {
                Some(p) => format!("{p}hdfs"),
                None => raw.to_string(),
            };
            Some(Guard::Unless(format!("rb_hdfs_formatted {hdfs}")))
        }
        "zkfc" if has("-formatZK") => Some(Guard::Replace(c.wrap("rb_once"))),
        _ => None,
    }
}

/// `curl -sfL https://get.k3s.io | [K3S_URL=… K3S_TOKEN=…] sh -s - [server|agent] …`: skipped
/// when the unit the script installs (k3s, or k3s-agent for an agent) exists.
pub fn k3s(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "curl" | "wget") || c.pipe_start != c.start || c.pipe_end == c.end {
        return None;
    }
    if !c.args().iter().any(|w| w.text().contains("get.k3s.io")) {
        return None;
    }
    let pipeline = &c.head[c.pipe_start..c.pipe_end];
    let agent = pipeline.contains("K3S_URL=")
        || pipeline
            .split_whitespace()
            .any(|w| w.trim_matches('"') == "agent");
    let unit = if agent { "k3s-agent" } else { "k3s" };
    Some(Guard::UnlessPipeline(format!(
        "[ -e /etc/systemd/system/{unit}.service ]"
    )))
}

/// `kubectl` options (before or after the verb) that take a value.
const KUBECTL_VALUES: &[&str] = &[
    "-n",
    "--namespace",
    "--kubeconfig",
    "--context",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "--token",
    "-o",
    "--output",
    "-l",
    "--selector",
];

/// The argument index of the kubectl verb (`kubectl create`, `k3s kubectl create`,
/// `microk8s kubectl create`).
fn kubectl_verb(c: &Cmd) -> Option<usize> {
    let from = match c.name() {
        "kubectl" | "oc" => 0,
        "k3s" | "microk8s" if c.arg(0) == Some("kubectl") => 1,
        _ => return None,
    };
    first_word(c, from, KUBECTL_VALUES)
}

/// `kubectl create TYPE NAME`: fails when it exists; skipped when `kubectl get TYPE NAME`
/// finds it. `kubectl create -f FILE`: created, or already there (`rb_ok_if_exists`).
pub fn kubectl_create(c: &Cmd) -> Option<Guard> {
    let v = kubectl_verb(c)?;
    if c.arg(v)? != "create" {
        return None;
    }
    if c.has_option(&["-f", "--filename", "-k", "--kustomize"]) {
        return Some(Guard::Replace(c.wrap("rb_ok_if_exists")));
    }
    let t = first_word(c, v + 1, KUBECTL_VALUES)?;
    let kind = match c.arg(t)? {
        "namespace" | "ns" => "namespace",
        "deployment" | "deploy" => "deployment",
        "secret" => "secret",
        "configmap" | "cm" => "configmap",
        "serviceaccount" | "sa" => "serviceaccount",
        "service" | "svc" => "service",
        "clusterrole" => "clusterrole",
        "clusterrolebinding" => "clusterrolebinding",
        "role" => "role",
        "rolebinding" => "rolebinding",
        "job" => "job",
        "cronjob" | "cj" => "cronjob",
        "ingress" | "ing" => "ingress",
        "priorityclass" | "pc" => "priorityclass",
        "quota" | "resourcequota" => "resourcequota",
        "poddisruptionbudget" | "pdb" => "poddisruptionbudget",
        _ => return None,
    };
    // `secret generic NAME`, `service nodeport NAME`: the name follows a subtype
    let mut n = first_word(c, t + 1, KUBECTL_VALUES)?;
    if matches!(kind, "secret" | "service") {
        n = first_word(c, n + 1, KUBECTL_VALUES)?;
    }
    let name = c.args().get(n)?.raw;
    let verb = &c.args()[v];
    let prefix = &c.head[c.words[c.at].start..verb.start];
    let ns = match c.opt(&["-n", "--namespace"]) {
        Some(ns) => format!(" -n {ns}"),
        None => String::new(),
    };
    Some(Guard::Unless(format!(
        "{}{prefix}get {kind} {name}{ns} >/dev/null 2>&1",
        c.lead()
    )))
}

/// `kubectl label|annotate … KEY=VALUE` and `kubectl taint … KEY=VALUE:EFFECT` fail when the
/// key is already set: `--overwrite`. A taint removal (`KEY-`) fails when it is gone already:
/// `rb_ok_if_gone`.
pub fn kubectl_set(c: &Cmd) -> Option<Guard> {
    let v = kubectl_verb(c)?;
    let verb = c.arg(v)?;
    if !matches!(verb, "label" | "annotate" | "taint") {
        return None;
    }
    let specs: Vec<&str> = c.args()[v + 1..]
        .iter()
        .filter(|w| !w.is_option())
        .map(|w| w.text())
        .collect();
    if verb == "taint" && specs.iter().any(|s| s.ends_with('-')) {
        return Some(Guard::Replace(c.wrap("rb_ok_if_gone")));
    }
    if c.has_option(&["--overwrite"]) || !specs.iter().any(|s| s.contains('=')) {
        return Some(Guard::Idempotent);
    }
    Some(Guard::Replace(c.insert_after(Some(v), " --overwrite")))
}

/// `helm install NAME CHART` fails when the release exists: `helm upgrade --install`.
/// `helm repo add NAME URL` fails when NAME points elsewhere: `--force-update`.
pub fn helm(c: &Cmd) -> Option<Guard> {
    if c.name() != "helm" {
        return None;
    }
    let k = first_word(
        c,
        0,
        &["-n", "--namespace", "--kubeconfig", "--kube-context"],
    )?;
    let w = &c.args()[k];
    match w.text() {
        "install" if !c.has_option(&["--generate-name", "-g"]) => Some(Guard::Replace(c.splice(
            w.start,
            w.end,
            "upgrade --install",
        ))),
        "repo" if c.arg(k + 1) == Some("add") && !c.has_option(&["--force-update"]) => Some(
            Guard::Replace(c.insert_after(Some(k + 1), " --force-update")),
        ),
        "upgrade" | "repo" => Some(Guard::Idempotent),
        _ => None,
    }
}

/// `kafka-topics.sh --create --topic T …` fails when T exists: `--if-not-exists`.
pub fn kafka_topic(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "kafka-topics.sh" | "kafka-topics") {
        return None;
    }
    let k = c.args().iter().position(|w| w.is("--create"))?;
    if c.has_option(&["--if-not-exists"]) {
        return Some(Guard::Idempotent);
    }
    Some(Guard::Replace(c.insert_after(Some(k), " --if-not-exists")))
}
