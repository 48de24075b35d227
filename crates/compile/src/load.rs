//! Load stage: find the guide's chapters (SUMMARY.md or natural file order), decode them, read the config.

use rayon::prelude::*;
use runbook_core::config::Config;
use runbook_core::diag::Diagnostics;
use runbook_core::model::Source;
pub use runbook_core::source::{Chapter, Guide};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Chapters larger than this are refused (a guide is text written by people).
pub const MAX_CHAPTER_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("{path}: cannot read: {err}")]
    Io { path: String, err: std::io::Error },
    #[error("{0}: no Markdown chapters found")]
    Empty(String),
    #[error("{0}: not valid UTF-8, CP949 or EUC-KR text")]
    Encoding(Source),
    #[error("{0}: file too large ({1} bytes; at most {MAX_CHAPTER_BYTES})")]
    TooLarge(String, u64),
    #[error("{0}: SUMMARY.md names a chapter that does not exist: {1}")]
    SummaryMissing(Source, String),
    #[error("{file}: invalid runbook.toml: {msg}")]
    Config { file: String, msg: String },
}

/// Load a guide from a folder of `.md` files or one `.md` file.
pub fn load(path: &Path) -> Result<Guide, LoadError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|_| LoadError::Missing(shown.clone()))?;
    let (root, files, summary_diag) = if meta.is_dir() {
        let (files, d) = chapter_files(path)?;
        (path.to_path_buf(), files, d)
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        (
            root,
            vec![(name, path.to_path_buf())],
            Diagnostics::default(),
        )
    };
    let mut diagnostics = summary_diag;
    let loaded: Vec<Result<(Chapter, Diagnostics), LoadError>> = files
        .par_iter()
        .map(|(rel, full)| read_chapter(rel, full))
        .collect();
    let mut chapters = Vec::with_capacity(loaded.len());
    for r in loaded {
        match r {
            Ok((c, d)) => {
                diagnostics.extend(d);
                chapters.push(c);
            }
            Err(e) => return Err(e),
        }
    }
    // Binary files are skipped with a warning by read_chapter returning empty text + diag.
    chapters.retain(|c| !c.text.is_empty() || files.len() == 1);
    if chapters.is_empty() || chapters.iter().all(|c| c.text.trim().is_empty()) {
        return Err(LoadError::Empty(shown));
    }
    assign_pages(&mut chapters);
    let config = read_config(&root)?;
    Ok(Guide {
        root,
        chapters,
        config,
        diagnostics,
    })
}

fn read_config(root: &Path) -> Result<Config, LoadError> {
    let p = root.join("runbook.toml");
    if !p.is_file() {
        return Ok(Config::default());
    }
    let text = std::fs::read_to_string(&p).map_err(|err| LoadError::Io {
        path: p.display().to_string(),
        err,
    })?;
    Config::parse(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        LoadError::Config {
            file: format!("{}:{}", p.display(), line),
            msg: e.message().to_string(),
        }
    })
}

/// Page names: the chapter path with `/` → `-` and `.md` → `.html`; unique.
fn assign_pages(chapters: &mut [Chapter]) {
    let mut seen = std::collections::HashSet::new();
    for c in chapters.iter_mut() {
        let stem = c.rel.strip_suffix(".md").unwrap_or(&c.rel);
        let stem = stem.strip_suffix(".markdown").unwrap_or(stem);
        let mut base: String = stem
            .chars()
            .map(|ch| {
                if ch.is_alphanumeric() || ch == '-' || ch == '_' || ch == '.' {
                    ch
                } else {
                    '-'
                }
            })
            .collect();
        if base.is_empty() || base == "index" || base == "search" || base.starts_with("node-") {
            base = format!("chapter-{base}");
        }
        let mut page = format!("{base}.html");
        let mut n = 1;
        while !seen.insert(page.clone()) {
            page = format!("{base}-{n}.html");
            n += 1;
        }
        c.page = page;
    }
}

fn read_chapter(rel: &str, full: &Path) -> Result<(Chapter, Diagnostics), LoadError> {
    let mut diags = Diagnostics::default();
    let meta = std::fs::metadata(full).map_err(|err| LoadError::Io {
        path: full.display().to_string(),
        err,
    })?;
    if meta.len() > MAX_CHAPTER_BYTES {
        return Err(LoadError::TooLarge(rel.to_string(), meta.len()));
    }
    let bytes = std::fs::read(full).map_err(|err| LoadError::Io {
        path: full.display().to_string(),
        err,
    })?;
    let text = match decode(rel, &bytes)? {
        Decoded::Text(t, note) => {
            if let Some(n) = note {
                diags.note(
                    Source {
                        file: rel.into(),
                        line: 1,
                    },
                    n,
                );
            }
            t
        }
        Decoded::Binary => {
            diags.warn(
                Source {
                    file: rel.into(),
                    line: 1,
                },
                "binary file skipped (it is not Markdown text)",
            );
            String::new()
        }
    };
    Ok((
        Chapter {
            rel: rel.to_string(),
            text,
            page: String::new(),
        },
        diags,
    ))
}

pub enum Decoded {
    Text(String, Option<String>),
    Binary,
}

