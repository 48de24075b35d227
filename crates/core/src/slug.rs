//! Heading anchors compatible with GitHub's (github-slugger): lowercase, punctuation dropped,
//! Hangul and other letters kept, spaces to `-`, repeats suffixed `-1`, `-2` per page.

use std::collections::HashMap;

/// GitHub's slug of a heading's text (without the per-page suffix).
pub fn github_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            // (the common cases first, without the Unicode tables)
            if c == ' ' {
                out.push('-');
            } else if c == '-' || c == '_' || c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if matches!(c as u32, 0xAC00..=0xD7A3) {
            // Hangul syllables: letters without case
            out.push(c);
        } else if c.is_alphanumeric() || is_mark(c) {
            for l in c.to_lowercase() {
                out.push(l);
            }
        }
    }
    out
}

/// Combining marks (kept by GitHub; Hangul jamo are letters already).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Unique ids on one page, in github-slugger's way.
#[derive(Default)]
pub struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// Reserve an id used by something else on the page (steps, theme elements).
    pub fn reserve(&mut self, id: &str) {
        self.occurrences.entry(id.to_string()).or_insert(0);
    }

    /// The id for a heading with this text.
    pub fn slug(&mut self, text: &str) -> String {
        let mut base = github_slug(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        let mut result = base.clone();
        while self.occurrences.contains_key(&result) {
            let n = self.occurrences.entry(base.clone()).or_insert(0);
            *n += 1;
            result = format!("{base}-{n}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_github() {
        assert_eq!(
            github_slug("Identity 서비스(Keystone)"),
            "identity-서비스keystone"
        );
        assert_eq!(github_slug("1. 환경 설정"), "1-환경-설정");
        assert_eq!(github_slug("NTP: chrony 설정!"), "ntp-chrony-설정");
        assert_eq!(github_slug("a  b"), "a--b");
        assert_eq!(github_slug("Hello_World-x"), "hello_world-x");
        let mut s = Slugger::default();
        assert_eq!(s.slug("보안"), "보안");
        assert_eq!(s.slug("보안"), "보안-1");
        assert_eq!(s.slug("보안"), "보안-2");
        assert_eq!(s.slug("보안 1"), "보안-1-1");
        assert_eq!(s.slug("!!!"), "section");
        s.reserve("step-abc");
        assert_eq!(s.slug("Step abc"), "step-abc-1");
    }
}
