//! A small shell-aware splitter: logical commands (continuations, heredocs, open quotes, trailing
//! `&&`/`||`/`|`), and the top-level tokens of a command's head (words, operators, redirections)
//! with their byte ranges, so that a rewrite can keep every byte it does not understand.
//!
//! It is deliberately conservative: anything it cannot close (an unterminated quote, a `$(` without
//! its `)`) makes the rest of the text one opaque unit that passes through unchanged.

/// One logical command of a script, or a run of blank and comment lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Logical {
    /// The command's own lines (with `\` continuations and lines joined by a trailing operator),
    /// without the final newline and without heredoc bodies.
    pub head: String,
    /// Heredoc bodies with their delimiter lines, each line ending in `\n` (empty if none).
    pub bodies: String,
    /// False for blank/comment-only units and for text the splitter could not close.
    pub parsed: bool,
    /// Whether the original text had a newline after this unit.
    pub newline: bool,
}

impl Logical {
    pub fn render(&self) -> String {
        let mut s = self.head.clone();
        if !self.bodies.is_empty() {
            s.push('\n');
            s.push_str(&self.bodies);
            // bodies end in '\n'; the unit's own newline is that one
            if !self.newline && s.ends_with('\n') {
                s.pop();
            }
        } else if self.newline {
            s.push('\n');
        }
        s
    }
}

/// Join units back into text.
pub fn join(units: &[Logical]) -> String {
    units.iter().map(|u| u.render()).collect()
}

/// The end (just past `close`) of a string whose body starts at `start` and where a backslash
/// escapes the next byte: a backquoted command or a `$'…'` string.
fn scan_to_close(b: &[u8], start: usize, close: u8) -> Option<usize> {
    let mut j = start;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            c if c == close => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// Skip one quoting or substitution construct starting at `i` (a `'`, `"`, `` ` ``, `$(`, `${`,
/// `$'`) and return the index just after it, or None when it is not closed.
fn skip_construct(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        b'\'' => {
            let mut j = i + 1;
            while j < b.len() {
                if b[j] == b'\'' {
                    return Some(j + 1);
                }
                j += 1;
            }
            None
        }
        b'"' => {
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'"' => return Some(j + 1),
                    b'`' => j = skip_construct(b, j)?,
                    b'$' if j + 1 < b.len() && (b[j + 1] == b'(' || b[j + 1] == b'{') => {
                        j = skip_construct(b, j)?
                    }
                    _ => j += 1,
                }
            }
            None
        }
        b'`' => scan_to_close(b, i + 1, b'`'),
        b'$' if i + 1 < b.len() && b[i + 1] == b'\'' => scan_to_close(b, i + 2, b'\''),
        b'$' if i + 1 < b.len() && b[i + 1] == b'{' => {
            let mut j = i + 2;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'}' => return Some(j + 1),
                    b'\'' | b'"' | b'`' => j = skip_construct(b, j)?,
                    b'$' if j + 1 < b.len() && matches!(b[j + 1], b'(' | b'{' | b'\'') => {
                        j = skip_construct(b, j)?
                    }
                    _ => j += 1,
                }
            }
            None
        }
        b'$' if i + 1 < b.len() && b[i + 1] == b'(' => {
            // $( ... ) or $(( ... )): count parentheses, skip nested constructs
            let mut depth = 0usize;
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'(' => {
                        depth += 1;
                        j += 1
                    }
                    b')' => {
                        depth -= 1;
                        j += 1;
                        if depth == 0 {
                            return Some(j);
                        }
                    }
                    b'\'' | b'"' | b'`' => j = skip_construct(b, j)?,
                    b'$' if j + 1 < b.len() && matches!(b[j + 1], b'(' | b'{' | b'\'') => {
                        j = skip_construct(b, j)?
                    }
                    _ => j += 1,
                }
            }
            None
        }
        _ => Some(i + 1),
    }
}

fn is_construct_start(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\'' | b'"' | b'`' => true,
        b'$' => i + 1 < b.len() && matches!(b[i + 1], b'(' | b'{' | b'\''),
        _ => false,
    }
}

