//! Small HTML helpers shared by parse and the site: `<img>` attributes and escaping.

use regex::Regex;
use std::sync::OnceLock;

fn img_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?is)<img\b([^>]*)>").expect("static regex"))
}

fn attr_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?is)([a-z][a-z0-9-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
            .expect("static regex")
    })
}

/// Attributes of an HTML tag's inside, lowercased names.
pub fn attributes(inside: &str) -> Vec<(String, String)> {
    attr_re()
        .captures_iter(inside)
        .map(|c| {
            let v = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map(|m| m.as_str())
                .unwrap_or("");
            (c[1].to_ascii_lowercase(), v.to_string())
        })
        .collect()
}

/// (src, alt) of every `<img>` tag in the HTML text.
pub fn img_tags(h: &str) -> Vec<(String, String)> {
    img_re()
        .captures_iter(h)
        .filter_map(|c| {
            let attrs = attributes(&c[1]);
            let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            Some((get("src")?, get("alt").unwrap_or_default()))
        })
        .collect()
}

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// [`escape`], appended to `out`: the text between special characters is copied in one piece.
pub fn escape_into(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut from = 0;
    loop {
        // the next special byte: two vectorised searches (the second only up to the first's
        // hit), as prose holds few of them
        let rest = &b[from..];
        let first = memchr::memchr3(b'&', b'<', b'>', rest);
        let quote = memchr::memchr2(b'"', b'\'', &rest[..first.unwrap_or(rest.len())]);
        let Some(i) = quote.or(first) else {
            out.push_str(&s[from..]);
            return;
        };
        let at = from + i;
        let rep = match b[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        // special characters are ASCII: `at` is a character boundary
        out.push_str(&s[from..at]);
        out.push_str(rep);
        from = at + 1;
    }
}

#[cfg(test)]
mod escape_tests {
    use super::escape;

    #[test]
    fn escapes_as_the_byte_loop_did() {
        let reference = |s: &str| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        for s in [
            "",
            "plain",
            "&",
            "<>",
            "a\"b'c",
            "'\"&<>",
            "한글 <b>굵게</b> & \"인용\"",
            "x'",
            "&&&&",
            "echo 'a' > /etc/x && cat \"$f\" < in",
        ] {
            assert_eq!(escape(s), reference(s), "{s:?}");
        }
    }
}
