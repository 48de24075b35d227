//! The rules of extraction, by name: every way of writing a guide that the compiler reads.
//!
//! Each decision about a step (its kind, its nodes, its file, or that it does not run) is taken
//! by one rule, and the step keeps the rule's name and the place in the guide it read
//! ([`Reason`]): `runbook list --explain ID` and the site's step cards show them, and
//! `runbook rules` lists this catalog. Rules of one kind of decision are tried in a fixed order,
//! the most explicit first; the order is the order of each list below.

use runbook_core::model::{Reason, Source};

/// What a rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    Kind,
    Nodes,
    File,
    Skip,
}

impl About {
    pub fn as_str(self) -> &'static str {
        match self {
            About::Kind => "kind",
            About::Nodes => "nodes",
            About::File => "file",
            About::Skip => "skip",
        }
    }
}

/// A way of writing the compiler reads.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    pub about: About,
    /// What it reads, with an example of the guides' wording.
    pub reads: &'static str,
}

impl Rule {
    /// The decision this rule took, reading the guide at `at`.
    pub fn at(&'static self, at: &Source) -> Reason {
        Reason {
            about: self.about.as_str().to_string(),
            rule: self.name.to_string(),
            at: at.clone(),
        }
    }
}

macro_rules! rules {
    ($list:ident: $about:ident { $($id:ident = $name:literal : $reads:literal;)* }) => {
        $(pub static $id: Rule = Rule { name: $name, about: About::$about, reads: $reads };)*
        /// The rules of this decision, in the order they are tried.
        pub static $list: &[&Rule] = &[$(&$id),*];
    };
}

// Where a step runs, most explicit first (see `resolve`).
rules!(NODE_RULES: Nodes {
    ANNOTATION_NODES = "annotation":
        "`<!-- runbook: node=compute -->` before the block, item or heading";
    IN_BLOCK_SWITCH = "in-block-switch":
        "a line of its own inside the block naming where the lines after it run (`controller`, `compute node에서`), or a figure caption after the block naming its node";
    PROMPT_ALL = "prompt-all":
        "a prompt naming every node (`(All)#`)";
    PROMPT_OVER_SECTION = "prompt-over-section":
        "a prompt that contradicts the section wins when what the step touches was set up on the prompt's node";
    SECTION_OVER_PROMPT = "section-over-prompt":
        "a prompt that contradicts the section loses otherwise";
    PROMPT = "prompt":
        "the prompts of the step's lines (`root@controller#`, `(Compute)#`, `[root@nasa-master ~]#`)";
    SENTENCE_BEFORE = "sentence-before":
        "a sentence right before the block saying where it runs (`컨트롤러 노드에서 다음 명령을 실행`)";
    SECTION_SCOPE = "section-scope":
        "the node scope of the section: a heading naming nodes (`### Controller Node`, `설치 및 구성(Compute Node)`), or a scope line under it (`**Controller 노드에서 진행**`)";
    SECTION_ALL = "section-all":
        "a section said to run on every node (`(모든 노드 해당)`, `공통 작업 (모든 노드)`)";
    DISTRIBUTED_FROM = "distributed-from":
        "no signal, in a section that copies its work to other nodes (`scp -r hadoop-2.7.7 second:`): the step runs on the machine that copies";
    FOUNDS_THE_CLUSTER = "founds-the-cluster":
        "no signal, in a section that founds the cluster (`kubeadm init`, `cephadm bootstrap`, `hosted-engine --deploy`): the section runs on the first machine";
    ADDS_MACHINES = "adds-machines":
        "no signal, in a section about adding machines (`노드 추가`, `Join the workers`): the steps run on the machines other than the one that founded the cluster";
    SET_UP_THERE = "set-up-there":
        "no signal: the step runs where what it touches (a file, a package, a service) was set up";
    CLUSTER_CLIENT = "cluster-client":
        "no signal: the cluster's clients (`kubectl`, `ceph`, `openstack`, `hdfs dfsadmin`) run once, on the machine that founded the cluster";
    CHECK_FOLLOWS = "check-follows-step":
        "no signal: a read-only check runs where the step before it in the chapter ran";
    SECTION_CONTINUES = "section-continues":
        "no signal: a section that runs on one machine goes on there";
    EVERY_NODE = "every-node":
        "no signal at all: the step runs on every node";
});

