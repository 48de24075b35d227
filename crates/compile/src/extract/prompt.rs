//! Shell and SQL prompts: strip them from command lines and read them as node signals.

use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// A shell prompt; `label` is the host or role it names, if any (`controller`, `Network, Compute`).
    Shell { label: Option<String>, root: bool },
    /// `MariaDB [(none)]>` or `mysql>`; `continued` for `->` continuation lines.
    Sql { continued: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompted {
    pub prompt: Prompt,
    pub rest: String,
}

struct Res {
    bracket: Regex,
    userhost: Regex,
    paren: Regex,
    sql: Regex,
    sql_cont: Regex,
    word: Regex,
    dollar: Regex,
    hash: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| Res {
        // [root@controller ~]#   [root@controller ~(keystone_admin)]#
        bracket: Regex::new(
            r"^\s*\[([A-Za-z0-9_.-]+)@([A-Za-z0-9_.-]+)(?:\s[^\]]*)?\]\s?([#$])(?:\s+|$)(.*)$",
        )
        .expect("static regex"),
        // root@controller$  root@controller:~#  user@host:/etc$
        userhost: Regex::new(
            r"^\s*([A-Za-z0-9_.-]+)@([A-Za-z0-9_.-]+)(?::[^\s#$]*)?\s?([#$])(?:\s+|$)(.*)$",
        )
        .expect("static regex"),
        // (Controller)#  (Network, Compute)#  (Deploy / chroot)#
        paren: Regex::new(r"^\s*\(([A-Za-z0-9][A-Za-z0-9 ,./_-]*)\)\s?([#$])(?:\s+|$)(.*)$")
            .expect("static regex"),
        sql: Regex::new(r"^\s*(?:MariaDB|MySQL|mysql|mariadb)\s*(?:\[[^\]]*\])?\s*>\s?(.*)$")
            .expect("static regex"),
        sql_cont: Regex::new(r"^\s*->\s?(.*)$").expect("static regex"),
        // root$  root#  controller#
        word: Regex::new(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\s?([#$])\s+(.*)$").expect("static regex"),
        dollar: Regex::new(r"^\s*\$\s+(.*)$").expect("static regex"),
        hash: Regex::new(r"^\s*\\?#\s*(.*)$").expect("static regex"),
    })
}

/// Read a prompt at the start of `line`. A bare `#` counts only when `is_command` accepts the rest
/// (a root prompt, not a comment). `known` are words accepted as `word#` prompts (node names, root).
pub fn strip(
    line: &str,
    known: &dyn Fn(&str) -> bool,
    is_command: &dyn Fn(&str) -> bool,
) -> Option<Prompted> {
    // every prompt has one of these; most lines have none
    let t = line.trim_start();
    let lead = t.as_bytes().first().copied().unwrap_or(b' ');
    if !matches!(lead, b'[' | b'(' | b'$' | b'#' | b'\\') && !t.contains(['@', '>', '#', '$']) {
        return None;
    }
    let r = res();
    // each pattern's own first character or mark, tested before its regex
    let sql_like = t.contains('>')
        && ["MariaDB", "MySQL", "mysql", "mariadb"]
            .iter()
            .any(|w| t.starts_with(w));
    let first_letter = lead.is_ascii_alphabetic();
    if let Some(c) = sql_like.then(|| r.sql.captures(line)).flatten() {
        return Some(Prompted {
            prompt: Prompt::Sql { continued: false },
            rest: c[1].to_string(),
        });
    }
    if let Some(c) = (lead == b'[').then(|| r.bracket.captures(line)).flatten() {
        return Some(Prompted {
            prompt: Prompt::Shell {
                label: Some(c[2].to_string()),
                root: &c[3] == "#" || &c[1] == "root",
            },
            rest: c[4].to_string(),
        });
    }
    if let Some(c) = t.contains('@').then(|| r.userhost.captures(line)).flatten() {
        return Some(Prompted {
            prompt: Prompt::Shell {
                label: Some(c[2].to_string()),
                root: &c[3] == "#" || &c[1] == "root",
            },
            rest: c[4].to_string(),
        });
    }
    if let Some(c) = (lead == b'(').then(|| r.paren.captures(line)).flatten() {
        return Some(Prompted {
            prompt: Prompt::Shell {
                label: Some(c[1].trim().to_string()),
                root: &c[2] == "#",
            },
            rest: c[3].to_string(),
        });
    }
    if let Some(c) = first_letter.then(|| r.word.captures(line)).flatten() {
        let w = &c[1];
        if w == "root" || known(w) {
            let label = if w == "root" {
                None
            } else {
                Some(w.to_string())
            };
            return Some(Prompted {
                prompt: Prompt::Shell {
                    label,
                    root: &c[2] == "#" || w == "root",
                },
                rest: c[3].to_string(),
            });
        }
    }
    if let Some(c) = (lead == b'$').then(|| r.dollar.captures(line)).flatten() {
        return Some(Prompted {
            prompt: Prompt::Shell {
                label: None,
                root: false,
            },
            rest: c[1].to_string(),
        });
    }
    if let Some(c) = matches!(lead, b'#' | b'\\')
        .then(|| r.hash.captures(line))
        .flatten()
    {
        let rest = c[1].to_string();
        if !line.trim_start().starts_with("#!") && is_command(&rest) {
            return Some(Prompted {
                prompt: Prompt::Shell {
                    label: None,
                    root: true,
                },
                rest,
            });
        }
    }
    None
}

/// `    -> more SQL` continuation of a statement.
pub fn sql_continuation(line: &str) -> Option<String> {
    res().sql_cont.captures(line).map(|c| c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Option<(Option<String>, String)> {
        strip(line, &|w| w == "controller", &|r| {
            r.starts_with("yum") || r.starts_with("systemctl")
        })
        .map(|p| match p.prompt {
            Prompt::Shell { label, .. } => (label, p.rest),
            Prompt::Sql { .. } => (Some("SQL".into()), p.rest),
        })
    }

    #[test]
    fn prompt_shapes() {
        assert_eq!(p("$ yum install x"), Some((None, "yum install x".into())));
        assert_eq!(p("# yum install x"), Some((None, "yum install x".into())));
        assert_eq!(p("# This file controls"), None);
        assert_eq!(p("root$ ls"), Some((None, "ls".into())));
        assert_eq!(
            p("root@controller$ ls -l"),
            Some((Some("controller".into()), "ls -l".into()))
        );
        assert_eq!(
            p("root@controller:~# ls"),
            Some((Some("controller".into()), "ls".into()))
        );
        assert_eq!(
            p("[root@controller ~]# ls"),
            Some((Some("controller".into()), "ls".into()))
        );
        assert_eq!(
            p("[root@controller ~(keystone_admin)]# openstack x"),
            Some((Some("controller".into()), "openstack x".into()))
        );
        assert_eq!(
            p("(Controller)# ls"),
            Some((Some("Controller".into()), "ls".into()))
        );
        assert_eq!(
            p("(Network, Compute)# ls"),
            Some((Some("Network, Compute".into()), "ls".into()))
        );
        assert_eq!(
            p("MariaDB [(none)]> CREATE DATABASE x;"),
            Some((Some("SQL".into()), "CREATE DATABASE x;".into()))
        );
        assert_eq!(
            p("mysql> show databases;"),
            Some((Some("SQL".into()), "show databases;".into()))
        );
        assert_eq!(
            p("controller# systemctl start x"),
            Some((Some("controller".into()), "systemctl start x".into()))
        );
        assert_eq!(
            p("\\# systemctl start x"),
            Some((None, "systemctl start x".into()))
        );
        assert_eq!(p("10.0.0.11 controller"), None);
    }
}
