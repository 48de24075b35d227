//! The compiler: load → parse → extract → plan → fleet → check → doctor, from a guide on disk to
//! the [`Compiled`] guide every renderer consumes.

pub mod check;
pub mod doctor;
pub mod extract;
pub mod facts;
pub mod fleet;
pub mod load;
pub mod parse;
pub mod plan;
pub mod runtext;

use parse::Doc;
use rayon::prelude::*;
use runbook_core::source::Compiled;
use runbook_core::timings::Laps;
use std::path::Path;

/// Compile the guide at `guide_path` (a folder of `.md` files or one file). Only reading the
/// guide can fail; what the guide says is reported in the diagnostics.
pub fn compile(guide_path: &Path) -> Result<Compiled, load::LoadError> {
    let laps = Laps::new("compile");
    let guide = load::load(guide_path)?;
    laps.lap("load");
    let docs: Vec<Doc> = guide
        .chapters
        .par_iter()
        .map(|c| parse::parse(&c.rel, &c.text))
        .collect();
    laps.lap("parse");
    let mut diagnostics = guide.diagnostics.clone();
    let extracted = extract::extract(&guide, &docs);
    laps.lap("extract");
    diagnostics.extend(extracted.diagnostics.clone());
    let mut plan = plan::plan(&guide, extracted);
    fleet::apply(&mut plan, &guide.config);
    facts::fill(&mut plan, &guide);
    laps.lap("plan");
    check::check(&guide, &docs, &plan, &mut diagnostics);
    laps.lap("check");
    doctor::doctor(&guide, &docs, &plan, &mut diagnostics);
    laps.lap("doctor");
    Ok(Compiled {
        guide,
        plan,
        diagnostics,
    })
}
