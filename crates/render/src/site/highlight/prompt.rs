//! Prompts at the start of a line, by the conventions the guide reader follows: `$ `, a root
//! `# ` before a command, `[root@controller ~]# `, `root@controller:~$ `, `(Controller)# `,
//! `controller# ` (a node's name or `root`), `MariaDB [(none)]> `, `mysql> `.

/// A prompt at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prompt {
    /// Its length in bytes, with the spaces after it.
    pub len: usize,
    /// A database client's prompt.
    pub sql: bool,
}

/// Commands a root `# ` prompt is seen before (else `#` starts a comment).
const COMMANDS: &[&str] = &[
    "yum",
    "dnf",
    "apt",
    "apt-get",
    "zypper",
    "rpm",
    "dpkg",
    "pip",
    "pip3",
    "systemctl",
    "service",
    "openstack",
    "mysql",
    "mysqladmin",
    "mysql_secure_installation",
    "vi",
    "vim",
    "nano",
    "cat",
    "echo",
    "sed",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "chmod",
    "chown",
    "ln",
    "ls",
    "cd",
    "source",
    ".",
    "export",
    "su",
    "sudo",
    "ssh",
    "scp",
    "ping",
    "ip",
    "ifconfig",
    "hostnamectl",
    "firewall-cmd",
    "setenforce",
    "reboot",
    "shutdown",
    "curl",
    "wget",
    "tar",
    "git",
    "make",
    "docker",
    "kubectl",
    "kubeadm",
    "helm",
    "ceph",
    "rabbitmqctl",
    "keystone-manage",
    "nova-manage",
    "glance-manage",
    "neutron-db-manage",
    "chronyc",
    "timedatectl",
    "useradd",
    "passwd",
    "usermod",
    "grep",
    "tail",
    "head",
    "journalctl",
    "crudini",
    "touch",
    "tee",
    "swapoff",
    "modprobe",
    "sysctl",
    "packstack",
    "ansible",
    "ansible-playbook",
    "kolla-ansible",
    "virsh",
    "mount",
    "umount",
    "cephadm",
    "python",
    "python3",
    "bash",
    "sh",
    "exit",
    "systemd-analyze",
];

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

/// The prompt mark (`#`, `$`, `>`) at `i`, followed by a space or the end of the line: the
/// prompt's length with the spaces after it.
fn mark_at(b: &[u8], i: usize, marks: &[u8]) -> Option<usize> {
    if i >= b.len() || !marks.contains(&b[i]) {
        return None;
    }
    let after = i + 1;
    if after < b.len() && b[after] != b' ' && b[after] != b'\t' {
        return None;
    }
    Some(super::run_end(b, after, |c| c == b' ' || c == b'\t'))
}

/// The prompt at the start of `line`, if any. `nodes` are names that make `name# ` prompts.
pub fn read(line: &str, nodes: &[String]) -> Option<Prompt> {
    let b = line.as_bytes();
    let lead = super::run_end(b, 0, |c| c == b' ' || c == b'\t');
    let shell = |len| Prompt { len, sql: false };
    match b.get(lead)? {
        b'$' => mark_at(b, lead, b"$").map(shell),
        b'#' => root_prompt(line, lead).map(shell),
        b'[' => {
            // [root@controller ~]#
            let close = lead + line[lead..].find(']')?;
            if !line[lead + 1..close].contains('@') {
                return None;
            }
            let i = super::run_end(b, close + 1, |c| c == b' ');
            mark_at(b, i, b"#$").map(shell)
        }
        b'(' => {
            // (Controller)#  (Network, Compute)#
            let close = lead + line[lead..].find(')')?;
            let i = super::run_end(b, close + 1, |c| c == b' ');
            mark_at(b, i, b"#$").map(shell)
        }
        c if c.is_ascii_alphabetic() => word_prompt(line, lead, nodes),
        _ => None,
    }
}

/// `# cmd`: a root prompt when a known command follows.
fn root_prompt(line: &str, lead: usize) -> Option<usize> {
    let len = mark_at(line.as_bytes(), lead, b"#")?;
    let word = line[len..].split_whitespace().next()?;
    COMMANDS.contains(&word).then_some(len)
}

/// `MariaDB [(none)]> `, `root@controller:~# `, `controller# `.
fn word_prompt(line: &str, lead: usize, nodes: &[String]) -> Option<Prompt> {
    let b = line.as_bytes();
    let rest = &line[lead..];
    for client in ["MariaDB", "MySQL", "mysql", "mariadb"] {
        if let Some(after) = rest.strip_prefix(client) {
            let mut i = line.len() - after.len();
            i = super::run_end(b, i, |c| c == b' ');
            if b.get(i) == Some(&b'[') {
                i += line[i..].find(']')? + 1;
                i = super::run_end(b, i, |c| c == b' ');
            }
            let len = mark_at(b, i, b">")?;
            return Some(Prompt { len, sql: true });
        }
    }
    let word_end = super::run_end(b, lead, is_name);
    let shell = |len| Prompt { len, sql: false };
    if b.get(word_end) == Some(&b'@') {
        // user@host, then :path, then the mark
        let host_end = super::run_end(b, word_end + 1, is_name);
        let mut i = host_end;
        if b.get(i) == Some(&b':') {
            i = super::run_end(b, i + 1, |c| !matches!(c, b' ' | b'#' | b'$'));
        }
        i = super::run_end(b, i, |c| c == b' ');
        return mark_at(b, i, b"#$").map(shell);
    }
    let word = &line[lead..word_end];
    if word == "root" || nodes.iter().any(|n| n == word) {
        let i = super::run_end(b, word_end, |c| c == b' ');
        return mark_at(b, i, b"#$")
            .filter(|&len| len < line.len())
            .map(shell);
    }
    None
}

/// `-> ` continuing a statement at a database client's prompt.
pub fn sql_continuation(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let lead = super::run_end(b, 0, |c| c == b' ' || c == b'\t');
    if !line[lead..].starts_with("->") {
        return None;
    }
    let i = lead + 2;
    if i < b.len() && b[i] != b' ' {
        return None;
    }
    Some(super::run_end(b, i, |c| c == b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts() {
        let nodes = ["controller".to_string()];
        let len = |l: &str| read(l, &nodes).map(|p| p.len);
        assert_eq!(len("$ ls"), Some(2));
        assert_eq!(len("# yum install x"), Some(2));
        assert_eq!(len("# 설정 파일"), None);
        assert_eq!(len("[root@controller ~]# ls"), Some(21));
        assert_eq!(len("root@controller:~$ ls"), Some(19));
        assert_eq!(len("(Network, Compute)# ls"), Some(20));
        assert_eq!(len("controller# ls"), Some(12));
        assert_eq!(len("compute# ls"), None);
        assert_eq!(len("[section]"), None);
        assert_eq!(len("key = value"), None);
        assert_eq!(
            read("MariaDB [(none)]> SHOW DATABASES;", &nodes),
            Some(Prompt { len: 18, sql: true })
        );
        assert_eq!(read("mysql> exit", &nodes).map(|p| p.sql), Some(true));
        assert_eq!(sql_continuation("    -> IDENTIFIED BY 'x';"), Some(7));
    }
}
