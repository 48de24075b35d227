//! YAML and JSON: keys, strings, numbers and literals, comments (YAML).

use super::tok::*;
use super::{lines, number_end, quoted_end, run_end, span};
use runbook_core::html::escape_into;

/// YAML, line by line: `key:`, `- ` items, scalars, `#` comments, `---`.
pub fn yaml(out: &mut String, code: &str) {
    for (line, nl) in lines(code) {
        yaml_line(out, line);
        out.push_str(nl);
    }
}

fn yaml_line(out: &mut String, line: &str) {
    let body = line.trim_start();
    out.push_str(&line[..line.len() - body.len()]);
    if body.starts_with('#') {
        span(out, COM, body);
        return;
    }
    if body.trim_end() == "---" || body.trim_end() == "..." {
        span(out, KW, body);
        return;
    }
    let mut rest = body;
    while let Some(r) = rest.strip_prefix("- ") {
        out.push_str("- ");
        rest = r;
    }
    let key_end = key_end(rest);
    if let Some(k) = key_end {
        span(out, KEY, &rest[..k]);
        out.push(':');
        rest = &rest[k + 1..];
    }
    scalar(out, rest);
}

/// Where a `key:` ends (at its colon), if the text starts with a key.
fn key_end(s: &str) -> Option<usize> {
    if s.starts_with(['"', '\'', '{', '[', '#', '|', '>']) {
        return None;
    }
    let k = s.find(':')?;
    let after = s.as_bytes().get(k + 1);
    let is_key = matches!(after, None | Some(b' ') | Some(b'\t'));
    (is_key && k > 0 && !s[..k].contains(" #")).then_some(k)
}

/// A scalar after a key (or an item), with a trailing comment.
fn scalar(out: &mut String, s: &str) {
    let lead = s.len() - s.trim_start().len();
    out.push_str(&s[..lead]);
    let v = &s[lead..];
    let (val, com) = match v.find(" #") {
        Some(k) if !v.starts_with(['"', '\'']) => v.split_at(k),
        _ => match v.starts_with('#') {
            true => ("", v),
            false => (v, ""),
        },
    };
    let t = val.trim_end();
    let lit = matches!(
        t,
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "True" | "False"
    ) || (!t.is_empty() && t.parse::<f64>().is_ok());
    if val.starts_with(['"', '\'']) {
        let (end, _) = quoted_end(val.as_bytes(), 0, val.starts_with('"'));
        span(out, STR, &val[..end]);
        scalar(out, &val[end..]);
        return;
    }
    if lit {
        span(out, NUM, t);
        out.push_str(&val[t.len()..]);
    } else {
        escape_into(out, val);
    }
    span(out, COM, com);
}

/// JSON: keys, strings, numbers, `true`/`false`/`null`.
pub fn json(out: &mut String, code: &str) {
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let end = if c == b'"' {
            let (end, _) = quoted_end(b, i, true);
            let next = run_end(b, end, |c| c.is_ascii_whitespace());
            let class = if b.get(next) == Some(&b':') { KEY } else { STR };
            span(out, class, &code[i..end]);
            end
        } else if let Some(end) = number_end(b, i).or_else(|| {
            (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
                .then(|| number_end(b, i + 1))
                .flatten()
        }) {
            span(out, NUM, &code[i..end]);
            end
        } else if c.is_ascii_alphabetic() {
            let end = run_end(b, i, |c| c.is_ascii_alphabetic());
            let w = &code[i..end];
            if matches!(w, "true" | "false" | "null") {
                span(out, NUM, w);
            } else {
                escape_into(out, w);
            }
            end
        } else {
            let end = run_end(b, i + 1, |c| {
                !(c == b'"' || c == b'-' || c.is_ascii_alphanumeric())
            });
            escape_into(out, &code[i..end]);
            end
        };
        i = end;
    }
}