/// Decode UTF-8 (with or without BOM) or CP949/EUC-KR; normalise line ends to `\n`.
pub fn decode(rel: &str, bytes: &[u8]) -> Result<Decoded, LoadError> {
    if bytes.contains(&0) {
        return Ok(Decoded::Binary);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, note) = match std::str::from_utf8(body) {
        Ok(s) => (s.to_string(), None),
        Err(utf8_err) => {
            let (cow, _, had_errors) = encoding_rs::EUC_KR.decode(body);
            if had_errors {
                // name the line where the decoder that got furthest stopped
                let mut dec = encoding_rs::EUC_KR.new_decoder_without_bom_handling();
                let mut sink = String::with_capacity(body.len() * 2 + 16);
                let (_, read) = dec.decode_to_string_without_replacement(body, &mut sink, true);
                // `read` includes the malformed bytes: the error is at the byte before it
                let cp949_ok = read.saturating_sub(1).min(body.len());
                let stop = utf8_err.valid_up_to().max(cp949_ok);
                let line = body[..stop].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(LoadError::Encoding(Source {
                    file: rel.to_string(),
                    line,
                }));
            }
            (
                cow.into_owned(),
                Some("decoded as CP949 (EUC-KR); consider saving the file as UTF-8".to_string()),
            )
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    Ok(Decoded::Text(text, note))
}

/// The chapter files of a folder: SUMMARY.md order, or natural order of all `.md` files.
fn chapter_files(dir: &Path) -> Result<(Vec<(String, PathBuf)>, Diagnostics), LoadError> {
    let summary = dir.join("SUMMARY.md");
    if summary.is_file() {
        let bytes = std::fs::read(&summary).map_err(|err| LoadError::Io {
            path: summary.display().to_string(),
            err,
        })?;
        let text = match decode("SUMMARY.md", &bytes)? {
            Decoded::Text(t, _) => t,
            Decoded::Binary => String::new(),
        };
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, line) in text.lines().enumerate() {
            for target in summary_links(line) {
                let target = target.split('#').next().unwrap_or("").to_string();
                if target.is_empty() || target.contains("://") {
                    continue;
                }
                let target = target.trim_start_matches("./").to_string();
                let full = dir.join(&target);
                if !full.is_file() {
                    return Err(LoadError::SummaryMissing(
                        Source {
                            file: "SUMMARY.md".into(),
                            line: i + 1,
                        },
                        target,
                    ));
                }
                if seen.insert(target.clone()) {
                    out.push((target, full));
                }
            }
        }
        if !out.is_empty() {
            return Ok((out, Diagnostics::default()));
        }
    }
    let mut files: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_lowercase();
            (n.ends_with(".md") || n.ends_with(".markdown")) && n != "summary.md"
        })
        .filter(|e| {
            // skip hidden folders and the output of a previous build
            !e.path()
                .strip_prefix(dir)
                .map(|p| {
                    p.components().any(|c| {
                        let s = c.as_os_str().to_string_lossy();
                        s.starts_with('.') || s == "node_modules"
                    })
                })
                .unwrap_or(false)
        })
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, e.path().to_path_buf())
        })
        .collect();
    files.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    Ok((files, Diagnostics::default()))
}

/// Link targets of a SUMMARY.md line (`- [Title](path.md)`).
fn summary_links(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        if let Some(j) = after.find(')') {
            let t = after[..j].trim();
            if !t.is_empty() {
                out.push(t.to_string());
            }
            rest = &after[j..];
        } else {
            break;
        }
    }
    out
}

/// Natural order: digit runs compare as numbers (`ch2` < `ch10`).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut ai, mut bi) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (ai.peek().copied(), bi.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let mut na = String::new();
                while let Some(c) = ai.peek().copied().filter(char::is_ascii_digit) {
                    na.push(c);
                    ai.next();
                }
                let mut nb = String::new();
                while let Some(c) = bi.peek().copied().filter(char::is_ascii_digit) {
                    nb.push(c);
                    bi.next();
                }
                let ta = na.trim_start_matches('0');
                let tb = nb.trim_start_matches('0');
                let o = ta.len().cmp(&tb.len()).then(ta.cmp(tb));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                ai.next();
                bi.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["ch10.md", "ch2.md", "ch1.md", "a/ch3.md"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, vec!["a/ch3.md", "ch1.md", "ch2.md", "ch10.md"]);
    }

    #[test]
    fn decodes_bom_crlf_and_cp949() {
        let Ok(Decoded::Text(t, None)) = decode("x.md", b"\xEF\xBB\xBF# a\r\nb\r\n") else {
            panic!("utf8")
        };
        assert_eq!(t, "# a\nb\n");
        let (bytes, _, _) = encoding_rs::EUC_KR.encode("# 설치\n");
        let Ok(Decoded::Text(t, Some(_))) = decode("x.md", &bytes) else {
            panic!("cp949")
        };
        assert_eq!(t, "# 설치\n");
        assert!(
            matches!(decode("x.md", b"a\n\xff\xff\n"), Err(LoadError::Encoding(s)) if s.line == 2)
        );
        assert!(matches!(decode("x.md", b"a\0b"), Ok(Decoded::Binary)));
    }
}
