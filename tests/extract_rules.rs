//! Extraction rules on small guides: one test per convention.

use runbook::model::{Kind, Plan, Step};
use std::path::PathBuf;

struct Guide {
    _dir: TempDir,
    path: PathBuf,
}

struct TempDir(PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn guide(files: &[(&str, &str)]) -> Guide {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "runbook-rules-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    Guide {
        path: dir.clone(),
        _dir: TempDir(dir),
    }
}

fn compile(md: &str) -> (Plan, Vec<String>) {
    let g = guide(&[("guide.md", md)]);
    let c = runbook::compile(&g.path).expect("compiles");
    let diags = c
        .diagnostics
        .sorted()
        .iter()
        .map(|d| d.to_string())
        .collect();
    (c.plan, diags)
}

fn find<'a>(p: &'a Plan, needle: &str) -> &'a Step {
    p.steps
        .iter()
        .find(|s| s.run.contains(needle) || s.path() == Some(needle) || s.original.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no step with {needle:?}: {:#?}",
                p.steps
                    .iter()
                    .map(|s| (s.kind(), &s.run, s.path()))
                    .collect::<Vec<_>>()
            )
        })
}

const NODES: &str = "## 개요\n\n- Controller Node: 관리\n- Compute Node: 가상 머신\n- Controller 노드와 Compute 노드는 관리 네트워크로 연결\n\n";

#[test]
fn fences_tildes_lists_and_blockquotes() {
    let (p, _) = compile(&format!(
        "{NODES}## 설치\n\n- 패키지\n\n    ```\n    yum install chrony\n  ```\n\n~~~console\nsystemctl enable chronyd\n~~~\n\n> \\# systemctl start chronyd <br>\n> \\# chronyc sources <br>\n"
    ));
    assert_eq!(find(&p, "yum install -y chrony").kind(), Kind::Command);
    assert_eq!(find(&p, "systemctl enable chronyd").kind(), Kind::Command);
    assert_eq!(find(&p, "systemctl start chronyd").kind(), Kind::Command);
    assert_eq!(find(&p, "chronyc sources").kind(), Kind::Verify);
}

#[test]
fn prompts_are_stripped_and_output_dropped() {
    let (p, _) = compile(&format!(
        "{NODES}## 설치\n\n```\nroot@controller$ yum install chrony\nLoaded plugins: fastestmirror\nComplete!\n```\n\n```\n[root@compute ~]# systemctl start chronyd\n```\n"
    ));
    let s = find(&p, "yum install");
    assert_eq!(s.run, "yum install -y chrony");
    assert_eq!(s.nodes, vec!["controller"]);
    assert_eq!(find(&p, "systemctl start chronyd").nodes, vec!["compute"]);
}

#[test]
fn heading_scope_holds_until_a_heading_of_the_same_level() {
    let (p, _) = compile(
        "# 설치\n\n## Controller 노드\n\n- `yum install -y a`\n\n### 하위 절\n\n- `yum install -y b`\n\n## Compute 노드\n\n- `yum install -y c`\n\n## 공통\n\n- `yum install -y d`\n",
    );
    assert_eq!(find(&p, "install -y a").nodes, vec!["controller"]);
    assert_eq!(find(&p, "install -y b").nodes, vec!["controller"]);
    assert_eq!(find(&p, "install -y c").nodes, vec!["compute"]);
    assert_eq!(
        find(&p, "install -y d").nodes,
        vec!["controller", "compute"]
    );
}

#[test]
fn prose_scope_lines() {
    let (p, _) = compile(&format!(
        "{NODES}## 방화벽\n\n**Controller 노드에서 진행**\n\n- `systemctl stop firewalld`\n\n**Controller와 Compute 모든 노드에서 진행**\n\n- `systemctl disable firewalld`\n\n## 다음\n\n- `yum install -y x`\n"
    ));
    assert_eq!(find(&p, "stop firewalld").nodes, vec!["controller"]);
    assert_eq!(
        find(&p, "disable firewalld").nodes,
        vec!["controller", "compute"]
    );
    assert_eq!(
        find(&p, "install -y x").nodes,
        vec!["controller", "compute"]
    );
}

#[test]
fn a_pasted_prompt_loses_to_the_section_and_check_warns_with_file_line() {
    let (p, d) = compile(
        "# 설치\n\n## Compute 노드\n\n```\nroot@compute$ yum install -y openstack-nova-compute\n```\n\n```\nroot@controller$ systemctl start openstack-nova-compute\n```\n\n## Controller 노드\n\n```\nroot@controller$ yum install -y mariadb\n```\n",
    );
    assert_eq!(
        find(&p, "systemctl start openstack-nova-compute").nodes,
        vec!["compute"]
    );
    assert!(
        d.iter()
            .any(|l| l.starts_with("guide.md:10: warning: prompt says controller")),
        "{d:?}"
    );
}

