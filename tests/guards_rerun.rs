//! Every guard rule, run for real: its commands as guides write them, guarded the way a runbook
//! guards them, run twice as root in the harness's copy-on-write sandbox (`--force` the second
//! time, so every step runs again). The second run must succeed and change nothing: the same
//! files, the same stub state (stubs keep real state: a stub `kubeadm` writes admin.conf and
//! refuses to init twice, a stub `lvcreate` remembers volumes), the same databases in a private
//! MariaDB and PostgreSQL.
//!
//! The real tools are used where the sandbox has them: useradd, git, tar, unzip, openssl,
//! ssh-keygen, gpg, ip (in the sandbox's own network namespace), sed, mysql, psql.

mod runbook_support;

use runbook::model::Plan;
use runbook_support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// One rule's entry: what to prepare (not guarded), the guide's commands (one step, guarded),
/// and a check that the first run did the work.
struct Case {
    rule: &'static str,
    setup: &'static str,
    run: &'static str,
    check: &'static str,
}

const CASES: &[Case] = &[
    Case {
        rule: "user-add",
        setup: "",
        run: "useradd -m rrkafka\nsudo useradd -d /home/rrceph -m rrceph",
        check: "id rrkafka && id rrceph",
    },
    Case {
        rule: "group-add",
        setup: "",
        run: "sudo groupadd rrdocker\ngroupadd -r rrhadoop",
        check: "getent group rrdocker && getent group rrhadoop",
    },
    Case {
        rule: "user-mod",
        setup: "",
        run: "sudo usermod -aG rrdocker rrkafka\nusermod -a -G rrhadoop rrceph",
        check: "id -nG rrkafka | grep -qw rrdocker && id -nG rrceph | grep -qw rrhadoop",
    },
    Case {
        rule: "mkdir",
        setup: "",
        run: "mkdir /srv/rr\nsudo mkdir /srv/rr/dir",
        check: "[ -d /srv/rr/dir ]",
    },
    Case {
        rule: "ln-s",
        setup: "mkdir -p /srv/rrs/ln/conf.d && echo x >/srv/rrs/ln/target",
        run: "ln -s /srv/rrs/ln/target /srv/rrs/ln/conf.d/\nsudo ln -s /srv/rrs/ln/target /srv/rrs/ln/link",
        check: "[ -L /srv/rrs/ln/conf.d/target ] && [ -L /srv/rrs/ln/link ]",
    },
    Case {
        rule: "cp",
        setup: "mkdir -p /srv/rrs/kube && echo conf >/srv/rrs/kube/admin.conf",
        run: "mkdir -p /srv/rr/kube && sudo cp -i /srv/rrs/kube/admin.conf /srv/rr/kube/config\ncp -ri /srv/rrs/kube /srv/rr/kube-copy",
        check: "cmp /srv/rrs/kube/admin.conf /srv/rr/kube/config && [ -f /srv/rr/kube-copy/admin.conf ]",
    },
    Case {
        rule: "git-clone",
        setup: "mkdir -p /srv/rrs/git/proj /srv/rr/git && cd /srv/rrs/git/proj && git init -q && git -c user.email=a@b -c user.name=a commit -q --allow-empty -m init",
        run: "cd /srv/rr/git\ngit clone /srv/rrs/git/proj\nsudo git clone --depth 1 file:///srv/rrs/git/proj /srv/rr/git/other",
        check: "[ -d /srv/rr/git/proj/.git ] && [ -d /srv/rr/git/other/.git ]",
    },
    Case {
        rule: "wget",
        setup: "mkdir -p /srv/rr/dl",
        run: "cd /srv/rr/dl\nwget https://example.invalid/hadoop/hadoop-2.7.7.tar.gz\nsudo wget -q https://example.invalid/cilium/v1.3.0.zip",
        check: "[ -f /srv/rr/dl/hadoop-2.7.7.tar.gz ] && [ ! -e /srv/rr/dl/hadoop-2.7.7.tar.gz.1 ]",
    },
    Case {
        rule: "curl-output",
        setup: "mkdir -p /srv/rr/keys /srv/rr/bin",
        run: "curl -fsSLo /srv/rr/keys/kubernetes.asc https://example.invalid/Release.key\ncd /srv/rr/bin && curl -LO https://example.invalid/bin/linux/amd64/kubectl",
        check: "[ -f /srv/rr/keys/kubernetes.asc ] && [ -f /srv/rr/bin/kubectl ]",
    },
    Case {
        rule: "tar-extract",
        setup: "mkdir -p /srv/rrs/tar/app-1.0/etc /srv/rr/tar/opt && echo a >/srv/rrs/tar/app-1.0/etc/app.conf && tar -czf /srv/rr/tar/app-1.0.tar.gz -C /srv/rrs/tar app-1.0",
        run: "cd /srv/rr/tar\ntar -xvzf app-1.0.tar.gz\nsudo tar xzf app-1.0.tar.gz -C /srv/rr/tar/opt",
        check: "[ -f /srv/rr/tar/app-1.0/etc/app.conf ] && [ -f /srv/rr/tar/opt/app-1.0/etc/app.conf ]",
    },
    Case {
        rule: "unzip",
        setup: "mkdir -p /srv/rrs/zip/pkg /srv/rr/zip /srv/rr/zip2 && echo a >/srv/rrs/zip/pkg/a.txt && cd /srv/rrs/zip && zip -qr /srv/rr/zip/pkg.zip pkg",
        run: "cd /srv/rr/zip\nunzip pkg.zip\nsudo unzip -q /srv/rr/zip/pkg.zip -d /srv/rr/zip2",
        check: "[ -f /srv/rr/zip/pkg/a.txt ] && [ -f /srv/rr/zip2/pkg/a.txt ]",
    },
    Case {
        rule: "heredoc-write",
        setup: "mkdir -p /srv/rr/w",
        run: "cat <<EOF >>/srv/rr/w/hosts\n10.0.0.11 controller\nEOF\ncat > /srv/rr/w/k8s.conf << 'EOF'\noverlay\nbr_netfilter\nEOF",
        check: "grep -qx '10.0.0.11 controller' /srv/rr/w/hosts && grep -qx overlay /srv/rr/w/k8s.conf",
    },
    Case {
        rule: "tee-write",
        setup: "",
        run: "cat <<EOF | sudo tee /srv/rr/w/99-k8s.conf\nnet.ipv4.ip_forward = 1\nEOF\necho \"overlay\" | sudo tee -a /srv/rr/w/containerd.conf",
        check: "grep -q ip_forward /srv/rr/w/99-k8s.conf && [ \"$(grep -c overlay /srv/rr/w/containerd.conf)\" = 1 ]",
    },
    Case {
        rule: "echo-append",
        setup: "",
        run: "echo \"export JAVA_HOME=/usr/lib/jvm/java-8\" >> ~/.bashrc\nsudo echo '10.0.0.31 compute1' >> /srv/rr/w/hosts",
        check: "[ \"$(grep -c JAVA_HOME ~/.bashrc)\" = 1 ] && grep -q compute1 /srv/rr/w/hosts",
    },
    Case {
        rule: "sed-in-place",
        setup: "printf '/dev/sda1 / ext4 defaults 0 1\\n/swap.img none swap sw 0 0\\n' >/srv/rr/w/fstab && cp /srv/rr/w/fstab /srv/rr/w/fstab2 && echo SELINUX=enforcing >/srv/rr/w/selinux",
        run: "sed -i '/swap/s/^/#/' /srv/rr/w/fstab\nsudo sed -i '/ swap / s/^\\(.*\\)$/#\\1/g' /srv/rr/w/fstab2\nsudo sed -i 's/^SELINUX=enforcing$/SELINUX=disabled/' /srv/rr/w/selinux",
        check: "grep -qx '#/swap.img none swap sw 0 0' /srv/rr/w/fstab && grep -qx '#/swap.img none swap sw 0 0' /srv/rr/w/fstab2 && grep -qx SELINUX=disabled /srv/rr/w/selinux",
    },
    Case {
        rule: "ovs-add",
        setup: "",
        run: "ovs-vsctl add-br br-ex\novs-vsctl add-port br-ex rr2",
        check: "ovs-vsctl list-ports br-ex | grep -qx rr2",
    },
    Case {
        rule: "nmcli-add",
        setup: "",
        run: "nmcli con add type bridge ifname br0 con-name br0\nnmcli connection add type ethernet con-name eth1 ifname eth1",
        check: "nmcli connection show br0 && nmcli connection show eth1",
    },
    Case {
        rule: "lvm-create",
        setup: "",
        run: "pvcreate /dev/sdb\nvgcreate cinder-volumes /dev/sdc\nsudo lvcreate -L 10G -n data cinder-volumes",
        check: "pvs /dev/sdb && vgs cinder-volumes && lvs cinder-volumes/data",
    },
    Case {
        rule: "docker-create",
        setup: "",
        run: "docker volume create portainer_data\nsudo docker network create --driver bridge kafka-net",
        check: "docker volume inspect portainer_data && docker network inspect kafka-net",
    },
    Case {
        rule: "kubeadm",
        setup: "",
        run: "sudo kubeadm init --pod-network-cidr=10.244.0.0/16\nkubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00",
        check: "[ -f /etc/kubernetes/admin.conf ] && [ -f /etc/kubernetes/kubelet.conf ]",
    },
    Case {
        rule: "kubectl-create",
        setup: "mkdir -p /srv/rrs/k8s && printf 'kind: ServiceAccount\\nmetadata:\\n  name: admin-user\\n' >/srv/rrs/k8s/sa.yaml",
        run: "kubectl create namespace monitoring\nkubectl create deployment nginx-test --image=nginx:alpine\nkubectl create -f /srv/rrs/k8s/sa.yaml\nsudo k3s kubectl create secret generic regcred -n apps --from-literal=a=b",
        check: "kubectl get ns monitoring && kubectl get secret regcred -n apps",
    },
    Case {
        rule: "kubectl-set",
        setup: "kubectl create node master && kubectl create node worker-1 && kubectl taint nodes master node-role.kubernetes.io/master=:NoSchedule",
        run: "sudo k3s kubectl label node worker-1 node-role.kubernetes.io/worker=worker\nkubectl taint nodes master dedicated=infra:NoSchedule\nkubectl taint nodes --all node-role.kubernetes.io/master-",
        check: "grep -q dedicated /var/lib/stubs/kube/node/default/master && ! grep -q master= /var/lib/stubs/kube/node/default/master",
    },
    Case {
        rule: "helm",
        setup: "",
        run: "helm repo add bitnami https://charts.bitnami.com/bitnami\nhelm install prometheus prometheus-community/kube-prometheus-stack -n monitoring",
        check: "[ -f /var/lib/stubs/helm/releases/prometheus ]",
    },
    Case {
        rule: "kafka-topic",
        setup: "mkdir -p /srv/rr/kafka/bin && ln -s /opt/runbook-stubs/bin/kafka-topics.sh /srv/rr/kafka/bin/",
        run: "cd /srv/rr/kafka\nbin/kafka-topics.sh --create --topic events --bootstrap-server localhost:9092\nkafka-topics --create --zookeeper zk1:2181 --replication-factor 1 --partitions 1 --topic test",
        check: "kafka-topics --list | grep -qx events",
    },
    Case {
        rule: "ceph-bootstrap",
        setup: "mkdir -p /srv/rr/ceph",
        run: "cephadm bootstrap --mon-ip 10.3.0.118\ncd /srv/rr/ceph\nceph-deploy new node01",
        check: "[ -f /etc/ceph/ceph.conf ] && [ -f /srv/rr/ceph/ceph.conf ]",
    },
    Case {
        rule: "hdfs-format",
        setup: "mkdir -p /srv/rr/hadoop/bin && ln -s /opt/runbook-stubs/bin/hdfs /srv/rr/hadoop/bin/hadoop && ln -s /opt/runbook-stubs/bin/hdfs /srv/rr/hadoop/bin/hdfs",
        run: "hdfs namenode -format\nexport HADOOP_HOME=/srv/rr/hadoop\n$HADOOP_HOME/bin/hadoop namenode -format\nhdfs zkfc -formatZK",
        check: "[ -f /var/lib/hadoop-stub/name/current/VERSION ] && [ -f /var/lib/stubs/zk/hadoop-ha ]",
    },
    Case {
        rule: "k3s-install",
        setup: "",
        run: "curl -sfL https://get.k3s.io | sh -s - --write-kubeconfig-mode 644\ncurl -sfL https://get.k3s.io | K3S_URL=https://10.0.0.10:6443 K3S_TOKEN=abc sh -",
        check: "[ -f /etc/systemd/system/k3s.service ] && [ -f /etc/systemd/system/k3s-agent.service ]",
    },
    Case {
        rule: "ssh-keygen",
        setup: "mkdir -p /srv/rr/keys",
        run: "ssh-keygen -t rsa\nssh-keygen -q -t ed25519 -N \"\" -f /srv/rr/keys/id_ed25519",
        check: "[ -f /root/.ssh/id_rsa.pub ] && [ -f /srv/rr/keys/id_ed25519 ]",
    },
    Case {
        rule: "generated-file",
        setup: "mkdir -p /srv/rr/tls",
        run: "openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout /srv/rr/tls/tls.key -out /srv/rr/tls/tls.crt -subj \"/CN=registry\"\npackstack --gen-answer-file=/srv/rr/answers.txt",
        check: "[ -f /srv/rr/tls/tls.crt ] && [ -f /srv/rr/answers.txt ]",
    },
    Case {
        rule: "gpg-dearmor",
        setup: "mkdir -p /srv/rrs/gpg /srv/rr/gpg && printf 'key bytes' | gpg --enarmor >/srv/rrs/gpg/key.asc 2>/dev/null",
        run: "cat /srv/rrs/gpg/key.asc | sudo gpg --dearmor -o /srv/rr/gpg/key.gpg\ngpg --dearmor --output /srv/rr/gpg/key2.gpg < /srv/rrs/gpg/key.asc",
        check: "[ -s /srv/rr/gpg/key.gpg ] && [ -s /srv/rr/gpg/key2.gpg ]",
    },
    Case {
        rule: "ssh-copy-id",
        setup: "mkdir -p /srv/rrs/ssh && ssh-keygen -q -t ed25519 -N '' -f /srv/rrs/ssh/ceph",
        run: "ssh-copy-id -f -i /srv/rrs/ssh/ceph.pub root@s1\nssh-copy-id -i /srv/rrs/ssh/ceph root@s2",
        check: "[ \"$(grep -cF \"$(cat /srv/rrs/ssh/ceph.pub)\" /root/.ssh/authorized_keys)\" = 1 ]",
    },
    Case {
        rule: "kernel-settings",
        setup: "",
        run: "sudo sysctl -w net.ipv4.ip_forward=1\nsudo modprobe br_netfilter\nswapoff -a",
        check: "[ \"$(cat /var/lib/stubs/swap)\" = off ]",
    },
    Case {
        rule: "services",
        setup: "",
        run: "sudo systemctl enable --now kubelet\nsystemctl daemon-reload",
        check: "systemctl is-active kubelet",
    },
    Case {
        rule: "firewall-cmd",
        setup: "",
        run: "sudo firewall-cmd --permanent --add-port=6443/tcp\nfirewall-cmd --add-service=http --permanent\nfirewall-cmd --reload",
        check: "[ -e /var/lib/stubs/firewalld/runtime/port=6443_tcp ]",
    },
    Case {
        rule: "rabbitmq-add",
        setup: "yum install -y rabbitmq-server >/dev/null && systemctl start rabbitmq-server",
        run: "rabbitmqctl add_user openstack RABBIT_PW\nsudo rabbitmqctl add_vhost /sensu\nrabbitmqctl set_permissions openstack \".*\" \".*\" \".*\"",
        check: "rabbitmqctl list_users | grep -q openstack && rabbitmqctl list_vhosts | grep -qx /sensu",
    },
    Case {
        rule: "service-bootstrap",
        setup: "echo off >/var/lib/stubs/openstack_auth",
        run: "keystone-manage bootstrap --bootstrap-password ADMIN_PW --bootstrap-admin-url http://controller:5000/v3/ --bootstrap-region-id RegionOne\nglance-manage db_sync",
        check: "",
    },
    Case {
        rule: "openstack-create",
        setup: "",
        run: "export OS_AUTH_URL=http://controller:5000/v3 OS_USERNAME=admin OS_PASSWORD=ADMIN_PW OS_PROJECT_NAME=admin\nopenstack project create --domain default --description \"Service Project\" service\nopenstack flavor create --id 0 --vcpus 1 --ram 64 --disk 1 m1.nano",
        check: "",
    },
    Case {
        rule: "nova-cell",
        setup: "",
        run: "su -s /bin/sh -c \"nova-manage cell_v2 create_cell --name=cell1 --verbose\" nova\nnova-manage cell_v2 create_cell --name cell2",
        check: "nova-manage cell_v2 list_cells | grep -q ' cell1 '",
    },
    Case {
        rule: "mongo-create-user",
        setup: "",
        run: "mongo admin --eval 'db.createUser({user: \"admin\", pwd: \"secret\", roles: [\"root\"]})'\nmongosh --port 27017 --eval \"db.getSiblingDB('graylog').createUser({user:'graylog', pwd:'x', roles:['readWrite']})\"",
        check: "[ -e /var/lib/stubs/mongo/admin/admin ] && [ -e /var/lib/stubs/mongo/graylog/graylog ]",
    },
];