// What opens a node scope (the `section-scope` and `sentence-before` rules above then apply it).
rules!(SCOPE_RULES: Nodes {
    HEADING_NAMES_NODE = "heading-names-node":
        "a heading naming nodes (`### Controller Node`, `Worker Node 설정`, `설치 및 구성(Compute Node)`, `(모든 노드 해당)`)";
    HEADING_WITH_ADDRESS = "heading-with-address":
        "a heading giving a machine's address (`### 마스터 설정 (192.168.1.100)`, `### Sentinel 설정(192.168.1.102)`)";
    HEADING_NAMES_HOST = "heading-names-host":
        "a heading naming a host in parentheses (`### Master (m1)`, `### Master2 (m2)`)";
    GROUP_HEADING = "group-heading":
        "a heading that titles the unnumbered sections after it (`(10) 설정 - master에서만 실행`)";
    SCOPE_LINE = "scope-line":
        "a short or bold line under a heading saying where to run (`**Controller 노드에서 진행**`, `(마스터, 워커 양쪽 노드 모두 실행)`, `master에서만 실행`)";
    BOLD_TAG = "bold-tag":
        "a tag opening a list item, for the item and what it holds (`**(Master)**`, `**(Workers)**`)";
    HOST_KEY = "host-key":
        "a bullet whose key says where the work is done (`실행 호스트 : Master`, `타겟: 모든 노드`)";
    LABEL_LINE = "label-line":
        "a label line before a block naming the instance and file (`zookeeper-1 /tmp/zookeeper/myid 파일생성 :`)";
    SENTENCE_AFTER = "sentence-after":
        "a sentence right after a block saying where it ran (`위 명령은 마스터 노드에서 실행합니다`)";
    TRAILING_COMMENT = "trailing-comment":
        "a comment at the end of a command saying where it runs (`hostnamectl set-hostname k8s-master # 마스터 노드에서 실행`)";
});

// What a step is. Block reading decides first (an annotation, a database session, a heredoc,
// file content); commands are then a check, a manual step or a command by what they do.
rules!(KIND_RULES: Kind {
    ANNOTATION_KIND = "annotation-kind":
        "`<!-- runbook: kind=lines -->` before the block";
    SQL_SESSION = "sql-session":
        "statements at a database client's prompt (`MariaDB [(none)]>`, `mysql>`), or after `mysql -u root -p` in the block before";
    HEREDOC_WRITE = "heredoc-write":
        "a heredoc written to a file (`cat <<EOF > FILE`, `cat <<EOF | sudo tee FILE`; `>>` and `tee -a` append)";
    CREATED_FILE = "created-file":
        "content of a file the prose says to create (`파일 생성`, `새로 작성`): the whole file";
    WHOLE_FILE = "whole-file":
        "content of a YAML, JSON or XML file, or of lines that repeat: the whole file";
    INI_SETTINGS = "ini-settings":
        "`[section]` settings, with `...` for the rest: set in their sections";
    LINES_EDIT = "lines-edit":
        "`KEY=VALUE` and plain lines: ensured in the file, an assignment replacing the key's";
    PARTIAL_STRUCTURED = "partial-structured":
        "part of a YAML or JSON file with `...`: cannot be merged, shown as a manual step";
    PROSE_EDIT = "prose-edit":
        "an edit told in a list item (`` `PermitRootLogin no` 추가 ``, `` `A`을 `B`로 변경 ``, `` … `#`으로 주석 처리 ``)";
    INLINE_COMMAND = "inline-command":
        "a command in inline code in a list item (`` `yum install chrony` ``)";
    READ_ONLY_CHECK = "read-only-check":
        "commands that change nothing (`ping`, `chronyc sources`, `openstack … list`, `systemctl status`)";
    NOT_UNATTENDED = "not-unattended":
        "what must not run unattended (`reboot`, `passwd`, `mysql_secure_installation`, GUI steps)";
    COMMAND = "command":
        "shell commands that change the node";
});

