//! `runbooks/<node>.sh` (contract: `shared/contracts/runbook-cli.md`).
//!
//! One self-contained bash script per node: a header, the runtime ([`PRELUDE`], `prelude.sh`),
//! the variables (`rb_var`), then one `rb_step` per selected step of the node, each preceded by a
//! comment with its title, guide file:line and site anchor, and its `run` text as data in a
//! quoted heredoc. Nothing derived from the guide is ever shell code in the script itself: it is
//! single-quoted (`'...'\''...'`) or heredoc data under a delimiter that occurs in no data line,
//! and step text runs only through `eval` in a subshell at run time. So every script passes
//! `bash -n` and shellcheck whatever the guide contains.
//!
//! Output is a pure function of the plan (no time stamps, no map order): byte-identical for the
//! same plan.

use crate::build::OutFile;
use crate::model::{Kind, Plan, Step};
use crate::runtext::{delimiter, is_reboot, valid_var_name};
use std::fmt::Write as _;

/// The bash runtime embedded in every runbook.
pub const PRELUDE: &str = include_str!("prelude.sh");

pub fn render_all(plan: &Plan) -> Vec<OutFile> {
    use rayon::prelude::*;
    plan.nodes
        .par_iter()
        .map(|n| OutFile {
            path: format!("runbooks/{}.sh", file_name(n)).into(),
            bytes: render(plan, n).into_bytes(),
            executable: true,
        })
        .collect()
}

/// A node name safe for a file name and the state file: `[a-z0-9_-]`, others as `_`.
pub fn file_name(node: &str) -> String {
    let s: String = node
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' {
                c
            } else if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "node".into()
    } else {
        s
    }
}

/// A bash word for any text: plain single quotes when the text is tame, else ANSI-C quoting
/// (`$'...'`) with `'`, `\`, `$`, backquote and control characters escaped, so that neither
/// bash nor shellcheck sees an expansion in it.
pub fn sq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_sq(&mut out, s);
    out
}

/// [`sq`], appended to `out`.
pub fn push_sq(out: &mut String, s: &str) {
    let tame = !s
        .chars()
        .any(|c| matches!(c, '\'' | '\\' | '$' | '`') || c.is_control());
    if tame {
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        return;
    }
    out.push_str("$'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\x24"),
            '`' => out.push_str("\\x60"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push(' '),
            c if c.is_control() && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('\'');
}

/// One line for a comment: control characters (newlines included) become spaces.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_one_line(&mut out, s);
    out
}

/// [`one_line`], appended to `out`.
fn push_one_line(out: &mut String, s: &str) {
    let s = s.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if !s.chars().any(char::is_control) {
        out.push_str(s);
        return;
    }
    out.extend(s.chars().map(|c| if c.is_control() { ' ' } else { c }));
}

/// [`sq`] of [`one_line`], appended to `out`.
fn push_sq_line(out: &mut String, s: &str) {
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        push_sq(out, &one_line(s));
    } else {
        push_sq(out, s);
    }
}

/// The steps of `node` that its runbook runs, in plan order.
pub fn node_steps<'a>(plan: &'a Plan, node: &str) -> Vec<&'a Step> {
    plan.steps
        .iter()
        .filter(|s| s.selected() && s.nodes.iter().any(|n| n == node))
        .collect()
}

/// The hash of a step's run text recorded in the state file.
pub fn run_hash(run: &str) -> String {
    format!("{:016x}", crate::plan::fnv64(run.as_bytes()))
}

/// The kind word the runtime dispatches on: the plan's kind, `reboot` for a manual reboot,
/// `invalid` when the step cannot run (a variable name the runbook cannot use).
fn runtime_kind(step: &Step) -> &'static str {
    if step.variables.iter().any(|v| !valid_var_name(v)) {
        return "invalid";
    }
    if is_reboot(step) {
        return "reboot";
    }
    step.kind.as_str()
}

