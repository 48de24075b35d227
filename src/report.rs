//! What `runbook check` prints: the diagnostics as text (`file:line: severity: message`, a
//! finding with its code and the other place), as JSON lines for editors and tools (schema:
//! `docs/check.schema.json`), or as GitHub workflow annotations.

use runbook_core::diag::{Diagnostic, Severity};
use runbook_core::source::Compiled;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The output formats of `runbook check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line: severity[CODE]: message (see file:line)`, then a summary line.
    Text,
    /// One JSON object per line (`docs/check.schema.json`).
    Json,
    /// GitHub workflow commands (`::warning file=…,line=…::message`).
    Github,
}

/// A place in the guide, as the JSON output gives it.
#[derive(Serialize)]
struct Place {
    file: String,
    line: usize,
}

/// One line of the JSON output.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    line: usize,
    end_line: usize,
    severity: &'a str,
    code: Option<&'a str>,
    message: &'a str,
    related: Vec<Place>,
    steps: &'a [String],
}

/// The folder the chapters' paths are relative to, as reached from the working directory.
fn root_of(guide: &Path) -> PathBuf {
    if guide.is_dir() {
        guide.to_path_buf()
    } else {
        guide.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// A chapter's path from the working directory, with `/` separators.
fn path_of(root: &Path, file: &str) -> String {
    root.join(file).to_string_lossy().replace('\\', "/")
}

/// The diagnostics of `c` in `format`; `guide` is the path given to `--guide`.
pub fn check(c: &Compiled, guide: &Path, format: Format) -> String {
    let root = root_of(guide);
    let mut out = String::new();
    for d in c.diagnostics.sorted() {
        match format {
            Format::Text => {
                let _ = writeln!(out, "{d}");
            }
            Format::Json => {
                let _ = writeln!(out, "{}", json(&root, &d));
            }
            Format::Github => {
                let _ = writeln!(out, "{}", github(&root, &d));
            }
        }
    }
    out
}

/// The summary line: errors, warnings, steps, nodes, then the doctor's findings.
pub fn summary(c: &Compiled) -> String {
    format!(
        "{} error(s), {} warning(s); {} steps, {} node(s); {} finding(s) of the guide doctor",
        c.diagnostics.errors(),
        c.diagnostics.warnings(),
        c.plan.steps.len(),
        c.plan.nodes.len(),
        c.diagnostics.findings().count()
    )
}

fn json(root: &Path, d: &Diagnostic) -> String {
    let j = JsonDiagnostic {
        file: path_of(root, &d.source.file),
        line: d.source.line,
        end_line: d.last_line(),
        severity: d.severity.as_str(),
        code: d.code,
        message: &d.message,
        related: d
            .related
            .iter()
            .map(|r| Place {
                file: path_of(root, &r.file),
                line: r.line,
            })
            .collect(),
        steps: &d.steps,
    };
    serde_json::to_string(&j).unwrap_or_default()
}

/// A workflow command's data, escaped.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, escaped.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(root: &Path, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = format!(
        "file={},line={},endLine={}",
        escape_property(&path_of(root, &d.source.file)),
        d.source.line,
        d.last_line()
    );
    if let Some(code) = d.code {
        let name = runbook_compile::doctor::check_of(code).map_or("", |c| c.name);
        let _ = write!(
            props,
            ",title={}",
            escape_property(&format!("{code} {name}"))
        );
    }
    let mut message = d.message.clone();
    if !d.related.is_empty() {
        let places: Vec<String> = d
            .related
            .iter()
            .map(|r| format!("{}:{}", path_of(root, &r.file), r.line))
            .collect();
        let _ = write!(message, " (see {})", places.join(", "));
    }
    format!("::{level} {props}::{}", escape_data(&message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use runbook_core::model::Source;

    fn finding() -> Diagnostic {
        let at = |line| Source {
            file: "02-환경.md".into(),
            line,
        };
        let mut d = Diagnostic::new(Severity::Warning, at(12), "a, b: 100%\nnext");
        d.code = Some("RB003");
        d.end_line = Some(14);
        d.related = vec![at(4)];
        d.steps = vec!["aaaa".into(), "bbbb".into()];
        d
    }

    #[test]
    fn github_annotations_escape_their_text() {
        let line = github(Path::new("guide"), &finding());
        assert_eq!(
            line,
            "::warning file=guide/02-환경.md,line=12,endLine=14,title=RB003 service-not-installed::a, b: 100%25%0Anext (see guide/02-환경.md:4)"
        );
    }

    #[test]
    fn json_lines_carry_both_places() {
        let v: serde_json::Value = serde_json::from_str(&json(Path::new("g"), &finding())).unwrap();
        assert_eq!(v["file"], "g/02-환경.md");
        assert_eq!(v["end_line"], 14);
        assert_eq!(v["code"], "RB003");
        assert_eq!(v["related"][0]["line"], 4);
        assert_eq!(v["steps"][1], "bbbb");
        let plain = Diagnostic::new(
            Severity::Note,
            Source {
                file: "a.md".into(),
                line: 3,
            },
            "x",
        );
        let v: serde_json::Value = serde_json::from_str(&json(Path::new("g"), &plain)).unwrap();
        assert!(v["code"].is_null());
        assert_eq!(v["end_line"], 3);
    }
}
