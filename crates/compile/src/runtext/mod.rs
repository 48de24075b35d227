//! The `run` text of each step: the exact bash the node's runbook executes.
//!
//! - `command`: the normalised commands with guards for the shapes that fail or double when run
//!   twice (see [`guards`]); everything else relies on the runbook's state file.
//! - `verify`, `manual`: unchanged (`manual` holds the instruction shown to the operator).
//! - `file`, `ini`, `lines`, `sql`: a call of a runtime function (`rb_file`, `rb_ini`, `rb_lines`,
//!   `rb_sql`) with the data in a quoted heredoc whose delimiter occurs in no data line. `${VAR}`
//!   in the data is replaced by the runtime for the step's declared variables only, never by the
//!   shell, so nothing from the guide can execute.
//!
//! Invalid data (a newline in a path, an ini key with `=`, ...) gives `rb_fail '<reason>'`: the
//! step fails at run time with that reason instead of doing something else.

pub mod guards;
pub mod shell;

use runbook_core::model::{Kind, Step};
use runbook_core::quote::{delimiter, single as sq, valid_var_name};

/// Fill `step.run` from its kind and content. Idempotent: filling twice gives the same text.
pub fn fill(step: &mut Step) {
    if step.run.is_empty() && !matches!(step.kind(), Kind::File | Kind::Ini | Kind::Lines) {
        step.run = step.original.clone();
    }
    step.run = match step.kind() {
        Kind::Command => guards::guard(&step.run),
        Kind::Verify | Kind::Manual => step.run.clone(),
        Kind::File => file_call(step),
        Kind::Ini => ini_call(step),
        Kind::Lines => lines_call(step),
        Kind::Sql => {
            if step.run.starts_with("rb_sql ") || step.run.starts_with("rb_fail ") {
                step.run.clone()
            } else {
                sql_call(step)
            }
        }
    };
}

/// The declared variable names as the runtime's second argument (`'A B C'`).
fn names_arg(step: &Step) -> Result<String, String> {
    let mut names: Vec<&str> = Vec::new();
    for v in &step.variables {
        if !valid_var_name(v) {
            return Err(format!("변수 이름 {v:?} 은(는) 쓸 수 없습니다"));
        }
        if !names.contains(&v.as_str()) {
            names.push(v);
        }
    }
    Ok(sq(&names.join(" ")))
}

fn fail_call(reason: &str) -> String {
    format!("rb_fail {}", sq(reason))
}

/// `rb_X 'PATH' 'NAMES' [flag] <<'DELIM'` + data + `DELIM`.
fn heredoc_call(func: &str, args: &[String], data: &str) -> String {
    let prefix = format!("RUNBOOK_{}", func.trim_start_matches("rb_").to_uppercase());
    let d = delimiter(&prefix, data);
    let mut s = String::new();
    s.push_str(func);
    for a in args {
        s.push(' ');
        s.push_str(a);
    }
    s.push_str(&format!(" <<'{d}'\n"));
    s.push_str(data);
    if !data.is_empty() && !data.ends_with('\n') {
        s.push('\n');
    }
    s.push_str(&d);
    s
}

fn checked_path(step: &Step) -> Result<String, String> {
    let p = step
        .path()
        .ok_or_else(|| "파일 경로가 없습니다".to_string())?;
    if p.is_empty() {
        return Err("파일 경로가 비어 있습니다".into());
    }
    if p.contains('\n') || p.contains('\r') || p.contains('\0') {
        return Err("파일 경로에 줄바꿈이 있습니다".into());
    }
    if !p.starts_with('/') && !p.starts_with("${") && !p.starts_with('~') {
        return Err(format!("파일 경로 {p:?} 가 절대 경로가 아닙니다"));
    }
    Ok(sq(p))
}

fn file_call(step: &Step) -> String {
    let r = (|| -> Result<String, String> {
        let path = checked_path(step)?;
        let names = names_arg(step)?;
        let content = step.action.content().unwrap_or("");
        if content.contains('\0') {
            return Err("파일 내용에 NUL 문자가 있습니다".into());
        }
        let mut args = vec![path, names];
        let data = if content.is_empty() || content.ends_with('\n') {
            content.to_string()
        } else {
            args.push("nonl".into());
            format!("{content}\n")
        };
        Ok(heredoc_call("rb_file", &args, &data))
    })();
    r.unwrap_or_else(|e| fail_call(&e))
}