/// A pending heredoc: its delimiter and whether leading tabs are stripped (`<<-`).
#[derive(Debug, Clone)]
struct Pending {
    delim: String,
    strip_tabs: bool,
}

/// Parse the delimiter word after `<<` / `<<-` starting at `i` (after the operator); return the
/// delimiter text (quotes removed) and the index after the word.
fn heredoc_word(b: &[u8], mut i: usize) -> Option<(String, usize)> {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let mut out = Vec::new();
    let start = i;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            b'\'' => {
                let e = skip_construct(b, i)?;
                out.extend_from_slice(&b[i + 1..e - 1]);
                i = e;
            }
            b'"' => {
                let e = skip_construct(b, i)?;
                out.extend_from_slice(&b[i + 1..e - 1]);
                i = e;
            }
            b'\\' if i + 1 < b.len() => {
                out.push(b[i + 1]);
                i += 2;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    if i == start {
        return None;
    }
    Some((String::from_utf8_lossy(&out).into_owned(), i))
}

/// Split a script into logical commands and blank/comment units.
pub fn split(text: &str) -> Vec<Logical> {
    let b = text.as_bytes();
    let mut units = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        // a blank or comment-only line is its own unit
        let line_end = b[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map(|k| pos + k)
            .unwrap_or(b.len());
        let line = &text[pos..line_end];
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            units.push(Logical {
                head: line.to_string(),
                bodies: String::new(),
                parsed: false,
                newline: line_end < b.len(),
            });
            pos = (line_end + 1).min(b.len());
            if line_end == b.len() {
                break;
            }
            continue;
        }
        match scan_command(b, pos) {
            Some(Scanned {
                head_end,
                bodies_end,
            }) => {
                let head = text[pos..head_end].to_string();
                let (bodies, newline, next) = if bodies_end > head_end {
                    // head_end is at the '\n' before the bodies
                    let bodies = text[head_end + 1..bodies_end].to_string();
                    let newline = bodies.ends_with('\n');
                    (bodies, newline, bodies_end)
                } else if head_end < b.len() {
                    (String::new(), true, head_end + 1)
                } else {
                    (String::new(), false, head_end)
                };
                units.push(Logical {
                    head,
                    bodies,
                    parsed: true,
                    newline,
                });
                pos = next;
            }
            None => {
                // cannot close something: the rest is one opaque unit
                units.push(Logical {
                    head: text[pos..].to_string(),
                    bodies: String::new(),
                    parsed: false,
                    newline: false,
                });
                break;
            }
        }
    }
    units
}

/// Read the bodies of the pending heredocs from `j` (just after the newline that ends the
/// command's line); the index after the last delimiter line, or None when one is not closed.
fn heredoc_bodies(b: &[u8], mut j: usize, pending: Vec<Pending>) -> Option<usize> {
    for p in pending {
        loop {
            if j >= b.len() {
                return None;
            }
            let le = b[j..]
                .iter()
                .position(|&x| x == b'\n')
                .map(|k| j + k)
                .unwrap_or(b.len());
            let mut l = &b[j..le];
            if p.strip_tabs {
                while let Some((&b'\t', rest)) = l.split_first() {
                    l = rest;
                }
            }
            let done = l == p.delim.as_bytes();
            j = (le + 1).min(b.len());
            if done {
                break;
            }
            if le == b.len() {
                // last line without newline and not the delimiter
                return None;
            }
        }
    }
    Some(j)
}

/// Where a logical command ends.
struct Scanned {
    /// The index of the head's terminating newline, or the text's end.
    head_end: usize,
    /// The end of its heredoc bodies (equal to `head_end` when there are none).
    bodies_end: usize,
}