/// Links and addresses live in the sandbox's network namespace, which lasts one `exec`: these
/// entries run twice within one.
const NET_CASES: &[Case] = &[
    Case {
        rule: "ip-add",
        setup:
            "ip link add rr0 type veth peer name rr0p && ip link set rr0 up && ip link set rr0p up",
        run:
            "ip addr add 192.168.77.1/24 dev rr0\nsudo ip route add 10.77.0.0/16 via 192.168.77.254",
        check: "ip addr show dev rr0 | grep -q 192.168.77.1/24 && ip route | grep -q 10.77.0.0/16",
    },
    Case {
        rule: "ip-link-add",
        setup: "",
        run: "ip link add rr1 type veth peer name rr1p\nsudo ip link add name br-rr type bridge",
        check: "ip link show rr1 && ip link show br-rr",
    },
    Case {
        rule: "brctl-add",
        setup: "",
        run: "brctl addbr rrbr0\nbrctl addif rrbr0 rr1",
        check: "brctl show rrbr0 | grep -qw rr1",
    },
];

/// The database clients' entries, run against a private MariaDB and PostgreSQL.
const SQL_CASES: &[Case] = &[
    Case {
        rule: "sql-one-liner",
        setup: "",
        run: "mysql -u root -e \"CREATE DATABASE rrkeystone;\"\nmysql -uroot -e \"CREATE USER 'rrhive'@'%' IDENTIFIED BY 'pw'; GRANT ALL ON rrkeystone.* TO 'rrhive'@'%';\"\nsudo mariadb --execute='create database rrnextcloud'",
        check: "mysql -u root -N -e 'SHOW DATABASES' | grep -qx rrnextcloud",
    },
    Case {
        rule: "psql-create",
        setup: "",
        run: "sudo -u postgres psql -c \"CREATE USER airflow WITH PASSWORD 'pw';\"\npsql -U postgres -c 'CREATE DATABASE \"Harbor\" OWNER airflow'",
        check: "psql -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='Harbor'\" | grep -q 1",
    },
    Case {
        rule: "pg-create-tool",
        setup: "",
        run: "sudo -u postgres createuser --superuser zabbix\nsudo -u postgres createdb -O zabbix zabbix",
        check: "psql -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='zabbix'\" | grep -q 1",
    },
];

