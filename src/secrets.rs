//! `runbook secrets [--guide PATH] [--out FILE] [--force]`: the vars file for every node.
//!
//! One file, copied to every node and given to each runbook with `--vars FILE`:
//!
//! - every secret variable gets a fresh random value: 24 characters `[A-Za-z0-9]` from
//!   `/dev/urandom` (rejection sampling, so unbiased; about 143 bits);
//! - every other variable gets the configuration's value (`NAME=value`); per-node values are
//!   written as `node__NAME=value` lines, which the runbook of that node prefers over `NAME`;
//!   a variable without any value is written commented out (`# NAME=`) for the operator to fill;
//! - the format is the runbook's: `NAME=value` to the end of the line, no shell evaluation; a value
//!   that would be misread (surrounding blanks or quotes) is wrapped in one pair of `'`, which the
//!   runbook strips.
//!
//! The file is created with mode 0600. An existing file is never overwritten unless `--force`
//! (then it is replaced atomically: a 0600 temporary file beside it, then rename). Values are
//! never printed.

use anyhow::{bail, Context, Result};
use runbook_core::model::Plan;
use runbook_core::quote::one_line;
use std::io::{Read, Write};
use std::path::Path;

/// Length of generated secrets.
pub const SECRET_LEN: usize = 24;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A random alphanumeric string from `/dev/urandom`.
pub fn random_secret(len: usize) -> Result<String> {
    let mut f = std::fs::File::open("/dev/urandom").context("cannot open /dev/urandom")?;
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    // 248 = 4 * 62: bytes >= 248 are dropped so every character is equally likely
    while out.len() < len {
        f.read_exact(&mut buf).context("cannot read /dev/urandom")?;
        for b in buf {
            if b < 248 && out.len() < len {
                out.push(ALPHABET[(b % 62) as usize] as char);
            }
        }
    }
    Ok(out)
}

/// A value as the runbook's vars reader reads it back unchanged.
fn value_text(v: &str) -> String {
    let needs_wrap = v != v.trim()
        || (v.len() >= 2
            && ((v.starts_with('"') && v.ends_with('"'))
                || (v.starts_with('\'') && v.ends_with('\''))));
    if needs_wrap {
        format!("'{v}'")
    } else {
        v.to_string()
    }
}

/// The vars file's text; `secret` gives each secret variable's value.
pub fn vars_text(plan: &Plan, mut secret: impl FnMut(&str) -> Result<String>) -> Result<String> {
    let mut s = String::new();
    s.push_str(&format!("# runbook 변수 파일: {}\n", one_line(&plan.title)));
    s.push_str("# `runbook secrets` 가 만들었습니다. 모든 노드에 복사해 `<노드>.sh --vars 이 파일` 로 씁니다.\n");
    s.push_str("# 권한 0600 을 유지하고 버전 관리에 넣지 마세요.\n");
    s.push_str(
        "# 형식: NAME=값 (줄 끝까지 값, 셸 해석 없음). NODE__NAME=값 은 그 노드에서만 쓰입니다.\n",
    );
    for v in &plan.variables {
        if !runbook_core::quote::valid_var_name(&v.name) {
            continue;
        }
        s.push('\n');
        let desc = one_line(&v.description);
        if v.secret {
            s.push_str(&format!(
                "# {}{}(비밀)\n",
                desc,
                if desc.is_empty() { "" } else { " " }
            ));
            s.push_str(&format!("{}={}\n", v.name, secret(&v.name)?));
            continue;
        }
        if !desc.is_empty() {
            s.push_str(&format!("# {desc}\n"));
        }
        let mut any = false;
        if let Some(val) = &v.value {
            if !val.contains('\n') {
                s.push_str(&format!("{}={}\n", v.name, value_text(val)));
                any = true;
            }
        }
        for p in &v.per_node {
            if p.value.contains('\n') {
                continue;
            }
            let node = runbook_render::runbook::file_name(&p.node);
            s.push_str(&format!("{node}__{}={}\n", v.name, value_text(&p.value)));
            any = true;
        }
        if !any {
            s.push_str(&format!("# {}=   (값을 정하세요)\n", v.name));
        }
    }
    Ok(s)
}