#[test]
fn misspelt_node_names_match() {
    let (p, _) = compile("# 설치\n\n```\n(Controller)# yum install -y a\n(Contorller)# yum install -y b\n(Compute)# yum install -y c\n```\n");
    assert_eq!(p.nodes, vec!["controller", "compute"]);
    assert_eq!(find(&p, "install -y b").nodes, vec!["controller"]);
}

#[test]
fn file_paths_from_prose_comments_editors_heredocs_and_captions() {
    let (p, _) = compile(&format!(
        "{NODES}## 설정\n\n- `/etc/chrony.conf` 수정\n\n  ```\n  server controller iburst\n  ```\n\n```\n# /etc/sysconfig/network-scripts/ifcfg-eth0\nONBOOT=yes\n```\n\n```\nvi /etc/a.conf\n```\n\n```\n[DEFAULT]\n...\nkey = v\n```\n\n```\ncat <<EOF > /etc/b.conf\nhello\nEOF\n```\n\n~~~text\n...\nallow 10.0.0.0/24\n~~~\n<figure>\n<figcaption>[파일 1] Controller Node - /etc/c.conf</figcaption>\n</figure>\n"
    ));
    let s = find(&p, "/etc/chrony.conf");
    assert_eq!(
        (s.kind(), Some(s.action.lines().to_vec())),
        (
            Kind::Lines,
            Some(vec!["server controller iburst".to_string()])
        )
    );
    assert_eq!(
        find(&p, "/etc/sysconfig/network-scripts/ifcfg-eth0").kind(),
        Kind::Lines
    );
    let a = find(&p, "/etc/a.conf");
    assert_eq!(a.kind(), Kind::Ini);
    assert_eq!(a.action.settings()[0].key, "key");
    let b = find(&p, "/etc/b.conf");
    assert_eq!(
        (b.kind(), b.action.content()),
        (Kind::File, Some("hello\n"))
    );
    let c = find(&p, "/etc/c.conf");
    assert_eq!(c.kind(), Kind::Lines);
    assert_eq!(c.nodes, vec!["controller"]);
}

#[test]
fn created_files_ini_snippets_and_trailing_comments() {
    let (p, _) = compile(&format!(
        "{NODES}## 설정\n\n- `/etc/my.cnf.d/openstack.cnf` 파일 생성 및 편집\n\n  ```ini\n  [mysqld]\n  bind-address = 10.0.0.11\n  ```\n\n- `/etc/nova/nova.conf` 수정\n\n  ```ini\n  [DEFAULT]\n  # ...\n  transport_url = rabbit://openstack:RABBIT_PASS@controller // 메시지 큐\n  my_ip = 10.0.0.11 # 관리 IP\n  ```\n"
    ));
    assert_eq!(find(&p, "/etc/my.cnf.d/openstack.cnf").kind(), Kind::File);
    let n = find(&p, "/etc/nova/nova.conf");
    let st = n.action.settings();
    assert_eq!(st[0].value, "rabbit://openstack:${RABBIT_PASS}@controller");
    assert_eq!(st[1].value, "10.0.0.11");
    assert!(p
        .variables
        .iter()
        .any(|v| v.name == "RABBIT_PASS" && v.secret));
}

#[test]
fn hosts_edits_keep_localhost_and_run_everywhere() {
    let (p, _) = compile(&format!(
        "{NODES}## 네트워크\n\n- `/etc/hosts` 파일 편집\n\n  ```bash\n  # controller\n  10.0.0.11\tcontroller\n  # compute\n  10.0.0.31\tcompute\n  ```\n"
    ));
    let h = find(&p, "/etc/hosts");
    assert_eq!(h.kind(), Kind::Lines);
    assert_eq!(h.nodes, vec!["controller", "compute"]);
    assert_eq!(h.action.lines().len(), 2);
}

