//! Block reading, on lines of real guides.

use super::*;

fn segs(s: &str) -> Vec<Segment> {
    let known = vec!["controller".to_string(), "compute".to_string()];
    segments(
        s,
        &BlockCtx {
            known_nodes: &known,
            expects_content: false,
            creates_file: false,
            sql_info: false,
            output_info: false,
        },
    )
}

#[test]
fn prompted_block_drops_output() {
    let s = segs("root@controller$ yum install chrony\nLoaded plugins: fastestmirror\nroot@controller$ systemctl enable chronyd\n");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].kind, SegKind::Commands(Effect::Change));
    assert_eq!(
        s[0].lines,
        vec!["yum install chrony", "systemctl enable chronyd"]
    );
    assert_eq!(s[0].prompt_nodes, vec![Canon::Node("controller".into())]);
}

#[test]
fn sql_session() {
    let s = segs("$ mysql -u root -p\nMariaDB [(none)]> CREATE DATABASE keystone;\nMariaDB [(none)]> GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' \\\n  IDENTIFIED BY 'KEYSTONE_DBPASS';\nMariaDB [(none)]> exit\n");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].kind, SegKind::Sql);
    assert_eq!(s[0].lines.len(), 3);
}

#[test]
fn editor_then_content_then_commands() {
    let s = segs("vim /etc/chrony/chrony.conf\n\n#pool x iburst\nserver controller iburst\n\nsystemctl restart chrony\n");
    assert_eq!(
        s[0].kind,
        SegKind::Content {
            path: Some("/etc/chrony/chrony.conf".into()),
            editor: true
        }
    );
    assert_eq!(s[1].kind, SegKind::Commands(Effect::Change));
}

#[test]
fn heredocs_split_the_block() {
    let s = segs("sed -i '/127.0.1.1/d' /etc/hosts\n\ncat <<EOF >>/etc/hosts\n192.168.56.110  controller\nEOF\n\napt -y install vim\n");
    assert_eq!(s.len(), 3);
    assert_eq!(
        s[1].kind,
        SegKind::Heredoc {
            path: "/etc/hosts".into(),
            append: true
        }
    );
    assert_eq!(s[1].lines, vec!["192.168.56.110  controller"]);
}

#[test]
fn content_block_with_path_comment() {
    let s = segs("# /etc/sysconfig/network-scripts/ifcfg-enp0s3\nTYPE=Ethernet\nONBOOT=yes\n");
    assert_eq!(
        s[0].kind,
        SegKind::Content {
            path: Some("/etc/sysconfig/network-scripts/ifcfg-enp0s3".into()),
            editor: false
        }
    );
    assert_eq!(s[0].lines, vec!["TYPE=Ethernet", "ONBOOT=yes"]);
}

#[test]
fn switches_inside_one_fence() {
    let s = segs("yum install chrony\n-----\ncontroller\n-----\nsystemctl reload iptables\n\ncompute node에서\n#systemctl stop openstack-nova-compute\n");
    assert_eq!(s.len(), 3);
    assert_eq!(
        s[1].local_scope.as_ref().map(|x| x.0.clone()),
        Some(vec![Canon::Node("controller".into())])
    );
    assert_eq!(
        s[2].local_scope.as_ref().map(|x| x.0.clone()),
        Some(vec![Canon::Node("compute".into())])
    );
}

#[test]
fn root_hash_prompt_mixed_with_bare_lines() {
    let s = segs("# systemctl stop firewalld //방화벽해제\n# systemctl disable firewalld\n");
    assert_eq!(
        s[0].lines,
        vec!["systemctl stop firewalld", "systemctl disable firewalld"]
    );
}

#[test]
fn client_exits_end_sql_sessions() {
    for exit in ["exit", "quit;", "\\q", "EXIT"] {
        assert!(is_client_exit(exit), "{exit}");
    }
    assert!(!is_client_exit("exit_code"));
    // an unprompted session after `mysql` in the same block: `\q` is not a statement
    let s = segs("mysql -u root -p\nCREATE DATABASE glance;\n\\q\n");
    let sql: Vec<&Segment> = s.iter().filter(|g| g.kind == SegKind::Sql).collect();
    assert_eq!(sql.len(), 1, "{s:?}");
    assert_eq!(sql[0].lines, vec!["CREATE DATABASE glance;"]);
}

