//! The output folder, replaced as a whole.
//!
//! A build writes into a temporary folder beside `out/` ([`OutDir::begin`]), file by file as the
//! renderers produce them ([`OutDir::put`], from any thread), and replaces `out/` with one rename
//! once everything is written ([`OutDir::commit`]). `out/` is never half written: a build that
//! fails, or an `OutDir` dropped without a commit, leaves `out/` as it was and removes the
//! temporary folder.
//!
//! Creating files is what costs most on a real file system (an inode each: ~350 µs here, against
//! a few µs to rewrite one), so the previous output is kept as a hidden `.NAME.prev` beside
//! `out/` and the next build rewrites its files in place; whatever the new build does not write
//! is removed before the swap. `.NAME.prev` can be deleted at any time.

use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The file that marks a folder as a previous build, which a build may replace.
pub const MARKER: &str = "plan.json";

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

/// The files a renderer emits, gathered in memory and ordered by path.
pub fn collect(render: impl FnOnce(&Emit) -> Result<()>) -> Result<Vec<OutFile>> {
    let files = Mutex::new(Vec::new());
    render(&|f| {
        lock(&files).push(f.clone());
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Refuse an output folder that is not ours to replace: a regular file, the input or a folder
/// holding it, or a non-empty folder without a previous build's [`MARKER`].
pub fn check_owned(out: &Path, input: Option<&Path>) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(()); // does not exist yet
    };
    if !meta.is_dir() {
        bail!(
            "--out {}: exists and is not a folder; refusing to replace it",
            out.display()
        );
    }
    if let (Ok(o), Some(Ok(g))) = (out.canonicalize(), input.map(Path::canonicalize)) {
        if g.starts_with(&o) {
            bail!(
                "--out {}: holds the guide {}; refusing to replace it",
                out.display(),
                input.unwrap_or(out).display()
            );
        }
    }
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if !empty && !out.join(MARKER).is_file() {
        bail!(
            "--out {}: not empty and not a previous runbook build (no {MARKER}); refusing to replace it",
            out.display()
        );
    }
    Ok(())
}

pub struct OutDir {
    out: PathBuf,
    tmp: PathBuf,
    prev: PathBuf,
    /// Where the replaced `out` waits for the swap to finish.
    old: PathBuf,
    recycled: bool,
    /// Relative paths written by this build.
    written: Mutex<HashSet<PathBuf>>,
    /// Folders known to exist under `tmp`.
    dirs: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl OutDir {
    /// Start writing a new generation of `out`, after checking that `out` is ours to replace:
    /// absent, empty, or a previous build, and not holding `input` (the guide).
    pub fn begin(out: &Path, input: Option<&Path>) -> Result<OutDir> {
        check_owned(out, input)?;
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
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if tmp.symlink_metadata().is_ok() {
            remove_any(&tmp);
        }
        remove_leftovers(&parent, &name);
        // recycle the previous generation's files, or start empty
        let recycled = prev.symlink_metadata().map(|m| m.is_dir()).unwrap_or(false)
            && std::fs::rename(&prev, &tmp).is_ok();
        if recycled {
            // only folders and regular files are rewritten in place: anything else (a link that
            // would redirect a write, a fifo) goes now
            for e in walkdir::WalkDir::new(&tmp).min_depth(1) {
                let Ok(e) = e else { continue };
                let t = e.file_type();
                if !t.is_dir() && !t.is_file() {
                    std::fs::remove_file(e.path()).ok();
                }
            }
        } else {
            std::fs::create_dir(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
        }
        Ok(OutDir {
            out: out.to_path_buf(),
            tmp,
            prev,
            old,
            recycled,
            written: Mutex::new(HashSet::new()),
            dirs: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Whether the previous output is being rewritten in place.
    pub fn recycled(&self) -> bool {
        self.recycled
    }

    /// How many files were written so far.
    pub fn count(&self) -> usize {
        lock(&self.written).len()
    }

    /// Write one file. Its path must be relative, without `..`, and not written before.
    pub fn put(&self, f: &OutFile) -> Result<()> {
        let rel = f.path.as_path();
        if rel.as_os_str().is_empty()
            || rel.components().any(|c| !matches!(c, Component::Normal(_)))
        {
            bail!(
                "output path {} is not inside the output folder",
                rel.display()
            );
        }
        if !lock(&self.written).insert(rel.to_path_buf()) {
            bail!("output path {} written twice", rel.display());
        }
        let p = self.tmp.join(rel);
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.folder(parent)
                .with_context(|| format!("cannot write {}", p.display()))?;
        }
        match write_file(&p, &f.bytes, f.executable) {
            Err(e) if self.recycled && p.is_dir() => {
                // a folder of the previous output where this build writes a file
                if self.holds_written(rel) {
                    return Err(e).with_context(|| format!("cannot write {}", p.display()));
                }
                remove_any(&p);
                write_file(&p, &f.bytes, f.executable)
            }
            r => r,
        }
        .with_context(|| format!("cannot write {}", p.display()))
    }

    /// Make sure the folder `rel` exists under the temporary folder.
    fn folder(&self, rel: &Path) -> Result<()> {
        if lock(&self.dirs).contains(rel) {
            return Ok(());
        }
        let full = self.tmp.join(rel);
        if std::fs::create_dir_all(&full).is_err() {
            // a file of the previous output may stand where a folder goes
            let mut at = self.tmp.clone();
            let mut sub = PathBuf::new();
            for c in rel.components() {
                at.push(c);
                sub.push(c);
                match at.symlink_metadata() {
                    Ok(m) if m.is_dir() => continue,
                    Ok(_) if self.recycled && !lock(&self.written).contains(&sub) => {
                        std::fs::remove_file(&at).ok();
                    }
                    Ok(_) => bail!("{} is a file of this output, not a folder", sub.display()),
                    Err(_) => {}
                }
                break;
            }
            std::fs::create_dir_all(&full)
                .with_context(|| format!("cannot create {}", full.display()))?;
        }
        let mut dirs = lock(&self.dirs);
        let mut d = rel;
        loop {
            dirs.insert(d.to_path_buf());
            match d.parent() {
                Some(p) if !p.as_os_str().is_empty() => d = p,
                _ => break,
            }
        }
        Ok(())
    }

    /// Whether this build wrote a file under the folder `rel`.
    fn holds_written(&self, rel: &Path) -> bool {
        lock(&self.written)
            .iter()
            .any(|w| w != rel && w.starts_with(rel))
    }

    /// Remove what the previous output had and this one did not write, then replace `out` with
    /// the new folder in one rename.
    pub fn commit(mut self) -> Result<()> {
        if self.recycled {
            let written = lock(&self.written).clone();
            let dirs = lock(&self.dirs).clone();
            let mut stale: Vec<PathBuf> = Vec::new();
            let mut walk = walkdir::WalkDir::new(&self.tmp).min_depth(1).into_iter();
            while let Some(e) = walk.next() {
                let Ok(e) = e else { continue };
                let Ok(rel) = e.path().strip_prefix(&self.tmp) else {
                    continue;
                };
                let wanted = if e.file_type().is_dir() {
                    dirs.contains(rel)
                } else {
                    written.contains(rel)
                };
                if !wanted {
                    stale.push(e.path().to_path_buf());
                    if e.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                }
            }
            for p in stale {
                remove_any(&p);
            }
        }
        let old = self.old.clone();
        if self.out.exists() {
            std::fs::rename(&self.out, &old)
                .with_context(|| format!("cannot replace {}", self.out.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            // put the previous output back
            if old.exists() {
                std::fs::rename(&old, &self.out).ok();
            }
            return Err(e).with_context(|| format!("cannot write {}", self.out.display()));
        }
        self.committed = true;
        if old.exists() && std::fs::rename(&old, &self.prev).is_err() {
            remove_any(&old);
        }
        Ok(())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !self.committed {
            remove_any(&self.tmp);
        }
    }
}

/// Remove the temporary folders (`.NAME.tmp-PID`, `.NAME.old-PID`) of builds that were killed:
/// those whose process is gone. Where that cannot be told (no `/proc`), nothing is removed.
fn remove_leftovers(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(f) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = f.strip_prefix('.').and_then(|r| r.strip_prefix(name)) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix(".tmp-")
            .or_else(|| rest.strip_prefix(".old-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != own && !Path::new(&format!("/proc/{pid}")).exists() {
            remove_any(&e.path());
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove a file, a link or a whole folder; what cannot be removed stays.
/// Whether the file, read from its start, holds exactly `bytes` (compared piece by piece).
fn holds(file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<bool> {
    use std::io::Read;
    let mut buf = [0u8; 32 * 1024];
    let mut at = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(at == bytes.len());
        }
        if at + n > bytes.len() || buf[..n] != bytes[at..at + n] {
            return Ok(false);
        }
        at += n;
    }
}

fn remove_any(p: &Path) {
    match p.symlink_metadata() {
        Ok(m) if m.is_dir() => {
            std::fs::remove_dir_all(p).ok();
        }
        Ok(_) => {
            std::fs::remove_file(p).ok();
        }
        Err(_) => {}
    }
}

/// Overwrite (or create) one file with exactly these bytes and mode. A file that already holds
/// exactly these bytes is left as it is (reading it back costs less than rewriting it, and an
/// unchanged page keeps its modification time for `rsync` and browsers).
fn write_file(p: &Path, bytes: &[u8], executable: bool) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(p)?;
    // one look at the file for its size and its mode
    let meta = file.metadata()?;
    let same = meta.len() == bytes.len() as u64 && holds(&mut file, bytes)?;
    if !same {
        use std::io::{Seek, SeekFrom};
        file.seek(SeekFrom::Start(0))?;
        file.write_all(bytes)?;
        file.set_len(bytes.len() as u64)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if executable { 0o755 } else { 0o644 };
        if meta.permissions().mode() & 0o777 != mode {
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (executable, meta);
    Ok(())
}
