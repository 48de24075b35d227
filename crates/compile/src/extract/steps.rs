//! Build model steps from what the walk found: normalise commands, put variables in, split SQL.

use super::discover::Found;
use super::files;
use super::nodes::Canon;
use super::shell;
use super::vars;
use runbook_core::model::{Action, Kind, Reason, Setting, Source, Step, StepOption};

/// Nodes named by a signal, where the guide names them, and the rule that read it (when it
/// says more than the kind of signal does).
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub nodes: Vec<Canon>,
    pub at: Source,
    pub rule: Option<&'static super::rules::Rule>,
}

impl Signal {
    pub fn new(nodes: Vec<Canon>, at: Source) -> Signal {
        Signal {
            nodes,
            at,
            rule: None,
        }
    }
}

/// Where a step's nodes may come from, most explicit first.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// `<!-- runbook: node=... -->`
    pub annotation: Option<Signal>,
    /// A switch line inside the block, or the caption naming the node.
    pub local: Option<Signal>,
    /// The heading or prose scope in force.
    pub scope: Option<Signal>,
    /// The prompts of the step's lines.
    pub prompt: Vec<Canon>,
    /// A sentence before the block ("컨트롤러 노드에서 다음 명령을 실행").
    pub hint: Option<Signal>,
    /// Nodes a sentence before the block says it copies to ("second, slave node에 배포").
    pub copies_to: Vec<Canon>,
}

#[derive(Debug, Clone)]
pub struct RawStep {
    pub step: Step,
    pub signals: Signals,
}

/// The data of one step before ids, nodes and phases.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: Kind,
    pub source: Source,
    pub end_line: usize,
    pub section: Vec<String>,
    pub title: String,
    pub original: String,
    /// command/verify: the command lines; sql: the statement lines; manual: the command.
    pub lines: Vec<String>,
    pub path: Option<String>,
    pub content: Option<String>,
    pub settings: Option<Vec<Setting>>,
    pub keep: Option<Vec<String>>,
    pub comment_out: Vec<String>,
    pub option: Option<StepOption>,
    /// The rules that decided the kind and the file.
    pub why: Vec<Reason>,
}

/// Turn a draft into a step: placeholders become `${VAR}`, commands become non-interactive.
pub fn build(d: Draft, found: &Found) -> Step {
    let known = |n: &str| found.is_declared(n);
    // names the step itself assigns (`OPENSTACK_HOST = "controller"`) are settings, not placeholders
    let assigned = assigned_names(&d);
    let find = |t: &str| -> Vec<vars::Found> {
        vars::find(t, &known)
            .into_iter()
            .filter(|f| found.is_declared(&f.name) || !assigned.contains(&f.name))
            .collect()
    };
    let mut used: Vec<String> = Vec::new();
    let mut note = |fs: &[vars::Found]| {
        for f in fs {
            if !used.contains(&f.name) {
                used.push(f.name.clone());
            }
        }
    };
    let mut data = |t: &str| -> String {
        let fs = find(t);
        note(&fs);
        vars::to_dollar(t, &fs)
    };
    let path = d.path.as_deref().map(&mut data);
    let content = d.content.as_deref().map(&mut data);
    let settings = d.settings.map(|ss| {
        ss.into_iter()
            .map(|s| Setting {
                section: s.section,
                key: s.key,
                value: data(&s.value),
            })
            .collect()
    });
    let keep = d
        .keep
        .map(|ls| ls.iter().map(|l| data(l)).collect::<Vec<_>>());
    let comment_out: Vec<String> = d.comment_out.iter().map(|l| data(l)).collect();
    let run = match d.kind {
        Kind::Command | Kind::Verify => {
            let text = d
                .lines
                .iter()
                .map(|l| {
                    let pw = password_var(l, found);
                    shell::non_interactive(l, pw.as_deref())
                })
                .collect::<Vec<_>>()
                .join("\n");
            let fs = find(&text);
            note(&fs);
            let spans: Vec<(usize, usize, String)> = fs
                .iter()
                .map(|f| (f.start, f.end, f.name.clone()))
                .collect();
            shell::substitute(&text, &spans)
        }
        Kind::Sql => {
            let stmts = sql_statements(&d.lines);
            let text = stmts.join("\n");
            let fs = find(&text);
            note(&fs);
            vars::to_dollar(&text, &fs)
        }
        Kind::Manual => {
            let what = d.lines.join("\n");
            if what.is_empty() {
                d.title.clone()
            } else {
                format!("{} — 직접 수행하세요: {}", d.title, what)
            }
        }
        _ => String::new(),
    };
    let path = path.unwrap_or_default();
    let action = match d.kind {
        Kind::File => Action::File {
            path,
            content: content.unwrap_or_default(),
        },
        Kind::Ini => Action::Ini {
            path,
            settings: settings.unwrap_or_default(),
        },
        Kind::Lines => Action::Lines {
            path,
            lines: keep.unwrap_or_default(),
            comment_out,
        },
        Kind::Command => Action::Command,
        Kind::Sql => Action::Sql,
        Kind::Verify => Action::Verify,
        Kind::Manual => Action::Manual,
    };
    Step {
        id: String::new(),
        source: d.source,
        section: d.section,
        title: d.title,
        nodes: Vec::new(),
        phase: 0,
        action,
        original: d.original,
        run,
        variables: used,
        option: d.option,
        end_line: d.end_line,
        anchor: String::new(),
        why: d.why,
    }
}

