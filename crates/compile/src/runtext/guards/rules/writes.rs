//! Writes to files: heredocs, `tee`, appends, and `sed -i`.

use super::super::super::shell;
use super::super::cmd::Cmd;
use super::super::Guard;
use regex::Regex;

/// Targets that are not files a rerun could double: devices, /proc, /sys, and expansions
/// other than the home directory (`~/.bashrc`, `$HOME/.profile`).
fn is_pseudo(target: &str) -> bool {
    let home = ["~/", "$HOME/", "${HOME}/", "\"$HOME\"/", "\"${HOME}\"/"];
    let rest = home.iter().find_map(|h| target.strip_prefix(h));
    match rest.map_or_else(|| shell::literal(target), shell::literal) {
        Some(p) => p.starts_with("/dev/") || p.starts_with("/proc/") || p.starts_with("/sys/"),
        None => true,
    }
}

/// `cat >> F <<EOF` / `cat > F <<EOF` (any order) → `rb_append F <<EOF` (only the lines not
/// there yet) / `rb_write F <<EOF` (atomic, only when different, original kept).
pub fn cat_heredoc(c: &Cmd) -> Option<Guard> {
    if c.name() != "cat" || !c.args().is_empty() || c.redirs.len() != 2 || c.piped() {
        return None;
    }
    let mut out = None;
    let mut heredoc = None;
    for r in &c.redirs {
        let t = r.target.as_ref()?;
        match r.op {
            ">>" | "1>>" => out = Some((true, t.raw)),
            ">" | "1>" => out = Some((false, t.raw)),
            "<<" | "<<-" => heredoc = Some((r.op, t.raw)),
            _ => return None,
        }
    }
    let (append, target) = out?;
    let (op, delim) = heredoc?;
    if is_pseudo(target) {
        return None;
    }
    let f = if append { "rb_append" } else { "rb_write" };
    Some(Guard::Replace(format!("{f} {target} {op}{delim}")))
}

/// `… | tee -a F [>/dev/null]`, `tee -a F <<EOF` → `rb_append F`; `tee F` → `rb_write F`.
pub fn tee(c: &Cmd) -> Option<Guard> {
    if c.name() != "tee" {
        return None;
    }
    let mut append = false;
    let mut files = Vec::new();
    for w in c.args() {
        match w.lit.as_deref() {
            Some("-a" | "--append") => append = true,
            Some(l) if l.starts_with('-') => return None,
            _ => files.push(w.raw),
        }
    }
    let [target] = files[..] else {
        return None;
    };
    if is_pseudo(target) {
        return None;
    }
    let mut heredoc = String::new();
    for r in &c.redirs {
        let t = r.target.as_ref()?;
        match r.op {
            ">" | "1>" if t.is("/dev/null") => {}
            "<<" | "<<-" => heredoc = format!(" {}{}", r.op, t.raw),
            _ => return None,
        }
    }
    // the stdout of tee is the pipeline's output; it is dropped (written to the file only)
    if !matches!(c.next, "" | ";" | "\n" | "&&" | "||") {
        return None;
    }
    let f = if append { "rb_append" } else { "rb_write" };
    Some(Guard::Replace(format!("{f} {target}{heredoc}")))
}

/// `echo … >> F` → `echo … | rb_append F`: the line is appended once.
pub fn echo_append(c: &Cmd) -> Option<Guard> {
    if !matches!(c.name(), "echo" | "printf") || c.redirs.len() != 1 || c.piped() {
        return None;
    }
    let r = &c.redirs[0];
    if !matches!(r.op, ">>" | "1>>") {
        return None;
    }
    let target = r.target.as_ref()?.raw;
    if is_pseudo(target) {
        return None;
    }
    let words: Vec<&str> = c.words[c.at..].iter().map(|w| w.raw).collect();
    Some(Guard::Replace(format!(
        "{} | rb_append {target}",
        words.join(" ")
    )))
}

/// One `s` command of a sed script: `[/ADDRESS/]s<d>PATTERN<d>REPLACEMENT<d>FLAGS`.
struct Subst {
    address: Option<String>,
    pattern: String,
    replacement: String,
    flags: String,
    /// Where PATTERN starts in the script (just after `s` and the delimiter).
    pat_start: usize,
}

/// Split `s` at unescaped `d`, from `start`: (piece, index after the delimiter).
fn until_delim(s: &str, start: usize, d: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut it = s[start..].char_indices();
    while let Some((k, ch)) = it.next() {
        if ch == '\\' {
            let (_, n) = it.next()?;
            if n != d {
                out.push('\\');
            }
            out.push(n);
        } else if ch == d {
            return Some((out, start + k + ch.len_utf8()));
        } else {
            out.push(ch);
        }
    }
    None
}

