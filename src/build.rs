//! The one build path, for `runbook build` and `runbook serve`: compile the guide, refuse it
//! when it has errors, and render every output straight into a new generation of the output
//! folder, which replaces the old one only when everything is written.

use anyhow::{bail, Context, Result};
use runbook_core::diag::Severity;
use runbook_core::output::{self, OutDir, OutFile};
use runbook_core::source::Compiled;
use runbook_core::timings;
use std::path::Path;

pub use runbook_render::{render_all, Options as BuildOptions};

/// What a build wrote.
pub struct Built {
    pub compiled: Compiled,
    /// Files written.
    pub files: usize,
}

/// Compile `guide` and write every output into `out`. Warnings and errors about the guide go to
/// stderr; with an error in the guide nothing is written. `out` must be absent, empty or a
/// previous build, and must not hold the guide.
pub fn build(guide: &Path, out: &Path, opts: &BuildOptions) -> Result<Built> {
    // refused before any work; writing checks again when it starts
    output::check_owned(out, Some(guide))?;
    let compiled = runbook_compile::compile(guide)?;
    for d in compiled.diagnostics.sorted() {
        if d.severity >= Severity::Warning {
            eprintln!("{d}");
        }
    }
    if compiled.diagnostics.errors() > 0 {
        bail!(
            "{} error(s) in the guide; nothing written",
            compiled.diagnostics.errors()
        );
    }
    let files =
        write(&compiled, opts, out, guide).with_context(|| format!("writing {}", out.display()))?;
    Ok(Built { compiled, files })
}

/// Render `c` straight into a new generation of `out` and swap it in; a failure leaves `out` as
/// it was.
fn write(c: &Compiled, opts: &BuildOptions, out: &Path, guide: &Path) -> Result<usize> {
    let dir = OutDir::begin(out, Some(guide))?;
    let t0 = std::time::Instant::now();
    runbook_render::render_into(c, opts, &|f| dir.put(f))?;
    let n = dir.count();
    let recycled = dir.recycled();
    let rendered = t0.elapsed();
    dir.commit()?;
    if timings::enabled() {
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

/// Write already rendered files into `out` the same way (a new generation, swapped in).
pub fn write_atomically(out: &Path, files: &[OutFile]) -> Result<()> {
    use rayon::prelude::*;
    let dir = OutDir::begin(out, None)?;
    files.par_iter().try_for_each(|f| dir.put(f))?;
    dir.commit()
}
