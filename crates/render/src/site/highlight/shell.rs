//! Shell: commands, options, variables, strings, comments and here-documents; in a session,
//! prompts and output lines.

use super::tok::*;
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

/// One line being written: text outside spans is written in one piece when the next span
/// starts or the line ends.
struct Writer<'o, 'l> {
    out: &'o mut String,
    line: &'l str,
    /// Where the text not written yet starts.
    plain: usize,
}

impl Writer<'_, '_> {
    fn span(&mut self, open: &str, from: usize, to: usize) {
        self.flush(from);
        span(self.out, open, &self.line[from..to]);
        self.plain = to;
    }

    fn flush(&mut self, to: usize) {
        if to > self.plain {
            escape_into(self.out, &self.line[self.plain..to]);
            self.plain = to;
        }
    }
}

impl Shell {
    /// Inside a command that started on an earlier line.
    fn inside(&self) -> bool {
        self.quote.is_some() || self.heredoc.is_some() || self.continued
    }

    fn line(&mut self, out: &mut String, line: &str) {
        if let Some(marker) = &self.heredoc {
            if line.trim_start_matches('\t') == marker {
                span(out, KW, line);
                self.heredoc = None;
                self.next_heredoc();
            } else {
                span(out, STR, line);
            }
            return;
        }
        let mut w = Writer {
            out,
            line,
            plain: 0,
        };
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
            w.span(STR, 0, i);
        }
        let mut at = Position {
            cmd: !self.continued && self.quote.is_none() && i == 0,
            assign: false,
        };
        while i < b.len() {
            i = self.token(&mut w, i, &mut at);
        }
        w.flush(b.len());
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
    fn token(&mut self, w: &mut Writer, i: usize, at: &mut Position) -> usize {
        let line = w.line;
        let b = line.as_bytes();
        let c = b[i];
        let word_start = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b';' | b'&' | b'|' | b'(');
        match c {
            b' ' | b'\t' => run_end(b, i, |c| c == b' ' || c == b'\t'),
            b'#' if word_start => {
                w.span(COM, i, b.len());
                b.len()
            }
            b'\'' | b'"' | b'`' => {
                let (end, closed) = quoted_end(b, i, c != b'\'');
                w.span(STR, i, end);
                if !closed {
                    self.quote = Some(c);
                }
                at.cmd = false;
                end
            }
            b'$' => {
                let end = variable_end(b, i);
                if b.get(i + 1) == Some(&b'(') && end == i + 1 {
                    at.cmd = true;
                    return i + 2;
                }
                w.span(VAR, i, end);
                end
            }
            b'|' | b'&' | b';' | b'(' | b')' => {
                let end = run_end(b, i, |c| matches!(c, b'|' | b'&' | b';' | b'(' | b')'));
                at.cmd = line[i..end].bytes().any(|c| c != b')');
                end
            }
            b'<' | b'>' => self.redirect(w, i),
            _ => {
                let end = run_end(b, i, |c| !special(c)).max(i + 1);
                word(w, i, end, at);
                end
            }
        }
    }

    /// A redirection; `<<WORD` opens a here-document.
    fn redirect(&mut self, w: &mut Writer, i: usize) -> usize {
        let line = w.line;
        let b = line.as_bytes();
        let end = run_end(b, i, |c| matches!(c, b'<' | b'>' | b'&' | b'-'));
        let op = &line[i..end];
        if op != "<<" && op != "<<-" {
            return end;
        }
        let start = run_end(b, end, |c| c == b' ');
        let word_end = run_end(b, start, |c| !matches!(c, b' ' | b';' | b'|' | b'&' | b')'));
        let marker = line[start..word_end].trim_matches(|c| c == '\'' || c == '"');
        if marker.is_empty() {
            return end;
        }
        self.pending.push(marker.to_string());
        w.span(KW, start, word_end);
        word_end
    }
}

/// Where a word stands: in command position (the next word is a command), after a builtin
/// that declares variables.
struct Position {
    cmd: bool,
    assign: bool,
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

/// The word at `from..to`: a command, a keyword, an assignment, an option or an argument.
fn word(w: &mut Writer, from: usize, to: usize, at: &mut Position) {
    let text = &w.line[from..to];
    if at.cmd || at.assign {
        if let Some(eq) = text.find('=') {
            let name = &text[..eq];
            let ident = !name.is_empty()
                && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !name.as_bytes()[0].is_ascii_digit();
            if ident {
                w.span(VAR, from, from + eq);
                return;
            }
        }
    }
    if at.cmd {
        if KEYWORDS.contains(&text) {
            w.span(KW, from, to);
            return;
        }
        w.span(CMD, from, to);
        at.cmd = PREFIX.contains(&text);
        at.assign = DECLARE.contains(&text);
        return;
    }
    if text.starts_with('-') && text.len() > 1 {
        w.span(OPT, from, to);
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
            span(out, PROMPT, &line[..p.len]);
            in_sql = p.sql;
            if p.sql {
                sql::statement(out, &line[p.len..]);
            } else {
                sh.line(out, &line[p.len..]);
            }
        } else if let Some(k) = prompt::sql_continuation(line).filter(|_| in_sql) {
            span(out, PROMPT, &line[..k]);
            sql::statement(out, &line[k..]);
        } else if prompted && line.trim_start().starts_with('#') {
            span(out, COM, line);
        } else if prompted {
            span(out, OUT, line);
        } else {
            sh.line(out, line);
        }
        out.push_str(nl);
    }
}