// Which file a block of content belongs to, most explicit first.
rules!(FILE_RULES: File {
    ANNOTATION_PATH = "annotation-path":
        "`<!-- runbook: path=/etc/x -->` before the block";
    PATH_IN_BLOCK = "path-in-block":
        "the block names its file: a first comment line (`# /etc/sysconfig/network-scripts/ifcfg-enp0s3`) or an editor command (`vi /etc/hosts`) before the content";
    CAPTION_AFTER = "caption-after":
        "a caption or sentence right after the block naming the file (`[파일 2] Controller Node - /etc/network/interfaces`, `/etc/memcached.conf에 [파일 5]의 내용을 추가한다`)";
    PROSE_BEFORE = "prose-before":
        "the prose before the block names the file (`` `/etc/chrony.conf` 수정 ``, `파일 생성 및 편집`, `에 다음 내용 추가`)";
    EDITOR_BEFORE = "editor-before":
        "an editor opened in the block before (`vi /etc/hosts`, then the lines in the next block)";
    SAME_INI_FILE = "same-ini-file":
        "more `[section]` settings go on in the section's last ini file";
    LABEL_NAMES_FILE = "label-names-file":
        "a label line right before the block naming its file (`redis-master.conf:`, `kafka-0 config/server.properties`, `zookeeper-1 /tmp/zookeeper/myid 파일생성 :`)";
    HEADING_NAMES_FILE = "heading-names-file":
        "a heading that is a file's name, for the content in its section (`### core-site.xml`, `### 🔹 hadoop-env.sh`)";
    PATH_KEY = "path-key":
        "a line giving the file's path as a key (`파일 경로 : $HADOOP_HOME/etc/hadoop/core-site.xml`, `경로: /etc/x`)";
    EXPORTS_THEN_SOURCE = "exports-then-source":
        "`export` lines followed by `source FILE` in one block: the lines belong in FILE";
    RELATIVE_PATH = "relative-path":
        "a relative path is resolved against the directory the guide's `cd` commands set, else the home directory";
});

// What is not part of the install: it stays on the site, marked, in no runbook unless
// `runbook.toml` selects it (`[options] troubleshooting = "all"`, or the section's name).
rules!(SKIP_RULES: Skip {
    TROUBLESHOOTING_SECTION = "troubleshooting-section":
        "a troubleshooting section (`## :bomb: troubleshooting`, `문제 해결`, `트러블슈팅`, `FAQ`)";
    OPTIONAL_SECTION = "optional-section":
        "an optional section or item (`(선택)`, `(Optional)`, `선택 사항`, `**(Optional)**`)";
    LATER_OPERATIONS = "later-operations":
        "operations after the install (`failover`, `복구`, `업그레이드`, `reset`, `재설치`, `uninstall`)";
    NOTES_SECTION = "notes-section":
        "a section of notes and references (`참고 사항`, `참고자료`, `References`)";
    OUTPUT_BLOCK = "output-block":
        "a `text` or `output` block with no prompt and no file to fill: pasted output";
    ANNOTATION_SKIP = "annotation-skip":
        "`<!-- runbook: skip -->` before the block or heading";
});

/// Every rule, for `runbook rules` and the documentation.
pub fn catalog() -> impl Iterator<Item = &'static Rule> {
    NODE_RULES
        .iter()
        .chain(SCOPE_RULES)
        .chain(KIND_RULES)
        .chain(FILE_RULES)
        .chain(SKIP_RULES)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in catalog() {
            assert!(seen.insert(r.name), "{} twice", r.name);
            assert!(
                r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "{}",
                r.name
            );
            assert!(!r.reads.is_empty());
        }
    }
}
