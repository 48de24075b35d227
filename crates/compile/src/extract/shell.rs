//! Shell commands: recognise them, make them non-interactive, classify read-only checks and
//! manual steps, and put variables into them with the right quoting.

use regex::Regex;
pub use runbook_core::shell::{quote_states, Quote};
use std::sync::OnceLock;

/// Commands a guide runs; a line whose first word is one of these (or looks like a program path
/// or a `*-manage`/`*ctl` tool) is a command.
const COMMANDS: &[&str] = &[
    ".",
    "[",
    "[[",
    "add-apt-repository",
    "alias",
    "ansible",
    "ansible-galaxy",
    "ansible-playbook",
    "apt",
    "apt-get",
    "apt-key",
    "awk",
    "bash",
    "ceph",
    "ceph-deploy",
    "cd",
    "chmod",
    "chown",
    "chronyc",
    "cinder",
    "cp",
    "crontab",
    "crudini",
    "curl",
    "cut",
    "date",
    "dd",
    "debconf-set-selections",
    "df",
    "dnf",
    "docker",
    "dpkg",
    "echo",
    "egrep",
    "env",
    "exit",
    "export",
    "fdisk",
    "find",
    "firewall-cmd",
    "for",
    "free",
    "galera_new_cluster",
    "getenforce",
    "git",
    "glance",
    "grep",
    "groupadd",
    "head",
    "heat",
    "helm",
    "hostname",
    "hostnamectl",
    "id",
    "if",
    "ifdown",
    "ifup",
    "install",
    "ip",
    "iptables",
    "journalctl",
    "kill",
    "kolla-ansible",
    "kolla-genpwd",
    "kubeadm",
    "kubectl",
    "less",
    "ln",
    "localectl",
    "ls",
    "lsblk",
    "lsmod",
    "make",
    "mkdir",
    "mkfs",
    "mkfs.ext4",
    "mkfs.xfs",
    "modprobe",
    "mount",
    "mv",
    "mysql",
    "mysql_secure_installation",
    "mysqladmin",
    "nano",
    "netplan",
    "netstat",
    "neutron",
    "nmcli",
    "nohup",
    "nova",
    "nova-status",
    "ntpdate",
    "ntpq",
    "openssl",
    "openstack",
    "packstack",
    "parted",
    "passwd",
    "pip",
    "pip3",
    "pkill",
    "printf",
    "ps",
    "pvcreate",
    "python",
    "python3",
    "reboot",
    "restorecon",
    "rm",
    "rpm",
    "rsync",
    "sed",
    "semanage",
    "service",
    "sestatus",
    "set",
    "setenforce",
    "sh",
    "shutdown",
    "sleep",
    "snap",
    "sort",
    "source",
    "ss",
    "ssh",
    "ssh-copy-id",
    "ssh-keygen",
    "scp",
    "su",
    "sudo",
    "swapoff",
    "swift",
    "sysctl",
    "systemctl",
    "tail",
    "tar",
    "tee",
    "timedatectl",
    "touch",
    "ufw",
    "umount",
    "uname",
    "unset",
    "unzip",
    "update-alternatives",
    "useradd",
    "usermod",
    "vgcreate",
    "vi",
    "vim",
    "virsh",
    "virt-host-validate",
    "visudo",
    "watch",
    "wc",
    "wget",
    "which",
    "while",
    "xargs",
    "yum",
    "yum-config-manager",
    "zypper",
    "cat",
    "ping",
    "ifconfig",
    "route",
    "lvcreate",
    "lvs",
    "pvs",
    "vgs",
    "swapon",
    "usermod",
    "chpasswd",
    "dig",
    "nslookup",
    "telnet",
    "nc",
    "test",
    "true",
    "systemd-resolve",
    "resolvectl",
    "chkconfig",
    "ntpstat",
    "chronyd",
    "ceph-volume",
    "radosgw-admin",
    "rbd",
    "rados",
    "gpg",
    "base64",
    "getent",
    "ovs-vsctl",
    "brctl",
    "qemu-img",
    "virt-install",
    "kubelet",
    "chgrp",
    "lsof",
    "lscpu",
    "apt-mark",
    "modinfo",
    "login",
    "exportfs",
    "blkid",
    "wipefs",
    "sgdisk",
    "containerd",
    "crictl",
    "minikube",
    "htpasswd",
    "a2enmod",
    "a2ensite",
    "tree",
    "cephadm",
];

fn cmd_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(?:[A-Za-z0-9_-]+-manage|[a-z0-9-]+ctl|[a-z][a-z0-9]*-[a-z0-9-]+|\./[^\s]+|/(?:usr/)?(?:s?bin|local/bin|opt)/[^\s]+)$")
            .expect("static regex")
    })
}

