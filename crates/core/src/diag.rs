//! Diagnostics about the guide: every one names file:line.

use crate::model::Source;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub source: Source,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {}: {}", self.source, sev, self.message)
    }
}

/// Collected diagnostics, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, severity: Severity, source: Source, message: impl Into<String>) {
        let d = Diagnostic {
            severity,
            source,
            message: message.into(),
        };
        if !self.items.contains(&d) {
            self.items.push(d);
        }
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
            self.push(d.severity, d.source, d.message);
        }
    }
    /// Sorted by file and line, for stable output.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| a.source.cmp(&b.source).then(b.severity.cmp(&a.severity)));
        v
    }
}