#[test]
fn prose_edits_in_list_items() {
    let (p, _) = compile(&format!(
        "{NODES}## SSH\n\n- `/etc/ssh/sshd_config` 파일 편집\n  - `PermitRootLogin no` 추가\n  - `PasswordAuthentication yes`\n\n## SELinux\n\n- `/etc/selinux/config` 파일 편집\n  - `SELINUX=enforcing`을 `SELINUX=permissive`로 변경\n\n## NTP\n\n- `/etc/chrony.conf` 파일 편집\n  - `pool 2.centos.pool.ntp.org iburst` 라인은 `#`으로 주석 처리\n"
    ));
    let ssh = find(&p, "/etc/ssh/sshd_config");
    assert_eq!(
        ssh.action.lines(),
        &vec![
            "PermitRootLogin no".to_string(),
            "PasswordAuthentication yes".to_string()
        ]
    );
    let se = find(&p, "/etc/selinux/config");
    assert_eq!(se.action.lines(), &vec!["SELINUX=permissive".to_string()]);
    let ntp = find(&p, "/etc/chrony.conf");
    assert_eq!(
        ntp.action.comment_out(),
        vec!["pool 2.centos.pool.ntp.org iburst".to_string()]
    );
}

#[test]
fn inline_commands_are_steps_and_examples_are_not() {
    let (p, _) = compile(&format!(
        "{NODES}## 설치\n\n- `yum install chrony`\n- 자격 증명: `. admin-openrc`\n\n비밀번호는 `openssl rand -hex 10` 명령으로 만들 수 있습니다.\n"
    ));
    assert_eq!(find(&p, "yum install -y chrony").kind(), Kind::Command);
    assert_eq!(find(&p, ". admin-openrc").kind(), Kind::Command);
    assert!(!p.steps.iter().any(|s| s.run.contains("openssl")));
}

#[test]
fn sql_sessions_become_one_step() {
    let (p, _) = compile(&format!(
        "{NODES}## DB\n\n```\n$ mysql -u root -p\nMariaDB [(none)]> CREATE DATABASE keystone;\nMariaDB [(none)]> GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' \\\n  IDENTIFIED BY 'KEYSTONE_DBPASS';\nMariaDB [(none)]> exit\n```\n"
    ));
    let sql: Vec<_> = p.steps.iter().filter(|s| s.kind() == Kind::Sql).collect();
    assert_eq!(sql.len(), 1);
    assert!(
        sql[0].run.contains("IF NOT EXISTS keystone"),
        "{}",
        sql[0].run
    );
    assert!(sql[0].variables.contains(&"KEYSTONE_DBPASS".to_string()));
    assert!(!p.steps.iter().any(|s| s.kind() == Kind::Manual));
}

#[test]
fn interactive_becomes_non_interactive_or_manual() {
    let (p, _) = compile(&format!(
        "{NODES}## 설치\n\n```\nyum install openstack-glance\nopenstack user create --domain default --password-prompt glance\nmysql_secure_installation\nreboot\n```\n"
    ));
    assert!(find(&p, "openstack-glance")
        .run
        .contains("yum install -y openstack-glance"));
    assert!(find(&p, "user create")
        .run
        .contains("--password \"${GLANCE_PASS}\""));
    assert_eq!(find(&p, "mysql_secure_installation").kind(), Kind::Manual);
    assert_eq!(find(&p, "reboot").kind(), Kind::Manual);
}

#[test]
fn placeholders_become_variables() {
    let (p, _) = compile(&format!(
        "{NODES}## 설정\n\n- `/etc/sysconfig/network-scripts/ifcfg-<INTERFACE_NAME>` 파일 편집\n\n  ```\n  ONBOOT=yes\n  ```\n\n```\nrabbitmqctl add_user openstack RABBIT_PASS\nmysql -e \"GRANT ALL ON k.* TO 'k'@'%' IDENTIFIED BY '<password>'\"\n```\n"
    ));
    assert_eq!(
        find(&p, "ONBOOT").path(),
        Some("/etc/sysconfig/network-scripts/ifcfg-${INTERFACE_NAME}")
    );
    let r = find(&p, "rabbitmqctl add_user");
    assert!(r.run.contains("openstack \"${RABBIT_PASS}\""), "{}", r.run);
    assert!(r.run.contains("IDENTIFIED BY '${PASSWORD}'"), "{}", r.run);
    let names: Vec<_> = p
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.secret))
        .collect();
    assert!(names.contains(&("INTERFACE_NAME", false)));
    assert!(names.contains(&("RABBIT_PASS", true)));
    assert!(names.contains(&("PASSWORD", true)));
}

#[test]
fn read_only_checks_are_verify() {
    let (p, _) = compile(&format!(
        "{NODES}## 확인\n\n```\nping -c 4 controller\n```\n\n```\nchronyc sources\n```\n\n```\nopenstack user list\n```\n\n```\nopenstack token issue\n```\n"
    ));
    for s in &p.steps {
        assert_eq!(s.kind(), Kind::Verify, "{}", s.run);
    }
    assert_eq!(p.steps.len(), 4);
}