/// The first word of a command line (after `sudo` and leading assignments).
pub fn first_word(line: &str) -> &str {
    let mut words = line.split_whitespace();
    let mut w = words.next().unwrap_or("");
    while w == "sudo"
        || w == "time"
        || w == "nohup"
        || (w.contains('=') && !w.starts_with('=') && is_assignment(w))
    {
        match words.next() {
            Some(n) => w = n,
            None => break,
        }
    }
    w
}

fn is_assignment(w: &str) -> bool {
    let name = w.split('=').next().unwrap_or("");
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Is this line (prompt already stripped) a shell command?
pub fn is_command(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') {
        return false;
    }
    let first = t.split_whitespace().next().unwrap_or("");
    if first.contains('=') && is_assignment(first) {
        // `KEY=VALUE` alone is a file line, `KEY=VALUE cmd` a command
        return t.split_whitespace().count() > 1 && is_command_word(first_word(t));
    }
    is_command_word(first_word(t))
}

pub use runbook_core::shell::unit_name;

pub fn is_command_word(w: &str) -> bool {
    let w = w.trim_end_matches(';');
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMANDS.iter().copied().collect())
        .contains(w)
        || may_be_tool(w) && cmd_re().is_match(w)
}

/// Whether a word has what each of [`cmd_re`]'s shapes needs (a `-`, a `ctl` end, a leading
/// `/` or `./`): most words of a guide's blocks have none, and skip the regex.
fn may_be_tool(w: &str) -> bool {
    w.contains('-') || w.ends_with("ctl") || w.starts_with('/') || w.starts_with("./")
}

/// What a command line does to the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Changes the node.
    Change,
    /// Read-only check.
    Verify,
    /// Must not run unattended.
    Manual,
    /// Opens an editor on a file (the content follows).
    Editor,
}

fn verify_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:ping|chronyc\s+(?:sources|tracking|sourcestats)|ntpq\s+-p|ntpstat|timedatectl(?:\s+status)?$|",
            r"openstack\s+(?:[a-z ]+\s)?(?:list|show)(?-u:\b)|openstack\s+(?:.*\s)?token\s+issue|openstack\s+.*(?-u:\b)(?:list|show)(?:\s|$)|",
            r"nova-status\s+upgrade\s+check|(?:nova|neutron|glance|cinder)\s+[a-z-]*(?:list|show)(?-u:\b)|",
            r"(?:kubectl|oc)\s+(?:get|describe|version|cluster-info|top|logs)(?-u:\b)|",
            r"(?:systemctl|service)\s+(?:status|is-active|is-enabled|list-units)(?-u:\b)|systemctl\s+\S+\s+status|service\s+\S+\s+status|",
            r"(?:ceph|rados)\s+(?:-s|status|health|df|osd\s+(?:tree|stat|df)|mon\s+stat)(?-u:\b)|",
            r"ip\s+(?:a|addr|address|route|link)(?:\s+show)?$|ip\s+a$|ifconfig$|hostname$|uname(?-u:\b)|lsblk(?-u:\b)|df(?-u:\b)|free(?-u:\b)|lsmod(?-u:\b)|getenforce$|sestatus$|",
            r"ss\s+-\w+|netstat\s+-\w+|ps\s|ps$|cat\s|less\s|tail\s|head\s|grep\s|egrep\s|ls(?-u:\b)|which\s|id(?-u:\b)|getent\s|",
            r"virsh\s+(?:list|dominfo)|docker\s+(?:ps|images|info|version)(?-u:\b)|rabbitmqctl\s+(?:list_\w+|status)(?-u:\b)|",
            r"curl\s+(?:-s\s+|-I\s+|-v\s+)*https?://\S+$|wc\s|mysql\s+.*-e\s+.(?:show|select)(?-u:\b)|ovs-vsctl\s+show|brctl\s+show|",
            r"sysctl\s+(?:-a|[a-z][\w.-]*(?:\s+[a-z][\w.-]*)*)$|ip\s+netns(?:\s+list)?$|[a-z]+-status\s+upgrade\s+check|",
            r"(?:su\s+-s\s+\S+\s+-c\s+.)?nova-manage\s+cell_v2\s+list_\w+|curl\s+.*-o\s+/dev/null\s.*https?://\S+$|",
            r"lscpu$|lsof\s|vgs$|pvs$|lvs$|vgdisplay|pvdisplay|lvdisplay|openstack-status$|systemctl\s+list-\w+|",
            r"(?:sudo\s+)?ceph-volume\s+lvm\s+list|virt-host-validate|(?:yum|dnf)\s+(?:repolist|list|info|search)(?-u:\b)|apt\s+(?:list|show|search)(?-u:\b)|rpm\s+-q)"
        ))
        .expect("static regex")
    })
}

