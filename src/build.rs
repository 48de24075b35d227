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
    // the runbooks once (the site copies them), then the site beside the small renderers
    let runbooks = crate::render::runbook::render_all(&c.plan);
    let (site, (plan_json, ansible)) = rayon::join(
        || crate::render::site::render_with(c, opts.theme.as_deref(), Some(&runbooks)),
        || {
            (
                crate::render::plan_json::render(&c.plan),
                crate::render::ansible::render(&c.plan),
            )
        },
    );
    let mut files = vec![OutFile {
        path: PathBuf::from("plan.json"),
        bytes: plan_json.into_bytes(),
        executable: false,
    }];
    files.extend(runbooks);
    files.extend(site?);
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

/// Write the outputs into a fresh temporary folder beside `out`, then replace `out` with it.
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
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).ok();
    }
    let result = (|| -> Result<()> {
        // folders first, then the files in parallel (creating a file is kernel work that
        // overlaps well across cores)
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| tmp.join(&f.path).parent().map(Path::to_path_buf))
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
        }
        files.par_iter().try_for_each(|f| -> Result<()> {
            let p = tmp.join(&f.path);
            #[cfg(unix)]
            {
                use std::io::Write;
                use std::os::unix::fs::OpenOptionsExt;
                let mode = if f.executable { 0o755 } else { 0o644 };
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .mode(mode)
                    .open(&p)
                    .with_context(|| format!("cannot write {}", p.display()))?;
                file.write_all(&f.bytes)
                    .with_context(|| format!("cannot write {}", p.display()))?;
                if f.executable {
                    // the mode given at creation is reduced by the umask
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))?;
                }
            }
            #[cfg(not(unix))]
            std::fs::write(&p, &f.bytes)
                .with_context(|| format!("cannot write {}", p.display()))?;
            Ok(())
        })
    })();
    if let Err(e) = result {
        std::fs::remove_dir_all(&tmp).ok();
        return Err(e);
    }
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
    if old.exists() {
        std::fs::remove_dir_all(&old).ok();
    }
    Ok(())
}
