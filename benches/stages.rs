//! Where a build's time goes, stage by stage.
//!
//! `RUNBOOK_STAGES_GUIDE=/tmp/runbook-bench/corpus-1000/src cargo bench --bench stages -- --nocapture`
//!
//! Runs load → parse → extract → plan → check → each renderer → atomic write, timing each stage
//! (best of `RUNBOOK_STAGES_RUNS`, default 3). Without `RUNBOOK_STAGES_GUIDE` it does nothing, so
//! `cargo bench` and `cargo clippy --all-targets` stay quick.

use rayon::prelude::*;
use std::path::PathBuf;

use std::time::{Duration, Instant};

// the allocator of the `runbook` binary
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn timed<T>(
    table: &mut Vec<(&'static str, Duration)>,
    name: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let t = Instant::now();
    let v = f();
    table.push((name, t.elapsed()));
    v
}

#[test]
fn stages() {
    let Some(guide) = std::env::var_os("RUNBOOK_STAGES_GUIDE").map(PathBuf::from) else {
        eprintln!("RUNBOOK_STAGES_GUIDE not set; nothing to time");
        return;
    };
    let runs: usize = std::env::var("RUNBOOK_STAGES_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let out = std::env::temp_dir().join(format!("runbook-stages-{}", std::process::id()));
    let mut best: Vec<(&'static str, Duration)> = Vec::new();
    for _ in 0..runs {
        let mut t: Vec<(&'static str, Duration)> = Vec::new();
        let all = Instant::now();
        let guide = timed(&mut t, "load", || {
            runbook::load::load(&guide).expect("load")
        });
        let docs: Vec<runbook::parse::Doc> = timed(&mut t, "parse", || {
            guide
                .chapters
                .par_iter()
                .map(|c| runbook::parse::parse(&c.rel, &c.text))
                .collect()
        });
        let mut diagnostics = guide.diagnostics.clone();
        let extracted = timed(&mut t, "extract", || {
            runbook::extract::extract(&guide, &docs)
        });
        diagnostics.extend(extracted.diagnostics.clone());
        let plan = timed(&mut t, "plan", || runbook::plan::plan(&guide, extracted));
        timed(&mut t, "check", || {
            runbook::check::check(&guide, &docs, &plan, &mut diagnostics)
        });
        let c = runbook::Compiled {
            guide,
            plan,
            diagnostics,
        };
        drop(docs);
        let mut files = Vec::new();
        for r in runbook::render::renderers(&Default::default()) {
            let name: &'static str = r.name();
            files.extend(timed(&mut t, name, || {
                runbook::output::collect(|emit| r.render(&c, emit)).expect("renders")
            }));
        }
        timed(&mut t, "write out/", || {
            runbook::build::write_atomically(&out, &files).expect("write")
        });
        timed(&mut t, "drop", || drop((c, files)));
        t.push(("total", all.elapsed()));
        if best.is_empty() {
            best = t;
        } else {
            for (b, x) in best.iter_mut().zip(t) {
                b.1 = b.1.min(x.1);
            }
        }
    }
    std::fs::remove_dir_all(&out).ok();
    eprintln!("stage times (best of {runs}):");
    for (name, d) in &best {
        eprintln!("  {name:<18} {:>9.1} ms", d.as_secs_f64() * 1000.0);
    }
}