/// A plan with one command step per case, run filled (guarded) as the plan stage does.
fn plan(cases: &[Case]) -> Plan {
    let steps: Vec<serde_json::Value> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "id": format!("r{i:02}-{}", c.rule),
                "source": {"file": "rerun.md", "line": i + 1},
                "section": ["rerun"],
                "title": c.rule,
                "nodes": ["node"],
                "phase": 1,
                "kind": "command",
                "original": c.run,
                "run": c.run,
                "variables": [],
                "end_line": i + 1,
                "anchor": format!("rerun.html#{}", c.rule),
            })
        })
        .collect();
    let json = serde_json::json!({
        "version": 1, "title": "rerun", "nodes": ["node"], "variables": [], "phases": 1,
        "steps": steps,
    });
    let mut plan: Plan = serde_json::from_value(json).expect("a plan");
    for s in plan.steps.iter_mut() {
        runbook::runtext::fill(s);
    }
    plan
}

/// `sandbox.sh exec` with the databases' sockets (MariaDB through --mysql, PostgreSQL bound at
/// /run/postgresql).
fn exec(sbx: &Sandbox, pg: Option<&Path>, args: &[&str]) -> Output {
    let mut c = Command::new(root().join("tests/harness/sandbox.sh"));
    c.arg("exec").arg(&sbx.dir).arg("--env").arg("NO_COLOR=1");
    if let Some(m) = &sbx.mysql {
        c.arg("--mysql").arg(m);
    }
    if let Some(p) = pg {
        c.arg("--bind")
            .arg(format!("{}:/run/postgresql", p.join("sock").display()));
    }
    c.args(["--timeout", "300", "--"]).args(args);
    c.stdin(Stdio::null()).output().expect("sandbox.sh runs")
}