fn ini_call(step: &Step) -> String {
    let r = (|| -> Result<String, String> {
        let path = checked_path(step)?;
        let names = names_arg(step)?;
        let settings = step.action.settings();
        let mut data = String::new();
        let mut cur: Option<&str> = None;
        for s in settings {
            let sec = if s.section.trim().is_empty() {
                "DEFAULT"
            } else {
                s.section.trim()
            };
            if sec.contains(['\n', '\r', ']', '[']) {
                return Err(format!("섹션 이름 {sec:?} 을(를) 쓸 수 없습니다"));
            }
            let key = s.key.trim();
            if matches!(key, "..." | "…") {
                continue;
            }
            if key.is_empty() || key.contains(['\n', '\r', '=']) || key.starts_with(['[', '#', ';'])
            {
                return Err(format!("설정 키 {key:?} 를 쓸 수 없습니다"));
            }
            if s.value.contains(['\n', '\r']) {
                return Err(format!("설정 {key} 의 값에 줄바꿈이 있습니다"));
            }
            if cur != Some(sec) {
                data.push_str(&format!("[{sec}]\n"));
                cur = Some(sec);
            }
            let v = s.value.trim();
            if v.is_empty() {
                data.push_str(&format!("{key}\n"));
            } else {
                data.push_str(&format!("{key} = {v}\n"));
            }
        }
        Ok(heredoc_call("rb_ini", &[path, names], &data))
    })();
    r.unwrap_or_else(|e| fail_call(&e))
}

fn lines_call(step: &Step) -> String {
    let r = (|| -> Result<String, String> {
        let path = checked_path(step)?;
        let names = names_arg(step)?;
        let mut data = String::new();
        for l in step.action.comment_out() {
            if l.contains(['\n', '\r']) {
                return Err("주석 처리할 줄에 줄바꿈이 있습니다".into());
            }
            if l.trim().is_empty() {
                continue;
            }
            data.push('-');
            data.push_str(l);
            data.push('\n');
        }
        for l in step.action.lines() {
            if l.contains(['\n', '\r']) {
                return Err("추가할 줄에 줄바꿈이 있습니다".into());
            }
            if l.trim().is_empty() || matches!(l.trim(), "..." | "…") {
                continue;
            }
            data.push('+');
            data.push_str(l);
            data.push('\n');
        }
        Ok(heredoc_call("rb_lines", &[path, names], &data))
    })();
    r.unwrap_or_else(|e| fail_call(&e))
}

fn sql_call(step: &Step) -> String {
    match names_arg(step) {
        Ok(names) => {
            let stmts = sql_idempotent(&step.run);
            heredoc_call("rb_sql", &[names], &stmts)
        }
        Err(e) => fail_call(&e),
    }
}

/// Make SQL statements safe to repeat: `CREATE DATABASE|SCHEMA|USER|TABLE|ROLE` get
/// `IF NOT EXISTS`, `DROP ...` gets `IF EXISTS`; client lines (`mysql -u root -p`), `exit`,
/// `quit`, `\q` and prompts are dropped. GRANT repeats fine on MariaDB and stays.
pub fn sql_idempotent(sql: &str) -> String {
    let mut out = String::new();
    for line in sql.lines() {
        let mut l = line.trim_end().to_string();
        // stray prompts
        for p in ["MariaDB [(none)]>", "mysql>", "MariaDB>"] {
            if let Some(rest) = l.trim_start().strip_prefix(p) {
                l = rest.trim_start().to_string();
            }
        }
        if let Some(rest) = l.trim_start().strip_prefix("MariaDB [") {
            if let Some(k) = rest.find("]>") {
                l = rest[k + 2..].trim_start().to_string();
            }
        }
        let t = l.trim();
        let lower = t.to_ascii_lowercase();
        let word = lower.trim_end_matches(';').trim();
        if matches!(word, "exit" | "quit" | "\\q")
            || lower.starts_with("mysql ")
            || lower == "mysql"
            || lower.starts_with("mariadb ")
            || lower.starts_with("sudo mysql")
        {
            continue;
        }
        out.push_str(&add_if_exists(&l));
        out.push('\n');
    }
    out
}

