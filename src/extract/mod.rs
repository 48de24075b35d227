//! Extract stage: steps, nodes, variables and networks from the parsed chapters.

use crate::diag::Diagnostics;
use crate::load::Guide;
use crate::model::{Network, Step, Variable};
use crate::parse::Doc;

/// What extraction finds; the plan stage adds ids, phases and anchors.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub title: String,
    pub nodes: Vec<String>,
    pub steps: Vec<Step>,
    pub variables: Vec<Variable>,
    pub networks: Vec<Network>,
    pub diagnostics: Diagnostics,
}

pub mod nodes;
pub mod prompt;
pub mod shell;
pub mod vars;

pub fn extract(guide: &Guide, docs: &[Doc]) -> Extracted {
    let _ = (guide, docs);
    Extracted::default()
}
