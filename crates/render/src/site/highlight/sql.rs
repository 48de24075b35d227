//! SQL: keywords, strings, numbers and comments; in a session, the client's prompts and what
//! it prints.

use super::tok::*;
use super::{is_word, lines, number_end, prompt, quoted_end, run_end, span};
use runbook_core::html::escape_into;

const KEYWORDS: &[&str] = &[
    "ADD",
    "ALL",
    "ALTER",
    "AND",
    "AS",
    "ASC",
    "BY",
    "CASCADE",
    "CHARACTER",
    "COLLATE",
    "COLUMN",
    "CREATE",
    "DATABASE",
    "DATABASES",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DESCRIBE",
    "DISTINCT",
    "DROP",
    "EXISTS",
    "FLUSH",
    "FOR",
    "FOREIGN",
    "FROM",
    "GRANT",
    "GROUP",
    "HAVING",
    "IDENTIFIED",
    "IF",
    "IN",
    "INDEX",
    "INSERT",
    "INTO",
    "IS",
    "JOIN",
    "KEY",
    "LIKE",
    "LIMIT",
    "NOT",
    "NULL",
    "ON",
    "OPTION",
    "OR",
    "ORDER",
    "PASSWORD",
    "PRIMARY",
    "PRIVILEGES",
    "REFERENCES",
    "REVOKE",
    "SELECT",
    "SET",
    "SHOW",
    "TABLE",
    "TABLES",
    "TO",
    "UPDATE",
    "USE",
    "USER",
    "VALUES",
    "VIEW",
    "WHERE",
    "WITH",
    "EXIT",
    "QUIT",
];

/// One line of SQL.
pub fn statement(out: &mut String, line: &str) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let end = if c == b'\'' || c == b'"' || c == b'`' {
            let (end, _) = quoted_end(b, i, true);
            span(out, if c == b'`' { VAR } else { STR }, &line[i..end]);
            end
        } else if line[i..].starts_with("--") || c == b'#' {
            span(out, COM, &line[i..]);
            b.len()
        } else if let Some(end) = number_end(b, i).filter(|_| i == 0 || !is_word(b[i - 1])) {
            span(out, NUM, &line[i..end]);
            end
        } else if is_word(c) {
            let end = run_end(b, i, is_word);
            let w = &line[i..end];
            if w.len() <= 12 && KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(w)) {
                span(out, KW, w);
            } else {
                escape_into(out, w);
            }
            end
        } else {
            let end = run_end(b, i + 1, |c| !is_word(c) && !b"'\"`#-".contains(&c)).max(i + 1);
            escape_into(out, &line[i..end]);
            end
        };
        i = end;
    }
}

/// SQL source: every line a statement.
pub fn source(out: &mut String, code: &str) {
    for (line, nl) in lines(code) {
        statement(out, line);
        out.push_str(nl);
    }
}

/// A database client session: prompts (the shell's that starts the client too), statements,
/// and what the client prints.
pub fn session(out: &mut String, code: &str) {
    let prompted = lines(code).any(|(l, _)| prompt::read(l, &[]).is_some());
    if !prompted {
        return source(out, code);
    }
    for (line, nl) in lines(code) {
        match prompt::read(line, &[]) {
            Some(p) => {
                span(out, PROMPT, &line[..p.len]);
                if p.sql {
                    statement(out, &line[p.len..]);
                } else {
                    super::shell::source(out, &line[p.len..]);
                }
            }
            None => match prompt::sql_continuation(line) {
                Some(k) => {
                    span(out, PROMPT, &line[..k]);
                    statement(out, &line[k..]);
                }
                None => span(out, OUT, line),
            },
        }
        out.push_str(nl);
    }
}
