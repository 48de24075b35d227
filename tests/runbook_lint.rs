//! Every emitted runbook passes `bash -n` and Debian's shellcheck at its default severity: for
//! the fixture plans, a hostile plan, the bundled guide and every guide of `../shared/corpus/`.
//! Rendering is deterministic (byte-identical twice).

mod runbook_support;

use runbook_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn lint(script: &Path) -> Result<(), String> {
    let o = Command::new("bash").arg("-n").arg(script).output().unwrap();
    if !o.status.success() {
        return Err(format!("bash -n {}: {}", script.display(), text(&o)));
    }
    Ok(())
}

fn shellcheck(scripts: &[PathBuf]) -> Result<(), String> {
    if scripts.is_empty() {
        return Ok(());
    }
    let o = Command::new("shellcheck")
        .arg("--shell=bash")
        .args(scripts)
        .output()
        .unwrap();
    if !o.status.success() {
        let mut s = text(&o);
        s.truncate(20000);
        return Err(format!("shellcheck: {s}"));
    }
    Ok(())
}

fn check_plan(plan: &runbook::model::Plan, name: &str) -> Vec<PathBuf> {
    let dir = scratch(&format!("lint-{name}"));
    let a = runbook::render::runbook::render_all(plan);
    let b = runbook::render::runbook::render_all(plan);
    for (x, y) in a.iter().zip(b.iter()) {
        assert_eq!(x.bytes, y.bytes, "{name}: rendering is not deterministic");
    }
    let files = render_into(plan, &dir);
    let mut paths = Vec::new();
    for (_, p) in files {
        if let Err(e) = lint(&p) {
            panic!("{name}: {e}");
        }
        paths.push(p);
    }
    paths
}

#[test]
fn fixture_and_hostile_plans_lint_clean() {
    let mut all = Vec::new();
    for name in ["basic", "hostile"] {
        let plan = fixture_plan(name);
        all.extend(check_plan(&plan, name));
    }
    if have_tool("shellcheck", "runbook lint") {
        if let Err(e) = shellcheck(&all) {
            panic!("{e}");
        }
    }
}

#[test]
fn bundled_guide_and_corpus_lint_clean() {
    let mut guides: Vec<PathBuf> = vec![root().join("guide")];
    let corpus = root().join("../shared/corpus");
    if let Ok(rd) = std::fs::read_dir(&corpus) {
        let mut v: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && p.file_name().is_some_and(|n| n != "README.md")
            })
            .collect();
        v.sort();
        guides.extend(v);
    } else if in_ci() {
        panic!("no corpus at {}", corpus.display());
    }
    let sc = have_tool("shellcheck", "runbook lint");
    let mut failures = Vec::new();
    let mut scripts = 0;
    for g in &guides {
        let name = g.file_stem().unwrap().to_string_lossy().into_owned();
        let c = match runbook::compile(g) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{}: compile: {e:#}", g.display()));
                continue;
            }
        };
        let paths = check_plan(&c.plan, &name);
        scripts += paths.len();
        if sc {
            if let Err(e) = shellcheck(&paths) {
                failures.push(format!("{}: {e}", g.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("linted {scripts} runbooks of {} guides", guides.len());
}
