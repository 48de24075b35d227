//! A block read line by line: statements at a database prompt, commands (prompted or not, with
//! their continuation lines), a database session opened in the block, node switch lines,
//! separators, and the content an editor command opened; output and prose inside the block are
//! skipped.

use super::super::files;
use super::super::nodes::{self, Canon};
use super::super::prompt;
use super::super::shell::{self, Effect};
use super::lines::{self, LineKind};
use super::{
    history_re, is_client_exit, is_plain_command, is_sql, sep_re, strip_cmd_comment, table_re,
    BlockCtx, SegKind, Segment,
};

pub(super) struct Reader<'r> {
    pub raw: &'r [&'r str],
    pub kinds: &'r [LineKind],
    pub ctx: &'r BlockCtx<'r>,
    /// The block's commands carry prompts: lines without one are output.
    pub prompted: bool,
    pub segs: Vec<Segment>,
    /// The line being read.
    pub i: usize,
    /// A switch line's nodes and its line, for the lines after it.
    pub local_scope: Option<(Vec<Canon>, usize)>,
    /// An editor command whose content follows.
    pub editor: Option<String>,
    /// A database client was opened: statements follow.
    pub in_sql_session: bool,
}

impl<'r> Reader<'r> {
    pub fn new(raw: &'r [&'r str], kinds: &'r [LineKind], ctx: &'r BlockCtx<'r>) -> Reader<'r> {
        Reader {
            raw,
            kinds,
            ctx,
            prompted: lines::prompted(kinds),
            segs: Vec::new(),
            i: 0,
            local_scope: None,
            editor: None,
            in_sql_session: false,
        }
    }

    pub fn read(mut self) -> Vec<Segment> {
        while self.i < self.kinds.len() {
            match &self.kinds[self.i] {
                LineKind::Sql { text } => self.prompted_sql(text.clone()),
                LineKind::Cmd { text, nodes, .. } => {
                    let (text, nodes) = (text.clone(), nodes.clone());
                    self.prompted_command(text, nodes);
                }
                LineKind::Other(l) => self.other(l),
            }
        }
        if let Some(p) = self.editor.take() {
            match self.segs.last_mut() {
                Some(last) => last.editor_pending = Some(p),
                None => {
                    let mut s = Segment::new(SegKind::Commands(Effect::Editor), vec![], 0, 0);
                    s.editor_pending = Some(p);
                    self.segs.push(s);
                }
            }
        }
        self.segs
    }

    /// Push a segment of lines `first..=last` with the switch line's scope in force.
    pub fn push(&mut self, kind: SegKind, lines: Vec<String>, first: usize, pn: Vec<Canon>) {
        let mut s = Segment::new(kind, lines, first, self.i.saturating_sub(1));
        s.prompt_nodes = pn;
        s.local_scope = self.local_scope.clone();
        self.segs.push(s);
    }

    /// Statements at a database prompt, with their continuation lines; the client's output is
    /// skipped.
    fn prompted_sql(&mut self, first_text: String) {
        let mut lines = vec![first_text];
        let start = self.i;
        self.i += 1;
        while self.i < self.kinds.len() {
            match &self.kinds[self.i] {
                LineKind::Sql { text } => lines.push(text.clone()),
                LineKind::Other(l) => {
                    let open = lines.last().is_some_and(|x: &String| {
                        let x = x.trim_end();
                        !x.is_empty() && !x.ends_with(';') && !x.ends_with("\\G")
                    });
                    if let Some(c) = prompt::sql_continuation(l) {
                        lines.push(c);
                    } else if open && !l.trim().is_empty() || !self.prompted && is_sql(l) {
                        lines.push(l.clone());
                    }
                }
                LineKind::Cmd { .. } => break,
            }
            self.i += 1;
        }
        let lines: Vec<String> = lines
            .into_iter()
            .filter(|l| !l.trim().trim_end_matches(';').is_empty() && !is_client_exit(l))
            .collect();
        if !lines.is_empty() {
            self.push(SegKind::Sql, lines, start, vec![]);
        }
        self.in_sql_session = false;
    }

