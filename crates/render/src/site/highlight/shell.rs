//! Shell: commands, options, variables, strings, comments and here-documents; in a session,
//! prompts and output lines.

use super::{lines, prompt, quoted_end, run_end, span, sql};
use runbook_core::html::escape_into;

/// Shell words that are keywords (and keep the next word in command position).
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "in", "function", "select", "!", "{", "}", "[[", "]]",
];

/// Builtins that declare variables: `NAME=value` after them is an assignment.
const DECLARE: &[&str] = &["export", "local", "declare", "readonly", "typeset"];

/// Commands that run the next word as a command.
const PREFIX: &[&str] = &[
    "sudo", "env", "time", "exec", "nohup", "xargs", "command", "nice",
];

fn special(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'|' | b'&' | b';' | b'(' | b')' | b'<' | b'>' | b'"' | b'\'' | b'`' | b'$'
    )
}

/// The lexer's state between lines.
#[derive(Default)]
struct Shell {
    /// A quoted string left open at the end of the last line.
    quote: Option<u8>,
    /// The here-document being read (its closing word).
    heredoc: Option<String>,
    /// Here-documents opened on the current line, read after it.
    pending: Vec<String>,
    /// The last line ended with `\`.
    continued: bool,
}

impl Shell {
    /// Inside a command that started on an earlier line.
    fn inside(&self) -> bool {
        self.quote.is_some() || self.heredoc.is_some() || self.continued
    }

    fn line(&mut self, out: &mut String, line: &str) {
        if let Some(marker) = &self.heredoc {
            if line.trim_start_matches('\t') == marker {
                span(out, "hl-k", line);
                self.heredoc = None;
                self.next_heredoc();
            } else {
                span(out, "hl-s", line);
            }
            return;
        }
        let b = line.as_bytes();
        let mut i = 0;
        if let Some(q) = self.quote {
            i = match b.iter().position(|&c| c == q) {
                Some(k) => {
                    self.quote = None;
                    k + 1
                }
                None => b.len(),
            };
            span(out, "hl-s", &line[..i]);
        }
        let mut cmd = !self.continued && self.quote.is_none() && i == 0;
        let mut assign = false;
        while i < b.len() {
            i = self.token(out, line, i, &mut cmd, &mut assign);
        }
        self.continued = line.ends_with('\\') && self.quote.is_none();
        if !self.continued && self.quote.is_none() {
            self.next_heredoc();
        }
    }

    fn next_heredoc(&mut self) {
        if self.heredoc.is_none() && !self.pending.is_empty() {
            self.heredoc = Some(self.pending.remove(0));
        }
    }

    /// Write the token at `i`; the index after it.
    fn token(
        &mut self,
        out: &mut String,
        line: &str,
        i: usize,
        cmd: &mut bool,
        assign: &mut bool,
    ) -> usize {
        let b = line.as_bytes();
        let c = b[i];
        let word_start = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b';' | b'&' | b'|' | b'(');
        match c {
            b' ' | b'\t' => {
                let end = run_end(b, i, |c| c == b' ' || c == b'\t');
                out.push_str(&line[i..end]);
                end
            }
            b'#' if word_start => {
                span(out, "hl-c", &line[i..]);
                b.len()
            }
            b'\'' | b'"' | b'`' => {
                let (end, closed) = quoted_end(b, i, c != b'\'');
                span(out, "hl-s", &line[i..end]);
                if !closed {
                    self.quote = Some(c);
                }
                *cmd = false;
                end
            }
            b'$' => {
                let end = variable_end(b, i);
                if b.get(i + 1) == Some(&b'(') && end == i + 1 {
                    out.push_str("$(");
                    *cmd = true;
                    return i + 2;
                }
                span(out, "hl-v", &line[i..end]);
                end
            }
            b'|' | b'&' | b';' | b'(' | b')' => {
                let end = run_end(b, i, |c| matches!(c, b'|' | b'&' | b';' | b'(' | b')'));
                escape_into(out, &line[i..end]);
                *cmd = line[i..end].bytes().any(|c| c != b')');
                end
            }
            b'<' | b'>' => self.redirect(out, line, i),
            _ => {
                let end = run_end(b, i, |c| !special(c));
                word(out, &line[i..end], cmd, assign);
                end.max(i + 1)
            }
        }
    }

    /// A redirection; `<<WORD` opens a here-document.
    fn redirect(&mut self, out: &mut String, line: &str, i: usize) -> usize {
        let b = line.as_bytes();
        let end = run_end(b, i, |c| matches!(c, b'<' | b'>' | b'&' | b'-'));
        let op = &line[i..end];
        if op != "<<" && op != "<<-" {
            escape_into(out, op);
            return end;
        }
        let start = run_end(b, end, |c| c == b' ');
        let word_end = run_end(b, start, |c| !matches!(c, b' ' | b';' | b'|' | b'&' | b')'));
        let marker = line[start..word_end].trim_matches(|c| c == '\'' || c == '"');
        if marker.is_empty() {
            escape_into(out, op);
            return end;
        }
        self.pending.push(marker.to_string());
        escape_into(out, &line[i..start]);
        span(out, "hl-k", &line[start..word_end]);
        word_end
    }
}

