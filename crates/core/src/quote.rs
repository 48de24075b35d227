//! Quoting text for bash, and the names a runbook variable may take.
//!
//! Two quotings, for two readers: [`single`] is the plain single-quoted word that commands and
//! runtime calls in a step's `run` use (what an operator would type); [`word`] is how the runbook
//! script itself writes any text, ANSI-C quoted when the text holds quotes, backslashes,
//! expansions or control characters, so neither bash nor shellcheck sees an expansion in it.

use std::fmt::Write as _;

/// Quote a string for bash as one single-quoted word, `'` as `'\''`. Safe for any text
/// (newlines included), and what the guide's own commands use.
pub fn single(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Names bash or the runtime use for themselves: a guide variable may not take them.
const RESERVED: &[&str] = &[
    "PATH",
    "HOME",
    "IFS",
    "PWD",
    "OLDPWD",
    "SHELL",
    "SHELLOPTS",
    "BASHOPTS",
    "PS1",
    "PS2",
    "PS3",
    "PS4",
    "UID",
    "EUID",
    "PPID",
    "GROUPS",
    "HOSTNAME",
    "HOSTTYPE",
    "OSTYPE",
    "MACHTYPE",
    "LINENO",
    "RANDOM",
    "SECONDS",
    "OPTARG",
    "OPTIND",
    "OPTERR",
    "PIPESTATUS",
    "FUNCNAME",
    "DIRSTACK",
    "REPLY",
    "SHLVL",
    "TMPDIR",
    "LANG",
    "LC_ALL",
    "TERM",
    "USER",
    "LOGNAME",
    "ENV",
    "CDPATH",
    "GLOBIGNORE",
    "HISTFILE",
    "MAIL",
    "MAILPATH",
    "NO_COLOR",
];

/// Whether `name` can be a runbook variable: an identifier, not reserved by bash or the runtime.
pub fn valid_var_name(name: &str) -> bool {
    let mut cs = name.chars();
    let first_ok = matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_');
    first_ok
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name)
        && !name.starts_with("RB_")
        && !name.starts_with("rb_")
        && !name.starts_with("BASH")
        && !name.starts_with("LC_")
        && !name.starts_with("RUNBOOK_")
}

/// A bash word for any text: plain single quotes when the text is tame, else ANSI-C quoting
/// (`$'...'`) with `'`, `\`, `$`, backquote and control characters escaped, so that neither
/// bash nor shellcheck sees an expansion in it.
pub fn word(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_word(&mut out, s);
    out
}

/// [`word`], appended to `out`.
pub fn push_word(out: &mut String, s: &str) {
    let tame = !s
        .chars()
        .any(|c| matches!(c, '\'' | '\\' | '$' | '`') || c.is_control());
    if tame {
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        return;
    }
    out.push_str("$'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\x24"),
            '`' => out.push_str("\\x60"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push(' '),
            c if c.is_control() && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('\'');
}

/// One line for a comment: control characters (newlines included) become spaces.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_one_line(&mut out, s);
    out
}

/// [`one_line`], appended to `out`.
pub fn push_one_line(out: &mut String, s: &str) {
    let s = s.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if !s.chars().any(char::is_control) {
        out.push_str(s);
        return;
    }
    out.extend(s.chars().map(|c| if c.is_control() { ' ' } else { c }));
}

/// A heredoc delimiter `PREFIX_<hex>` that is no line of `data`.
pub fn delimiter(prefix: &str, data: &str) -> String {
    let mut salt = 0u32;
    let base = crate::hash::fnv64(data.as_bytes());
    loop {
        let key = crate::hash::fnv64_more(base, &salt.to_le_bytes());
        let d = format!("{prefix}_{:08x}", key >> 32);
        if !data
            .lines()
            .any(|l| l == d || l.trim_end_matches('\r') == d)
        {
            return d;
        }
        salt += 1;
    }
}
