//! `site/`: the static documentation site.

use crate::build::{Compiled, OutFile};
use anyhow::Result;
use std::path::Path;

pub fn render(c: &Compiled, theme: Option<&Path>) -> Result<Vec<OutFile>> {
    let _ = (c, theme);
    Ok(Vec::new())
}
