//! Python: keywords, strings (triple-quoted ones across lines), numbers, comments, the names
//! `def` and `class` introduce, decorators.

use super::tok::*;
use super::{is_word, number_end, run_end, span};
use runbook_core::html::escape_into;

const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

const LITERALS: &[&str] = &["True", "False", "None"];

/// Python source.
pub fn python(out: &mut String, code: &str) {
    let b = code.as_bytes();
    let mut i = 0;
    let mut names_next = false;
    while i < b.len() {
        let c = b[i];
        let end = if c == b'#' {
            let end = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |k| i + k);
            span(out, COM, &code[i..end]);
            end
        } else if c == b'"' || c == b'\'' {
            let end = string_end(b, i);
            span(out, STR, &code[i..end]);
            end
        } else if c == b'@' && (i == 0 || b[i - 1] == b'\n' || b[i - 1] == b' ') {
            let end = run_end(b, i + 1, |c| is_word(c) || c == b'.');
            span(out, VAR, &code[i..end]);
            end
        } else if let Some(end) = number_end(b, i).filter(|_| i == 0 || !is_word(b[i - 1])) {
            span(out, NUM, &code[i..end]);
            end
        } else if is_word(c) {
            let end = run_end(b, i, is_word);
            let w = &code[i..end];
            // a string prefix: r"…", f'…', b"""…"""
            if w.len() <= 2
                && w.bytes().all(|c| b"rRbBfFuU".contains(&c))
                && matches!(b.get(end), Some(b'"' | b'\''))
            {
                let end = string_end(b, end);
                span(out, STR, &code[i..end]);
                i = end;
                continue;
            }
            if names_next {
                span(out, CMD, w);
                names_next = false;
            } else if KEYWORDS.contains(&w) {
                span(out, KW, w);
                names_next = w == "def" || w == "class";
            } else if LITERALS.contains(&w) {
                span(out, NUM, w);
            } else {
                escape_into(out, w);
            }
            end
        } else {
            let end = run_end(b, i + 1, |c| {
                !(is_word(c) || matches!(c, b'#' | b'"' | b'\'' | b'@'))
            });
            escape_into(out, &code[i..end]);
            end
        };
        i = end;
    }
}

/// The end of the string opening at `i` (triple-quoted ones may span lines; others end at the
/// line's end at the latest).
fn string_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let triple = b.len() >= i + 3 && b[i + 1] == q && b[i + 2] == q;
    if triple {
        let mut k = i + 3;
        while k + 3 <= b.len() {
            if b[k] == b'\\' {
                k += 2;
                continue;
            }
            if b[k] == q && b[k + 1] == q && b[k + 2] == q {
                return k + 3;
            }
            k += 1;
        }
        return b.len();
    }
    let mut k = i + 1;
    while k < b.len() && b[k] != b'\n' {
        if b[k] == b'\\' {
            k += 2;
            continue;
        }
        if b[k] == q {
            return k + 1;
        }
        k += 1;
    }
    k.min(b.len())
}
