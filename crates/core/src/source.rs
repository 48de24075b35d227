//! The guide as loaded (its chapters' text, in order, and its config), and the compiled guide
//! every renderer receives.

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::model::Plan;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Chapter {
    /// Path relative to the guide root with `/` separators (the file name for a one-file guide).
    pub rel: String,
    /// Decoded text: UTF-8, no BOM, `\n` line ends.
    pub text: String,
    /// The site page of the chapter, e.g. `01-intro.html`.
    pub page: String,
}

#[derive(Debug, Clone)]
pub struct Guide {
    /// Folder holding the chapters (and images).
    pub root: PathBuf,
    pub chapters: Vec<Chapter>,
    pub config: Config,
    pub diagnostics: Diagnostics,
}

/// A compiled guide: its sources, the plan, and what the compiler noticed about it.
pub struct Compiled {
    pub guide: Guide,
    pub plan: Plan,
    pub diagnostics: Diagnostics,
}