#[test]
fn annotations_settle_the_rest() {
    let (p, d) = compile(&format!(
        "{NODES}## 설정\n\n<!-- runbook: node=compute kind=lines path=/etc/x.conf -->\n```\na b\n```\n\n<!-- runbook: skip -->\n```\nrm -rf /var/lib/x\n```\n\n<!-- runbook: option net=a -->\n### 옵션 A\n\n- `yum install -y a`\n\n<!-- runbook: option net=b -->\n### 옵션 B\n\n- `yum install -y b`\n\n<!-- runbook: frobnicate -->\n"
    ));
    let x = find(&p, "/etc/x.conf");
    assert_eq!(
        (x.kind(), x.nodes.clone()),
        (Kind::Lines, vec!["compute".to_string()])
    );
    assert!(!p.steps.iter().any(|s| s.run.contains("rm -rf")));
    assert!(find(&p, "install -y a").selected());
    assert!(!find(&p, "install -y b").selected());
    assert!(
        d.iter()
            .any(|l| l.contains("guide.md:") && l.contains("note") && l.contains("option")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l.contains("warning: invalid runbook annotation, ignored")),
        "{d:?}"
    );
}

#[test]
fn phases_order_steps_across_nodes() {
    let (p, _) = compile(
        "# 설치\n\n## Controller 노드\n\n- `yum install -y a`\n- `yum install -y b`\n\n## Compute 노드\n\n- `yum install -y c`\n\n## Controller 노드 다시\n\n- `yum install -y d`\n",
    );
    let ph: Vec<u32> = ["-y a", "-y b", "-y c", "-y d"]
        .iter()
        .map(|n| find(&p, n).phase)
        .collect();
    assert_eq!(ph, vec![1, 1, 2, 3]);
    assert_eq!(p.phases, 3);
}

