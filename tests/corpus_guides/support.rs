//! What a careful operator expects of a real guide, asked of its plan.
//!
//! Every helper reads the plan through its JSON contract (`plan.json`), so the tests hold the
//! contract, not the compiler's internal types, and every step is found by quoting the guide's own
//! text, never by line number: a test reads like the sentence an operator would say ("the line
//! `kubeadm init …` runs on the master only").
//!
//! The corpus is third-party data read in place from `../shared/corpus/`; when it is absent and
//! `CI` is unset the tests print one line and pass.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A compiled corpus guide, seen through its `plan.json`.
pub struct Guide {
    pub name: String,
    pub plan: Value,
}

/// The compiled guide `name` (a file in `../shared/corpus/`), or `None` (after one line saying
/// why) when the corpus is absent outside CI.
pub fn corpus(name: &str) -> Option<Guide> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("corpus");
    let path = dir.join(name);
    if !path.is_file() {
        assert!(!in_ci(), "CI: {} is missing", path.display());
        eprintln!("skipping: no corpus guide at {}", path.display());
        return None;
    }
    let compiled = match runbook::compile(&path) {
        Ok(c) => c,
        Err(e) => panic!("{name} does not compile: {e:#}"),
    };
    let plan = serde_json::to_value(&compiled.plan).expect("the plan serializes");
    Some(Guide {
        name: name.to_string(),
        plan,
    })
}

/// Load a corpus guide or return from the test (skip) when the corpus is absent outside CI.
macro_rules! guide {
    ($name:expr) => {
        match $crate::support::corpus($name) {
            Some(g) => g,
            None => return,
        }
    };
}

/// One step of the plan.
#[derive(Clone, Copy)]
pub struct Step<'a> {
    pub v: &'a Value,
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

