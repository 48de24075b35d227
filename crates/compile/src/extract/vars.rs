//! Placeholders: `RABBIT_PASS`-style names and `<password>`-style angle brackets become variables.

use regex::Regex;
use std::sync::OnceLock;

/// A placeholder found in a text: byte range and variable name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

fn upper_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?-u:\b)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?-u:\b)").expect("static regex")
    })
}

fn angle_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"<([A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9])>").expect("static regex"))
}

/// Environment and config names that are never placeholders.
const NOT_PREFIX: &[&str] = &[
    "OS_", "LC_", "XDG_", "SSH_", "DEBIAN_", "KUBE_", "HTTP_", "HTTPS_", "NO_PROXY", "LD_", "PS1",
];
const HTML_TAGS: &[&str] = &[
    "br",
    "b",
    "i",
    "p",
    "div",
    "span",
    "value",
    "name",
    "property",
    "configuration",
    "code",
    "pre",
    "sup",
    "sub",
    "kbd",
    "summary",
    "details",
    "table",
    "tr",
    "td",
    "th",
    "ul",
    "li",
    "ol",
    "em",
    "strong",
    "hr",
    "img",
    "a",
    "html",
    "head",
    "body",
    "title",
    "script",
    "style",
    "center",
    "font",
    "u",
    "s",
    "small",
    "big",
    "blockquote",
    "figure",
    "figcaption",
    "description",
    "version",
];

/// What undeclared non-secret placeholders end with: the kind of value that goes there.
const PLACEHOLDER_SUFFIXES: &[&str] = &[
    "_NAME",
    "_IP",
    "_ADDR",
    "_ADDRESS",
    "_SERVER",
    "_HOST",
    "_HOSTNAME",
    "_INTERFACE",
    "_CIDR",
    "_NETWORK",
    "_NET",
    "_PORT",
    "_ID",
    "_URL",
    "_URI",
    "_USER",
    "_USERNAME",
    "_DIR",
    "_PATH",
    "_DEV",
    "_DEVICE",
    "_DISK",
    "_GATEWAY",
    "_GW",
    "_DNS",
    "_RESOLVER",
    "_RANGE",
    "_SUBNET",
    "_NETMASK",
    "_MASK",
    "_PREFIX",
    "_START",
    "_END",
    "_DOMAIN",
    "_REGION",
    "_EMAIL",
    "_VERSION",
    "_SIZE",
    "_VALUE",
    "_NODE",
    "_VIP",
    "_FQDN",
    "_MAC",
    "_VLAN",
];

/// Whether a variable holds a secret (passwords, keys, tokens).
pub fn is_secret(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    n.contains("PASS")
        || n.contains("SECRET")
        || n.contains("TOKEN")
        || n.split('_').any(|p| p == "KEY" || p == "PWD")
}

