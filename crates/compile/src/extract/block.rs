//! One code block (or blockquote of commands) → segments: commands grouped by effect, file
//! content, heredoc writes, SQL. Handles prompts, output lines, editors, line continuations,
//! shell-history numbers, separators and node switches written inside one fence.

use super::files;
use super::nodes::{self, Canon};
use super::prompt::{self, Prompt};
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
}

fn sep_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*(?:-{3,}|={3,}|\*{3,})\s*$").expect("static regex"))
}

fn table_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*(?:\+[-=+]+\+?|\|.*\|)\s*$").expect("static regex"))
}

fn history_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*(\d{1,5})\s+(\S.*)$").expect("static regex"))
}

fn heredoc_write_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r#"^(?:sudo\s+)?(?:cat\s*(?:<<-?\s*['"]?(\w+)['"]?\s*(>>?)\s*(\S+)|(>>?)\s*(\S+)\s*<<-?\s*['"]?(\w+)['"]?)"#,
            r#"|(?:sudo\s+)?tee\s+(-a\s+)?(\S+)\s*(?:>\s*/dev/null\s*)?<<-?\s*['"]?(\w+)['"]?)\s*$"#
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
fn strip_cmd_comment(l: &str) -> String {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| Regex::new(r"\s+//\s*\S.*$").expect("static regex"));
    match r.find(l) {
        Some(m) if !l[..m.start()].ends_with(':') => l[..m.start()].to_string(),
        _ => l.to_string(),
    }
}

enum LineKind {
    Cmd {
        text: String,
        nodes: Vec<Canon>,
        weak: bool,
    },
    Sql {
        text: String,
    },
    Other(String),
}