fn parse_subst(script: &str) -> Option<Subst> {
    let s = script.trim();
    let off = script.len() - script.trim_start().len();
    let mut i = 0;
    let mut address = None;
    if let Some(rest) = s.strip_prefix('/') {
        let (a, next) = until_delim(rest, 0, '/')?;
        address = Some(a);
        i = next + 1;
    }
    let s2 = &s[i..];
    let lead = s2.len() - s2.trim_start().len();
    i += lead;
    let mut cs = s[i..].chars();
    if cs.next()? != 's' {
        return None;
    }
    let d = cs.next()?;
    if d.is_alphanumeric() || d == '\\' || d == '\n' {
        return None;
    }
    let p0 = i + 1 + d.len_utf8();
    let (pattern, p1) = until_delim(s, p0, d)?;
    let (replacement, p2) = until_delim(s, p1, d)?;
    let flags = s[p2..].trim().to_string();
    if !flags
        .chars()
        .all(|f| f.is_ascii_digit() || "gIip".contains(f))
    {
        return None;
    }
    Some(Subst {
        address,
        pattern,
        replacement,
        flags,
        pat_start: off + p0,
    })
}

/// A sed regex (BRE, or ERE with `-E`/`-r`) as a Rust regex, and the literal characters of
/// the whole pattern and of each group (what a match of them at least holds).
struct SedRegex {
    re: Regex,
    literals: Vec<String>,
}

fn translate(p: &str, ere: bool) -> Option<SedRegex> {
    let mut out = String::new();
    let mut literals = vec![String::new()];
    let mut open: Vec<usize> = Vec::new();
    let mut it = p.chars().peekable();
    let push_lit = |lits: &mut Vec<String>, open: &[usize], ch: char| {
        lits[0].push(ch);
        for &g in open {
            lits[g].push(ch);
        }
    };
    while let Some(ch) = it.next() {
        let (special, c) = match ch {
            '\\' => {
                let n = it.next()?;
                (!ere && "(){}|+?".contains(n), n)
            }
            c => (ere && "(){}|+?".contains(c) || ".*^$".contains(c), c),
        };
        match (special, c) {
            (true, '(') => {
                literals.push(String::new());
                open.push(literals.len() - 1);
                out.push('(');
            }
            (true, ')') => {
                open.pop();
                out.push(')');
            }
            (true, c) => out.push(c),
            (false, '[') => {
                out.push('[');
                out.push_str(&bracket(&mut it)?);
                out.push(']');
            }
            (false, 'n') if ch == '\\' => out.push_str("\\n"),
            (false, 't') if ch == '\\' => out.push_str("\\t"),
            (false, c @ ('w' | 's' | 'W' | 'S' | 'b')) if ch == '\\' => {
                out.push('\\');
                out.push(c);
            }
            (false, c) => {
                out.push_str(&regex::escape(&c.to_string()));
                push_lit(&mut literals, &open, c);
            }
        }
    }
    let re = Regex::new(&out).ok()?;
    Some(SedRegex { re, literals })
}

/// The body of a bracket expression after its `[`, up to and without its `]`, written for a
/// Rust class (a backslash is literal in sed, `[` only opens a `[:class:]`).
fn bracket(it: &mut std::iter::Peekable<std::str::Chars>) -> Option<String> {
    let mut body = String::new();
    let mut raw = String::new();
    loop {
        let b = it.next()?;
        if b == ']' && !raw.is_empty() && raw != "^" {
            return Some(body);
        }
        raw.push(b);
        match b {
            '[' if it.peek() == Some(&':') => {
                body.push('[');
                for x in it.by_ref() {
                    body.push(x);
                    if x == ']' {
                        break;
                    }
                }
            }
            '[' | '\\' | '&' | '~' => {
                body.push('\\');
                body.push(b);
            }
            ']' => body.push_str("\\]"),
            c => body.push(c),
        }
    }
}

/// A sed replacement as a Rust one (`&` → `${0}`, `\N` → `${N}`), and a sample of what it
/// writes, groups taken as their literal characters.
fn replacement(rep: &str, lits: &[String]) -> (String, String) {
    let mut rust = String::new();
    let mut sample = String::new();
    let mut it = rep.chars();
    while let Some(ch) = it.next() {
        match ch {
            '&' => {
                rust.push_str("${0}");
                sample.push_str(&lits[0]);
            }
            '\\' => match it.next() {
                Some(d @ '0'..='9') => {
                    let n = d as usize - '0' as usize;
                    rust.push_str(&format!("${{{n}}}"));
                    sample.push_str(lits.get(n).map_or("", |s| s.as_str()));
                }
                Some('n') => {
                    rust.push('\n');
                    sample.push('\n');
                }
                Some(x) => {
                    rust.push_str(&x.to_string().replace('$', "$$"));
                    sample.push(x);
                }
                None => {}
            },
            '$' => {
                rust.push_str("$$");
                sample.push('$');
            }
            c => {
                rust.push(c);
                sample.push(c);
            }
        }
    }
    (rust, sample)
}