/// Write `text` to `out` with mode 0600: refuses an existing file unless `force`.
pub fn write_vars_file(out: &Path, text: &str, force: bool) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if out.exists() && !force {
        bail!(
            "{} already exists; not overwriting it (use --force to replace it)",
            out.display()
        );
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vars.env".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if force {
            std::fs::rename(&tmp, out)
        } else {
            // no overwrite even if the file appeared meanwhile
            std::fs::hard_link(&tmp, out).and_then(|_| std::fs::remove_file(&tmp))
        }
        .with_context(|| format!("cannot write {}", out.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `runbook secrets`: compile the guide, write the vars file; returns (variables, secrets).
pub fn run(guide: &Path, out: &Path, force: bool) -> Result<(usize, usize)> {
    let c = runbook_compile::compile(guide)?;
    let text = vars_text(&c.plan, |_| random_secret(SECRET_LEN))?;
    write_vars_file(out, &text, force)?;
    let n = c
        .plan
        .variables
        .iter()
        .filter(|v| runbook_core::quote::valid_var_name(&v.name))
        .count();
    let k = c
        .plan
        .variables
        .iter()
        .filter(|v| v.secret && runbook_core::quote::valid_var_name(&v.name))
        .count();
    Ok((n, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use runbook_core::model::{NodeValue, Variable};

    #[test]
    fn random_secrets_are_strong_and_differ() {
        let a = random_secret(SECRET_LEN).unwrap();
        let b = random_secret(SECRET_LEN).unwrap();
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn text_has_secrets_values_and_per_node() {
        let plan = Plan {
            version: 1,
            title: "t".into(),
            nodes: vec!["controller".into(), "compute".into()],
            variables: vec![
                Variable {
                    name: "RABBIT_PASS".into(),
                    secret: true,
                    description: "암호".into(),
                    value: None,
                    per_node: vec![],
                },
                Variable {
                    name: "MGMT_IP".into(),
                    secret: false,
                    description: "관리 IP".into(),
                    value: Some("10.0.0.11".into()),
                    per_node: vec![NodeValue {
                        node: "compute".into(),
                        value: "10.0.0.31".into(),
                    }],
                },
                Variable {
                    name: "NTP_SERVER".into(),
                    secret: false,
                    description: String::new(),
                    value: None,
                    per_node: vec![],
                },
                Variable {
                    name: "QUOTED".into(),
                    secret: false,
                    description: String::new(),
                    value: Some("\"x\"".into()),
                    per_node: vec![],
                },
            ],
            phases: 1,
            steps: vec![],
            hosts: vec![],
            networks: vec![],
            options: vec![],
            software: vec![],
        };
        let t = vars_text(&plan, |_| Ok("S3cr3t".into())).unwrap();
        assert!(t.contains("\nRABBIT_PASS=S3cr3t\n"), "{t}");
        assert!(
            t.contains("\nMGMT_IP=10.0.0.11\ncompute__MGMT_IP=10.0.0.31\n"),
            "{t}"
        );
        assert!(t.contains("\n# NTP_SERVER=   (값을 정하세요)\n"), "{t}");
        assert!(t.contains("\nQUOTED='\"x\"'\n"), "{t}");
    }

    #[test]
    fn file_is_0600_and_not_overwritten() {
        use std::os::unix::fs::PermissionsExt;
        let d = std::env::temp_dir().join(format!("rb-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("vars.env");
        let _ = std::fs::remove_file(&f);
        write_vars_file(&f, "A=1\n", false).unwrap();
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(write_vars_file(&f, "A=2\n", false).is_err());
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "A=1\n");
        write_vars_file(&f, "A=3\n", true).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "A=3\n");
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::remove_dir_all(&d).ok();
    }
}
