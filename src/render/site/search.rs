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
#[cfg(test)]
pub fn for_each_term(text: &str, f: impl FnMut(Term<'_>)) {
    let lower = text.to_lowercase();
    terms_of(&lower, f)
}

/// Terms of an already lowercased text, borrowing from it.
fn terms_of<'a>(text: &'a str, mut f: impl FnMut(Term<'a>)) {
    let mut ascii_start: Option<usize> = None;
    let mut prev: Option<char> = None;
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

/// A term key: a bigram packed as two chars, or an ASCII word (hashed by its text).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key<'a> {
    Bigram(u64),
    Word(&'a str),
}

/// FxHash: a fast hasher for the term table (no untrusted keys reach it).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64)
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64)
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64)
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxBuild = std::hash::BuildHasherDefault<Fx>;

/// The distinct terms of an entry (title and text), sorted.
fn entry_terms<'a>(e: &'a Entry) -> Vec<Key<'a>> {
    let mut v: Vec<Key<'a>> = Vec::with_capacity(e.text.len() / 3 + 8);
    let mut add = |t: Term<'a>| match t {
        Term::Word(w) if w.len() <= 40 => v.push(Key::Word(w)),
        Term::Word(_) => {}
        Term::Bigram(a, b) => v.push(Key::Bigram(((a as u64) << 32) | b as u64)),
    };
    terms_of(&e.title, &mut add);
    terms_of(&e.text, &mut add);
    v.sort_unstable();
    v.dedup();
    v
}

/// Build `search-index.js`.
pub fn build(entries: &[Entry]) -> String {
    use rayon::prelude::*;
    // ASCII words are lowercased copies; keep them alive while keys borrow them
    let lowered: Vec<Entry> = entries
        .par_iter()
        .map(|e| Entry {
            url: String::new(),
            title: e.title.to_lowercase(),
            chapter: String::new(),
            text: e.text.to_lowercase(),
        })
        .collect();
    let per_entry: Vec<Vec<Key<'_>>> = lowered.par_iter().map(entry_terms).collect();
    let mut terms: HashMap<Key<'_>, Vec<u32>, FxBuild> = HashMap::default();
    for (i, keys) in per_entry.iter().enumerate() {
        for k in keys {
            terms.entry(*k).or_default().push(i as u32);
        }
    }
    let mut keys: Vec<(String, &Vec<u32>)> = terms
        .iter()
        .map(|(k, v)| {
            let s = match k {
                Key::Word(w) => w.to_string(),
                Key::Bigram(c) => {
                    let a = char::from_u32((c >> 32) as u32).unwrap_or(' ');
                    let b = char::from_u32((c & 0xffff_ffff) as u32).unwrap_or(' ');
                    let mut s = String::with_capacity(8);
                    s.push(a);
                    s.push(b);
                    s
                }
            };
            (s, v)
        })
        .collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
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
    for (n, (k, list)) in keys.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        push_json(&mut out, k);
        out.push_str(":[");
        let mut prev = 0u32;
        for (j, v) in list.iter().enumerate() {
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
    for (k, _) in keys
        .iter()
        .filter(|(k, _)| k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
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