/// Split a block into segments.
pub fn segments(content: &str, ctx: &BlockCtx) -> Vec<Segment> {
    let raw: Vec<&str> = content.lines().collect();
    let known = |w: &str| {
        let l = w.to_lowercase();
        ctx.known_nodes.contains(&l) || nodes::role(&l).is_some()
    };
    // shell-history numbers: most non-empty lines are `NNN  cmd`
    let nonempty = raw.iter().filter(|l| !l.trim().is_empty()).count();
    let numbered = raw
        .iter()
        .filter(|l| {
            history_re()
                .captures(l)
                .is_some_and(|c| shell::is_command(&c[2]))
        })
        .count();
    let history = nonempty >= 2 && numbered * 2 > nonempty;

    let kinds: Vec<LineKind> = raw
        .iter()
        .map(|l| {
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
        .collect();
    // a bare `#` root prompt mixes with unprompted lines; other prompts mark output lines
    let prompted = kinds
        .iter()
        .any(|k| matches!(k, LineKind::Cmd { weak: false, .. } | LineKind::Sql { .. }));
    let any_cmd = kinds.iter().any(|k| match k {
        LineKind::Other(l) => shell::is_command(l),
        _ => true,
    });

    let mut segs: Vec<Segment> = Vec::new();
    // A block of SQL statements (after `mysql -u root -p` in the block before, or on its own)
    let sql_lines = raw.iter().filter(|l| is_sql(l)).count();
    if !prompted
        && sql_lines > 0
        && (ctx.sql_info || sql_lines * 2 >= nonempty.max(1))
        && !files::looks_ini(content)
    {
        let lines: Vec<String> = raw
            .iter()
            .filter(|l| !l.trim().is_empty() && !is_client_exit(l))
            .map(|s| s.to_string())
            .collect();
        return vec![Segment {
            kind: SegKind::Sql,
            lines,
            first: 0,
            last: raw.len().saturating_sub(1),
            prompt_nodes: vec![],
            local_scope: None,
            editor_pending: None,
        }];
    }
    // A block with no command at all is content.
    let editor_first = raw
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| shell::editor_target(l.trim()).is_some());
    if !prompted
        && (!any_cmd
            || ctx.expects_content
                && (ctx.creates_file && !editor_first || !first_is_command(&raw)))
    {
        let sql_lines = raw.iter().filter(|l| is_sql(l)).count();
        if ctx.sql_info
            || sql_lines > 0 && sql_lines * 2 >= nonempty.max(1) && !files::looks_ini(content)
        {
            return vec![Segment {
                kind: SegKind::Sql,
                lines: raw.iter().map(|s| s.to_string()).collect(),
                first: 0,
                last: raw.len().saturating_sub(1),
                prompt_nodes: vec![],
                local_scope: None,
                editor_pending: None,
            }];
        }
        // `# /etc/path` on the first line names the file
        let mut path = None;
        let mut first = 0;
        if let Some(l0) = raw.iter().position(|l| !l.trim().is_empty()) {
            let t = raw[l0].trim();
            if let Some(rest) = t.strip_prefix('#').or_else(|| t.strip_prefix("//")) {
                let ps = files::paths_in(rest.trim());
                if ps.len() == 1 && rest.trim().len() <= ps[0].len() + 30 {
                    path = Some(ps[0].clone());
                    first = l0 + 1;
                }
            }
        }
        let lines: Vec<String> = raw[first..].iter().map(|s| s.to_string()).collect();
        return vec![Segment {
            kind: SegKind::Content {
                path,
                editor: false,
            },
            lines,
            first,
            last: raw.len().saturating_sub(1),
            prompt_nodes: vec![],
            local_scope: None,
            editor_pending: None,
        }];
    }

    let mut i = 0;
    let mut local_scope: Option<(Vec<Canon>, usize)> = None;
    let mut editor: Option<String> = None;
    let mut in_sql_session = false;
    while i < kinds.len() {
        match &kinds[i] {
            LineKind::Sql { text } => {
                let mut lines = vec![text.clone()];
                let start = i;
                i += 1;
                while i < kinds.len() {
                    match &kinds[i] {
                        LineKind::Sql { text } => lines.push(text.clone()),
                        LineKind::Other(l) => {
                            let open = lines.last().is_some_and(|x: &String| {
                                let x = x.trim_end();
                                !x.is_empty() && !x.ends_with(';') && !x.ends_with("\\G")
                            });
                            if let Some(c) = prompt::sql_continuation(l) {
                                lines.push(c);
                            } else if open && !l.trim().is_empty() {
                                lines.push(l.clone());
                            } else if l.trim().is_empty() {
                            } else if !prompted && is_sql(l) {
                                lines.push(l.clone());
                            } else {
                                // output of the client
                            }
                        }
                        LineKind::Cmd { .. } => break,
                    }
                    i += 1;
                }
                let lines: Vec<String> = lines
                    .into_iter()
                    .filter(|l| !l.trim().trim_end_matches(';').is_empty() && !is_client_exit(l))
                    .collect();
                if !lines.is_empty() {
                    push_seg(
                        &mut segs,
                        SegKind::Sql,
                        lines,
                        start,
                        i - 1,
                        vec![],
                        &local_scope,
                    );
                }
                in_sql_session = false;
            }
            LineKind::Cmd {
                text, nodes: pn, ..
            } => {
                let start = i;
                let mut text = text.clone();
                let pn = pn.clone();
                i += 1;
                // continuation lines
                while text.trim_end().ends_with('\\') && i < kinds.len() {
                    let next = match &kinds[i] {
                        LineKind::Other(l) => l.clone(),
                        LineKind::Cmd { text, .. } => text.clone(),
                        LineKind::Sql { text } => text.clone(),
                    };
                    text.push('\n');
                    text.push_str(&next);
                    i += 1;
                }
                i = command(
                    &mut segs,
                    &kinds,
                    &raw,
                    text,
                    start,
                    i,
                    pn,
                    prompted,
                    &mut editor,
                    &mut in_sql_session,
                    &local_scope,
                );
            }
            LineKind::Other(l) => {
                let t = l.trim();
                if t.is_empty() || table_re().is_match(t) {
                    i += 1;
                    continue;
                }
                if sep_re().is_match(t) {
                    editor = None;
                    i += 1;
                    continue;
                }
                if in_sql_session && is_sql(t) {
                    let start = i;
                    let mut lines = Vec::new();
                    while i < kinds.len() {
                        if let LineKind::Other(l) = &kinds[i] {
                            if is_client_exit(l) {
                                i += 1;
                                break;
                            }
                            if !l.trim().is_empty() {
                                lines.push(l.clone());
                            }
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    push_seg(
                        &mut segs,
                        SegKind::Sql,
                        lines,
                        start,
                        i - 1,
                        vec![],
                        &local_scope,
                    );
                    in_sql_session = false;
                    continue;
                }
                if !prompted && shell::is_command(t) {
                    let start = i;
                    let mut text = strip_cmd_comment(l);
                    i += 1;
                    while text.trim_end().ends_with('\\') && i < kinds.len() {
                        if let LineKind::Other(n) = &kinds[i] {
                            text.push('\n');
                            text.push_str(n);
                        }
                        i += 1;
                    }
                    i = command(
                        &mut segs,
                        &kinds,
                        &raw,
                        text,
                        start,
                        i,
                        vec![],
                        prompted,
                        &mut editor,
                        &mut in_sql_session,
                        &local_scope,
                    );
                    continue;
                }
                // a node switch written as a line of its own
                if t.chars().count() <= 40 && !t.contains('=') {
                    let m = nodes::mentions(t, ctx.known_nodes);
                    let bare = nodes::canon_label(t.trim_end_matches(':'), ctx.known_nodes);
                    let m = if m.is_empty() {
                        bare.into_iter().collect()
                    } else {
                        m
                    };
                    if !m.is_empty() && !shell::is_command(t) {
                        local_scope = Some((m, i));
                        editor = None;
                        i += 1;
                        continue;
                    }
                }
                // content lines after an editor command in the same block
                if let Some(path) = editor.clone() {
                    let start = i;
                    let mut lines = Vec::new();
                    while i < kinds.len() {
                        let LineKind::Other(l) = &kinds[i] else { break };
                        let t = l.trim();
                        if sep_re().is_match(t) {
                            break;
                        }
                        if !prompted
                            && !lines.is_empty()
                            && is_plain_command(t)
                            && raw
                                .get(i.wrapping_sub(1))
                                .is_some_and(|p| p.trim().is_empty())
                        {
                            break;
                        }
                        if !prompted && is_plain_command(t) && lines.is_empty() {
                            break;
                        }
                        if t.chars().any(files::is_hangul)
                            && !t.contains('=')
                            && !t.starts_with('#')
                        {
                            i += 1;
                            continue; // an explanation line
                        }
                        // line-numbered config (`1254 my_ip=...`)
                        let line = match history_re().captures(l) {
                            Some(c) if c[2].contains('=') => c[2].to_string(),
                            _ => l.clone(),
                        };
                        lines.push(line);
                        i += 1;
                    }
                    while lines.last().is_some_and(|l| l.trim().is_empty()) {
                        lines.pop();
                    }
                    if !lines.is_empty() {
                        push_seg(
                            &mut segs,
                            SegKind::Content {
                                path: Some(path),
                                editor: true,
                            },
                            lines,
                            start,
                            i - 1,
                            vec![],
                            &local_scope,
                        );
                        editor = None;
                    } else if i == start {
                        i += 1;
                    }
                    continue;
                }
                // output or prose inside the block
                i += 1;
            }
        }
    }
    if let Some(p) = editor {
        if let Some(last) = segs.last_mut() {
            last.editor_pending = Some(p);
        } else {
            segs.push(Segment {
                kind: SegKind::Commands(Effect::Editor),
                lines: vec![],
                first: 0,
                last: 0,
                prompt_nodes: vec![],
                local_scope: None,
                editor_pending: Some(p),
            });
        }
    }
    segs
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

/// A command that cannot be a config line (`systemctl restart x`, not `server x iburst`).
fn is_plain_command(t: &str) -> bool {
    shell::is_command(t) && !t.contains(" = ") && !t.starts_with('[')
}

#[allow(clippy::too_many_arguments)]
fn command(
    segs: &mut Vec<Segment>,
    kinds: &[LineKind],
    raw: &[&str],
    text: String,
    start: usize,
    mut i: usize,
    pn: Vec<Canon>,
    prompted: bool,
    editor: &mut Option<String>,
    in_sql_session: &mut bool,
    scope: &Option<(Vec<Canon>, usize)>,
) -> usize {
    let t = text.trim();
    // heredoc: collect the body (every form has `<<`)
    if let Some(c) = t
        .contains("<<")
        .then(|| heredoc_write_re().captures(t))
        .flatten()
    {
        let (delim, append, path) = if let Some(d) = c.get(1) {
            (d.as_str().to_string(), &c[2] == ">>", c[3].to_string())
        } else if let Some(r) = c.get(4) {
            (c[6].to_string(), r.as_str() == ">>", c[5].to_string())
        } else {
            (c[9].to_string(), c.get(7).is_some(), c[8].to_string())
        };
        let mut body = Vec::new();
        while i < raw.len() {
            let l = raw[i];
            let l = match &kinds[i] {
                LineKind::Other(_) => l.to_string(),
                LineKind::Cmd { text, .. } if prompted => text.clone(),
                _ => l.to_string(),
            };
            i += 1;
            if l.trim() == delim {
                break;
            }
            body.push(l);
        }
        let quoted = t.contains(&format!("'{delim}'")) || t.contains(&format!("\"{delim}\""));
        if !quoted {
            for b in body.iter_mut() {
                *b = b.replace("\\$", "$").replace("\\`", "`");
            }
        }
        let path = path.trim_matches(['"', '\'']).to_string();
        if path.starts_with('/') && files::looks_like_file(&path) {
            push_seg(
                segs,
                SegKind::Heredoc { path, append },
                body,
                start,
                i - 1,
                pn,
                scope,
            );
        } else {
            let mut lines = vec![text.clone()];
            lines.extend(body);
            lines.push(delim);
            push_seg(
                segs,
                SegKind::Commands(Effect::Change),
                lines,
                start,
                i - 1,
                pn,
                scope,
            );
        }
        return i;
    }
    // a heredoc feeding a command (`mysql <<EOF`, `kubectl apply -f - <<EOF`): keep the body
    if let Some(pos) = t.find("<<") {
        let rest = t[pos + 2..].trim_start_matches('-').trim();
        let delim: String = rest
            .trim_matches(['\'', '"'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !delim.is_empty() && !t[pos..].starts_with("<<<") {
            let mut lines = vec![text.clone()];
            while i < raw.len() {
                let l = raw[i].to_string();
                i += 1;
                let end = l.trim() == delim;
                lines.push(l);
                if end {
                    break;
                }
            }
            push_seg(
                segs,
                SegKind::Commands(shell::effect(t)),
                lines,
                start,
                i - 1,
                pn,
                scope,
            );
            return i;
        }
    }
    if t.is_empty() || matches!(t, "exit" | "logout" | "quit") {
        return i;
    }
    let eff = shell::effect(t);
    if eff == Effect::Editor {
        *editor = shell::editor_target(t);
        return i;
    }
    *editor = None;
    // `mysql -u root -p` opens a session: the SQL follows
    let client = t.strip_prefix("sudo ").unwrap_or(t);
    let client_word = client.split_whitespace().next().unwrap_or("");
    if eff == Effect::Manual && (client_word == "mysql" || client_word == "mariadb") {
        *in_sql_session = true;
        return i;
    }
    // group with the previous command segment of the same effect and nodes
    if let Some(last) = segs.last_mut() {
        if last.kind == SegKind::Commands(eff)
            && last.prompt_nodes == pn
            && last.local_scope == *scope
            && eff != Effect::Manual
        {
            last.lines.push(text);
            last.last = i - 1;
            return i;
        }
    }
    push_seg(
        segs,
        SegKind::Commands(eff),
        vec![text],
        start,
        i - 1,
        pn,
        scope,
    );
    i
}

/// `exit`, `quit` or `\\q` (any case, with or without `;`): the end of a database client session.
fn is_client_exit(l: &str) -> bool {
    matches!(
        l.trim().trim_end_matches(';').to_ascii_lowercase().as_str(),
        "exit" | "quit" | "\\q"
    )
}

fn push_seg(
    segs: &mut Vec<Segment>,
    kind: SegKind,
    lines: Vec<String>,
    first: usize,
    last: usize,
    prompt_nodes: Vec<Canon>,
    scope: &Option<(Vec<Canon>, usize)>,
) {
    segs.push(Segment {
        kind,
        lines,
        first,
        last,
        prompt_nodes,
        local_scope: scope.clone(),
        editor_pending: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(s: &str) -> Vec<Segment> {
        let known = vec!["controller".to_string(), "compute".to_string()];
        segments(
            s,
            &BlockCtx {
                known_nodes: &known,
                expects_content: false,
                creates_file: false,
                sql_info: false,
            },
        )
    }

    #[test]
    fn prompted_block_drops_output() {
        let s = segs("root@controller$ yum install chrony\nLoaded plugins: fastestmirror\nroot@controller$ systemctl enable chronyd\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, SegKind::Commands(Effect::Change));
        assert_eq!(
            s[0].lines,
            vec!["yum install chrony", "systemctl enable chronyd"]
        );
        assert_eq!(s[0].prompt_nodes, vec![Canon::Node("controller".into())]);
    }

    #[test]
    fn sql_session() {
        let s = segs("$ mysql -u root -p\nMariaDB [(none)]> CREATE DATABASE keystone;\nMariaDB [(none)]> GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' \\\n  IDENTIFIED BY 'KEYSTONE_DBPASS';\nMariaDB [(none)]> exit\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, SegKind::Sql);
        assert_eq!(s[0].lines.len(), 3);
    }

    #[test]
    fn editor_then_content_then_commands() {
        let s = segs("vim /etc/chrony/chrony.conf\n\n#pool x iburst\nserver controller iburst\n\nsystemctl restart chrony\n");
        assert_eq!(
            s[0].kind,
            SegKind::Content {
                path: Some("/etc/chrony/chrony.conf".into()),
                editor: true
            }
        );
        assert_eq!(s[1].kind, SegKind::Commands(Effect::Change));
    }

    #[test]
    fn heredocs_split_the_block() {
        let s = segs("sed -i '/127.0.1.1/d' /etc/hosts\n\ncat <<EOF >>/etc/hosts\n192.168.56.110  controller\nEOF\n\napt -y install vim\n");
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[1].kind,
            SegKind::Heredoc {
                path: "/etc/hosts".into(),
                append: true
            }
        );
        assert_eq!(s[1].lines, vec!["192.168.56.110  controller"]);
    }

    #[test]
    fn content_block_with_path_comment() {
        let s = segs("# /etc/sysconfig/network-scripts/ifcfg-enp0s3\nTYPE=Ethernet\nONBOOT=yes\n");
        assert_eq!(
            s[0].kind,
            SegKind::Content {
                path: Some("/etc/sysconfig/network-scripts/ifcfg-enp0s3".into()),
                editor: false
            }
        );
        assert_eq!(s[0].lines, vec!["TYPE=Ethernet", "ONBOOT=yes"]);
    }

    #[test]
    fn switches_inside_one_fence() {
        let s = segs("yum install chrony\n-----\ncontroller\n-----\nsystemctl reload iptables\n\ncompute node에서\n#systemctl stop openstack-nova-compute\n");
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[1].local_scope.as_ref().map(|x| x.0.clone()),
            Some(vec![Canon::Node("controller".into())])
        );
        assert_eq!(
            s[2].local_scope.as_ref().map(|x| x.0.clone()),
            Some(vec![Canon::Node("compute".into())])
        );
    }

    #[test]
    fn root_hash_prompt_mixed_with_bare_lines() {
        let s = segs("# systemctl stop firewalld //방화벽해제\n# systemctl disable firewalld\n");
        assert_eq!(
            s[0].lines,
            vec!["systemctl stop firewalld", "systemctl disable firewalld"]
        );
    }

    #[test]
    fn client_exits_end_sql_sessions() {
        for exit in ["exit", "quit;", "\\q", "EXIT"] {
            assert!(is_client_exit(exit), "{exit}");
        }
        assert!(!is_client_exit("exit_code"));
        // an unprompted session after `mysql` in the same block: `\q` is not a statement
        let s = segs("mysql -u root -p\nCREATE DATABASE glance;\n\\q\n");
        let sql: Vec<&Segment> = s.iter().filter(|g| g.kind == SegKind::Sql).collect();
        assert_eq!(sql.len(), 1, "{s:?}");
        assert_eq!(sql[0].lines, vec!["CREATE DATABASE glance;"]);
    }
}