/// The state the stubs keep (their call log and counters left out).
fn stub_state(sbx: &Sandbox) -> String {
    let base = sbx.dir.join("upper/var/lib/stubs");
    let mut out = Vec::new();
    let mut stack = vec![base.clone()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(&base).unwrap().display().to_string();
            if rel.starts_with("calls.") || rel == "killed" || rel == "kill_at" {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let body = std::fs::read(&p).unwrap_or_default();
                out.push(format!("{rel}: {}", String::from_utf8_lossy(&body)));
            }
        }
    }
    out.sort();
    out.join("\n")
}

/// Everything the run may have changed: files, stub state, and the given extra state.
fn state(sbx: &Sandbox, extra: &dyn Fn() -> String) -> String {
    format!(
        "{}\n--- stubs\n{}\n--- databases\n{}",
        sbx.snapshot(&["/root/.gnupg"]),
        stub_state(sbx),
        extra()
    )
}

/// Run the cases' runbook twice; the second run (`--force`) must succeed and change nothing.
fn rerun(name: &str, cases: &[Case], sbx: &Sandbox, pg: Option<&Path>, extra: &dyn Fn() -> String) {
    let dir = scratch(&format!("rerun-{name}"));
    let plan = plan(cases);
    let scripts = render_into(&plan, &dir);
    sbx.put(&scripts[0].1, "/opt/runbook-input/node.sh");
    let setup: Vec<&str> = cases
        .iter()
        .map(|c| c.setup)
        .filter(|s| !s.is_empty())
        .collect();
    let o = exec(sbx, pg, &["bash", "-ec", &setup.join("\n")]);
    assert!(o.status.success(), "setup: {}", text(&o));
    let rb = ["bash", "/opt/runbook-input/node.sh", "--yes"];
    let first = exec(sbx, pg, &rb);
    assert!(first.status.success(), "first run: {}", text(&first));
    for c in cases.iter().filter(|c| !c.check.is_empty()) {
        let o = exec(sbx, pg, &["bash", "-ec", c.check]);
        assert!(
            o.status.success(),
            "{}: the first run did not do its work: {}",
            c.rule,
            text(&o)
        );
    }
    let before = state(sbx, extra);
    let second = exec(
        sbx,
        pg,
        &["bash", "/opt/runbook-input/node.sh", "--yes", "--force"],
    );
    assert!(second.status.success(), "second run: {}", text(&second));
    let after = state(sbx, extra);
    if before != after {
        std::fs::write(dir.join("before.txt"), &before).ok();
        std::fs::write(dir.join("after.txt"), &after).ok();
        let diff = Command::new("diff")
            .arg("-u")
            .arg(dir.join("before.txt"))
            .arg(dir.join("after.txt"))
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        panic!(
            "the second run changed something:\n{diff}\n{}",
            text(&second)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_rule_has_a_rerun_entry() {
    for r in runbook::runtext::guards::RULES.iter() {
        let cases: Vec<&Case> = CASES
            .iter()
            .chain(SQL_CASES)
            .chain(NET_CASES)
            .filter(|c| c.rule == r.name)
            .collect();
        assert!(!cases.is_empty(), "rule {} has no re-run entry", r.name);
        for c in cases {
            let applied = runbook::runtext::guards::rules_applied(c.run);
            assert!(applied.contains(&r.name), "{}: read by {applied:?}", r.name);
        }
    }
}

#[test]
fn second_run_changes_nothing() {
    if !have_sandbox() {
        return;
    }
    for tool in [
        "git",
        "unzip",
        "zip",
        "openssl",
        "ssh-keygen",
        "gpg",
        "ip",
        "tar",
        "runuser",
    ] {
        if !have_tool(tool, "the re-run entries use the real tool") {
            return;
        }
    }
    let sbx = Sandbox::new("guards-rerun");
    rerun("tools", CASES, &sbx, None, &String::new);
}

#[test]
fn second_run_of_network_commands_changes_nothing() {
    if !have_sandbox() || !have_tool("ip", "links and addresses are made for real") {
        return;
    }
    let sbx = Sandbox::new("guards-rerun-net");
    let dir = scratch("rerun-net");
    let scripts = render_into(&plan(NET_CASES), &dir);
    sbx.put(&scripts[0].1, "/opt/runbook-input/node.sh");
    let mut script =
        String::from("set -e\nnet() { ip -o link show; ip -o addr show; ip route; brctl show; }\n");
    for c in NET_CASES {
        script.push_str(c.setup);
        script.push('\n');
    }
    script.push_str("bash /opt/runbook-input/node.sh --yes\n");
    for c in NET_CASES {
        script.push_str(c.check);
        script.push('\n');
    }
    script.push_str("net >/tmp/first\nbash /opt/runbook-input/node.sh --yes --force || { cat /var/log/runbook/node.log; tail -5 /var/log/stubs/calls.log; exit 1; }\n");
    script.push_str("net >/tmp/second\ndiff -u /tmp/first /tmp/second\n");
    let o = exec(&sbx, None, &["bash", "-c", &script]);
    assert!(o.status.success(), "network entries: {}", text(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn second_run_of_database_clients_changes_nothing() {
    if !have_sandbox()
        || !have_tool("mysql", "the SQL one-liners run against MariaDB")
        || !have_tool(
            "psql",
            "the PostgreSQL entries run against a private server",
        )
    {
        return;
    }
    let Some(db) = MariaDb::start("guards-rerun") else {
        return;
    };
    let Some(pg) = PgServer::start() else {
        return;
    };
    let pg_dir = pg.dir.clone();
    let mut sbx = Sandbox::new("guards-rerun-sql");
    sbx.mysql = Some(db.dir.clone());
    let sock = pg_dir.join("sock");
    let databases = || {
        let pg = Command::new("psql")
            .args([
                "-h",
                &sock.display().to_string(),
                "-U",
                "postgres",
                "-tA",
                "-c",
            ])
            .arg(
                "SELECT rolname FROM pg_roles UNION ALL SELECT datname FROM pg_database ORDER BY 1",
            )
            .output()
            .expect("psql runs");
        format!(
            "{}{}",
            db.query("SELECT user, host FROM mysql.user ORDER BY 1, 2; SHOW DATABASES"),
            String::from_utf8_lossy(&pg.stdout)
        )
    };
    rerun("sql", SQL_CASES, &sbx, Some(&pg_dir), &databases);
}

/// A private PostgreSQL server (`tests/harness/postgres.sh`), stopped and removed on drop.
struct PgServer {
    dir: PathBuf,
}

impl PgServer {
    fn start() -> Option<PgServer> {
        let base = scratch("guards-pg");
        // the server runs as the postgres user, which must reach its directory
        let mut p = base.clone();
        while p.pop() && p != Path::new("/") {
            let mode = std::fs::metadata(&p).map(|m| m.permissions());
            if let Ok(mut perm) = mode {
                use std::os::unix::fs::PermissionsExt;
                if perm.mode() & 0o001 == 0 {
                    perm.set_mode(perm.mode() | 0o011);
                    std::fs::set_permissions(&p, perm).ok();
                }
            }
        }
        let dir = base.join("pg");
        let o = Command::new(root().join("tests/harness/postgres.sh"))
            .arg("start")
            .arg(&dir)
            .output()
            .expect("postgres.sh runs");
        if o.status.success() {
            return Some(PgServer { dir });
        }
        let why = text(&o);
        assert!(!in_ci(), "postgres.sh start failed: {why}");
        eprintln!(
            "SKIP: no PostgreSQL server: {}",
            why.trim().lines().last().unwrap_or("")
        );
        None
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        Command::new(root().join("tests/harness/postgres.sh"))
            .arg("rm")
            .arg(&self.dir)
            .output()
            .ok();
        if let Some(p) = self.dir.parent() {
            std::fs::remove_dir_all(p).ok();
        }
    }
}