/// Whether applying the substitution to what it wrote changes it again.
fn repeats_badly(s: &Subst, ere: bool) -> Option<bool> {
    let pat = translate(&s.pattern, ere)?;
    let (rust, sample) = replacement(&s.replacement, &pat.literals);
    if let Some(a) = &s.address {
        let addr = translate(a, ere)?;
        let line = format!("{sample}{}", addr.literals[0]);
        if !addr.re.is_match(&line) {
            return Some(false);
        }
    }
    let again = if s.flags.contains('g') {
        pat.re.replace_all(&sample, rust.as_str())
    } else {
        pat.re.replace(&sample, rust.as_str())
    };
    Some(again != sample)
}

/// `P` escaped for a sed regex.
fn sed_escape(p: &str) -> String {
    p.chars()
        .map(|ch| {
            if "\\.*[]^$/".contains(ch) {
                format!("\\{ch}")
            } else {
                ch.to_string()
            }
        })
        .collect()
}

/// A substitution that puts a prefix P before whole lines (`s/^/#/`, `s/^\(.*\)$/#\1/`,
/// `s/.*/#&/`), written so that a line already starting with P is left as it is:
/// `s/^#*/#/`, `s/^#*\(.*\)$/#\1/`. None for other substitutions.
fn comment_out_once(s: &Subst, script: &str, ere: bool) -> Option<String> {
    let (open, close) = if ere { ("(", ")") } else { ("\\(", "\\)") };
    let whole_group = [format!("^{open}.*{close}$"), format!("^{open}.*{close}")];
    let (prefix, pattern_tail, rep_tail) = if s.pattern == "^" {
        (s.replacement.as_str(), String::new(), "")
    } else if whole_group.contains(&s.pattern) {
        (
            s.replacement.strip_suffix("\\1")?,
            format!("{open}.*{close}$"),
            "\\1",
        )
    } else if matches!(s.pattern.as_str(), "^.*$" | "^.*" | ".*") {
        (
            s.replacement.strip_suffix('&')?,
            format!("{open}.*{close}$"),
            "\\1",
        )
    } else {
        return None;
    };
    if prefix.is_empty() || prefix.contains(['&', '\\', '\n']) {
        return None;
    }
    let esc = sed_escape(prefix);
    let head = if prefix.chars().count() == 1 {
        format!("^{esc}*")
    } else if pattern_tail.is_empty() {
        format!("^{open}{esc}{close}*")
    } else {
        // a second group would renumber \1
        return None;
    };
    let d = script[..s.pat_start].chars().next_back()?;
    Some(format!(
        "{}{head}{pattern_tail}{d}{prefix}{rep_tail}{d}{}",
        &script[..s.pat_start],
        s.flags
    ))
}

/// `sed -i` repeats safely when its replacement does not match its own pattern.
/// Commenting lines out (`s/^/#/`) is written to skip lines already commented out; other
/// substitutions that would change their own output again are flagged.
pub fn sed_in_place(c: &Cmd) -> Option<Guard> {
    if c.name() != "sed" {
        return None;
    }
    let in_place = c.args().iter().any(|w| {
        w.lit.as_deref().is_some_and(|l| {
            l.starts_with("--in-place")
                || l.starts_with("-i")
                || (l.starts_with('-') && !l.starts_with("--") && l.ends_with('i'))
        })
    });
    if !in_place {
        return None;
    }
    let ere = c.has_flag('E', &["--regexp-extended"]) || c.has_flag('r', &[]);
    let args = c.args();
    let script = match args.iter().position(|w| w.is("-e") || w.is("--expression")) {
        Some(k) => args.get(k + 1),
        None => c
            .positionals(&["-f", "--file", "-l", "--line-length"])
            .into_iter()
            .next(),
    }?;
    let text = script.lit.as_deref()?;
    let s = parse_subst(text)?;
    if !repeats_badly(&s, ere)? {
        return Some(Guard::Idempotent);
    }
    if let Some(fixed) = comment_out_once(&s, text, ere) {
        let quoted = runbook_core::quote::single(&fixed);
        return Some(Guard::Replace(c.splice(script.start, script.end, &quoted)));
    }
    Some(Guard::Flag(format!(
        "`{}` changes its own output again on every run (the replacement matches the pattern): anchor the pattern so that it no longer matches what it wrote",
        c.text().lines().next().unwrap_or("")
    )))
}