fn manual_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(?:reboot|shutdown|init\s+6|systemctl\s+reboot|mysql_secure_installation|passwd(?:\s+\S+)?$|ssh-keygen(?:\s+-t\s+\S+)?$|visudo|ssh\s+\S+$|ssh-copy-id|mysql\s+-u\s*\S+\s+-p\s*$|mysql\s+-p$|mysql$|mysql\s+-u\s*root$|exit$|logout$|su\s*-?\s*\S*$|sudo\s+-i$|sudo\s+su\s*-?$|top$|htop$|watch\s|tail\s+-f|journalctl\s+-f|less\s|more\s|kolla-genpwd$|virsh\s+console(?-u:\b)|login(?-u:\b)|cat\s*>{1,2}\s*\S+\s*$)")
            .expect("static regex")
    })
}

fn editor_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(?:sudo\s+)?(?:vi|vim|nano|gedit|emacs)\s+(?:-\S+\s+)*(/?[^\s;&|]+)\s*$")
            .expect("static regex")
    })
}

/// The file an editor command opens (`vi /etc/chrony.conf`).
pub fn editor_target(line: &str) -> Option<String> {
    editor_re().captures(line.trim()).map(|c| c[1].to_string())
}

/// The effect of one command line (prompt stripped).
pub fn effect(line: &str) -> Effect {
    let t = line.trim();
    let t = t.strip_prefix("sudo ").unwrap_or(t).trim();
    if editor_target(t).is_some() {
        return Effect::Editor;
    }
    if manual_re().is_match(t) {
        return Effect::Manual;
    }
    // `ssh host` opens a session (a command after the host runs remotely: also not for us)
    if t.starts_with("ssh ") {
        return Effect::Manual;
    }
    // a pipeline or redirection into a file changes things
    let writes = t.contains(" > ") || t.contains(">>") || t.contains("| tee") || t.contains("|tee");
    if !writes && verify_re().is_match(t) {
        return Effect::Verify;
    }
    Effect::Change
}

/// Make one command non-interactive: `-y` for package installs, `--password-prompt` replaced.
/// `password_var` names the variable to use for a password prompt.
pub fn non_interactive(line: &str, password_var: Option<&str>) -> String {
    // each command of a `&&` chain
    if line.contains("&&") && !line.contains('\'') && !line.contains('"') {
        return line
            .split("&&")
            .map(|part| {
                let lead = part.len() - part.trim_start().len();
                let trail = part.len() - part.trim_end().len();
                let core = non_interactive_one(part.trim(), password_var);
                format!("{}{}{}", &part[..lead], core, &part[part.len() - trail..])
            })
            .collect::<Vec<_>>()
            .join("&&");
    }
    non_interactive_one(line, password_var)
}

fn non_interactive_one(line: &str, password_var: Option<&str>) -> String {
    static INSTALL: OnceLock<Regex> = OnceLock::new();
    let install = INSTALL.get_or_init(|| {
        Regex::new(r"^(\s*(?:sudo\s+)?(?:yum|dnf|apt|apt-get|zypper)(?:\s+-\S+)*\s+(?:install|upgrade|update|remove|erase|dist-upgrade|groupinstall|autoremove|purge|reinstall|localinstall)(?-u:\b))(.*)$")
            .expect("static regex")
    });
    let mut out = line.to_string();
    if let Some(c) = install.captures(line) {
        let has_y = line
            .split_whitespace()
            .any(|w| w == "-y" || w == "--yes" || w == "--assume-yes" || w == "-qy" || w == "-yq");
        if !has_y {
            out = format!("{} -y{}", &c[1], &c[2]);
        }
    }
    if out.contains("--password-prompt") {
        let var = password_var.unwrap_or("PASSWORD");
        out = out.replace("--password-prompt", &format!("--password {var}"));
    }
    out
}