    /// A command after a prompt, with its continuation lines.
    fn prompted_command(&mut self, first_text: String, pn: Vec<Canon>) {
        let start = self.i;
        let mut text = first_text;
        self.i += 1;
        while text.trim_end().ends_with('\\') && self.i < self.kinds.len() {
            let next = match &self.kinds[self.i] {
                LineKind::Other(l) => l.clone(),
                LineKind::Cmd { text, .. } => text.clone(),
                LineKind::Sql { text } => text.clone(),
            };
            text.push('\n');
            text.push_str(&next);
            self.i += 1;
        }
        self.command(text, start, pn);
    }

    /// A line without a prompt.
    fn other(&mut self, l: &str) {
        let t = l.trim();
        if t.is_empty() || table_re().is_match(t) {
            self.i += 1;
            return;
        }
        if sep_re().is_match(t) {
            self.editor = None;
            self.i += 1;
            return;
        }
        if self.in_sql_session && is_sql(t) {
            self.session_sql();
            return;
        }
        if !self.prompted && shell::is_command(t) {
            self.unprompted_command(l);
            return;
        }
        if self.switch_line(t) {
            return;
        }
        if let Some(path) = self.editor.clone() {
            self.editor_content(path);
            return;
        }
        // output or prose inside the block
        self.i += 1;
    }

    /// Statements after `mysql -u root -p` in the same block, up to the client's exit.
    fn session_sql(&mut self) {
        let start = self.i;
        let mut lines = Vec::new();
        while self.i < self.kinds.len() {
            let LineKind::Other(l) = &self.kinds[self.i] else {
                break;
            };
            self.i += 1;
            if is_client_exit(l) {
                break;
            }
            if !l.trim().is_empty() {
                lines.push(l.clone());
            }
        }
        self.push(SegKind::Sql, lines, start, vec![]);
        self.in_sql_session = false;
    }

    /// A command without a prompt, with its continuation lines.
    fn unprompted_command(&mut self, l: &str) {
        let start = self.i;
        let mut text = strip_cmd_comment(l);
        self.i += 1;
        while text.trim_end().ends_with('\\') && self.i < self.kinds.len() {
            if let LineKind::Other(n) = &self.kinds[self.i] {
                text.push('\n');
                text.push_str(n);
            }
            self.i += 1;
        }
        self.command(text, start, vec![]);
    }

    /// A node switch written as a line of its own (`controller`, `compute node에서`).
    fn switch_line(&mut self, t: &str) -> bool {
        if t.chars().count() > 40 || t.contains('=') || shell::is_command(t) {
            return false;
        }
        let known = self.ctx.known_nodes;
        let mut m = nodes::mentions(t, known);
        if m.is_empty() {
            m = nodes::canon_label(t.trim_end_matches(':'), known)
                .into_iter()
                .collect();
        }
        if m.is_empty() {
            return false;
        }
        self.local_scope = Some((m, self.i));
        self.editor = None;
        self.i += 1;
        true
    }

    /// The content lines after an editor command in the same block, up to a separator or a
    /// command after a blank line; Korean explanation lines are skipped, line numbers dropped.
    fn editor_content(&mut self, path: String) {
        let start = self.i;
        let mut lines = Vec::new();
        while self.i < self.kinds.len() {
            let LineKind::Other(l) = &self.kinds[self.i] else {
                break;
            };
            let t = l.trim();
            if sep_re().is_match(t)
                || !self.prompted && is_plain_command(t) && self.after_blank(lines.is_empty())
            {
                break;
            }
            self.i += 1;
            if t.chars().any(files::is_hangul) && !t.contains('=') && !t.starts_with('#') {
                continue; // an explanation line
            }
            // line-numbered config (`1254 my_ip=...`)
            let line = match history_re().captures(l) {
                Some(c) if c[2].contains('=') => c[2].to_string(),
                _ => l.clone(),
            };
            lines.push(line);
        }
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        if lines.is_empty() {
            if self.i == start {
                self.i += 1;
            }
            return;
        }
        let kind = SegKind::Content {
            path: Some(path),
            editor: true,
        };
        self.push(kind, lines, start, vec![]);
        self.editor = None;
    }

    /// A command line ends an editor's content when it is the first line, or comes after a
    /// blank line.
    fn after_blank(&self, first: bool) -> bool {
        first
            || self
                .raw
                .get(self.i.wrapping_sub(1))
                .is_some_and(|p| p.trim().is_empty())
    }
}