/// The end of a variable at `i` (`$NAME`, `${…}`, `$1`, `$?`); `i + 1` for a lone `$`.
fn variable_end(b: &[u8], i: usize) -> usize {
    match b.get(i + 1) {
        Some(b'{') => b[i..]
            .iter()
            .position(|&c| c == b'}')
            .map_or(b.len(), |k| i + k + 1),
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            run_end(b, i + 1, |c| c.is_ascii_alphanumeric() || c == b'_')
        }
        Some(c) if c.is_ascii_digit() || b"?#@*!$-".contains(c) => i + 2,
        _ => i + 1,
    }
}

/// A word: a command, a keyword, an assignment, an option or an argument.
fn word(out: &mut String, w: &str, cmd: &mut bool, assign: &mut bool) {
    if *cmd || *assign {
        if let Some((name, value)) = w.split_once('=') {
            let ident = !name.is_empty()
                && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !name.as_bytes()[0].is_ascii_digit();
            if ident {
                span(out, "hl-v", name);
                out.push('=');
                escape_into(out, value);
                return;
            }
        }
    }
    if *cmd {
        if KEYWORDS.contains(&w) {
            span(out, "hl-k", w);
            return;
        }
        span(out, "hl-f", w);
        *cmd = PREFIX.contains(&w);
        *assign = DECLARE.contains(&w);
        return;
    }
    if w.starts_with('-') && w.len() > 1 {
        span(out, "hl-o", w);
    } else {
        escape_into(out, w);
    }
}

/// Shell source: every line a command (the runbook's bash, a script's content).
pub fn source(out: &mut String, code: &str) {
    let mut sh = Shell::default();
    for (line, nl) in lines(code) {
        sh.line(out, line);
        out.push_str(nl);
    }
}

/// A shell session from a guide: prompts, the commands after them, and output.
pub fn session(out: &mut String, code: &str, nodes: &[String]) {
    let prompted = lines(code).any(|(l, _)| prompt::read(l, nodes).is_some());
    let mut sh = Shell::default();
    let mut in_sql = false;
    for (line, nl) in lines(code) {
        if sh.inside() {
            sh.line(out, line);
        } else if let Some(p) = prompt::read(line, nodes) {
            span(out, "hl-p", &line[..p.len]);
            in_sql = p.sql;
            if p.sql {
                sql::statement(out, &line[p.len..]);
            } else {
                sh.line(out, &line[p.len..]);
            }
        } else if let Some(k) = prompt::sql_continuation(line).filter(|_| in_sql) {
            span(out, "hl-p", &line[..k]);
            sql::statement(out, &line[k..]);
        } else if prompted && line.trim_start().starts_with('#') {
            span(out, "hl-c", line);
        } else if prompted {
            span(out, "hl-out", line);
        } else {
            sh.line(out, line);
        }
        out.push_str(nl);
    }
}
