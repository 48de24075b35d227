//! Diagnostics about the guide: every one names file:line.
//!
//! The compiler's own diagnostics carry a place and a message. The guide doctor's findings also
//! carry a stable code (`RB003`), the other place(s) involved and the ids of the steps concerned,
//! so that `runbook check`, editors, CI and the site can show both ends of a mistake.

use crate::model::Source;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub source: Source,
    pub message: String,
    /// The stable code of a guide-doctor finding (`RB003`, listed in the README); none for the
    /// compiler's own diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// The last line (inclusive) of the place, when it spans several lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    /// The other places involved (where the credential is defined, where the package is
    /// installed, ...), most telling first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Source>,
    /// Ids of the steps concerned: the step at `source` first, then the steps at `related`
    /// (a related place that is no step, such as a table, has no id here).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with a place and a message only.
    pub fn new(severity: Severity, source: Source, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            source,
            message: message.into(),
            code: None,
            end_line: None,
            related: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// The last line of the place (the first when it spans one line).
    pub fn last_line(&self) -> usize {
        self.end_line
            .unwrap_or(self.source.line)
            .max(self.source.line)
    }
}

impl std::fmt::Display for Diagnostic {
    /// `file:line: severity: message`, and for a finding
    /// `file:line: warning[RB012]: message (see file:line)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = self.severity.as_str();
        match self.code {
            Some(code) => write!(f, "{}: {sev}[{code}]: {}", self.source, self.message)?,
            None => write!(f, "{}: {sev}: {}", self.source, self.message)?,
        }
        if !self.related.is_empty() {
            let places: Vec<String> = self.related.iter().map(|s| s.to_string()).collect();
            write!(f, " (see {})", places.join(", "))?;
        }
        Ok(())
    }
}

/// Collected diagnostics, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Add a diagnostic unless the same one is already there.
    pub fn add(&mut self, d: Diagnostic) {
        if !self.items.contains(&d) {
            self.items.push(d);
        }
    }
    pub fn push(&mut self, severity: Severity, source: Source, message: impl Into<String>) {
        self.add(Diagnostic::new(severity, source, message))
    }
    pub fn note(&mut self, source: Source, message: impl Into<String>) {
        self.push(Severity::Note, source, message)
    }
    pub fn warn(&mut self, source: Source, message: impl Into<String>) {
        self.push(Severity::Warning, source, message)
    }
    pub fn error(&mut self, source: Source, message: impl Into<String>) {
        self.push(Severity::Error, source, message)
    }
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }
    fn count(&self, s: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == s).count()
    }
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.add(d);
        }
    }
    /// The guide doctor's findings (diagnostics with a code), in the order found.
    pub fn findings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.code.is_some())
    }
    /// The findings that concern the step `id` (at their place or at a related one): what a
    /// step card shows.
    pub fn findings_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Diagnostic> {
        self.findings()
            .filter(move |d| d.steps.iter().any(|s| s == id))
    }
    /// Sorted by file and line, for stable output.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| {
            a.source
                .cmp(&b.source)
                .then(b.severity.cmp(&a.severity))
                .then(a.code.cmp(&b.code))
        });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize) -> Source {
        Source {
            file: "a.md".into(),
            line,
        }
    }

    #[test]
    fn plain_diagnostics_keep_their_text() {
        let d = Diagnostic::new(Severity::Warning, at(3), "image \"x.png\" not found");
        assert_eq!(d.to_string(), "a.md:3: warning: image \"x.png\" not found");
        let json = serde_json::to_string(&d).unwrap();
        assert!(
            !json.contains("code") && !json.contains("related"),
            "{json}"
        );
    }

    #[test]
    fn findings_name_their_code_and_the_other_place() {
        let mut d = Diagnostic::new(Severity::Warning, at(12), "service x is not installed");
        d.code = Some("RB003");
        d.related = vec![at(4), at(9)];
        assert_eq!(
            d.to_string(),
            "a.md:12: warning[RB003]: service x is not installed (see a.md:4, a.md:9)"
        );
        let mut ds = Diagnostics::default();
        ds.add(d.clone());
        ds.add(d);
        ds.warn(at(1), "plain");
        assert_eq!(ds.items.len(), 2);
        assert_eq!(ds.findings().count(), 1);
        ds.items[0].steps = vec!["s1".into(), "s2".into()];
        assert_eq!(ds.findings_of("s2").count(), 1);
        assert_eq!(ds.findings_of("s3").count(), 0);
    }
}
