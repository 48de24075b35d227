//! Steps told in prose with inline code: "`yum install chrony`", "`PermitRootLogin no` 추가",
//! "`SELINUX=enforcing`을 `SELINUX=permissive`로 변경", "`pool ... iburst` 라인은 `#`으로 주석 처리",
//! or a bare setting listed under "`/etc/ssh/sshd_config` 파일 편집".

use super::files;
use super::shell;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(String),
    Lines {
        path: Option<String>,
        keep: Vec<String>,
        comment_out: Vec<String>,
    },
}

fn change_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"`([^`]+)`\s*(?:을|를|에서|의 값을|값을)?\s*`([^`]+)`\s*(?:으로|로)\s*(?:변경|수정|바꾸|바꿔|바꿉|교체|치환|설정)").expect("static regex"))
}

fn comment_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"`([^`]+)`[^`]{0,20}?(?:`#`\s*(?:으로|로)\s*)?주석\s*(?:처리|으로|을\s*달)")
            .expect("static regex")
    })
}

fn uncomment_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"`([^`]+)`[^`]{0,20}?주석\s*(?:해제|을\s*제거|제거)").expect("static regex")
    })
}

fn add_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"`([^`]+)`\s*(?:라인|줄|항목|행|내용)?\s*(?:을|를|이|가)?\s*(?:추가|입력|삽입|작성|넣)").expect("static regex"))
}

/// Words that make inline code an example rather than a step.
fn explains(text: &str) -> bool {
    [
        "수 있",
        "명령으로",
        "예를 들어",
        "예:",
        "참고",
        "대신",
        "처럼",
        "같은 명령",
        "확인할 수",
        "경우",
    ]
    .iter()
    .any(|w| text.contains(w))
}

fn assignment_key(s: &str) -> Option<&str> {
    let (k, _) = s.split_once('=')?;
    let k = k.trim();
    (!k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
    .then_some(k)
}

/// Read the inline-code steps of a list item or short paragraph.
/// `file_ctx` is the file a parent item says to edit.
pub fn read(text: &str, codes: &[String], file_ctx: Option<&str>, in_list: bool) -> Vec<Action> {
    // every step told in prose is inline code
    if codes.is_empty() {
        return Vec::new();
    }
    let path_here = codes
        .iter()
        .find(|c| c.starts_with('/') && files::looks_like_file(c))
        .cloned();
    let path = path_here.clone().or_else(|| file_ctx.map(str::to_string));
    let mut out = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let changes = text.contains('로');
    let comments = text.contains("주석");
    let none = "";
    for c in change_re().captures_iter(if changes { text } else { none }) {
        let (a, b) = (c[1].to_string(), c[2].to_string());
        let same_key = assignment_key(&a).is_some() && assignment_key(&a) == assignment_key(&b);
        let comment_out = if same_key { vec![] } else { vec![a.clone()] };
        out.push(Action::Lines {
            path: path.clone(),
            keep: vec![b.clone()],
            comment_out,
        });
        used.push(a);
        used.push(b);
    }
    for c in comment_re().captures_iter(if comments { text } else { none }) {
        let x = c[1].to_string();
        // a whole line (`server 0.pool iburst`, `KEY=VALUE`), not an option name
        if x == "#" || used.contains(&x) || !(x.contains(' ') || x.contains('=')) {
            continue;
        }
        out.push(Action::Lines {
            path: path.clone(),
            keep: vec![],
            comment_out: vec![x.clone()],
        });
        used.push(x);
    }
    for c in uncomment_re().captures_iter(if comments { text } else { none }) {
        let x = c[1].trim_start_matches('#').trim().to_string();
        if used.contains(&c[1].to_string()) {
            continue;
        }
        out.push(Action::Lines {
            path: path.clone(),
            keep: vec![x],
            comment_out: vec![],
        });
        used.push(c[1].to_string());
    }
    if path.is_some() {
        for c in add_re().captures_iter(text) {
            let x = c[1].to_string();
            if used.contains(&x) || x.starts_with('/') || shell::is_command(&x) {
                continue;
            }
            out.push(Action::Lines {
                path: path.clone(),
                keep: vec![x.clone()],
                comment_out: vec![],
            });
            used.push(x);
        }
    }
    // a bare setting listed under a file to edit
    if out.is_empty() && path_here.is_none() && file_ctx.is_some() && codes.len() == 1 {
        let x = &codes[0];
        let plain = text.trim().trim_matches('`').trim() == x.trim();
        if plain && !shell::is_command(x) && !x.starts_with('/') {
            out.push(Action::Lines {
                path: path.clone(),
                keep: vec![x.clone()],
                comment_out: vec![],
            });
            used.push(x.clone());
        }
    }
    // commands
    let short = text.chars().count() <= 100;
    if (in_list || short) && !explains(text) {
        for c in codes {
            if used.contains(c) {
                continue;
            }
            let t = c.trim();
            let t = t
                .strip_prefix("$ ")
                .or_else(|| t.strip_prefix("# "))
                .unwrap_or(t);
            if shell::is_command(t)
                && (t.contains(' ') || matches!(t, "reboot" | "mysql_secure_installation"))
            {
                out.push(Action::Command(t.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(t: &str) -> Vec<String> {
        t.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    fn r(t: &str, ctx: Option<&str>) -> Vec<Action> {
        read(t, &codes(t), ctx, true)
    }

    #[test]
    fn prose_edits() {
        assert_eq!(
            r(
                "`SELINUX=enforcing`을 `SELINUX=permissive`로 변경",
                Some("/etc/selinux/config")
            ),
            vec![Action::Lines {
                path: Some("/etc/selinux/config".into()),
                keep: vec!["SELINUX=permissive".into()],
                comment_out: vec![]
            }]
        );
        assert_eq!(
            r(
                "`pool 2.centos.pool.ntp.org iburst` 라인은 `#`으로 주석 처리",
                Some("/etc/chrony.conf")
            ),
            vec![Action::Lines {
                path: Some("/etc/chrony.conf".into()),
                keep: vec![],
                comment_out: vec!["pool 2.centos.pool.ntp.org iburst".into()]
            }]
        );
        assert_eq!(
            r("`PermitRootLogin no` 추가", Some("/etc/ssh/sshd_config")),
            vec![Action::Lines {
                path: Some("/etc/ssh/sshd_config".into()),
                keep: vec!["PermitRootLogin no".into()],
                comment_out: vec![]
            }]
        );
        assert_eq!(
            r("`PasswordAuthentication yes`", Some("/etc/ssh/sshd_config")),
            vec![Action::Lines {
                path: Some("/etc/ssh/sshd_config".into()),
                keep: vec!["PasswordAuthentication yes".into()],
                comment_out: vec![]
            }]
        );
    }

    #[test]
    fn inline_commands() {
        assert_eq!(
            r("`yum install chrony`", None),
            vec![Action::Command("yum install chrony".into())]
        );
        assert_eq!(
            r("관리자 권한: `. admin-openrc`", None),
            vec![Action::Command(". admin-openrc".into())]
        );
        assert!(read(
            "비밀번호는 `openssl rand -hex 10` 명령으로 만들 수 있습니다.",
            &["openssl rand -hex 10".into()],
            None,
            false
        )
        .is_empty());
    }
}
