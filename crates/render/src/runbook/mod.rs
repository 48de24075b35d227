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

use runbook_core::model::{Kind, Plan, Step};
use runbook_core::output::{Emit, OutFile};
use runbook_core::quote::{delimiter, one_line, push_one_line, push_word, valid_var_name, word};
use runbook_core::source::Compiled;
use std::fmt::Write as _;
use std::path::PathBuf;

/// `runbooks/<node>.sh`, each also under `site/runbooks/` for download from the site (the same
/// bytes, lent twice).
pub struct Runbooks;

impl crate::Renderer for Runbooks {
    fn name(&self) -> &'static str {
        "runbooks"
    }
    fn render(&self, c: &Compiled, emit: &Emit) -> anyhow::Result<()> {
        render_all(&c.plan).into_iter().try_for_each(|mut f| {
            emit(&f)?;
            f.path = PathBuf::from("site").join(&f.path);
            emit(&f)
        })
    }
}

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

/// [`sq`] of [`one_line`], appended to `out`.
fn push_sq_line(out: &mut String, s: &str) {
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        push_word(out, &one_line(s));
    } else {
        push_word(out, s);
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
    format!("{:016x}", runbook_core::hash::fnv64(run.as_bytes()))
}

/// The kind word the runtime dispatches on: the plan's kind, `reboot` for a manual reboot,
/// `invalid` when the step cannot run (a variable name the runbook cannot use).
fn runtime_kind(step: &Step) -> &'static str {
    if step.variables.iter().any(|v| !valid_var_name(v)) {
        return "invalid";
    }
    if step.is_reboot() {
        return "reboot";
    }
    step.kind().as_str()
}

pub fn render(plan: &Plan, node: &str) -> String {
    let steps = node_steps(plan, node);
    let node_id = file_name(node);
    let mut s = String::new();
    header(&mut s, plan, &node_id, steps.len());
    variables(&mut s, plan, node, &steps);
    s.push_str(
        "\n# --- 단계 ----------------------------------------------------------------------\n",
    );
    let total = steps.len();
    s.reserve(steps.iter().map(|st| st.run.len() * 2 + 512).sum());
    for (i, st) in steps.iter().enumerate() {
        step(&mut s, st, i + 1, total);
    }
    s.push_str("\nrb_main \"$@\"\n");
    s
}

/// The script's first lines, its node and guide, and the runtime.
fn header(s: &mut String, plan: &Plan, node_id: &str, steps: usize) {
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(&format!(
        "# 런북: {} — 노드 {}\n",
        one_line(&plan.title),
        node_id
    ));
    s.push_str(
        "# runbook 이 가이드에서 만든 파일입니다. 고치지 말고 가이드를 고친 뒤 다시 빌드하세요.\n",
    );
    s.push_str(&format!("# 단계 {steps}개. 사용법: {node_id}.sh --help\n"));
    s.push_str(&format!("RB_NODE={}\n", word(node_id)));
    s.push_str(&format!("RB_GUIDE={}\n", word(&one_line(&plan.title))));
    s.push_str(&format!("RB_PHASES={}\n", plan.phases));
    s.push('\n');
    s.push_str(PRELUDE);
    if !PRELUDE.ends_with('\n') {
        s.push('\n');
    }
}

/// `rb_var` lines: the variables the node's steps use, in plan order, then any other name a
/// step declares (treated as a secret).
fn variables(s: &mut String, plan: &Plan, node: &str, steps: &[&Step]) {
    s.push_str(
        "\n# --- 변수 ----------------------------------------------------------------------\n",
    );
    s.push_str("# rb_var 이름 비밀(1/0) 설명 [기본값] (비밀 값은 여기에 없습니다)\n");
    let mut used: Vec<&str> = Vec::new();
    for st in steps {
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
            word(&v.name),
            if v.secret { 1 } else { 0 },
            word(&one_line(&v.description))
        );
        if !v.secret {
            let per_node = v
                .per_node
                .iter()
                .find(|p| p.node == node)
                .map(|p| p.value.as_str());
            if let Some(val) = per_node.or(v.value.as_deref()) {
                line.push(' ');
                line.push_str(&word(val));
            }
        }
        s.push_str(&line);
        s.push('\n');
    }
    for v in &used {
        if !declared.contains(v) {
            // a name no plan variable describes: treated as a secret (never printed)
            s.push_str(&format!("rb_var {} 1 ''\n", word(v)));
        }
    }
}

/// One step: its comment (title, kind, source, anchor) and its `rb_step` with the run text as
/// heredoc data.
fn step(s: &mut String, st: &Step, n: usize, total: usize) {
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
    let _ = write!(s, "\n# [{n}/{total}] ");
    push_one_line(s, &st.title);
    let _ = writeln!(s, " ({})", st.kind().label_ko());
    s.push_str("#   원문: ");
    let source = st.source.to_string();
    push_one_line(s, &source);
    s.push_str("\n#   사이트: ");
    push_one_line(s, &st.anchor);
    s.push('\n');
    if st.kind() == Kind::Manual {
        s.push_str("#   수동 단계: 대화형 실행에서는 안내를 보여 주고 Enter 를 기다리며, --yes 에서는 건너뜁니다\n");
    }
    let d = delimiter("RUNBOOK_STEP", run);
    s.push_str("rb_step ");
    push_word(s, &st.id);
    let _ = write!(s, " {kind} {} {} ", st.phase, run_hash(&st.run));
    push_sq_line(s, &source);
    s.push(' ');
    push_sq_line(s, &st.anchor);
    s.push(' ');
    let mut vars = String::new();
    for v in st.variables.iter().filter(|v| valid_var_name(v)) {
        if !vars.is_empty() {
            vars.push(' ');
        }
        vars.push_str(v);
    }
    push_word(s, &vars);
    s.push(' ');
    push_sq_line(s, &st.title);
    let _ = writeln!(s, " <<'{d}'");
    s.push_str(run);
    if !run.is_empty() && !run.ends_with('\n') {
        s.push('\n');
    }
    s.push_str(&d);
    s.push('\n');
}
