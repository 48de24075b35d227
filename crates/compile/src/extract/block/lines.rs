//! Each line of a block, read once: a command after a prompt (with the nodes the prompt
//! names), a statement at a database prompt, or another line (a command without a prompt,
//! content, output, a switch line).

use super::super::nodes::{self, Canon};
use super::super::prompt::{self, Prompt};
use super::super::shell;
use super::{history_re, strip_cmd_comment, BlockCtx};

pub(super) enum LineKind {
    Cmd {
        text: String,
        nodes: Vec<Canon>,
        /// A bare `#` root prompt, which mixes with unprompted lines.
        weak: bool,
    },
    Sql {
        text: String,
    },
    Other(String),
}

/// Whether most non-empty lines are shell-history entries (`  12  yum install x`).
fn is_history(raw: &[&str]) -> bool {
    let nonempty = raw.iter().filter(|l| !l.trim().is_empty()).count();
    let numbered = raw
        .iter()
        .filter(|l| {
            history_re()
                .captures(l)
                .is_some_and(|c| shell::is_command(&c[2]))
        })
        .count();
    nonempty >= 2 && numbered * 2 > nonempty
}

/// Classify every line of a block (shell-history numbers dropped first).
pub(super) fn classify(raw: &[&str], ctx: &BlockCtx) -> Vec<LineKind> {
    let known = |w: &str| {
        let l = w.to_lowercase();
        ctx.known_nodes.contains(&l) || nodes::role(&l).is_some()
    };
    let history = is_history(raw);
    // a comment in words (`#slave에 배포시`) opens a run of commented-out commands: the `#` lines
    // right after it are comments, not root prompts
    let mut commented = false;
    raw.iter()
        .map(|l| {
            let hashed = l.trim_start().starts_with('#');
            if !hashed {
                commented = false;
            } else if commented || is_word_comment(l) {
                commented = true;
                return LineKind::Other(l.to_string());
            }
            let l = if history {
                history_re()
                    .captures(l)
                    .map(|c| c[2].to_string())
                    .unwrap_or_else(|| l.to_string())
            } else {
                l.to_string()
            };
            match prompt::strip(&l, &known, &shell::is_command) {
                Some(p) => match p.prompt {
                    Prompt::Sql { .. } => LineKind::Sql { text: p.rest },
                    Prompt::Shell { label, .. } => LineKind::Cmd {
                        weak: label.is_none()
                            && l.trim_start().trim_start_matches('\\').starts_with('#'),
                        text: strip_cmd_comment(&p.rest),
                        nodes: label
                            .map(|lb| nodes::canon_prompt(&lb, ctx.known_nodes))
                            .unwrap_or_default(),
                    },
                },
                None => LineKind::Other(l),
            }
        })
        .collect()
}

/// `#slave에 배포시`, `# 아래는 예시`: a comment in words, not a command after a root prompt.
fn is_word_comment(l: &str) -> bool {
    let rest = l.trim_start().trim_start_matches('#').trim();
    !rest.is_empty() && !shell::is_command(rest) && rest.chars().any(|c| ('가'..='힣').contains(&c))
}

/// Whether the block's commands carry prompts (a bare `#` root prompt does not count: it mixes
/// with unprompted lines); in a prompted block, lines without one are output.
pub(super) fn prompted(kinds: &[LineKind]) -> bool {
    kinds
        .iter()
        .any(|k| matches!(k, LineKind::Cmd { weak: false, .. } | LineKind::Sql { .. }))
}

/// Whether any line carries a prompt, a bare `#` root prompt included.
pub(super) fn any_prompt(kinds: &[LineKind]) -> bool {
    kinds
        .iter()
        .any(|k| matches!(k, LineKind::Cmd { .. } | LineKind::Sql { .. }))
}
