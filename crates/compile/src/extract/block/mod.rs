//! One code block (or blockquote of commands) → segments: commands grouped by effect, file
//! content, heredoc writes, SQL. Handles prompts, output lines, editors, line continuations,
//! shell-history numbers, separators and node switches written inside one fence.
//!
//! A block is read whole first ([`whole`]: all SQL, or all content), else line by line
//! ([`reader`]): each line is classified once ([`lines`]), commands are read as a shell would
//! ([`command`]: heredoc writes, heredocs fed to a command, editors, database clients).

mod command;
mod lines;
mod reader;
mod whole;

use super::nodes::Canon;
use super::shell::{self, Effect};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq)]
pub enum SegKind {
    Commands(Effect),
    /// Content for a file; `path` from the block itself (editor line, first comment), if any;
    /// `editor` when an editor command opened it (an edit, not a new file).
    Content {
        path: Option<String>,
        editor: bool,
    },
    /// `cat <<EOF > FILE` (append: `>>`, `tee -a`).
    Heredoc {
        path: String,
        append: bool,
    },
    Sql,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub kind: SegKind,
    /// The processed text lines (prompts stripped, output dropped).
    pub lines: Vec<String>,
    /// 0-based index of the first and last block line it came from.
    pub first: usize,
    pub last: usize,
    /// Nodes named by the prompts of its lines.
    pub prompt_nodes: Vec<Canon>,
    /// Nodes named by a switch line inside the block (`controller`, `compute node에서`).
    pub local_scope: Option<(Vec<Canon>, usize)>,
    /// The last editor command (`vi FILE`) seen before it opened nothing in this block.
    pub editor_pending: Option<String>,
    /// The rule that named a content segment's file inside the block, when not a path comment
    /// or an editor.
    pub named_by: Option<&'static super::rules::Rule>,
    /// The rule behind `local_scope`, when not a switch line (a trailing comment).
    pub scope_rule: Option<&'static super::rules::Rule>,
}

/// How a block reads.
pub struct BlockCtx<'a> {
    pub known_nodes: &'a [String],
    /// The prose before the block named a file to edit: unprompted content goes there.
    pub expects_content: bool,
    /// The prose said the file is created with this content ("파일 생성"): the block is content.
    pub creates_file: bool,
    /// The info string says SQL.
    pub sql_info: bool,
    /// The info string says the block is text or output (`text`, `output`): with no prompt and
    /// no file to fill, it is pasted output, never commands.
    pub output_info: bool,
}

pub(crate) fn sep_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*(?:-{3,}|={3,}|\*{3,})\s*$").expect("static regex"))
}

pub(crate) fn table_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*(?:\+[-=+]+\+?|\|.*\|)\s*$").expect("static regex"))
}

pub(crate) fn history_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*(\d{1,5})\s+(\S.*)$").expect("static regex"))
}

pub(crate) fn heredoc_write_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r#"^(?:sudo\s+)?(?:cat\s*(?:<<-?\s*['"]?(\w+)['"]?\s*(>>?)\s*(\S+)|(>>?)\s*(\S+)\s*<<-?\s*['"]?(\w+)['"]?)"#,
            r#"|(?:sudo\s+)?tee\s+(-a\s+)?(\S+)\s*(?:>\s*/dev/null\s*)?<<-?\s*['"]?(\w+)['"]?"#,
            r#"|cat\s*<<-?\s*['"]?(\w+)['"]?\s*\|\s*(?:sudo\s+)?tee\s+(-a\s+)?(\S+)\s*(?:>\s*/dev/null\s*)?)\s*$"#
        ))
        .expect("static regex")
    })
}

fn sql_stmt_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:CREATE|GRANT|DROP|ALTER|INSERT|UPDATE|DELETE|FLUSH|USE|SET\s+PASSWORD|REVOKE|SHOW|SELECT)(?-u:\b)").expect("static regex")
    })
}

/// A SQL statement line?
pub fn is_sql(line: &str) -> bool {
    sql_stmt_re().is_match(line)
}

/// Strip a trailing `// 설명` from a command line.
pub(crate) fn strip_cmd_comment(l: &str) -> String {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"\s+//\s*\S.*$").expect("static regex"));
    match r.find(l) {
        Some(m) if !l[..m.start()].ends_with(':') => l[..m.start()].to_string(),
        _ => l.to_string(),
    }
}

/// Split a block into segments.
pub fn segments(content: &str, ctx: &BlockCtx) -> Vec<Segment> {
    let raw: Vec<&str> = content.lines().collect();
    let kinds = lines::classify(&raw, ctx);
    if ctx.output_info && !ctx.expects_content && !lines::any_prompt(&kinds) {
        return Vec::new();
    }
    if let Some(segs) = whole::read(&raw, &kinds, content, ctx) {
        return segs;
    }
    reader::Reader::new(&raw, &kinds, ctx).read()
}

/// `exit`, `quit` or `\\q` (any case, with or without `;`): the end of a database client session.
pub(crate) fn is_client_exit(l: &str) -> bool {
    matches!(
        l.trim().trim_end_matches(';').to_ascii_lowercase().as_str(),
        "exit" | "quit" | "\\q"
    )
}

/// A command that cannot be a config line (`systemctl restart x`, not `server x iburst`).
pub(crate) fn is_plain_command(t: &str) -> bool {
    shell::is_command(t) && !t.contains(" = ") && !t.starts_with('[')
}

impl Segment {
    /// A segment of `lines` from block line `first` to `last`.
    pub(crate) fn new(kind: SegKind, lines: Vec<String>, first: usize, last: usize) -> Segment {
        Segment {
            kind,
            lines,
            first,
            last,
            prompt_nodes: Vec::new(),
            local_scope: None,
            editor_pending: None,
            named_by: None,
            scope_rule: None,
        }
    }
}

#[cfg(test)]
mod tests;
