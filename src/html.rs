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
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // special characters are ASCII: `i` is a character boundary
        out.push_str(&s[from..i]);
        out.push_str(rep);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}
