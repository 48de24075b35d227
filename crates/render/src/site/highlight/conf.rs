//! ini and other configuration files: `[section]`s, `key = value` (or `KEY=VALUE`, or
//! `key value` as chrony.conf and interfaces write them), and `#`/`;` comments.

use super::tok::*;
use super::{lines, span};
use runbook_core::html::escape_into;

/// An ini or `key value` file.
pub fn ini(out: &mut String, code: &str) {
    for (line, nl) in lines(code) {
        ini_line(out, line);
        out.push_str(nl);
    }
}

fn ini_line(out: &mut String, line: &str) {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    out.push_str(indent);
    let t = body.trim_end();
    if body.starts_with('#') || body.starts_with(';') || t == "..." {
        span(out, COM, body);
        return;
    }
    if t.starts_with('[') && t.ends_with(']') {
        span(out, SEC, t);
        out.push_str(&body[t.len()..]);
        return;
    }
    let key_end = match body.find(['=', ' ', '\t', ':']) {
        Some(k) if body.as_bytes()[k] == b':' && !body[k + 1..].starts_with(' ') => {
            // `a:b` is a value (an address, a URL), not a key
            escape_into(out, body);
            return;
        }
        Some(k) => k,
        None => {
            escape_into(out, body);
            return;
        }
    };
    let key = body[..key_end].trim_end();
    span(out, KEY, key);
    let rest = &body[key.len()..];
    let sep_len = rest
        .find(|c: char| !matches!(c, '=' | ':' | ' ' | '\t'))
        .unwrap_or(rest.len());
    out.push_str(&rest[..sep_len]);
    value(out, &rest[sep_len..]);
}

/// A value, with a trailing `# comment` apart.
fn value(out: &mut String, v: &str) {
    let comment = v.find(" #").map(|k| k + 1);
    let (val, com) = match comment {
        Some(k) => v.split_at(k),
        None => (v, ""),
    };
    if val.starts_with(['"', '\'']) {
        span(out, STR, val);
    } else {
        escape_into(out, val);
    }
    span(out, COM, com);
}
