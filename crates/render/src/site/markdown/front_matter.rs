//! What precedes a chapter's content and is not content: a YAML front matter block (its
//! `title:` kept) and kramdown's attribute lines (`{:toc}`, `{: .class}`).

use std::borrow::Cow;

/// A chapter's text without front matter and attribute lines (blanked out line for line, so
/// line numbers still match the guide), and the front matter's title.
pub(super) struct FrontMatter<'t> {
    pub text: Cow<'t, str>,
    pub title: Option<String>,
}

/// Blank out (line for line) a YAML front matter block and kramdown's `{:toc}` markers.
pub(super) fn front_matter(text: &str) -> FrontMatter<'_> {
    // most chapters have neither front matter nor kramdown attribute lines
    if !text.starts_with("---") && memchr::memmem::find(text.as_bytes(), b"{:").is_none() {
        return FrontMatter {
            text: Cow::Borrowed(text),
            title: None,
        };
    }
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut title = None;
    let is_fence = |l: &str| l.trim_end() == "---";
    if lines.first().is_some_and(|l| is_fence(l)) {
        if let Some(end) = lines
            .iter()
            .enumerate()
            .skip(1)
            .take(200)
            .find(|(_, l)| is_fence(l) || l.trim_end() == "...")
            .map(|(i, _)| i)
        {
            for l in &lines[1..end] {
                if let Some(v) = l.trim().strip_prefix("title:") {
                    let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
                    if !v.is_empty() {
                        title = Some(v.to_string());
                    }
                }
            }
            for l in lines.iter_mut().take(end + 1) {
                *l = if l.ends_with('\n') { "\n" } else { "" };
            }
        }
    }
    for i in 0..lines.len() {
        let t = lines[i].trim();
        if t.starts_with("{:") && t.ends_with('}') {
            if t == "{:toc}" && i > 0 {
                let prev = lines[i - 1].trim();
                let item = prev.trim_start_matches(['*', '-', '+', '1', '.', ' ']);
                if item.eq_ignore_ascii_case("toc")
                    || item.eq_ignore_ascii_case("table of contents")
                {
                    lines[i - 1] = "\n";
                }
            }
            lines[i] = if lines[i].ends_with('\n') { "\n" } else { "" };
        }
    }
    FrontMatter {
        text: Cow::Owned(lines.concat()),
        title,
    }
}
