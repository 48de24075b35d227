//! The guide doctor: cross-reads the whole plan for the author's mistakes that a reader
//! following the guide by hand only meets at run time — a placeholder spelt two ways, a
//! password that differs between where it is set and where it is used, a service or a
//! configuration file on a node that never installed its package, a file read before it is
//! written, a host name nothing defines, a step waiting on another node's later work, text bash
//! cannot parse, a step written twice.
//!
//! Each check is a module of its own and reports [`Finding`]s with a stable code (the
//! [`CHECKS`] table, also in the README); every finding names the step it is about and the
//! other place involved, so `runbook check` and the site can show both ends.
//!
//! Only the selected steps are read (what the runbooks run), in guide order, which is also the
//! order of the phases; the syntax check reads every command step.

pub mod commands;
mod config_order;
mod credentials;
mod files;
mod hosts;
mod paths;
mod phase_order;
mod repeats;
mod scan;
mod services;
pub mod software;
mod spelling;
mod supply;
mod syntax;

use crate::parse::Doc;
use commands::Simple;
use rayon::prelude::*;
use runbook_core::diag::{Diagnostic, Diagnostics, Severity};
use runbook_core::model::{Kind, Plan, Source, Step};
use runbook_core::source::Guide;

/// One check of the doctor: its stable code, its name, its severity and what it finds.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub finds: &'static str,
    /// A short Korean title for the site's "가이드 점검" page.
    pub title_ko: &'static str,
}

/// Every check, by code. Codes are never reused or renumbered.
pub const CHECKS: &[Check] = &[
    Check {
        code: "RB001",
        name: "placeholder-spelling",
        severity: Severity::Warning,
        finds: "a placeholder spelt two ways: two names one edit apart (ignoring `_`), one of them used by a single step",
        title_ko: "자리표시자 철자가 두 가지",
    },
    Check {
        code: "RB002",
        name: "credential-mismatch",
        severity: Severity::Warning,
        finds: "one account given different passwords: where it is created (`rabbitmqctl add_user`, `GRANT … IDENTIFIED BY`, `CREATE USER`, `openstack user create --password`, `keystone-manage bootstrap`) and where it is used (`transport_url`, `connection = …`, `username`/`password` settings, `OS_PASSWORD`)",
        title_ko: "같은 계정에 다른 비밀번호",
    },
    Check {
        code: "RB003",
        name: "service-not-installed",
        severity: Severity::Warning,
        finds: "a service enabled, started or restarted on a node where no earlier step installs it, while the guide installs it elsewhere or later",
        title_ko: "설치하지 않은 서비스 시작",
    },
    Check {
        code: "RB004",
        name: "config-before-package",
        severity: Severity::Warning,
        finds: "a configuration file under /etc edited on a node before, or without, the step that installs its package there",
        title_ko: "패키지 설치 전 설정 파일 수정",
    },
    Check {
        code: "RB005",
        name: "file-before-created",
        severity: Severity::Warning,
        finds: "a file sourced, read, copied or linked on a node before any step creates it there, while a step creates it elsewhere or later",
        title_ko: "만들기 전에 읽는 파일",
    },
    Check {
        code: "RB006",
        name: "undefined-host",
        severity: Severity::Warning,
        finds: "a host name used in a command or a value that no /etc/hosts step, host table or runbook.toml defines",
        title_ko: "정의되지 않은 호스트 이름",
    },
    Check {
        code: "RB007",
        name: "phase-order",
        severity: Severity::Warning,
        finds: "a step that needs another node's work (a file copied from it, a cluster it joins) scheduled before that work",
        title_ko: "다른 노드의 작업보다 먼저 실행",
    },
    Check {
        code: "RB008",
        name: "shell-syntax",
        severity: Severity::Warning,
        finds: "a command step whose text `bash -n` rejects",
        title_ko: "bash 문법 오류",
    },
    Check {
        code: "RB009",
        name: "repeated-step",
        severity: Severity::Note,
        finds: "the same step twice in a row on the same node",
        title_ko: "같은 단계 반복",
    },
];

/// The check with `code`.
pub fn check_of(code: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.code == code)
}

