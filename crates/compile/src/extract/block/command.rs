//! One command of a block, read as a shell would: a heredoc written to a file (`cat <<EOF >
//! FILE`, `cat <<EOF | sudo tee FILE`; appends with `>>`/`tee -a`), a heredoc fed to a command
//! (`mysql <<EOF`, `kubectl apply -f - <<EOF`), an editor opening a file whose content follows,
//! a database client opening a session, or a command grouped with the ones before it of the
//! same effect and nodes.

use super::super::files;
use super::super::nodes::Canon;
use super::super::shell::{self, Effect};
use super::lines::LineKind;
use super::reader::Reader;
use super::{heredoc_write_re, SegKind};

/// A heredoc written to a file.
struct Write {
    delim: String,
    append: bool,
    path: String,
}

/// The heredoc a command writes to a file, if it is one.
fn heredoc_write(t: &str) -> Option<Write> {
    if !t.contains("<<") {
        return None;
    }
    let c = heredoc_write_re().captures(t)?;
    let (delim, append, path) = if let Some(d) = c.get(1) {
        (d.as_str().to_string(), &c[2] == ">>", c[3].to_string())
    } else if let Some(r) = c.get(4) {
        (c[6].to_string(), r.as_str() == ">>", c[5].to_string())
    } else if let Some(d) = c.get(10) {
        (
            d.as_str().to_string(),
            c.get(11).is_some(),
            c[12].to_string(),
        )
    } else {
        (c[9].to_string(), c.get(7).is_some(), c[8].to_string())
    };
    Some(Write {
        delim,
        append,
        path: path.trim_matches(['"', '\'']).to_string(),
    })
}

/// The delimiter of a heredoc fed to a command (`<<EOF`, `<<-'EOF'`), not a here-string.
fn fed_heredoc(t: &str) -> Option<String> {
    let pos = t.find("<<")?;
    if t[pos..].starts_with("<<<") {
        return None;
    }
    let rest = t[pos + 2..].trim_start_matches('-').trim();
    let delim: String = rest
        .trim_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!delim.is_empty()).then_some(delim)
}

/// The nodes a command's trailing comment says it runs on (`# 마스터 노드에서 실행`,
/// `# worker only`).
fn trailing_scope(t: &str, known: &[String]) -> Option<Vec<Canon>> {
    let (_, comment) = t.rsplit_once(" #")?;
    let c = comment.trim();
    if c.is_empty() || c.contains('\'') || c.contains('"') {
        return None;
    }
    let m = super::super::nodes::where_run(c, known);
    let m = if m.is_empty() && (c.contains("only") || c.contains("만")) {
        super::super::nodes::mentions(c, known)
    } else {
        m
    };
    (!m.is_empty()).then_some(m)
}

impl Reader<'_> {
    /// Read the command `text` that started at block line `start` (the reader is past it).
    pub(super) fn command(&mut self, text: String, start: usize, pn: Vec<Canon>) {
        let t = text.trim();
        if let Some(w) = heredoc_write(t) {
            self.heredoc(&text, w, start, pn);
            return;
        }
        if let Some(delim) = fed_heredoc(t) {
            let mut lines = vec![text.clone()];
            while self.i < self.raw.len() {
                let l = self.raw[self.i].to_string();
                self.i += 1;
                let end = l.trim() == delim;
                lines.push(l);
                if end {
                    break;
                }
            }
            self.push(SegKind::Commands(shell::effect(t)), lines, start, pn);
            return;
        }
        if t.is_empty() || matches!(t, "exit" | "logout" | "quit") {
            return;
        }
        let eff = shell::effect(t);
        if eff == Effect::Editor {
            self.editor = shell::editor_target(t);
            return;
        }
        self.editor = None;
        // `mysql -u root -p` opens a session: the SQL follows
        let client = t.strip_prefix("sudo ").unwrap_or(t);
        let client_word = client.split_whitespace().next().unwrap_or("");
        if eff == Effect::Manual && (client_word == "mysql" || client_word == "mariadb") {
            self.in_sql_session = true;
            return;
        }
        // a command whose trailing comment says where it runs (`… # 마스터 노드에서 실행`)
        if let Some(nodes) = trailing_scope(t, self.ctx.known_nodes) {
            let mut seg =
                super::Segment::new(SegKind::Commands(eff), vec![text], start, self.i - 1);
            seg.prompt_nodes = pn;
            seg.local_scope = Some((nodes, start));
            seg.scope_rule = Some(&super::super::rules::TRAILING_COMMENT);
            self.segs.push(seg);
            return;
        }
        // grouped with the previous command segment of the same effect and nodes
        if let Some(last) = self.segs.last_mut() {
            if last.kind == SegKind::Commands(eff)
                && last.prompt_nodes == pn
                && last.local_scope == self.local_scope
                && eff != Effect::Manual
            {
                last.lines.push(text);
                last.last = self.i - 1;
                return;
            }
        }
        self.push(SegKind::Commands(eff), vec![text], start, pn);
    }

    /// A heredoc written to a file: its body is the file's content (or the lines appended);
    /// written elsewhere than a file, the whole heredoc stays a command.
    fn heredoc(&mut self, text: &str, w: Write, start: usize, pn: Vec<Canon>) {
        let mut body = Vec::new();
        while self.i < self.raw.len() {
            let l = match &self.kinds[self.i] {
                LineKind::Cmd { text, .. } if self.prompted => text.clone(),
                _ => self.raw[self.i].to_string(),
            };
            self.i += 1;
            if l.trim() == w.delim {
                break;
            }
            body.push(l);
        }
        let t = text.trim();
        let quoted =
            t.contains(&format!("'{}'", w.delim)) || t.contains(&format!("\"{}\"", w.delim));
        if !quoted {
            for b in body.iter_mut() {
                *b = b.replace("\\$", "$").replace("\\`", "`");
            }
        }
        if w.path.starts_with('/') && files::looks_like_file(&w.path) {
            let kind = SegKind::Heredoc {
                path: w.path,
                append: w.append,
            };
            self.push(kind, body, start, pn);
        } else {
            let mut lines = vec![text.to_string()];
            lines.extend(body);
            lines.push(w.delim);
            self.push(SegKind::Commands(Effect::Change), lines, start, pn);
        }
    }
}