/// Normalise an angle-bracket name to UPPER_SNAKE.
pub fn angle_name(inner: &str) -> String {
    inner
        .chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// Placeholders in `text`. `known` are names the guide declares (table, config): always accepted.
pub fn find(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    for m in upper_re().find_iter(text) {
        let name = m.as_str();
        let (s, e) = (m.start(), m.end());
        let prev = if s > 0 { b[s - 1] } else { b' ' };
        let next = b.get(e).copied().unwrap_or(b' ');
        if prev == b'$' || prev == b'{' && s >= 2 && b[s - 2] == b'$' {
            continue; // a shell variable reference
        }
        if prev == b'-' || next == b'-' && !known(name) {
            continue; // part of an option or a longer name
        }
        if !known(name) {
            let line_start = text[..s].rfind('\n').map(|i| i + 1).unwrap_or(0);
            let before_on_line = &text[line_start..s];
            if next == b'='
                || text[e..].trim_start_matches([' ', '\t']).starts_with('=')
                    && !before_on_line.contains('=')
            {
                continue; // an assignment's key
            }
            if NOT_PREFIX.iter().any(|p| name.starts_with(p)) {
                continue;
            }
            if name.len() < 5 {
                continue;
            }
            // an undeclared name is a placeholder when it says what value goes there; constants
            // such as `ACTIVE_STANDBY` or a label `KOLLA_CEPH_OSD_BOOTSTRAP_BS` are not
            if !is_secret(name) && !PLACEHOLDER_SUFFIXES.iter().any(|suf| name.ends_with(suf)) {
                continue;
            }
            // `unset A_B` / `export A_B` / `echo $A_B` name variables, not placeholders
            let before = text[..s].trim_end();
            if before.ends_with("unset")
                || before.ends_with("export")
                || before.ends_with("declare")
            {
                continue;
            }
        }
        out.push(Found {
            start: s,
            end: e,
            name: name.to_string(),
        });
    }
    for c in angle_re().captures_iter(text) {
        let m = c.get(0).expect("group 0");
        let inner = &c[1];
        if HTML_TAGS.contains(&inner.to_ascii_lowercase().as_str()) {
            continue;
        }
        if m.start() > 0 && b[m.start() - 1] == b'<' {
            continue; // heredoc `<<EOF>`
        }
        // `<a>` style single words that look like tags in XML content
        let name = angle_name(inner);
        out.push(Found {
            start: m.start(),
            end: m.end(),
            name,
        });
    }
    out.sort_by_key(|f| f.start);
    // drop overlaps
    let mut last_end = 0;
    out.retain(|f| {
        if f.start < last_end {
            return false;
        }
        last_end = f.end;
        true
    });
    out
}

/// Replace placeholders by `${NAME}` (for data: paths, file content, settings, lines, SQL).
pub fn to_dollar(text: &str, found: &[Found]) -> String {
    let mut out = String::with_capacity(text.len() + found.len() * 3);
    let mut last = 0;
    for f in found {
        out.push_str(&text[last..f.start]);
        out.push_str("${");
        out.push_str(&f.name);
        out.push('}');
        last = f.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str) -> Vec<String> {
        find(t, &|_| false).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn finds_placeholders() {
        assert_eq!(
            names("rabbitmqctl add_user openstack RABBIT_PASS"),
            vec!["RABBIT_PASS"]
        );
        assert_eq!(
            names("connection = mysql+pymysql://keystone:KEYSTONE_DBPASS@controller/keystone"),
            vec!["KEYSTONE_DBPASS"]
        );
        assert_eq!(
            names("/etc/sysconfig/network-scripts/ifcfg-<INTERFACE_NAME>"),
            vec!["INTERFACE_NAME"]
        );
        assert_eq!(names("mysql -p<password>"), vec!["PASSWORD"]);
        assert!(names("export OS_USERNAME=admin").is_empty());
        assert_eq!(names("export OS_PASSWORD=ADMIN_PASS"), vec!["ADMIN_PASS"]);
        assert!(names("ETCD_NAME=\"controller\"").is_empty());
        assert!(names("A = 1\nOPENSTACK_HOST = \"controller\"").is_empty());
        assert!(names("echo $MY_VAR ${OTHER_VAR}").is_empty());
        assert!(names("unset OS_AUTH_URL OS_PASSWORD").is_empty());
        assert!(names("cat <<EOF > /etc/x").is_empty());
        assert!(names("<br> <Directory /usr/bin>").is_empty());
        assert_eq!(
            names("local_ip = OVERLAY_INTERFACE_IP_ADDRESS"),
            vec!["OVERLAY_INTERFACE_IP_ADDRESS"]
        );
        assert!(names("mode = \"ACTIVE_STANDBY\"").is_empty());
        assert!(names("parted /dev/sdb -s name 1 KOLLA_CEPH_OSD_BOOTSTRAP_BS").is_empty());
        assert_eq!(names("server NTP_SERVER iburst"), vec!["NTP_SERVER"]);
    }

    #[test]
    fn secrets() {
        assert!(is_secret("RABBIT_PASS"));
        assert!(is_secret("KEYSTONE_DBPASS"));
        assert!(is_secret("METADATA_SECRET"));
        assert!(is_secret("PASSWORD"));
        assert!(!is_secret("INTERFACE_NAME"));
        assert!(!is_secret("KEYSTONE_HOST"));
    }
}