pub fn render(plan: &Plan, node: &str) -> String {
    let steps = node_steps(plan, node);
    let node_id = file_name(node);
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(&format!(
        "# 런북: {} — 노드 {}\n",
        one_line(&plan.title),
        node_id
    ));
    s.push_str(
        "# runbook 이 가이드에서 만든 파일입니다. 고치지 말고 가이드를 고친 뒤 다시 빌드하세요.\n",
    );
    s.push_str(&format!(
        "# 단계 {}개. 사용법: {}.sh --help\n",
        steps.len(),
        node_id
    ));

    s.push_str(&format!("RB_NODE={}\n", sq(&node_id)));
    s.push_str(&format!("RB_GUIDE={}\n", sq(&one_line(&plan.title))));
    s.push_str(&format!("RB_PHASES={}\n", plan.phases));
    s.push('\n');
    s.push_str(PRELUDE);
    if !PRELUDE.ends_with('\n') {
        s.push('\n');
    }

    // variables: those the node's steps use, in plan order, then any other step names
    s.push_str(
        "\n# --- 변수 ----------------------------------------------------------------------\n",
    );
    s.push_str("# rb_var 이름 비밀(1/0) 설명 [기본값] (비밀 값은 여기에 없습니다)\n");
    let mut used: Vec<&str> = Vec::new();
    for st in &steps {
        for v in &st.variables {
            if valid_var_name(v) && !used.contains(&v.as_str()) {
                used.push(v);
            }
        }
    }
    let mut declared: Vec<&str> = Vec::new();
    for v in &plan.variables {
        if !used.contains(&v.name.as_str()) || declared.contains(&v.name.as_str()) {
            continue;
        }
        declared.push(&v.name);
        let mut line = format!(
            "rb_var {} {} {}",
            sq(&v.name),
            if v.secret { 1 } else { 0 },
            sq(&one_line(&v.description))
        );
        if !v.secret {
            let per_node = v
                .per_node
                .iter()
                .find(|p| p.node == node)
                .map(|p| p.value.as_str());
            if let Some(val) = per_node.or(v.value.as_deref()) {
                line.push(' ');
                line.push_str(&sq(val));
            }
        }
        s.push_str(&line);
        s.push('\n');
    }
    for v in &used {
        if !declared.contains(v) {
            // a name no plan variable describes: treated as a secret (never printed)
            s.push_str(&format!("rb_var {} 1 ''\n", sq(v)));
        }
    }

    s.push_str(
        "\n# --- 단계 ----------------------------------------------------------------------\n",
    );
    let total = steps.len();
    s.reserve(steps.iter().map(|st| st.run.len() * 2 + 512).sum());
    for (i, st) in steps.iter().enumerate() {
        let kind = runtime_kind(st);
        let invalid;
        let run: &str = if kind == "invalid" {
            let bad: Vec<&str> = st
                .variables
                .iter()
                .filter(|v| !valid_var_name(v))
                .map(|v| v.as_str())
                .collect();
            invalid = format!(
                "오류: 이 단계의 변수 이름 {} 은(는) 런북에서 쓸 수 없습니다",
                bad.join(", ")
            );
            &invalid
        } else {
            &st.run
        };
        let _ = write!(s, "\n# [{}/{}] ", i + 1, total);
        push_one_line(&mut s, &st.title);
        let _ = writeln!(s, " ({})", st.kind.label_ko());
        s.push_str("#   원문: ");
        let source = st.source.to_string();
        push_one_line(&mut s, &source);
        s.push_str("\n#   사이트: ");
        push_one_line(&mut s, &st.anchor);
        s.push('\n');
        if st.kind == Kind::Manual {
            s.push_str("#   수동 단계: 대화형 실행에서는 안내를 보여 주고 Enter 를 기다리며, --yes 에서는 건너뜁니다\n");
        }
        let d = delimiter("RUNBOOK_STEP", run);
        s.push_str("rb_step ");
        push_sq(&mut s, &st.id);
        let _ = write!(s, " {kind} {} {} ", st.phase, run_hash(&st.run));
        push_sq_line(&mut s, &source);
        s.push(' ');
        push_sq_line(&mut s, &st.anchor);
        s.push(' ');
        let mut vars = String::new();
        for v in st.variables.iter().filter(|v| valid_var_name(v)) {
            if !vars.is_empty() {
                vars.push(' ');
            }
            vars.push_str(v);
        }
        push_sq(&mut s, &vars);
        s.push(' ');
        push_sq_line(&mut s, &st.title);
        let _ = writeln!(s, " <<'{d}'");
        s.push_str(run);
        if !run.is_empty() && !run.ends_with('\n') {
            s.push('\n');
        }
        s.push_str(&d);
        s.push('\n');
    }
    s.push_str("\nrb_main \"$@\"\n");
    s
}