fn assigned_names(d: &Draft) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut scan = |t: &str| {
        for l in t.lines() {
            let l = l.trim_start().trim_start_matches("export ").trim_start();
            if let Some((k, _)) = l.split_once('=') {
                let k = k.trim();
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                {
                    out.insert(k.to_string());
                }
            }
        }
    };
    for l in d.keep.iter().flatten() {
        scan(l);
    }
    if let Some(c) = &d.content {
        scan(c);
    }
    for s in d.settings.iter().flatten() {
        scan(&format!("{}=", s.key));
    }
    out
}

/// For `--password-prompt`: the variable holding the password of the user being created.
fn password_var(line: &str, found: &Found) -> Option<String> {
    if !line.contains("--password-prompt") {
        return None;
    }
    let user = line
        .split_whitespace()
        .last()?
        .to_ascii_uppercase()
        .replace('-', "_");
    let cand = format!("{user}_PASS");
    if found.is_declared(&cand) {
        return Some(cand);
    }
    let alt = format!("{user}_PASSWORD");
    if found.is_declared(&alt) {
        return Some(alt);
    }
    Some(cand)
}

/// SQL lines → statements, each ending in `;`, continuation backslashes removed.
pub fn sql_statements(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for l in lines {
        let l = sql_without_note(l);
        let t = l.trim().trim_end_matches('\\').trim_end();
        if t.is_empty() {
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(t);
        if t.ends_with(';') || t.ends_with("\\G") {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        let mut c = cur.trim().to_string();
        c.push(';');
        out.push(c);
    }
    out.retain(|s| {
        let t = s.trim_end_matches(';').trim().to_ascii_lowercase();
        t != "exit" && t != "quit" && !t.is_empty()
    });
    out
}

/// A statement line without the author's note after it (`show slave status\\G  ///설명`), and
/// with `¥G` (a backslash on a Japanese keyboard) as `\\G`.
fn sql_without_note(line: &str) -> String {
    let line = line.replace("¥G", "\\G");
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' || c == '`' => quote = Some(c),
            None if c == '/' && prev.is_whitespace() && line[i..].starts_with("//") => {
                return line[..i].trim_end().to_string();
            }
            None => {}
        }
        prev = c;
    }
    line
}

/// A short title from prose: markup dropped, one line, at most 80 characters.
pub fn title_of(text: &str) -> String {
    let first = match memchr::memchr(b'\n', text.as_bytes()) {
        Some(i) => text[..i].strip_suffix('\r').unwrap_or(&text[..i]),
        None => text,
    };
    let marked = memchr::memchr2(b'`', b'*', first.as_bytes()).is_some();
    let t: std::borrow::Cow<str> = if marked && (first.contains('`') || first.contains("**")) {
        first.replace('`', "").replace("**", "").into()
    } else {
        first.into()
    };
    let t = t.trim().trim_end_matches([':', '：']).trim();
    match t.char_indices().nth(80) {
        Some((cut, _)) => {
            let mut out = String::with_capacity(cut + 3);
            out.push_str(&t[..cut]);
            out.push('…');
            out
        }
        None => t.to_string(),
    }
}

/// The kind of a content block for a file.
pub fn content_kind(path: &str, info: &str, content: &str, create: bool) -> Kind {
    // /etc/hosts always keeps its localhost lines: entries are ensured, never the whole file
    if path == "/etc/hosts" {
        return Kind::Lines;
    }
    // lines that repeat (`netmask ...` in two stanzas) cannot be ensured one by one
    let mut seen = std::collections::HashSet::new();
    let repeats = content
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !files::is_ellipsis(l))
        .any(|l| !seen.insert(l));
    let has_ellipsis = content.lines().any(files::is_ellipsis);
    // an edit of a script or YAML file that only sets flat settings changes those settings
    if !create && !has_ellipsis && files::is_structured(path, info) && flat_settings(path, content)
    {
        return Kind::Lines;
    }
    if has_ellipsis && files::is_structured(path, info) {
        // part of a YAML/JSON file cannot be merged line by line, nor written as the whole file
        Kind::Manual
    } else if !has_ellipsis
        && (create || files::is_structured(path, info) || repeats && !files::looks_ini(content))
    {
        Kind::File
    } else if files::looks_ini(content) {
        Kind::Ini
    } else {
        Kind::Lines
    }
}

/// Only flat settings for the kind of file: `export K=V` / `K=V` lines in a shell script,
/// unindented `key: value` lines in YAML.
fn flat_settings(path: &str, content: &str) -> bool {
    let yaml = path.ends_with(".yml") || path.ends_with(".yaml");
    let script = path.ends_with(".sh") || path.ends_with(".env");
    let mut any = false;
    for l in content.lines() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        any = true;
        let ok = if yaml {
            !l.starts_with([' ', '\t', '-'])
                && t.split_once(": ").is_some_and(|(k, v)| {
                    !k.contains(' ') && !v.trim().is_empty() && !v.trim().starts_with(['{', '['])
                })
        } else if script {
            let body = t.strip_prefix("export ").unwrap_or(t);
            body.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        } else {
            false
        };
        if !ok {
            return false;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_split() {
        let s = sql_statements(&[
            "CREATE DATABASE keystone;".into(),
            "GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' \\".into(),
            "  IDENTIFIED BY 'KEYSTONE_DBPASS';".into(),
            "exit".into(),
        ]);
        assert_eq!(
            s,
            vec![
                "CREATE DATABASE keystone;",
                "GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' IDENTIFIED BY 'KEYSTONE_DBPASS';"
            ]
        );
    }

    #[test]
    fn edits_of_flat_settings_are_lines() {
        // a YAML edit of flat keys, an env script's export line: lines, not the whole file
        let yml = "/etc/elasticsearch/elasticsearch.yml";
        assert_eq!(
            content_kind(yml, "", "node.master: true\nnode.data: false\n", false),
            Kind::Lines
        );
        let sh = "/application/hadoop/etc/hadoop/yarn-env.sh";
        assert_eq!(
            content_kind(
                sh,
                "",
                "export YARN_RESOURCEMANAGER_HEAPSIZE=10240\n",
                false
            ),
            Kind::Lines
        );
        // nested YAML, a created file, a script with commands: whole files
        let netplan = "/etc/netplan/50-cloud-init.yaml";
        assert_eq!(
            content_kind(netplan, "", "network:\n  version: 2\n", false),
            Kind::File
        );
        assert_eq!(
            content_kind(yml, "", "node.master: true\n", true),
            Kind::File
        );
        assert_eq!(
            content_kind(sh, "", "export A=1\nexec java -jar x\n", false),
            Kind::File
        );
    }

    #[test]
    fn sql_notes_and_terminators() {
        let s = sql_statements(&[
            "show slave status¥G    ///설정 확인".into(),
            "CHANGE MASTER TO MASTER_HOST='a//b',   ///호스트".into(),
            "  MASTER_LOG_POS=4;".into(),
        ]);
        assert_eq!(
            s,
            vec![
                "show slave status\\G",
                "CHANGE MASTER TO MASTER_HOST='a//b', MASTER_LOG_POS=4;"
            ]
        );
    }

    #[test]
    fn titles() {
        assert_eq!(title_of("`/etc/hosts` 파일 편집:"), "/etc/hosts 파일 편집");
    }
}
