//! Orchestration: compile a guide, write every output atomically.

use crate::diag::Diagnostics;
use crate::load::Guide;
use crate::model::Plan;
use crate::parse::Doc;
use anyhow::Result;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Everything the renderers consume.
pub struct Compiled {
    pub guide: Guide,
    pub docs: Vec<Doc>,
    pub plan: Plan,
    pub diagnostics: Diagnostics,
}

/// load → parse → extract → plan.
pub fn compile(guide_path: &Path) -> Result<Compiled> {
    let laps = crate::timings::Laps::new("compile");
    let guide = crate::load::load(guide_path)?;
    laps.lap("load");
    let docs: Vec<Doc> = guide
        .chapters
        .par_iter()
        .map(|c| crate::parse::parse(&c.rel, &c.text))
        .collect();
    laps.lap("parse");
    let mut diagnostics = guide.diagnostics.clone();
    let extracted = crate::extract::extract(&guide, &docs);
    laps.lap("extract");
    diagnostics.extend(extracted.diagnostics.clone());
    let mut plan = crate::plan::plan(&guide, extracted, &mut diagnostics);
    crate::fleet::apply(&mut plan, &guide.config);
    laps.lap("plan");
    crate::check::check(&guide, &docs, &plan, &mut diagnostics);
    laps.lap("check");
    Ok(Compiled {
        guide,
        docs,
        plan,
        diagnostics,
    })
}

/// Options of `runbook build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub theme: Option<PathBuf>,
}

/// A file to write, relative to the output folder.
#[derive(Clone)]
pub struct OutFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub executable: bool,
}

/// Where renderers hand their files, from any thread, as soon as each is ready (lent: the same
/// bytes can be handed again under another path without a copy).
pub type Emit<'a> = dyn Fn(&OutFile) -> Result<()> + Sync + 'a;

/// Render every output of a compiled guide, handing each file to `emit` as soon as it is
/// rendered (so a build writes while it renders and never holds the whole output in memory).
pub fn render_into(c: &Compiled, opts: &BuildOptions, emit: &Emit) -> Result<()> {
    // the site beside the runbooks and the small renderers; the site gets copies of the runbooks
    let laps = crate::timings::Laps::new("render");
    let (site, others) = rayon::join(
        || crate::render::site::render_into(c, opts.theme.as_deref(), Some(&[]), emit),
        || -> Result<()> {
            laps.part("runbooks", || {
                // each runbook goes out twice: itself, and the site's copy for download
                crate::render::runbook::render_all(&c.plan)
                    .into_iter()
                    .try_for_each(|mut f| {
                        emit(&f)?;
                        f.path = PathBuf::from("site").join(&f.path);
                        f.executable = true;
                        emit(&f)
                    })
            })?;
            laps.part("plan.json", || {
                emit(&OutFile {
                    path: PathBuf::from("plan.json"),
                    bytes: crate::render::plan_json::render(&c.plan),
                    executable: false,
                })
            })?;
            laps.part("ansible", || {
                crate::render::ansible::render(&c.plan)
                    .iter()
                    .try_for_each(emit)
            })
        },
    );
    laps.lap("all");
    site?;
    others
}

/// Render every output of a compiled guide into memory, ordered by path.
pub fn render_all(c: &Compiled, opts: &BuildOptions) -> Result<Vec<OutFile>> {
    collect(|emit| render_into(c, opts, emit))
}

/// The files a renderer emits, gathered in memory and ordered by path.
pub fn collect(render: impl FnOnce(&Emit) -> Result<()>) -> Result<Vec<OutFile>> {
    let files = std::sync::Mutex::new(Vec::new());
    render(&|f| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f.clone());
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Compile-and-write for `runbook build` and `runbook serve`: render straight into a new
/// generation of `out` and swap it in; a failure leaves `out` as it was.
pub fn build_into(c: &Compiled, opts: &BuildOptions, out: &Path) -> Result<usize> {
    let dir = crate::outdir::OutDir::begin(out)?;
    let t0 = std::time::Instant::now();
    render_into(c, opts, &|f| dir.put(f))?;
    let n = dir.count();
    let recycled = dir.recycled();
    let rendered = t0.elapsed();
    dir.commit()?;
    if crate::timings::enabled() {
        eprintln!(
            "write: {n} files, rendered and written in {:.0} ms, swapped in {:.0} ms ({})",
            rendered.as_secs_f64() * 1000.0,
            (t0.elapsed() - rendered).as_secs_f64() * 1000.0,
            if recycled {
                "rewritten in place"
            } else {
                "new"
            }
        );
    }
    Ok(n)
}

/// Refuse an output folder that is not ours to replace: a regular file, the guide or a folder
/// holding it, or a non-empty folder without a previous build's `plan.json`.
pub fn check_out(guide: &Path, out: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(()); // does not exist yet
    };
    if !meta.is_dir() {
        anyhow::bail!(
            "--out {}: exists and is not a folder; refusing to replace it",
            out.display()
        );
    }
    let (Ok(o), Ok(g)) = (out.canonicalize(), guide.canonicalize()) else {
        return Ok(());
    };
    if g.starts_with(&o) {
        anyhow::bail!(
            "--out {}: holds the guide {}; refusing to replace it",
            out.display(),
            guide.display()
        );
    }
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if !empty && !out.join("plan.json").is_file() {
        anyhow::bail!(
            "--out {}: not empty and not a previous runbook build (no plan.json); refusing to replace it",
            out.display()
        );
    }
    Ok(())
}

/// Write the outputs into a temporary folder beside `out`, then replace `out` with it
/// (see [`crate::outdir`]).
pub fn write_atomically(out: &Path, files: &[OutFile]) -> Result<()> {
    let dir = crate::outdir::OutDir::begin(out)?;
    files.par_iter().try_for_each(|f| dir.put(f))?;
    dir.commit()
}