/// Rewrite statement starts on one line (outside quotes).
pub(crate) fn add_if_exists(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    let mut at_stmt_start = true;
    let mut quote: Option<char> = None;
    while !rest.is_empty() {
        if quote.is_none() && at_stmt_start {
            let trimmed = rest.trim_start();
            let ws = &rest[..rest.len() - trimmed.len()];
            if let Some((kw, tail)) = stmt_rewrite(trimmed) {
                out.push_str(ws);
                out.push_str(&kw);
                rest = tail;
                at_stmt_start = false;
                continue;
            }
            if !trimmed.is_empty() {
                at_stmt_start = false;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                ';' => at_stmt_start = true,
                _ => {}
            },
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// If `s` starts with a CREATE/DROP statement that lacks its guard, return the rewritten keyword
/// part and the remaining text.
fn stmt_rewrite(s: &str) -> Option<(String, &str)> {
    let words: Vec<(usize, &str)> = word_spans(s, 6);
    if words.len() < 2 {
        return None;
    }
    let w0 = words[0].1.to_ascii_uppercase();
    let w1 = words[1].1.to_ascii_uppercase();
    let objects = ["DATABASE", "SCHEMA", "USER", "TABLE", "ROLE"];
    let (guard, obj_end) = match (w0.as_str(), w1.as_str()) {
        ("CREATE", o) if objects.contains(&o) => ("IF NOT EXISTS", words[1].0 + words[1].1.len()),
        ("DROP", o) if objects.contains(&o) => ("IF EXISTS", words[1].0 + words[1].1.len()),
        _ => return None,
    };
    // already guarded?
    let after = s[obj_end..].trim_start().to_ascii_uppercase();
    if after.starts_with("IF ") {
        return None;
    }
    Some((format!("{} {}", &s[..obj_end], guard), &s[obj_end..]))
}

fn word_spans(s: &str, max: usize) -> Vec<(usize, &str)> {
    let mut v = Vec::new();
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() && v.len() < max {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let st = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        if i == st {
            break;
        }
        v.push((st, &s[st..i]));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_made_idempotent() {
        let s = "mysql -u root -p\nMariaDB [(none)]> CREATE DATABASE keystone;\nGRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' IDENTIFIED BY '${KEYSTONE_DBPASS}';\ncreate database if not exists x; drop table t;\nCREATE USER 'u'@'%' IDENTIFIED BY 'create database';\nexit\nquit;\n";
        let out = sql_idempotent(s);
        assert_eq!(
            out,
            "CREATE DATABASE IF NOT EXISTS keystone;\nGRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' IDENTIFIED BY '${KEYSTONE_DBPASS}';\ncreate database if not exists x; drop table IF EXISTS t;\nCREATE USER IF NOT EXISTS 'u'@'%' IDENTIFIED BY 'create database';\n"
        );
        assert_eq!(sql_idempotent(&out), out);
    }

    #[test]
    fn quoting() {
        assert_eq!(sq("a'b"), "'a'\\''b'");
        assert_eq!(sq("$(rm -rf /)`x`"), "'$(rm -rf /)`x`'");
        assert!(valid_var_name("RABBIT_PASS"));
        assert!(!valid_var_name("PATH"));
        assert!(!valid_var_name("RB_MODE"));
        assert!(!valid_var_name("A-B"));
        assert!(!valid_var_name("1A"));
    }

    #[test]
    fn delimiter_avoids_data_lines() {
        let d = delimiter("RUNBOOK_FILE", "x\n");
        let data = format!("{d}\n");
        let d2 = delimiter("RUNBOOK_FILE", &data);
        assert_ne!(d2, d);
        assert!(!data.lines().any(|l| l == d2));
    }
}
