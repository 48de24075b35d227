//! Raw HTML from the guide: only a safe subset reaches a page.
//!
//! Kept (attributes stripped): `br`, `details`, `summary`, `sup`, `sub`, `kbd`; `img` keeps
//! `src`/`alt`/`width`/`height`/`title`, its `src` resolved like a Markdown image. Comments are
//! dropped. Common layout tags (`p`, `div`, `span`, `b`, `a`, `table`, ...) are dropped and their
//! content kept. Everything else (`<script>`, `<iframe>`, `<style>`, `<PASSWORD>`, ...) is escaped
//! and shown as text. No attribute other than the ones above survives, so no `on*=` handler does.

use runbook_core::html::{attributes, escape};
pub use runbook_core::links::{decode_entities, url_kind, UrlKind};

const KEEP: &[&str] = &["br", "details", "summary", "sup", "sub", "kbd"];
const STRIP: &[&str] = &[
    "p",
    "div",
    "span",
    "center",
    "b",
    "i",
    "u",
    "s",
    "em",
    "strong",
    "small",
    "big",
    "font",
    "a",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "colgroup",
    "col",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "code",
    "tt",
    "blockquote",
    "figure",
    "figcaption",
    "picture",
    "section",
    "article",
    "strike",
    "del",
    "ins",
    "mark",
    "abbr",
    "hr",
    "nobr",
    "wbr",
];
/// Tags that start a new line of text when dropped.
const BREAKS: &[&str] = &[
    "p",
    "div",
    "tr",
    "li",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "pre",
    "blockquote",
    "hr",
];

/// How `<img>` tags become HTML (the site resolves and copies their `src`).
pub trait ImgSink {
    /// HTML for an image with these (already entity-decoded) attributes; `block` when the image
    /// stands in a block of HTML (a `<figure>` is allowed there).
    fn img(
        &mut self,
        src: &str,
        alt: &str,
        width: Option<&str>,
        height: Option<&str>,
        title: Option<&str>,
        block: bool,
    ) -> String;
}

/// Sanitize a fragment of raw HTML from the guide.
pub fn sanitize(html: &str, block: bool, imgs: &mut dyn ImgSink) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        push_text(&mut out, &html[text_start..i]);
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            // comments (annotations) are dropped
            i += rest.find("-->").map(|j| j + 3).unwrap_or(rest.len());
            text_start = i;
            continue;
        }
        let Some((tag_len, closing, name, inside)) = scan_tag(rest) else {
            out.push_str("&lt;");
            i += 1;
            text_start = i;
            continue;
        };
        let lname = name.to_ascii_lowercase();
        if KEEP.contains(&lname.as_str()) {
            if closing {
                if lname != "br" {
                    out.push_str("</");
                    out.push_str(&lname);
                    out.push('>');
                }
            } else if lname == "br" {
                out.push_str("<br>");
            } else {
                out.push('<');
                out.push_str(&lname);
                out.push('>');
            }
        } else if lname == "img" {
            if !closing {
                let attrs = attributes(inside);
                let get = |n: &str| {
                    attrs
                        .iter()
                        .find(|(k, _)| k == n)
                        .map(|(_, v)| decode_entities(v))
                };
                let src = get("src").unwrap_or_default();
                let alt = get("alt").unwrap_or_default();
                let (w, h, t) = (get("width"), get("height"), get("title"));
                out.push_str(&imgs.img(
                    &src,
                    &alt,
                    w.as_deref(),
                    h.as_deref(),
                    t.as_deref(),
                    block,
                ));
            }
        } else if STRIP.contains(&lname.as_str()) {
            if BREAKS.contains(&lname.as_str()) && !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        } else {
            // unknown or dangerous: shown as text; attribute values (URLs, handlers) are left
            // out, words such as `<your password>` kept
            if inside.contains(['=', ':', '(']) {
                out.push_str(&escape(&format!(
                    "<{}{name}>",
                    if closing { "/" } else { "" }
                )));
            } else {
                out.push_str(&escape(&rest[..tag_len]));
            }
        }
        i += tag_len;
        text_start = i;
    }
    push_text(&mut out, &html[text_start..]);
    out
}

/// A tag at the start of `s`: (length, closing, name, attribute text).
fn scan_tag(s: &str) -> Option<(usize, bool, &str, &str)> {
    let b = s.as_bytes();
    let mut j = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        j += 1;
    }
    let name_start = j;
    if !b.get(j).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_' || *c == b':')
    {
        j += 1;
    }
    let name_end = j;
    // find the closing '>' outside quotes
    let mut quote: Option<u8> = None;
    while j < b.len() {
        let c = b[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => {
                return Some((j + 1, closing, &s[name_start..name_end], &s[name_end..j]));
            }
            None if c == b'<' => return None,
            None => {}
        }
        j += 1;
    }
    None
}

/// Text between tags: keep valid character references, escape everything else.
fn push_text(out: &mut String, t: &str) {
    let mut rest = t;
    while let Some(i) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        let after = &rest[i + 1..];
        match c {
            b'&' => {
                let end = after
                    .char_indices()
                    .take(32)
                    .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'));
                match end {
                    Some((j, ';')) if j > 0 => {
                        out.push('&');
                        out.push_str(&after[..=j]);
                        rest = &after[j + 1..];
                        continue;
                    }
                    _ => out.push_str("&amp;"),
                }
            }
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            _ => out.push_str("&quot;"),
        }
        rest = after;
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Imgs;
    impl ImgSink for Imgs {
        fn img(
            &mut self,
            src: &str,
            alt: &str,
            _: Option<&str>,
            _: Option<&str>,
            _: Option<&str>,
            _: bool,
        ) -> String {
            format!("[img {} {}]", escape(src), escape(alt))
        }
    }

    #[test]
    fn hostile_html_is_neutralised() {
        let s = sanitize("<script>alert(1)</script>", false, &mut Imgs);
        assert_eq!(s, "&lt;script&gt;alert(1)&lt;/script&gt;");
        let s = sanitize("<img src=x onerror=alert(1)>", false, &mut Imgs);
        assert_eq!(s, "[img x ]");
        let s = sanitize(
            "<details open onclick=\"x()\"><summary class=a>요약</summary>본문</details>",
            true,
            &mut Imgs,
        );
        assert_eq!(s, "<details><summary>요약</summary>본문</details>");
        let s = sanitize(
            "<p align=\"center\"><b>굵게</b></p><!-- runbook: skip --><PASSWORD>",
            true,
            &mut Imgs,
        );
        assert_eq!(s, "굵게\n&lt;PASSWORD&gt;");
        let s = sanitize("a < b && c > d &amp; &nbsp;", false, &mut Imgs);
        assert_eq!(s, "a &lt; b &amp;&amp; c &gt; d &amp; &nbsp;");
        let s = sanitize(
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            true,
            &mut Imgs,
        );
        assert!(!s.contains("<iframe"));
    }
}