/// Replace placeholder spans (byte ranges, sorted, non-overlapping) of `text` by `${NAME}`,
/// quoted for the shell context they stand in, so the value is one word and never re-parsed.
pub fn substitute(text: &str, spans: &[(usize, usize, String)]) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    let states = quote_states(text);
    let mut out = String::with_capacity(text.len() + spans.len() * 8);
    let mut last = 0;
    for (s, e, name) in spans {
        if *s < last || *e > text.len() {
            continue;
        }
        out.push_str(&text[last..*s]);
        match states.get(*s).copied().unwrap_or(Quote::None) {
            Quote::None => out.push_str(&format!("\"${{{name}}}\"")),
            Quote::Double | Quote::Heredoc(false) => out.push_str(&format!("${{{name}}}")),
            Quote::Single => out.push_str(&format!("'\"${{{name}}}\"'")),
            // a quoted heredoc never expands: keep the placeholder for the runtime to refuse
            Quote::Heredoc(true) => out.push_str(&format!("${{{name}}}")),
        }
        last = *e;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_commands() {
        assert!(is_command("yum install chrony"));
        assert!(is_command("sudo apt update"));
        assert!(is_command(
            "su -s /bin/sh -c \"keystone-manage db_sync\" keystone"
        ));
        assert!(is_command("keystone-manage fernet_setup"));
        assert!(is_command(". admin-openrc"));
        assert!(is_command(
            "DEBIAN_FRONTEND=noninteractive apt install -y x"
        ));
        assert!(!is_command("SELINUX=disabled"));
        assert!(!is_command("10.0.0.11 controller"));
        assert!(!is_command("[DEFAULT]"));
        assert!(!is_command("This file controls the state of SELinux"));
        assert!(!is_command("connection = mysql+pymysql://x"));
    }

    #[test]
    fn effects() {
        assert_eq!(effect("ping -c 4 compute"), Effect::Verify);
        assert_eq!(effect("chronyc sources"), Effect::Verify);
        assert_eq!(effect("openstack token issue"), Effect::Verify);
        assert_eq!(effect("openstack --os-auth-url http://controller:35357/v3 --os-username admin token issue"), Effect::Verify);
        assert_eq!(
            effect("openstack compute service list --service nova-compute"),
            Effect::Verify
        );
        assert_eq!(
            effect("openstack user create --domain default glance"),
            Effect::Change
        );
        assert_eq!(effect("reboot"), Effect::Manual);
        assert_eq!(effect("ssh master@127.0.0.1 -p 104"), Effect::Manual);
        assert_eq!(effect("mysql_secure_installation"), Effect::Manual);
        assert_eq!(effect("vi /etc/chrony.conf"), Effect::Editor);
        assert_eq!(effect("cat /etc/hosts"), Effect::Verify);
        assert_eq!(effect("cat >> /etc/hosts <<EOF"), Effect::Change);
        assert_eq!(effect("yum install -y chrony"), Effect::Change);
    }

    #[test]
    fn makes_non_interactive() {
        assert_eq!(
            non_interactive("yum install chrony", None),
            "yum install -y chrony"
        );
        assert_eq!(
            non_interactive("apt-get install -y x", None),
            "apt-get install -y x"
        );
        assert_eq!(non_interactive("yum upgrade", None), "yum upgrade -y");
        assert_eq!(
            non_interactive("apt update && apt dist-upgrade", None),
            "apt update -y && apt dist-upgrade -y"
        );
        assert_eq!(
            non_interactive(
                "openstack user create --domain default --password-prompt glance",
                Some("GLANCE_PASS")
            ),
            "openstack user create --domain default --password GLANCE_PASS glance"
        );
    }

    #[test]
    fn substitutes_by_quote_context() {
        let t = "rabbitmqctl add_user openstack RABBIT_PASS";
        let s = t.find("RABBIT_PASS").unwrap();
        assert_eq!(
            substitute(t, &[(s, s + 11, "RABBIT_PASS".into())]),
            "rabbitmqctl add_user openstack \"${RABBIT_PASS}\""
        );
        let t = "mysql -e \"GRANT ALL ON k.* TO 'k'@'%' IDENTIFIED BY 'K_DBPASS';\"";
        let s = t.find("K_DBPASS").unwrap();
        assert_eq!(
            substitute(t, &[(s, s + 8, "K_DBPASS".into())]),
            "mysql -e \"GRANT ALL ON k.* TO 'k'@'%' IDENTIFIED BY '${K_DBPASS}';\""
        );
        let t = "echo 'pw K_PASS'";
        let s = t.find("K_PASS").unwrap();
        assert_eq!(
            substitute(t, &[(s, s + 6, "K_PASS".into())]),
            "echo 'pw '\"${K_PASS}\"''"
        );
        let t = "cat <<EOF > f\npass=A_PASS\nEOF\necho A_PASS";
        let s1 = t.find("A_PASS").unwrap();
        let s2 = t.rfind("A_PASS").unwrap();
        assert_eq!(
            substitute(
                t,
                &[(s1, s1 + 6, "A_PASS".into()), (s2, s2 + 6, "A_PASS".into())]
            ),
            "cat <<EOF > f\npass=${A_PASS}\nEOF\necho \"${A_PASS}\""
        );
    }
}
