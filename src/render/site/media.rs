//! Local files the guide points at (images, attachments): resolved under the guide's root and
//! copied into `site/media/`; URL encoding and decoding of paths.

use crate::diag::{Diagnostic, Severity};
use crate::load::Guide;
use crate::model::Source;
use crate::parse::{BlockKind, Doc};
use std::path::{Path, PathBuf};

use super::sanitize::{url_kind, UrlKind};

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
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

/// Warnings for the images of a guide: local ones that are missing or outside the guide folder,
/// and ones with an unsafe URL. (`runbook check` may add them; the site shows placeholders.)
pub fn check_images(guide: &Guide, docs: &[Doc]) -> Vec<Diagnostic> {
    let root_canon = guide.root.canonicalize().ok();
    let mut out = Vec::new();
    for doc in docs {
        for b in &doc.blocks {
            let BlockKind::Image { src, .. } = &b.kind else {
                continue;
            };
            let source = Source {
                file: doc.file.clone(),
                line: b.line,
            };
            let message = match url_kind(src) {
                UrlKind::External => continue,
                UrlKind::Unsafe => {
                    format!("image {src:?} has an unsafe URL; it is left out of the site")
                }
                UrlKind::Relative => {
                    let (path, _) = url_path(src);
                    match resolve(&guide.root, root_canon.as_deref(), &doc.file, &path) {
                        Local::Found { .. } => continue,
                        Local::Missing(_) => {
                            format!("image {src:?} not found; the site shows a placeholder")
                        }
                        Local::Outside(_) => format!(
                            "image {src:?} is outside the guide folder; it is not copied into the site"
                        ),
                    }
                }
            };
            out.push(Diagnostic {
                severity: Severity::Warning,
                source,
                message,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent() {
        assert_eq!(percent_decode("%EC%84%A4%EC%B9%98.md"), "설치.md");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("100%"), "100%");
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
}