/// Scan one logical command from `start`.
fn scan_command(b: &[u8], start: usize) -> Option<Scanned> {
    let end = |head_end, bodies_end| {
        Some(Scanned {
            head_end,
            bodies_end,
        })
    };
    let mut i = start;
    let mut pending: Vec<Pending> = Vec::new();
    let mut paren = 0usize;
    let mut word_start = true;
    // the last significant token kind on the current line: true when it is an operator that
    // continues the command on the next line (&&, ||, |)
    let mut continues = false;
    loop {
        if i >= b.len() {
            if paren > 0 || !pending.is_empty() {
                return None;
            }
            return end(b.len(), b.len());
        }
        let c = b[i];
        match c {
            b'\\' => {
                // escaped char or line continuation
                i += 2;
                word_start = false;
                continues = false;
            }
            b'\n' => {
                if !pending.is_empty() {
                    let j = heredoc_bodies(b, i + 1, std::mem::take(&mut pending))?;
                    if paren > 0 || continues {
                        // a command continuing after heredocs is beyond this splitter
                        return None;
                    }
                    return end(i, j);
                }
                if paren > 0 || continues {
                    i += 1;
                    word_start = true;
                    continue;
                }
                return end(i, i);
            }
            b' ' | b'\t' => {
                i += 1;
                word_start = true;
            }
            b'#' if word_start => {
                // comment to end of line
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => {
                paren += 1;
                i += 1;
                word_start = true;
                continues = false;
            }
            b')' => {
                if paren == 0 {
                    return None;
                }
                paren -= 1;
                i += 1;
                word_start = true;
                continues = false;
            }
            b'&' | b'|' => {
                let two = i + 1 < b.len() && b[i + 1] == c;
                continues = two || c == b'|';
                i += if two { 2 } else { 1 };
                word_start = true;
            }
            b';' => {
                continues = false;
                i += 1;
                word_start = true;
            }
            b'<' if i + 1 < b.len() && b[i + 1] == b'<' => {
                if i + 2 < b.len() && b[i + 2] == b'<' {
                    i += 3; // here-string
                } else {
                    let strip = i + 2 < b.len() && b[i + 2] == b'-';
                    let after = if strip { i + 3 } else { i + 2 };
                    let (delim, e) = heredoc_word(b, after)?;
                    pending.push(Pending {
                        delim,
                        strip_tabs: strip,
                    });
                    i = e;
                }
                word_start = true;
                continues = false;
            }
            _ if is_construct_start(b, i) => {
                i = skip_construct(b, i)?;
                word_start = false;
                continues = false;
            }
            _ => {
                i += 1;
                word_start = matches!(c, b'<' | b'>');
                continues = false;
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word,
    /// `&&`, `||`, `;`, `&`, `|`, `|&`, newline
    Op,
    /// `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`, with an fd prefix
    Redir,
    /// `(`, `)`
    Paren,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
}

/// Top-level tokens of a command head. None when the head cannot be tokenised.
pub fn tokens(head: &str) -> Option<Vec<Token>> {
    let b = head.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b'\\' if i + 1 < b.len() && b[i + 1] == b'\n' => i += 2,
            b'\n' => {
                out.push(Token {
                    kind: Tok::Op,
                    start: i,
                    end: i + 1,
                });
                i += 1;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b')' => {
                out.push(Token {
                    kind: Tok::Paren,
                    start: i,
                    end: i + 1,
                });
                i += 1;
            }
            b'&' | b'|' | b';' => {
                let s = i;
                if c == b'&' && i + 1 < b.len() && b[i + 1] == b'>' {
                    i += 2;
                    if i < b.len() && b[i] == b'>' {
                        i += 1;
                    }
                    out.push(Token {
                        kind: Tok::Redir,
                        start: s,
                        end: i,
                    });
                    continue;
                }
                if i + 1 < b.len() && (b[i + 1] == c || (c == b'|' && b[i + 1] == b'&')) {
                    i += 2;
                } else {
                    i += 1;
                }
                out.push(Token {
                    kind: Tok::Op,
                    start: s,
                    end: i,
                });
            }
            b'<' | b'>' => {
                let s = i;
                i = redir_end(b, i);
                out.push(Token {
                    kind: Tok::Redir,
                    start: s,
                    end: i,
                });
            }
            _ => {
                let s = i;
                // fd prefix of a redirection: digits directly followed by < or >
                let mut k = i;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                if k > i && k < b.len() && (b[k] == b'<' || b[k] == b'>') {
                    i = redir_end(b, k);
                    out.push(Token {
                        kind: Tok::Redir,
                        start: s,
                        end: i,
                    });
                    continue;
                }
                while i < b.len() {
                    match b[i] {
                        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                            break
                        }
                        b'\\' => i += 2,
                        _ if is_construct_start(b, i) => i = skip_construct(b, i)?,
                        _ => i += 1,
                    }
                }
                let e = i.min(b.len());
                out.push(Token {
                    kind: Tok::Word,
                    start: s,
                    end: e,
                });
            }
        }
    }
    Some(out)
}

fn redir_end(b: &[u8], mut i: usize) -> usize {
    let c = b[i];
    i += 1;
    if i < b.len() {
        if c == b'<' && b[i] == b'<' {
            i += 1;
            if i < b.len() && (b[i] == b'<' || b[i] == b'-') {
                i += 1;
            }
        } else if (c == b'>' && matches!(b[i], b'>' | b'|' | b'&'))
            || (c == b'<' && matches!(b[i], b'&' | b'>'))
        {
            i += 1;
        }
    }
    i
}

/// The literal value of a word when it has no expansion (quotes removed), else None.
pub fn literal(word: &str) -> Option<String> {
    let b = word.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                let e = skip_construct(b, i)?;
                out.extend_from_slice(&b[i + 1..e - 1]);
                i = e;
            }
            b'"' => {
                let e = skip_construct(b, i)?;
                let inner = &b[i + 1..e - 1];
                let mut k = 0;
                while k < inner.len() {
                    match inner[k] {
                        b'$' | b'`' => return None,
                        b'\\'
                            if k + 1 < inner.len()
                                && matches!(inner[k + 1], b'$' | b'`' | b'"' | b'\\' | b'\n') =>
                        {
                            out.push(inner[k + 1]);
                            k += 2;
                        }
                        c => {
                            out.push(c);
                            k += 1;
                        }
                    }
                }
                i = e;
            }
            b'\\' if i + 1 < b.len() => {
                out.push(b[i + 1]);
                i += 2;
            }
            b'$' | b'`' | b'*' | b'?' | b'[' | b'~' | b'{' => return None,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_and_chain() {
        let u = split("a \\\n  b\nc &&\n d\n# x\n\ne");
        let heads: Vec<&str> = u.iter().map(|x| x.head.as_str()).collect();
        assert_eq!(heads, vec!["a \\\n  b", "c &&\n d", "# x", "", "e"]);
        assert_eq!(join(&u), "a \\\n  b\nc &&\n d\n# x\n\ne");
    }

    #[test]
    fn heredoc_bodies() {
        let t = "cat <<'EOF' >> /etc/hosts\n10.0.0.11 controller\nEOF\necho hi\n";
        let u = split(t);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].head, "cat <<'EOF' >> /etc/hosts");
        assert_eq!(u[0].bodies, "10.0.0.11 controller\nEOF\n");
        assert_eq!(join(&u), t);
        let t2 = "cat <<-E\n\tx\n\tE";
        let u2 = split(t2);
        assert_eq!(u2.len(), 1);
        assert_eq!(join(&u2), t2);
    }

    #[test]
    fn quotes_span_lines_and_unclosed_is_opaque() {
        let u = split("echo 'a\nb'\nls");
        assert_eq!(u[0].head, "echo 'a\nb'");
        assert_eq!(u[1].head, "ls");
        let u = split("echo \"unclosed\nls");
        assert_eq!(u.len(), 1);
        assert!(!u[0].parsed);
    }

    #[test]
    fn tokenise() {
        let h = "cat >>/etc/x 2>&1 <<EOF && echo \"a b\" | tee -a f";
        let t = tokens(h).unwrap();
        let s: Vec<&str> = t.iter().map(|k| &h[k.start..k.end]).collect();
        assert_eq!(
            s,
            vec![
                "cat", ">>", "/etc/x", "2>&", "1", "<<", "EOF", "&&", "echo", "\"a b\"", "|",
                "tee", "-a", "f"
            ]
        );
        assert_eq!(literal("'a'\"b\"c"), Some("abc".into()));
        assert_eq!(literal("\"$X\""), None);
    }
}
