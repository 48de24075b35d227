//! Reading shell text: the pieces every stage shares (the quoting state at each byte, unit
//! names).

/// A unit name without its `.service` ends (`nginx.service` → `nginx`), by suffix: a
/// `trim_end_matches` with a string sets up a substring search for every word.
pub fn unit_name(mut w: &str) -> &str {
    while let Some(s) = w.strip_suffix(".service") {
        w = s;
    }
    w
}

/// Quoting state at each byte of a shell text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    None,
    Single,
    Double,
    /// Inside a heredoc body; `true` when its delimiter was quoted (no expansion).
    Heredoc(bool),
}

/// The quoting state before each byte of `text` (length text.len()+1).
pub fn quote_states(text: &str) -> Vec<Quote> {
    let b = text.as_bytes();
    let mut st = Vec::with_capacity(b.len() + 1);
    let mut q = Quote::None;
    let mut i = 0;
    let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
    let mut heredoc: Option<(String, bool)> = None;
    let mut line_start = true;
    while i < b.len() {
        if line_start {
            if let Some((delim, quoted)) = heredoc.clone() {
                // a heredoc body line
                let end = text[i..].find('\n').map(|n| i + n).unwrap_or(b.len());
                let line = &text[i..end];
                let is_end = line.trim_start_matches('\t').trim_end() == delim;
                let s = if is_end {
                    Quote::None
                } else {
                    Quote::Heredoc(quoted)
                };
                for _ in i..end {
                    st.push(s);
                }
                if end < b.len() {
                    st.push(s);
                }
                i = (end + 1).min(b.len());
                if is_end {
                    heredoc = if pending_heredocs.is_empty() {
                        None
                    } else {
                        Some(pending_heredocs.remove(0))
                    };
                }
                line_start = true;
                continue;
            }
        }
        line_start = false;
        st.push(q);
        let c = b[i];
        match q {
            Quote::None => match c {
                b'\\' => {
                    i += 1;
                    if i < b.len() {
                        st.push(q);
                    }
                }
                b'\'' => q = Quote::Single,
                b'"' => q = Quote::Double,
                b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => {
                    // comment to end of line
                    while i + 1 < b.len() && b[i + 1] != b'\n' {
                        i += 1;
                        st.push(Quote::None);
                    }
                }
                b'<' if i + 1 < b.len()
                    && b[i + 1] == b'<'
                    && !(i + 2 < b.len() && b[i + 2] == b'<') =>
                {
                    // heredoc operator
                    let rest = &text[i + 2..];
                    let rest2 = rest.trim_start_matches('-').trim_start();
                    let quoted = rest2.starts_with('\'') || rest2.starts_with('"');
                    let delim: String = rest2
                        .trim_start_matches(['\'', '"'])
                        .chars()
                        .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                        .collect();
                    if !delim.is_empty() {
                        pending_heredocs.push((delim, quoted));
                    }
                }
                b'\n' => {
                    line_start = true;
                    if heredoc.is_none() && !pending_heredocs.is_empty() {
                        heredoc = Some(pending_heredocs.remove(0));
                    }
                }
                _ => {}
            },
            Quote::Single => {
                if c == b'\'' {
                    q = Quote::None;
                }
            }
            Quote::Double => match c {
                b'\\' => {
                    i += 1;
                    if i < b.len() {
                        st.push(q);
                    }
                }
                b'"' => q = Quote::None,
                _ => {}
            },
            Quote::Heredoc(_) => {}
        }
        i += 1;
    }
    st.push(q);
    st
}
