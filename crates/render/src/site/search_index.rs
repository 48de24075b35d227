//! The client-side search index, built in one pass over the sections and steps.
//!
//! `search-index.js` assigns `window.RUNBOOK_SEARCH = {d, t, a}`:
//! - `d`: entries `[url, title, chapter title, text]`;
//! - `t`: term → delta-encoded sorted entry numbers. Terms are character bigrams of every run of
//!   non-ASCII letters (Hangul: so a word is found inside a longer word and before any particle)
//!   and lowercase ASCII words;
//! - `a`: the ASCII terms, sorted, for prefix search.

use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// An entry of the index; its texts borrow from the rendered chapters and the plan where they can.
pub struct Entry<'a> {
    pub url: String,
    pub title: Cow<'a, str>,
    pub chapter: Cow<'a, str>,
    /// whitespace already collapsed ([`squeeze`])
    pub text: Cow<'a, str>,
}

/// Terms of a text, as the page's `search.js` splits a query.
#[cfg(test)]
pub fn for_each_term(text: &str, f: impl FnMut(Term<'_>)) {
    let lower = text.to_ascii_lowercase();
    terms_of(&lower, f)
}

/// Terms of a text, borrowing from it: ASCII words as written (the index compares them without
/// regard to case), bigrams lowercased.
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
        let hangul = matches!(c as u32, 0xAC00..=0xD7A3);
        let letter = hangul || (!c.is_ascii() && !c.is_whitespace() && c.is_alphanumeric());
        if letter {
            // other scripts: lowercase as the page's `toLowerCase()` does (one char)
            let c = if hangul {
                c
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
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

/// A term key: a bigram packed as two (lowercase) chars, or an ASCII word compared and hashed
/// without regard to case (so the text needs no lowercased copy).
#[derive(Clone, Copy)]
enum Key<'a> {
    Bigram(u64),
    Word(&'a str),
}

impl PartialEq for Key<'_> {
    fn eq(&self, o: &Self) -> bool {
        match (self, o) {
            (Key::Bigram(a), Key::Bigram(b)) => a == b,
            (Key::Word(a), Key::Word(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
    }
}

impl Eq for Key<'_> {}

impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        match self {
            Key::Bigram(c) => h.write_u64(*c),
            Key::Word(w) => {
                // 8 bytes at a time, lowercased
                let b = w.as_bytes();
                let mut acc = 0u64;
                for (i, c) in b.iter().enumerate() {
                    acc = (acc << 8) | c.to_ascii_lowercase() as u64;
                    if i % 8 == 7 {
                        h.write_u64(acc);
                        acc = 0;
                    }
                }
                h.write_u64(acc ^ ((b.len() as u64) << 56) ^ 1);
            }
        }
    }
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

type Postings<'a> = HashMap<Key<'a>, Vec<u32>, FxBuild>;

/// Postings of the entries `first..first + chunk.len()` (ids ascending in each list). Bigrams,
/// nearly all the terms of Korean text, go through a table keyed by the packed pair alone (a
/// cheaper probe than the mixed key's), and join the words at the end.
fn chunk_postings<'a>(first: usize, chunk: &'a [Entry<'_>]) -> Postings<'a> {
    let mut words: Postings<'a> = HashMap::default();
    let mut bigrams: HashMap<u64, Vec<u32>, FxBuild> = HashMap::default();
    for (k, e) in chunk.iter().enumerate() {
        let id = (first + k) as u32;
        let mut add = |t: Term<'a>| {
            let v = match t {
                Term::Word(w) if w.len() <= 40 => words.entry(Key::Word(w)).or_default(),
                Term::Word(_) => return,
                Term::Bigram(a, b) => bigrams.entry(((a as u64) << 32) | b as u64).or_default(),
            };
            if v.last() != Some(&id) {
                v.push(id);
            }
        };
        terms_of(&e.title, &mut add);
        terms_of(&e.text, &mut add);
    }
    words.reserve(bigrams.len());
    words.extend(bigrams.into_iter().map(|(c, v)| (Key::Bigram(c), v)));
    words
}

/// Build `search-index.js`.
pub fn build(entries: &[Entry<'_>]) -> String {
    let terms = postings(entries);
    let keys = sorted_terms(&terms);
    let mut out = String::with_capacity(
        entries.iter().map(|e| e.text.len() + 64).sum::<usize>() + keys.len() * 16,
    );
    out.push_str("window.RUNBOOK_SEARCH={\"d\":[");
    push_entries(&mut out, entries);
    out.push_str("],\n\"t\":{");
    push_postings(&mut out, &keys);
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

/// Every term's postings: a table per chunk of entries, in parallel, merged in order.
fn postings<'a>(entries: &'a [Entry<'_>]) -> Postings<'a> {
    let chunk = (entries.len() / (4 * rayon::current_num_threads().max(1))).max(64);
    let parts: Vec<Postings<'_>> = entries
        .par_chunks(chunk)
        .enumerate()
        .map(|(n, c)| chunk_postings(n * chunk, c))
        .collect();
    let mut parts = parts.into_iter();
    let mut terms: Postings<'_> = parts.next().unwrap_or_default();
    for p in parts {
        for (k, mut v) in p {
            terms.entry(k).or_default().append(&mut v);
        }
    }
    terms
}

/// The terms as the index writes them (words lowercased, bigrams as two chars), sorted, with
/// their postings.
fn sorted_terms<'t>(terms: &'t Postings<'_>) -> Vec<(String, &'t Vec<u32>)> {
    let mut keys: Vec<(String, &Vec<u32>)> = terms
        .iter()
        .map(|(k, v)| {
            let s = match k {
                Key::Word(w) => w.to_ascii_lowercase(),
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
    keys
}

/// The entries' JSON (`[url, title, chapter, text]` each), in pieces written in parallel.
fn push_entries(out: &mut String, entries: &[Entry<'_>]) {
    let pieces: Vec<String> = entries
        .par_chunks(512)
        .map(|chunk| {
            let mut s = String::with_capacity(chunk.iter().map(|e| e.text.len() + 160).sum());
            for (n, e) in chunk.iter().enumerate() {
                if n > 0 {
                    s.push(',');
                }
                s.push('[');
                push_json(&mut s, &e.url);
                s.push(',');
                push_json(&mut s, &e.title);
                s.push(',');
                push_json(&mut s, &e.chapter);
                s.push(',');
                push_json(&mut s, &e.text);
                s.push(']');
            }
            s
        })
        .collect();
    push_joined(out, &pieces);
}

/// The terms' postings (`"term":[first id, deltas…]`), in pieces written in parallel.
fn push_postings(out: &mut String, keys: &[(String, &Vec<u32>)]) {
    let pieces: Vec<String> = keys
        .par_chunks(256)
        .map(|chunk| {
            let mut s = String::new();
            for (n, (k, list)) in chunk.iter().enumerate() {
                if n > 0 {
                    s.push(',');
                }
                push_json(&mut s, k);
                s.push_str(":[");
                let mut prev = 0u32;
                for (j, v) in list.iter().enumerate() {
                    if j > 0 {
                        s.push(',');
                    }
                    push_u32(&mut s, v - prev);
                    prev = *v;
                }
                s.push(']');
            }
            s
        })
        .collect();
    push_joined(out, &pieces);
}

/// Pieces of a JSON list (each a comma-separated run of items) written as one list.
fn push_joined(out: &mut String, pieces: &[String]) {
    for (n, p) in pieces.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(p);
    }
}

/// Decimal digits of `n`, without allocating.
fn push_u32(out: &mut String, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&d| char::from(d)));
}

/// Bytes [`push_json`] looks at: `"`, `\\`, `<`, control characters, and 0xE2 (the first
/// byte of U+2028 and U+2029).
const JSON_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'<' as usize] = true;
    t[0xE2] = true;
    t
};

/// A JSON string literal (also safe inside JavaScript source: U+2028/2029 and `</` escaped).
fn push_json(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // runs of bytes that need nothing are skipped at a table lookup each
        if !JSON_SPECIAL[b[i] as usize] {
            i += 1;
            continue;
        }
        let c = b[i];
        let esc: Option<&str> = match c {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            b'<' => Some("\\u003c"),
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                Some(if b[i + 2] == 0xA8 {
                    "\\u2028"
                } else {
                    "\\u2029"
                })
            }
            c if c < 0x20 => None,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => {
                out.push_str(e);
                i += if c == 0xE2 { 3 } else { 1 };
            }
            None => {
                out.push_str(&format!("\\u{c:04x}"));
                i += 1;
            }
        }
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Collapse whitespace for the index text.
pub fn squeeze(s: &str) -> String {
    // runs of text whose only whitespace is single spaces are copied whole; any other whitespace
    // (a line break, a tab, two spaces) becomes one space (none at either end)
    let b = s.as_bytes();
    let ws = |c: u8| c.is_ascii_whitespace();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() && ws(b[i]) {
        i += 1;
    }
    let mut start = i;
    while i < b.len() {
        let c = b[i];
        let single_space = c == b' ' && b.get(i + 1).is_some_and(|&n| !ws(n));
        if !ws(c) || single_space {
            i += 1;
            continue;
        }
        out.push_str(&s[start..i]);
        while i < b.len() && ws(b[i]) {
            i += 1;
        }
        if i < b.len() {
            out.push(' ');
        }
        start = i;
    }
    out.push_str(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeeze_is_split_and_join() {
        let join = |s: &str| s.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        for s in [
            "",
            " ",
            "a",
            " a ",
            "a b",
            "a  b",
            "a\nb",
            "\t a \r\n b c  ",
            "한글 단어\n\n다음",
            "x \x0c y",
            "a b c",
            "  ",
            "a \n",
        ] {
            assert_eq!(squeeze(s), join(s), "{s:?}");
        }
    }

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
        let mut o = String::new();
        push_json(&mut o, "a\"b\\c\n<\u{2028}\u{1}가");
        assert_eq!(o, "\"a\\\"b\\\\c\\n\\u003c\\u2028\\u0001가\"");
    }
}