#[test]
fn ids_are_stable_and_unique() {
    let md = format!("{NODES}## 설치\n\n- `yum install -y a`\n- `yum install -y a`\n\n## 다른 절\n\n- `yum install -y b`\n");
    let (p1, _) = compile(&md);
    let (p2, _) = compile(&md.replace("다른 절", "바뀐 절"));
    let ids: std::collections::HashSet<_> = p1.steps.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), p1.steps.len());
    assert_eq!(p1.steps[0].id, p2.steps[0].id);
    assert_ne!(p1.steps[2].id, p2.steps[2].id);
    assert!(p1.steps.iter().all(|s| s
        .id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')));
}

#[test]
fn summary_order_and_natural_order() {
    let g = guide(&[
        ("ch10.md", "# 열\n\n- `yum install -y ten`\n"),
        ("ch2.md", "# 둘\n\n- `yum install -y two`\n"),
    ]);
    let c = runbook::compile(&g.path).unwrap();
    assert!(c.plan.steps[0].run.contains("two"));
    let g = guide(&[
        ("SUMMARY.md", "# 요약\n\n- [열](ch10.md)\n- [둘](ch2.md)\n"),
        ("ch10.md", "# 열\n\n- `yum install -y ten`\n"),
        ("ch2.md", "# 둘\n\n- `yum install -y two`\n"),
    ]);
    let c = runbook::compile(&g.path).unwrap();
    assert!(c.plan.steps[0].run.contains("ten"));
}

#[test]
fn unclassified_content_is_reported_with_file_line() {
    let (_, d) = compile(&format!(
        "{NODES}## 설정\n\n```\n[DEFAULT]\nkey = value\n```\n"
    ));
    assert!(
        d.iter()
            .any(|l| l.starts_with("guide.md:") && l.contains("no file is named")),
        "{d:?}"
    );
}

/// Nothing in a guide's content stops a build: what cannot be decided becomes a manual step (or
/// is left out) with a warning naming file:line.
#[test]
fn every_guide_builds() {
    let (p, d) = compile(&format!(
        "{NODES}## 설정\n\nredis.conf:\n```\nport 5000\n```\n\n`$REDIS_HOME/redis.conf` 수정\n\n```\nport 5001\n```\n\n<!-- runbook: kind=lines -->\n```\na b\n```\n\n<!-- runbook: node=nosuch -->\n```bash\nyum install -y chrony\n```\n\n<!-- runbook: frobnicate -->\n"
    ));
    // a relative path, read against root's home with a warning
    let rel = find(&p, "port 5000");
    assert_eq!(rel.path(), Some("/root/redis.conf"));
    assert!(
        d.iter()
            .any(|l| l.contains("guide.md:11: warning: relative file path")),
        "{d:?}"
    );
    // a variable the guide never sets, and an edit with no file: manual steps
    let var = find(&p, "port 5001");
    assert_eq!(var.kind(), Kind::Manual);
    assert!(
        d.iter().any(|l| l.contains("cannot be made absolute")),
        "{d:?}"
    );
    assert_eq!(find(&p, "a b").kind(), Kind::Manual);
    assert!(
        d.iter().any(|l| l.contains("an edit names no file")),
        "{d:?}"
    );
    // an unknown node and an unreadable annotation are warnings; the step runs by its section
    assert_eq!(find(&p, "chrony").kind(), Kind::Command);
    assert!(d.iter().all(|l| !l.contains(": error:")), "{d:?}");
}

/// Peers the guide numbers in its `/etc/hosts` lines are its machines; the section that founds
/// the cluster runs on the first of them, a section adding machines on the others, and the
/// cluster's clients where it was founded. Three phrasings: an oVirt host pair in Korean, a
/// Galera trio in English, a cephadm trio with its keys copied by the founding host.
#[test]
fn peers_found_the_cluster_on_the_first_and_join_from_the_others() {
    let (p, _) = compile(
        "# oVirt\n\n## 준비\n\n* 모든 노드의 /etc/hosts 에 추가합니다.\n\n```\n10.0.0.2 engine.example.dom master # engine VM\n10.0.0.3 node1.example.dom node1\n10.0.0.4 node2.example.dom node2\n```\n\n## Step 1. engine 설치\n\n* MAC 주소를 만듭니다.\n\n```bash\n$ python3 -c \"print(1)\"\n```\n\n* deploy\n\n```bash\n$ hosted-engine --deploy --config-append=answers.conf\n```\n\n## Step 2. oVirt node 추가\n\n```bash\n$ systemctl enable --now libvirtd\n```\n",
    );
    assert_eq!(p.nodes, vec!["node1", "node2"]);
    assert_eq!(find(&p, "/etc/hosts").nodes, vec!["node1", "node2"]);
    assert_eq!(find(&p, "print(1)").nodes, vec!["node1"]);
    assert_eq!(find(&p, "hosted-engine --deploy").nodes, vec!["node1"]);
    assert_eq!(find(&p, "enable --now libvirtd").nodes, vec!["node2"]);

    let (p, _) = compile(
        "# Galera\n\n## Hosts\n\n```\n192.168.0.11 db1\n192.168.0.12 db2\n192.168.0.13 db3\n```\n\n## Install\n\n```\nyum install -y mariadb-server-galera\n```\n\n## Bootstrap the cluster\n\n```\ngalera_new_cluster\n```\n\n## Join the other nodes\n\n```\nsystemctl start mariadb\n```\n",
    );
    assert_eq!(p.nodes, vec!["db1", "db2", "db3"]);
    assert_eq!(
        find(&p, "mariadb-server-galera").nodes,
        vec!["db1", "db2", "db3"]
    );
    assert_eq!(find(&p, "galera_new_cluster").nodes, vec!["db1"]);
    assert_eq!(
        find(&p, "systemctl start mariadb").nodes,
        vec!["db2", "db3"]
    );

    let (p, _) = compile(
        "# Ceph\n\n## 호스트\n\n```\n10.1.0.1 ceph1\n10.1.0.2 ceph2\n10.1.0.3 ceph3\n```\n\n## 클러스터 생성\n\n```\ncephadm bootstrap --mon-ip 10.1.0.1\n```\n\n## 호스트 추가\n\n```\nssh-copy-id -f -i /etc/ceph/ceph.pub root@ceph2\nssh-copy-id -f -i /etc/ceph/ceph.pub root@ceph3\n```\n\n```\nceph orch host add ceph2 10.1.0.2\nceph orch host add ceph3 10.1.0.3\n```\n\n## OSD\n\n```\nceph orch apply osd --all-available-devices\n```\n",
    );
    assert_eq!(p.nodes, vec!["ceph1", "ceph2", "ceph3"]);
    assert_eq!(find(&p, "cephadm bootstrap").nodes, vec!["ceph1"]);
    // the keys are copied from the founding host, the hosts added through its client
    assert_eq!(find(&p, "root@ceph2").nodes, vec!["ceph1"]);
    assert_eq!(find(&p, "ceph orch host add").nodes, vec!["ceph1"]);
    assert_eq!(find(&p, "ceph orch apply osd").nodes, vec!["ceph1"]);
}
