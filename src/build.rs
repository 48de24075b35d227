//! Orchestration: compile a guide, write every output atomically.

use crate::diag::Diagnostics;
use crate::load::Guide;
use crate::model::Plan;
use crate::parse::Doc;
use anyhow::{Context, Result};
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
    let guide = crate::load::load(guide_path)?;
    let docs: Vec<Doc> = guide
        .chapters
        .par_iter()
        .map(|c| crate::parse::parse(&c.rel, &c.text))
        .collect();
    let mut diagnostics = guide.diagnostics.clone();
    let extracted = crate::extract::extract(&guide, &docs);
    diagnostics.extend(extracted.diagnostics.clone());
    let mut plan = crate::plan::plan(&guide, extracted, &mut diagnostics);
    crate::fleet::apply(&mut plan, &guide.config);
    crate::check::check(&guide, &docs, &plan, &mut diagnostics);
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
pub struct OutFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub executable: bool,
}

/// Render every output of a compiled guide.
pub fn render_all(c: &Compiled, opts: &BuildOptions) -> Result<Vec<OutFile>> {
    // the site beside the runbooks and the small renderers; the site gets copies of the runbooks
    let (site, (runbooks, plan_json, ansible)) = rayon::join(
        || crate::render::site::render_with(c, opts.theme.as_deref(), Some(&[])),
        || {
            (
                crate::render::runbook::render_all(&c.plan),
                crate::render::plan_json::render(&c.plan),
                crate::render::ansible::render(&c.plan),
            )
        },
    );
    let mut site = site?;
    site.extend(runbooks.iter().map(|f| OutFile {
        path: PathBuf::from("site").join(&f.path),
        bytes: f.bytes.clone(),
        executable: true,
    }));
    let mut files = vec![OutFile {
        path: PathBuf::from("plan.json"),
        bytes: plan_json.into_bytes(),
        executable: false,
    }];
    files.extend(runbooks);
    files.extend(site);
    files.extend(ansible);
    Ok(files)
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

/// Write the outputs into a temporary folder beside `out`, then replace `out` with it.
///
/// `out/` is never half written: it is replaced by one rename once everything is written, and a
/// failed build leaves it as it was. Creating files is what costs most on a real file system
/// (an inode each), so the previous output is kept as a hidden `.NAME.prev` beside `out/` and the
/// next build rewrites its files in place; it can be deleted at any time.
pub fn write_atomically(out: &Path, files: &[OutFile]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let prev = parent.join(format!(".{name}.prev"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).ok();
    }
    // recycle the previous generation's files, or start empty
    let recycled = prev.is_dir()
        && !prev
            .symlink_metadata()
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(true)
        && std::fs::rename(&prev, &tmp).is_ok();
    let timings = std::env::var_os("RUNBOOK_TIMINGS").is_some();
    let t0 = std::time::Instant::now();
    let result = write_tree(&tmp, files, recycled);
    if let Err(e) = result {
        std::fs::remove_dir_all(&tmp).ok();
        return Err(e);
    }
    let t1 = t0.elapsed();
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old).with_context(|| format!("cannot replace {}", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        // put the previous output back
        if old.exists() {
            std::fs::rename(&old, out).ok();
        }
        std::fs::remove_dir_all(&tmp).ok();
        return Err(e).with_context(|| format!("cannot write {}", out.display()));
    }
    if old.exists() && std::fs::rename(&old, &prev).is_err() {
        std::fs::remove_dir_all(&old).ok();
    }
    if timings {
        eprintln!(
            "write: {} files in {:.0} ms ({})",
            files.len(),
            t1.as_secs_f64() * 1000.0,
            if recycled {
                "rewritten in place"
            } else {
                "new"
            }
        );
    }
    Ok(())
}

/// Write every file under `dir`; when `recycled`, the folder holds a previous output: its files
/// are overwritten in place and what the new output does not have is removed.
fn write_tree(dir: &Path, files: &[OutFile], recycled: bool) -> Result<()> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| dir.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    if recycled {
        // remove what is not part of the new output (files, folders, links)
        let keep: std::collections::HashSet<PathBuf> =
            files.iter().map(|f| dir.join(&f.path)).collect();
        let keep_dirs: std::collections::HashSet<&PathBuf> = dirs.iter().collect();
        let mut stale: Vec<PathBuf> = Vec::new();
        for e in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
            let Ok(e) = e else { continue };
            let p = e.path().to_path_buf();
            let is_dir = e.file_type().is_dir();
            let wanted = if is_dir {
                keep_dirs.contains(&p) || dirs.iter().any(|d| d.starts_with(&p))
            } else {
                e.file_type().is_file() && keep.contains(&p)
            };
            if !wanted {
                stale.push(p);
            }
        }
        for p in stale {
            if p.symlink_metadata().map(|m| m.is_dir()).unwrap_or(false) {
                std::fs::remove_dir_all(&p).ok();
            } else {
                std::fs::remove_file(&p).ok();
            }
        }
    }
    for d in &dirs {
        std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
    }
    // the files in parallel: creating a file is kernel work that overlaps across cores
    files.par_iter().try_for_each(|f| -> Result<()> {
        let p = dir.join(&f.path);
        write_file(&p, &f.bytes, f.executable)
            .with_context(|| format!("cannot write {}", p.display()))
    })
}

/// Overwrite (or create) one file with exactly these bytes and mode.
fn write_file(p: &Path, bytes: &[u8], executable: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(p)?;
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if executable { 0o755 } else { 0o644 };
        if file.metadata()?.permissions().mode() & 0o777 != mode {
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(())
}