/// What the checks read: the selected steps in guide order with their simple commands.
pub(crate) struct Ctx<'p> {
    pub plan: &'p Plan,
    pub guide: &'p Guide,
    pub docs: &'p [Doc],
    pub steps: Vec<&'p Step>,
    /// The simple commands of each step of `steps` (none for file edits and SQL).
    pub cmds: Vec<Vec<Simple>>,
    /// What each step writes: a file's content, lines, settings as `key = value` lines.
    pub written: Vec<String>,
    /// What each step installs.
    pub inst: Vec<software::Installed>,
    /// Each step's commands other than service control, lower-cased: what a step fetches or
    /// builds is named there (`curl https://get.docker.com | sh`).
    pub fetch_text: Vec<String>,
    /// The first step that may change each node from afar (`ansible-playbook`, `ssh HOST
    /// CMD`): what the node has after it is unknown.
    pub reach: Vec<(String, usize)>,
}

impl<'p> Ctx<'p> {
    pub fn new(guide: &'p Guide, docs: &'p [Doc], plan: &'p Plan) -> Ctx<'p> {
        let steps: Vec<&Step> = plan.steps.iter().filter(|s| s.selected()).collect();
        let cmds: Vec<Vec<Simple>> = steps.par_iter().map(|s| step_commands(s)).collect();
        let inst = steps
            .par_iter()
            .zip(&cmds)
            .map(|(s, c)| software::installed(s, c))
            .collect();
        let fetch_text = cmds.par_iter().map(|c| fetch_text(c)).collect();
        let written = steps.par_iter().map(|s| written(s)).collect();
        let mut ctx = Ctx {
            plan,
            guide,
            docs,
            steps,
            cmds,
            written,
            inst,
            fetch_text,
            reach: Vec::new(),
        };
        for (i, c) in ctx.cmds.iter().enumerate() {
            for n in hosts::reach(&ctx, c) {
                if !ctx.reach.iter().any(|(x, _)| *x == n) {
                    ctx.reach.push((n, i));
                }
            }
        }
        ctx
    }

    /// Whether a step before `i` may have changed `node` from afar.
    pub fn reached(&self, i: usize, node: &str) -> bool {
        self.reach.iter().any(|(n, j)| n == node && *j < i)
    }

    /// Whether step `i` runs on `node`.
    pub fn on(&self, i: usize, node: &str) -> bool {
        self.steps[i].nodes.iter().any(|n| n == node)
    }
}

/// What a step writes: its content, its lines, its settings as `key = value` lines.
fn written(s: &Step) -> String {
    let mut t = String::new();
    if let Some(c) = s.action.content() {
        t.push_str(c);
        t.push('\n');
    }
    for l in s.action.lines() {
        t.push_str(l);
        t.push('\n');
    }
    for st in s.action.settings() {
        t.push_str(&st.key);
        t.push_str(" = ");
        t.push_str(&st.value);
        t.push('\n');
    }
    t
}

/// The words of a step's commands other than service control, lower-cased.
fn fetch_text(cmds: &[Simple]) -> String {
    let mut t = String::new();
    for c in cmds
        .iter()
        .filter(|c| !matches!(c.name.as_str(), "systemctl" | "service" | "journalctl"))
    {
        t.push_str(&c.name);
        for a in &c.args {
            t.push(' ');
            t.push_str(a);
        }
        t.push('\n');
        t.push_str(&c.body);
        t.push('\n');
    }
    t.to_ascii_lowercase()
}

/// The simple commands of a step that runs shell text.
pub fn step_commands(s: &Step) -> Vec<Simple> {
    match s.kind() {
        Kind::Command | Kind::Verify => commands::simple(&s.run),
        _ => Vec::new(),
    }
}

/// A mistake found: the step it is about, the other places involved, and what is wrong.
pub(crate) struct Finding<'p> {
    pub code: &'static str,
    pub step: &'p Step,
    pub related: Vec<&'p Step>,
    /// Other places that are no step (a table row).
    pub places: Vec<Source>,
    pub message: String,
}

impl<'p> Finding<'p> {
    pub fn new(code: &'static str, step: &'p Step, message: impl Into<String>) -> Finding<'p> {
        Finding {
            code,
            step,
            related: Vec::new(),
            places: Vec::new(),
            message: message.into(),
        }
    }

    pub fn with(mut self, other: &'p Step) -> Finding<'p> {
        if !std::ptr::eq(other, self.step) && !self.related.iter().any(|r| std::ptr::eq(*r, other))
        {
            self.related.push(other);
        }
        self
    }

    pub fn diagnostic(self) -> Diagnostic {
        let severity = check_of(self.code).map_or(Severity::Warning, |c| c.severity);
        let mut d = Diagnostic::new(severity, self.step.source.clone(), self.message);
        d.code = Some(self.code);
        if self.step.end_line > self.step.source.line {
            d.end_line = Some(self.step.end_line);
        }
        d.related = self.related.iter().map(|s| s.source.clone()).collect();
        d.related.extend(self.places);
        d.steps = std::iter::once(self.step)
            .chain(self.related.iter().copied())
            .map(|s| s.id.clone())
            .collect();
        d
    }
}

