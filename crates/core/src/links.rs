//! Links and local files of a guide: what kind of URL a link is, percent-encoding, and where a
//! path written in a chapter leads under the guide's folder (never outside it).

use std::path::{Path, PathBuf};

/// What a URL from the guide is.
#[derive(Debug, Clone, PartialEq)]
pub enum UrlKind {
    /// `http:`, `https:`, `mailto:`, `ftp:` or protocol-relative.
    External,
    /// No scheme: a path and/or fragment.
    Relative,
    /// Any other scheme (`javascript:`, `data:`, `vbscript:`, `file:`, ...): never emitted.
    Unsafe,
}

/// Classify a URL the way a browser would read its scheme (ignoring whitespace and control
/// characters, decoding character references).
pub fn url_kind(raw: &str) -> UrlKind {
    let decoded = decode_entities(raw);
    let cleaned: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if cleaned.starts_with("//") {
        return UrlKind::External;
    }
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if cleaned.as_bytes()[i] == b':' => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            match scheme.as_str() {
                "http" | "https" | "mailto" | "ftp" => UrlKind::External,
                _ => UrlKind::Unsafe,
            }
        }
        _ => {
            // A relative URL: the browser uses the raw text; refuse anything odd.
            if raw.chars().any(|c| c.is_control()) {
                UrlKind::Unsafe
            } else {
                UrlKind::Relative
            }
        }
    }
}

/// Decode `&#NN;`, `&#xHH;` and a few named references (enough to see a URL's scheme).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'))
            .map(|(j, _)| j)
            .unwrap_or(after.len().min(12));
        let name = &after[..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let v = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                num.parse::<u32>().ok()
            };
            v.and_then(char::from_u32)
        } else {
            match name {
                "colon" => Some(':'),
                "tab" | "Tab" => Some('\t'),
                "newline" | "NewLine" => Some('\n'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "sol" => Some('/'),
                "nbsp" => Some('\u{a0}'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let skip = if after[end..].starts_with(';') {
                    end + 1
                } else {
                    end
                };
                rest = &after[skip..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a local path from the guide leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Local {
    /// A file under the guide root: its path relative to the root (`/` separators) and on disk.
    Found { rel: String, abs: PathBuf },
    /// No such file.
    Missing(String),
    /// Outside the guide folder (never copied: a guide must not publish other files).
    Outside(String),
}

/// Resolve `path` (percent-decoded, no fragment) written in chapter `chapter_rel`.
pub fn resolve(root: &Path, root_canon: Option<&Path>, chapter_rel: &str, path: &str) -> Local {
    let mut parts: Vec<String> = Vec::new();
    if !path.starts_with('/') {
        let dir = chapter_rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        parts.extend(dir.split('/').filter(|s| !s.is_empty()).map(str::to_string));
    }
    for c in path.split(['/', '\\']) {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Local::Outside(path.to_string());
                }
            }
            c => parts.push(c.to_string()),
        }
    }
    if parts.is_empty() {
        return Local::Missing(path.to_string());
    }
    let rel = parts.join("/");
    let abs = parts.iter().fold(root.to_path_buf(), |p, c| p.join(c));
    if !abs.is_file() {
        return Local::Missing(path.to_string());
    }
    // A symlink must not lead out of the guide either.
    if let (Some(rc), Ok(canon)) = (root_canon, abs.canonicalize()) {
        if !canon.starts_with(rc) {
            return Local::Outside(path.to_string());
        }
    }
    Local::Found { rel, abs }
}

/// Decode `%XX` escapes (invalid UTF-8 is replaced).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    String::from_utf8_lossy(&decode_escapes(s, false).unwrap_or_default()).into_owned()
}

/// Decode `%XX` escapes of a request path: `None` for an escape that is not one or bytes that
/// are not UTF-8 (the request is refused).
pub fn percent_decode_strict(s: &str) -> Option<String> {
    String::from_utf8(decode_escapes(s, true)?).ok()
}

/// The bytes of `s` with its `%XX` escapes decoded; a `%` not followed by two hex digits is
/// kept, or refused when `strict`.
fn decode_escapes(s: &str, strict: bool) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: Option<&u8>| c.and_then(|c| (*c as char).to_digit(16));
    while i < b.len() {
        if b[i] == b'%' {
            match (hex(b.get(i + 1)), hex(b.get(i + 2))) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ if strict => return None,
                _ => {}
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Some(out)
}

/// Percent-encode a path for `href`/`src`: unreserved ASCII and `/` stay, all else is escaped.
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path part of a relative URL: no fragment, no query, percent-decoded.
pub fn url_path(url: &str) -> (String, Option<String>) {
    let (before, frag) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f.to_string())),
        None => (url, None),
    };
    let path = before.split('?').next().unwrap_or("");
    (percent_decode(path), frag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent() {
        assert_eq!(percent_decode("%EC%84%A4%EC%B9%98.md"), "설치.md");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode_strict("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode_strict("a%2"), None);
        assert_eq!(percent_decode_strict("%ff"), None);
        assert_eq!(
            encode_path("media/스크린샷 1.png"),
            "media/%EC%8A%A4%ED%81%AC%EB%A6%B0%EC%83%B7%201.png"
        );
        assert_eq!(
            url_path("a%20b.md?x=1#y"),
            ("a b.md".to_string(), Some("y".to_string()))
        );
    }

    #[test]
    fn outside_is_refused() {
        let root = std::env::temp_dir();
        assert!(matches!(
            resolve(&root, None, "a.md", "../../etc/passwd"),
            Local::Outside(_)
        ));
        assert!(matches!(
            resolve(&root, None, "a.md", "no-such-file.png"),
            Local::Missing(_)
        ));
    }

    #[test]
    fn url_kinds() {
        assert_eq!(url_kind("javascript:alert(1)"), UrlKind::Unsafe);
        assert_eq!(url_kind(" JaVa\tScRiPt:alert(1)"), UrlKind::Unsafe);
        assert_eq!(url_kind("java&#x73;cript:alert(1)"), UrlKind::Unsafe);
        assert_eq!(url_kind("javascript&colon;alert(1)"), UrlKind::Unsafe);
        assert_eq!(url_kind("data:text/html,x"), UrlKind::Unsafe);
        assert_eq!(
            url_kind("https://docs.openstack.org/x.png"),
            UrlKind::External
        );
        assert_eq!(url_kind("images/a.png"), UrlKind::Relative);
        assert_eq!(url_kind("03-keystone.md#설치"), UrlKind::Relative);
        assert_eq!(url_kind("#x:y"), UrlKind::Relative);
        assert_eq!(url_kind("a/b:c"), UrlKind::Relative);
    }
}
