//! The client-side search index, built in one pass over the sections and steps.
//!
//! `search-index.js` assigns `window.RUNBOOK_SEARCH = {d, t, a}`:
//! - `d`: entries `[url, title, chapter title, text]`;
//! - `t`: term → delta-encoded sorted entry numbers. Terms are character bigrams of every run of
//!   non-ASCII letters (Hangul: so a word is found inside a longer word and before any particle)
//!   and lowercase ASCII words;
//! - `a`: the ASCII terms, sorted, for prefix search.

use std::collections::HashMap;

pub struct Entry {
    pub url: String,
    pub title: String,
    pub chapter: String,
    pub text: String,
}

/// Terms of a text, as the page's `search.js` splits a query.
pub fn for_each_term(text: &str, mut f: impl FnMut(Term<'_>)) {
    let mut ascii_start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let lower_needed = text.bytes().any(|b| b.is_ascii_uppercase());
    let owned;
    let text = if lower_needed {
        owned = text.to_ascii_lowercase();
        owned.as_str()
    } else {
        text
    };
    for (i, c) in text.char_indices() {
        let is_ascii_word = c.is_ascii_alphanumeric() || c == '_';
        if is_ascii_word {
            if ascii_start.is_none() {
                ascii_start = Some(i);
            }
            prev = None;
            continue;
        }
        if let Some(s) = ascii_start.take() {
            f(Term::Word(&text[s..i]));
        }
        if !c.is_ascii() && !c.is_whitespace() && c.is_alphanumeric() {
            if let Some(p) = prev {
                f(Term::Bigram(p, c));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    if let Some(s) = ascii_start {
        f(Term::Word(&text[s..]));
    }
}

pub enum Term<'a> {
    Word(&'a str),
    Bigram(char, char),
}

/// Build `search-index.js`.
pub fn build(entries: &[Entry]) -> String {
    let mut terms: HashMap<String, Vec<u32>> = HashMap::new();
    let mut buf = String::with_capacity(8);
    for (i, e) in entries.iter().enumerate() {
        let i = i as u32;
        let mut add = |t: Term<'_>| {
            let key: &str = match t {
                Term::Word(w) => {
                    if w.len() > 40 {
                        return;
                    }
                    w
                }
                Term::Bigram(a, b) => {
                    buf.clear();
                    buf.push(a);
                    buf.push(b);
                    buf.as_str()
                }
            };
            match terms.get_mut(key) {
                Some(v) => {
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
                None => {
                    terms.insert(key.to_string(), vec![i]);
                }
            }
        };
        for_each_term(&e.title, &mut add);
        for_each_term(&e.text, &mut add);
    }
    let mut keys: Vec<&String> = terms.keys().collect();
    keys.sort();
    let mut out = String::with_capacity(
        entries.iter().map(|e| e.text.len() + 64).sum::<usize>() + keys.len() * 16,
    );
    out.push_str("window.RUNBOOK_SEARCH={\"d\":[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_json(&mut out, &e.url);
        out.push(',');
        push_json(&mut out, &e.title);
        out.push(',');
        push_json(&mut out, &e.chapter);
        out.push(',');
        push_json(&mut out, &e.text);
        out.push(']');
    }
    out.push_str("],\n\"t\":{");
    for (n, k) in keys.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_json(&mut out, k);
        out.push_str(":[");
        let mut prev = 0u32;
        for (j, v) in terms[*k].iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&(v - prev).to_string());
            prev = *v;
        }
        out.push(']');
    }
    out.push_str("},\n\"a\":[");
    let mut first = true;
    for k in keys
        .iter()
        .filter(|k| k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        if !first {
            out.push(',');
        }
        first = false;
        push_json(&mut out, k);
    }
    out.push_str("]};\n");
    out
}

/// A JSON string literal (also safe inside JavaScript source: U+2028/2029 and `</` escaped).
fn push_json(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Collapse whitespace for the index text.
pub fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_and_words() {
        let mut v = Vec::new();
        for_each_term("컨트롤러 노드에서 Keystone_1 설치", |t| {
            v.push(match t {
                Term::Word(w) => w.to_string(),
                Term::Bigram(a, b) => format!("{a}{b}"),
            })
        });
        assert_eq!(
            v,
            [
                "컨트",
                "트롤",
                "롤러",
                "노드",
                "드에",
                "에서",
                "keystone_1",
                "설치"
            ]
        );
        let js = build(&[Entry {
            url: "a.html#x".into(),
            title: "컨트롤러".into(),
            chapter: "c".into(),
            text: "</script> 설치".into(),
        }]);
        assert!(js.contains("\"컨트\":[0]"));
        assert!(!js.contains("</script>"));
        assert!(js.contains("\"a\":[\"script\"]"));
    }
}