/// One check: reads the context, adds its findings.
type CheckFn = for<'a, 'p> fn(&'a Ctx<'p>, &mut Vec<Finding<'p>>);

/// The checks that read the plan, in the order their findings are listed.
const PLAN_CHECKS: &[(&str, CheckFn)] = &[
    ("spelling", spelling::check),
    ("credentials", credentials::check),
    ("services", services::check),
    ("config order", config_order::check),
    ("files", files::check),
    ("hosts", hosts::check),
    ("phase order", phase_order::check),
    ("repeats", repeats::check),
];

/// Run every check on the compiled plan and add the findings to `diags`.
pub fn doctor(guide: &Guide, docs: &[Doc], plan: &Plan, diags: &mut Diagnostics) {
    // bash parses in its own process meanwhile
    let laps = runbook_core::timings::Laps::new("doctor");
    let (syntax, found) = rayon::join(
        || laps.part("shell syntax", || syntax::check(&plan.steps)),
        || {
            let ctx = laps.part("read", || Ctx::new(guide, docs, plan));
            let found: Vec<Vec<Finding>> = PLAN_CHECKS
                .par_iter()
                .map(|(name, check)| {
                    laps.part(name, || {
                        let mut found = Vec::new();
                        check(&ctx, &mut found);
                        found
                    })
                })
                .collect();
            found
        },
    );
    for f in found.into_iter().flatten().chain(syntax) {
        diags.add(f.diagnostic());
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use runbook_core::model::{Action, Setting};

    /// A command step for tests (id, nodes, shell text).
    pub fn step(id: &str, nodes: &[&str], run: &str) -> Step {
        Step {
            id: id.into(),
            source: Source {
                file: "t.md".into(),
                line: 1,
            },
            section: Vec::new(),
            title: id.into(),
            nodes: nodes.iter().map(|n| n.to_string()).collect(),
            phase: 1,
            action: Action::Command,
            original: run.into(),
            run: run.into(),
            variables: Vec::new(),
            option: None,
            end_line: 1,
            anchor: String::new(),
            why: Vec::new(),
        }
    }

    /// An ini step for tests.
    pub fn ini(id: &str, nodes: &[&str], path: &str, settings: &[(&str, &str, &str)]) -> Step {
        let mut s = step(id, nodes, "");
        s.action = Action::Ini {
            path: path.into(),
            settings: settings
                .iter()
                .map(|(section, key, value)| Setting {
                    section: section.to_string(),
                    key: key.to_string(),
                    value: value.to_string(),
                })
                .collect(),
        };
        s
    }

    /// A plan of `steps` in order: lines, and phases as the planner makes them.
    pub fn plan(mut steps: Vec<Step>) -> Plan {
        let mut nodes: Vec<String> = Vec::new();
        let mut phase = 0;
        let mut prev: Option<Vec<String>> = None;
        for (i, s) in steps.iter_mut().enumerate() {
            s.source.line = i * 10 + 1;
            s.end_line = i * 10 + 3;
            if prev.as_ref() != Some(&s.nodes) {
                phase += 1;
            }
            s.phase = phase;
            prev = Some(s.nodes.clone());
            for n in &s.nodes {
                if !nodes.contains(n) {
                    nodes.push(n.clone());
                }
            }
        }
        Plan {
            version: 1,
            title: String::new(),
            nodes,
            variables: Vec::new(),
            phases: phase,
            steps,
            hosts: Vec::new(),
            networks: Vec::new(),
            options: Vec::new(),
            software: Vec::new(),
        }
    }

    /// The codes and lines the checks find in `plan`.
    pub fn found(plan: &Plan) -> Vec<(String, usize, Vec<usize>)> {
        let guide = Guide {
            root: std::path::PathBuf::from("."),
            chapters: Vec::new(),
            config: Default::default(),
            diagnostics: Diagnostics::default(),
        };
        let mut d = Diagnostics::default();
        doctor(&guide, &[], plan, &mut d);
        d.findings()
            .map(|f| {
                (
                    f.code.unwrap_or("").to_string(),
                    f.source.line,
                    f.related.iter().map(|r| r.line).collect(),
                )
            })
            .collect()
    }
}
