//! Render stage: every output is a [`Renderer`] of the same compiled guide (its sources and the
//! plain serde [`Plan`](runbook_core::model::Plan)), handing its files to an emitter as soon as
//! each is ready.

pub mod ansible;
pub mod plan_json;
pub mod runbook;
pub mod site;

use anyhow::Result;
use runbook_core::output::{collect, Emit, OutFile};
use runbook_core::source::Compiled;
use runbook_core::timings::Laps;
use std::path::PathBuf;

/// One output of a build.
pub trait Renderer: Sync {
    /// Its name, for timings.
    fn name(&self) -> &'static str;
    /// Render `c`, handing every file to `emit` (paths relative to the output folder).
    fn render(&self, c: &Compiled, emit: &Emit) -> Result<()>;
}

/// What the renderers may be told.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A theme folder overriding the default site theme file by file.
    pub theme: Option<PathBuf>,
}

/// Every output of a build: the site, then the small ones, which run beside it.
pub fn renderers(opts: &Options) -> Vec<Box<dyn Renderer>> {
    vec![
        Box::new(site::Site {
            theme: opts.theme.clone(),
        }),
        Box::new(runbook::Runbooks),
        Box::new(plan_json::PlanJson),
        Box::new(ansible::Ansible),
    ]
}

/// Render every output of `c`, handing each file to `emit` as soon as it is rendered (a build
/// writes while it renders and never holds the whole output in memory). The site, the largest,
/// runs beside the others, which run one after the other.
pub fn render_into(c: &Compiled, opts: &Options, emit: &Emit) -> Result<()> {
    let laps = Laps::new("render");
    let all = renderers(opts);
    let Some((first, rest)) = all.split_first() else {
        return Ok(());
    };
    let (a, b) = rayon::join(
        || laps.part(first.name(), || first.render(c, emit)),
        || {
            rest.iter()
                .try_for_each(|r| laps.part(r.name(), || r.render(c, emit)))
        },
    );
    laps.lap("all");
    a?;
    b
}

/// Every output of `c`, in memory and ordered by path.
pub fn render_all(c: &Compiled, opts: &Options) -> Result<Vec<OutFile>> {
    collect(|emit| render_into(c, opts, emit))
}