#[test]
fn heredocs_piped_to_tee_write_files() {
    // two guides' phrasings: `| sudo tee FILE`, and `| tee -a FILE > /dev/null`
    let s = segs("cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\noverlay\nbr_netfilter\nEOF\n");
    assert_eq!(
        s[0].kind,
        SegKind::Heredoc {
            path: "/etc/modules-load.d/k8s.conf".into(),
            append: false
        }
    );
    assert_eq!(s[0].lines, vec!["overlay", "br_netfilter"]);
    let s = segs("cat <<'EOF' | tee -a /etc/hosts > /dev/null\n10.0.0.11 master\nEOF\n");
    assert_eq!(
        s[0].kind,
        SegKind::Heredoc {
            path: "/etc/hosts".into(),
            append: true
        }
    );
}

#[test]
fn text_blocks_without_a_file_are_output() {
    let known = vec!["master".to_string(), "worker".to_string()];
    let ctx = |output_info| BlockCtx {
        known_nodes: &known,
        expects_content: false,
        creates_file: false,
        sql_info: false,
        output_info,
    };
    // two guides' pasted outputs: a node table and a pod list
    for text in [
        "NAME       STATUS   ROLES                  AGE   VERSION\nworker-1   Ready    <none>                 1m    v1.27\n",
        "example-nginx-7f8c   1/1     Running   0          5m    10.42.1.3   worker-1   <none>\n",
    ] {
        assert!(segments(text, &ctx(true)).is_empty(), "{text}");
    }
    // with a prompt the commands still run
    let s = segments("$ kubectl get nodes\nNAME STATUS\n", &ctx(true));
    assert_eq!(s[0].lines, vec!["kubectl get nodes"]);
}

#[test]
fn commands_after_a_comment_in_words_are_commented_out() {
    // a commented alternative after a comment saying what it is for
    let s = segs("scp /home/hadoop/.bashrc second:/home/hadoop/.bashrc\n#slave에 배포시\n#cp /home/hadoop/.bashrc slave1:/home/hadoop/.bashrc\n#scp -r /home/hadoop/x slave1:/home/hadoop/\n");
    let all: Vec<&String> = s.iter().flat_map(|g| &g.lines).collect();
    assert_eq!(
        all,
        ["scp /home/hadoop/.bashrc second:/home/hadoop/.bashrc"]
    );
    // `#` as a root prompt with no space still reads as one
    let s =
        segs("#systemctl stop openstack-nova-compute\n#systemctl start openstack-nova-compute\n");
    assert_eq!(s[0].lines.len(), 2);
}

#[test]
fn exports_then_source_belong_in_the_file() {
    let s = segs("export JAVA_HOME=/usr/lib/jvm/java-11\nexport PATH=$JAVA_HOME/bin:$PATH\n\n# 적용\nsource ~/.bashrc\n");
    assert_eq!(
        s[0].kind,
        SegKind::Content {
            path: Some("~/.bashrc".into()),
            editor: false
        }
    );
    assert_eq!(s[0].lines.len(), 4, "{s:?}");
    assert!(!s[0].lines.iter().any(|l| l.starts_with("source")));
    // commands that are not settings stay commands
    let s =
        segs("export KUBECONFIG=/etc/kubernetes/admin.conf\nkubectl get nodes\nsource ~/.bashrc\n");
    assert_eq!(s[0].kind, SegKind::Commands(Effect::Change));
}

#[test]
fn trailing_comments_say_where_a_command_runs() {
    let s = segs("sudo hostnamectl set-hostname k8s-master # 마스터 노드에서 실행\nsudo hostnamectl set-hostname k8s-worker-1 # 워커 노드에서 실행\n");
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(
        s[0].local_scope.as_ref().map(|x| x.0.clone()),
        Some(vec![Canon::Node("master".into())])
    );
    assert_eq!(
        s[1].local_scope.as_ref().map(|x| x.0.clone()),
        Some(vec![Canon::Node("worker".into())])
    );
    // a comment that says nothing of where stays with its neighbours
    let s = segs("systemctl enable chronyd # 부팅 시 시작\nsystemctl start chronyd\n");
    assert_eq!(s.len(), 1);
}
