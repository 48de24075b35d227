//! Blocks read whole: a block of SQL statements (after `mysql -u root -p` in the block before,
//! or on its own), and a block of file content (no command at all, or the content the prose
//! announced), whose first comment line may name its file.

use super::super::files;
use super::super::shell;
use super::lines::{self, LineKind};
use super::{is_client_exit, is_plain_command, is_sql, BlockCtx, SegKind, Segment};

/// The block as one segment, when it reads whole.
pub(super) fn read(
    raw: &[&str],
    kinds: &[LineKind],
    content: &str,
    ctx: &BlockCtx,
) -> Option<Vec<Segment>> {
    if lines::prompted(kinds) {
        return None;
    }
    let last = raw.len().saturating_sub(1);
    let nonempty = raw.iter().filter(|l| !l.trim().is_empty()).count();
    let sql_lines = raw.iter().filter(|l| is_sql(l)).count();
    let mostly_sql =
        sql_lines > 0 && sql_lines * 2 >= nonempty.max(1) && !files::looks_ini(content);
    if sql_lines > 0 && ctx.sql_info && !files::looks_ini(content) || mostly_sql {
        let lines: Vec<String> = raw
            .iter()
            .filter(|l| !l.trim().is_empty() && !is_client_exit(l))
            .map(|s| s.to_string())
            .collect();
        return Some(vec![Segment::new(SegKind::Sql, lines, 0, last)]);
    }
    if let Some(seg) = exports_then_source(raw) {
        return Some(vec![seg]);
    }
    if !is_content(raw, kinds, ctx) {
        return None;
    }
    if ctx.sql_info {
        let lines = raw.iter().map(|s| s.to_string()).collect();
        return Some(vec![Segment::new(SegKind::Sql, lines, 0, last)]);
    }
    let (path, first) = path_comment(raw);
    let lines: Vec<String> = raw[first..].iter().map(|s| s.to_string()).collect();
    let kind = SegKind::Content {
        path,
        editor: false,
    };
    Some(vec![Segment::new(kind, lines, first, last)])
}

/// A block with no command at all is content; so is the content the prose announced, unless
/// the block opens with an editor command or reads as commands.
fn is_content(raw: &[&str], kinds: &[LineKind], ctx: &BlockCtx) -> bool {
    let any_cmd = kinds.iter().any(|k| match k {
        LineKind::Other(l) => shell::is_command(l),
        _ => true,
    });
    let editor_first = raw
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| shell::editor_target(l.trim()).is_some());
    !any_cmd
        || ctx.expects_content
            && (ctx.creates_file && !editor_first || !first_is_command(raw) || only_settings(raw))
}

/// Only variable settings (`export K=V`, `K=V`, `alias`): the content of a start-up file when
/// a file is expected.
fn only_settings(raw: &[&str]) -> bool {
    let mut any = false;
    for l in raw.iter().map(|l| l.trim()) {
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        any = true;
        let body = l
            .strip_prefix("export ")
            .or_else(|| l.strip_prefix("alias "))
            .unwrap_or(l);
        let is_assignment = body.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty()
                && k.trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !is_assignment {
            return false;
        }
    }
    any
}

/// `export` lines, then `source FILE` (or `. FILE`): the lines belong in FILE, which the shell
/// then reads.
fn exports_then_source(raw: &[&str]) -> Option<Segment> {
    let lines: Vec<(usize, &str)> = raw
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let ((last_i, last), settings) = lines.split_last()?;
    let file = last
        .strip_prefix("source ")
        .or_else(|| last.strip_prefix(". "))?
        .trim();
    if settings.is_empty() || file.contains(char::is_whitespace) {
        return None;
    }
    let kept: Vec<&str> = raw[..*last_i].to_vec();
    if !only_settings(&kept) || !kept.iter().any(|l| l.trim_start().starts_with("export ")) {
        return None;
    }
    let first = settings[0].0;
    let kind = SegKind::Content {
        path: Some(file.to_string()),
        editor: false,
    };
    let body = raw[first..*last_i].iter().map(|s| s.to_string()).collect();
    let mut seg = Segment::new(kind, body, first, *last_i);
    seg.named_by = Some(&super::super::rules::EXPORTS_THEN_SOURCE);
    Some(seg)
}

/// `# /etc/path` on the first line names the file (and is not part of it).
fn path_comment(raw: &[&str]) -> (Option<String>, usize) {
    let Some(l0) = raw.iter().position(|l| !l.trim().is_empty()) else {
        return (None, 0);
    };
    let t = raw[l0].trim();
    if let Some(rest) = t.strip_prefix('#').or_else(|| t.strip_prefix("//")) {
        let ps = files::paths_in(rest.trim());
        if ps.len() == 1 && rest.trim().len() <= ps[0].len() + 30 {
            return (Some(ps[0].clone()), l0 + 1);
        }
    }
    (None, 0)
}

/// Does the block read as commands rather than a file's content? Its first line is a command
/// and most of its lines are.
fn first_is_command(raw: &[&str]) -> bool {
    let lines: Vec<&str> = raw
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let cmds = lines.iter().filter(|l| is_plain_command(l)).count();
    lines.first().is_some_and(|l| is_plain_command(l)) && cmds * 2 > lines.len()
}