impl<'a> Step<'a> {
    pub fn kind(&self) -> &'a str {
        s(self.v, "kind")
    }
    pub fn original(&self) -> &'a str {
        s(self.v, "original")
    }
    pub fn run(&self) -> &'a str {
        s(self.v, "run")
    }
    pub fn path(&self) -> &'a str {
        s(self.v, "path")
    }
    pub fn content(&self) -> &'a str {
        s(self.v, "content")
    }
    pub fn title(&self) -> &'a str {
        s(self.v, "title")
    }
    pub fn line(&self) -> u64 {
        self.v["source"]["line"].as_u64().unwrap_or(0)
    }
    pub fn phase(&self) -> u64 {
        self.v["phase"].as_u64().unwrap_or(0)
    }
    pub fn nodes(&self) -> BTreeSet<&'a str> {
        self.v["nodes"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
    pub fn lines(&self) -> Vec<&'a str> {
        self.v["lines"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
    pub fn variables(&self) -> Vec<&'a str> {
        self.v["variables"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
    /// The value of `key` in ini section `section`, for an `ini` step.
    pub fn setting(&self, section: &str, key: &str) -> Option<&'a str> {
        self.v["settings"]
            .as_array()?
            .iter()
            .find_map(|x| (s(x, "section") == section && s(x, "key") == key).then(|| s(x, "value")))
    }
    /// In a runbook: not an unselected alternative.
    pub fn selected(&self) -> bool {
        self.v
            .get("option")
            .and_then(|o| o.get("selected"))
            .and_then(Value::as_bool)
            .unwrap_or(true)
    }
    /// Changes or checks the node unattended: selected and not `manual`.
    pub fn runs(&self) -> bool {
        self.selected() && self.kind() != "manual"
    }
    pub fn describe(&self) -> String {
        let run: String = self.run().chars().take(140).collect();
        format!(
            "line {} {} on {:?} path={:?} selected={} run={:?}",
            self.line(),
            self.kind(),
            self.nodes(),
            self.path(),
            self.selected(),
            run
        )
    }
}

impl Guide {
    pub fn steps(&self) -> Vec<Step<'_>> {
        self.plan["steps"]
            .as_array()
            .map(|a| a.iter().map(|v| Step { v }).collect())
            .unwrap_or_default()
    }

    /// The nodes of the plan.
    pub fn nodes(&self) -> BTreeSet<&str> {
        self.plan["nodes"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Every step whose guide text (`original`) holds `quote`.
    pub fn all(&self, quote: &str) -> Vec<Step<'_>> {
        self.steps()
            .into_iter()
            .filter(|s| s.original().contains(quote))
            .collect()
    }

    /// The first step whose guide text holds `quote`; panics with the steps that hold a part
    /// of it when there is none.
    pub fn step(&self, quote: &str) -> Step<'_> {
        if let Some(s) = self.all(quote).into_iter().next() {
            return s;
        }
        let word = quote.split_whitespace().next().unwrap_or(quote);
        let near: Vec<String> = self
            .steps()
            .into_iter()
            .filter(|s| s.original().contains(word))
            .map(|s| s.describe())
            .take(12)
            .collect();
        panic!(
            "{}: no step holds {quote:?}; steps holding {word:?}:\n{}",
            self.name,
            near.join("\n")
        )
    }

    /// Selected, unattended steps whose `run` holds `needle`.
    pub fn running(&self, needle: &str) -> Vec<Step<'_>> {
        self.steps()
            .into_iter()
            .filter(|s| s.runs() && s.run().contains(needle))
            .collect()
    }

    /// Nothing in any runbook runs `needle` unattended.
    pub fn never_runs(&self, needle: &str) {
        let hits: Vec<String> = self.running(needle).iter().map(|s| s.describe()).collect();
        assert!(
            hits.is_empty(),
            "{}: {needle:?} must not run unattended, but does in:\n{}",
            self.name,
            hits.join("\n")
        );
    }

    /// `needle` runs unattended on exactly `nodes` (the union over the steps that run it).
    pub fn runs_on(&self, needle: &str, nodes: &[&str]) {
        let hits = self.running(needle);
        assert!(
            !hits.is_empty(),
            "{}: nothing runs {needle:?}; steps holding it:\n{}",
            self.name,
            self.steps()
                .iter()
                .filter(|s| s.original().contains(needle) || s.run().contains(needle))
                .map(|s| s.describe())
                .collect::<Vec<_>>()
                .join("\n")
        );
        let got: BTreeSet<&str> = hits.iter().flat_map(|s| s.nodes()).collect();
        let want: BTreeSet<&str> = nodes.iter().copied().collect();
        assert_eq!(
            got,
            want,
            "{}: {needle:?} runs on the wrong nodes:\n{}",
            self.name,
            hits.iter()
                .map(|s| s.describe())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// The first step holding `a` comes before (a lower or equal phase, earlier in the guide)
    /// the first step holding `b`, and in a strictly lower phase when they run on other nodes.
    pub fn before(&self, a: &str, b: &str) {
        let (x, y) = (self.step(a), self.step(b));
        assert!(
            x.line() < y.line() && x.phase() <= y.phase(),
            "{}: {a:?} must come before {b:?}: {} / {}",
            self.name,
            x.describe(),
            y.describe()
        );
        if x.nodes() != y.nodes() {
            assert!(
                x.phase() < y.phase(),
                "{}: {a:?} ({:?}) must finish before {b:?} ({:?}) starts",
                self.name,
                x.nodes(),
                y.nodes()
            );
        }
    }

    /// A declared variable of the plan.
    pub fn variable(&self, name: &str) -> Option<&Value> {
        self.plan["variables"]
            .as_array()?
            .iter()
            .find(|v| s(v, "name") == name)
    }

    /// The variables' names.
    pub fn variable_names(&self) -> Vec<&str> {
        self.plan["variables"]
            .as_array()
            .map(|a| a.iter().map(|v| s(v, "name")).collect())
            .unwrap_or_default()
    }
}

/// Assertions on one step, each naming the guide and the step on failure.
pub trait Expect {
    fn on(self, nodes: &[&str]) -> Self;
    fn kind_is(self, kind: &str) -> Self;
    fn path_is(self, path: &str) -> Self;
    fn run_has(self, needle: &str) -> Self;
    fn run_lacks(self, needle: &str) -> Self;
    fn content_has(self, needle: &str) -> Self;
    fn has_line(self, line: &str) -> Self;
    fn ini(self, section: &str, key: &str, value: &str) -> Self;
    fn not_run(self) -> Self;
}

impl Expect for Step<'_> {
    fn on(self, nodes: &[&str]) -> Self {
        let want: BTreeSet<&str> = nodes.iter().copied().collect();
        assert_eq!(self.nodes(), want, "wrong nodes: {}", self.describe());
        self
    }
    fn kind_is(self, kind: &str) -> Self {
        assert_eq!(self.kind(), kind, "wrong kind: {}", self.describe());
        self
    }
    fn path_is(self, path: &str) -> Self {
        assert_eq!(self.path(), path, "wrong path: {}", self.describe());
        self
    }
    fn run_has(self, needle: &str) -> Self {
        assert!(
            self.run().contains(needle),
            "run lacks {needle:?}: {}\nrun:\n{}",
            self.describe(),
            self.run()
        );
        self
    }
    fn run_lacks(self, needle: &str) -> Self {
        assert!(
            !self.run().contains(needle),
            "run holds {needle:?}: {}\nrun:\n{}",
            self.describe(),
            self.run()
        );
        self
    }
    fn content_has(self, needle: &str) -> Self {
        assert!(
            self.content().contains(needle),
            "content lacks {needle:?}: {}\ncontent:\n{}",
            self.describe(),
            self.content()
        );
        self
    }
    fn has_line(self, line: &str) -> Self {
        assert!(
            self.lines().contains(&line),
            "lines lack {line:?}: {} lines={:?}",
            self.describe(),
            self.lines()
        );
        self
    }
    fn ini(self, section: &str, key: &str, value: &str) -> Self {
        assert_eq!(
            self.setting(section, key),
            Some(value),
            "[{section}] {key}: {}",
            self.describe()
        );
        self
    }
    fn not_run(self) -> Self {
        assert!(!self.runs(), "must not run unattended: {}", self.describe());
        self
    }
}
