//! Directories, links, copies, clones, downloads and archives.

use super::super::cmd::{shell_word, Cmd, Word};
use super::super::Guard;

/// `mkdir DIR` fails when DIR exists: `mkdir -p DIR`.
pub fn mkdir(c: &Cmd) -> Option<Guard> {
    if c.name() != "mkdir" {
        return None;
    }
    if c.has_flag('p', &["--parents"]) {
        return Some(Guard::Idempotent);
    }
    Some(Guard::Replace(c.insert_after(None, " -p")))
}

/// `ln -s TARGET LINK` fails when LINK exists: `rb_ln` does nothing when LINK already points
/// to TARGET.
pub fn ln(c: &Cmd) -> Option<Guard> {
    if c.name() != "ln" || !c.has_flag('s', &["--symbolic"]) || !c.redirs.is_empty() {
        return None;
    }
    Some(Guard::Replace(c.swap_command("rb_ln")))
}

/// `cp -i SRC DEST` asks before overwriting, which a run cannot answer: the `-i` goes (a
/// second copy writes the same bytes). `cp -r DIR DEST` makes DEST the first time and DEST/DIR
/// the second: skipped when DEST already is such a copy.
pub fn cp(c: &Cmd) -> Option<Guard> {
    if c.name() != "cp" {
        return None;
    }
    let text = match c.args().iter().find(|w| is_interactive(w)) {
        Some(w) => without_i(c, w),
        None => c.text().to_string(),
    };
    let recursive = c.has_flag('r', &["--recursive"])
        || c.has_flag('R', &[])
        || c.has_flag('a', &["--archive"]);
    let pos = c.positionals(&["-S", "--suffix", "-t", "--target-directory"]);
    let copy = match (recursive, &pos[..]) {
        (true, [src, dest]) if !c.has_flag('T', &["--no-target-directory"]) => {
            let base = src
                .lit
                .as_deref()?
                .trim_end_matches('/')
                .rsplit('/')
                .next()?;
            if base.is_empty() || base == "." || base == ".." {
                return None;
            }
            let (src, dest) = (src.raw, dest.raw.trim_end_matches('/'));
            if dest.is_empty() {
                return None;
            }
            let query = format!(
                "[ -d {dest} ] && [ ! -e {dest}/{} ] && diff -rq {src} {dest} >/dev/null 2>&1",
                shell_word(base)
            );
            Some(super::super::cmd::unless(
                &format!("{{ {query}; }}"),
                &text,
                c.chained(),
            ))
        }
        _ => None,
    };
    match copy {
        Some(g) => Some(Guard::Replace(g)),
        None if text != c.text() => Some(Guard::Replace(text)),
        None => None,
    }
}

fn is_interactive(w: &Word) -> bool {
    match w.lit.as_deref() {
        Some("--interactive") => true,
        Some(l) => l.starts_with('-') && !l.starts_with("--") && l.contains('i'),
        None => false,
    }
}

/// The command without its `-i` (a cluster keeps its other letters).
fn without_i(c: &Cmd, w: &Word) -> String {
    let rest: String = w.text()[1..].chars().filter(|&ch| ch != 'i').collect();
    if rest.is_empty() || w.is("--interactive") {
        // drop the word and the blank after it
        let end = c.head[w.end..c.end]
            .find(|ch: char| ch != ' ' && ch != '\t')
            .map_or(c.end, |k| w.end + k);
        return c.splice(w.start, end, "");
    }
    c.splice(w.start, w.end, &format!("-{rest}"))
}

/// `git clone [OPTIONS] URL [DIR]` fails when DIR exists: skipped when DIR is a checkout.
pub fn git_clone(c: &Cmd) -> Option<Guard> {
    const VALUES: &[&str] = &[
        "-b",
        "--branch",
        "--depth",
        "-o",
        "--origin",
        "-c",
        "--config",
        "--reference",
        "-u",
        "--upload-pack",
        "--template",
        "--separate-git-dir",
        "-j",
        "--jobs",
        "--filter",
        "--shallow-since",
        "--shallow-exclude",
        "--reference-if-able",
        "--server-option",
    ];
    if c.name() != "git" || c.arg(0) != Some("clone") {
        return None;
    }
    if c.has_option(&["--bare", "--mirror"]) {
        return None;
    }
    let pos = c.positionals(VALUES);
    let dir = match pos.get(2) {
        Some(d) => d.raw.to_string(),
        None => {
            let url = pos.get(1)?.lit.as_deref()?;
            let base = url.trim_end_matches('/').rsplit(['/', ':']).next()?;
            let base = base.strip_suffix(".git").unwrap_or(base);
            if base.is_empty() {
                return None;
            }
            shell_word(base)
        }
    };
    Some(Guard::Unless(format!("[ -d {dir}/.git ]")))
}

/// `wget URL` without -O/-N/-c/-nc saves a second download as NAME.1: `wget -nc`.
pub fn wget(c: &Cmd) -> Option<Guard> {
    if c.name() != "wget" {
        return None;
    }
    let keeps = c.args().iter().any(|w| match w.lit.as_deref() {
        Some(
            "-N" | "-c" | "-nc" | "--continue" | "--timestamping" | "--no-clobber" | "-O"
            | "--output-document" | "-",
        ) => true,
        Some(s) => {
            s.starts_with("--output-document=")
                || (s.starts_with('-') && !s.starts_with("--") && s.contains(['O', 'N', 'c']))
        }
        None => false,
    });
    if keeps {
        return Some(Guard::Idempotent);
    }
    Some(Guard::Replace(c.insert_after(None, " -nc")))
}

/// The output of `curl`: `-o FILE` (also at the end of a cluster, `-fsSLo FILE`),
/// `--output FILE`, or the URL's name for `-O`/`--remote-name` (in `--output-dir DIR`).
fn curl_file(c: &Cmd) -> Option<String> {
    let args = c.args();
    let mut remote = false;
    for (i, w) in args.iter().enumerate() {
        let Some(l) = w.lit.as_deref() else { continue };
        if l == "--output" || (l.starts_with('-') && !l.starts_with("--") && l.ends_with('o')) {
            return args.get(i + 1).map(|v| v.raw.to_string());
        }
        if let Some(v) = w.raw.strip_prefix("--output=") {
            return Some(v.to_string());
        }
        remote |=
            l == "--remote-name" || (l.starts_with('-') && !l.starts_with("--") && l.contains('O'));
    }
    if !remote {
        return None;
    }
    let url = args
        .iter()
        .filter_map(|w| w.lit.as_deref())
        .find(|l| l.contains("://"))?;
    let name = url.split(['?', '#']).next()?.rsplit('/').next()?;
    if name.is_empty() {
        return None;
    }
    let name = shell_word(name);
    Some(match c.opt(&["--output-dir"]) {
        Some(d) => format!("{d}/{name}"),
        None => name,
    })
}

/// `curl -o FILE URL`, `curl -O URL`: downloaded again on every run; skipped when FILE exists.
pub fn curl_output(c: &Cmd) -> Option<Guard> {
    if c.name() != "curl" {
        return None;
    }
    let f = curl_file(c)?;
    if f == "-" || f.starts_with("/dev/") {
        return None;
    }
    Some(Guard::Unless(format!("[ -e {f} ]")))
}

/// The archive of a `tar` that extracts (`-xzf A`, `xvf A`, `--extract --file=A`), and the
/// directory it extracts into (`-C DIR`, `--directory=DIR`).
struct Extract<'a> {
    archive: &'a str,
    dir: Option<&'a str>,
}

fn tar_extract_args<'a>(c: &'a Cmd) -> Option<Extract<'a>> {
    let args: &[Word<'a>] = c.args();
    let mut extract = false;
    let mut archive = None;
    for (i, w) in args.iter().enumerate() {
        let l = w.text();
        let cluster = if i == 0 && !l.starts_with('-') {
            Some(l)
        } else {
            l.strip_prefix('-').filter(|x| !x.starts_with('-'))
        };
        if let Some(k) = cluster {
            extract |= k.contains('x');
            if k.ends_with('f') {
                archive = args.get(i + 1).map(|v| v.raw);
            }
        }
        extract |= l == "--extract" || l == "--get";
        if l == "--file" {
            archive = args.get(i + 1).map(|v| v.raw);
        } else if let Some(v) = w.raw.strip_prefix("--file=") {
            archive = Some(v);
        }
    }
    let archive = archive?;
    if !extract || archive == "-" {
        return None;
    }
    let dir = c.opt(&["-C", "--directory"]);
    Some(Extract { archive, dir })
}

/// `tar -x… -f ARCHIVE [-C DIR]` writes over what a later step may have edited in the tree it
/// made: skipped when the archive's top-level entries already exist in DIR.
pub fn tar_extract(c: &Cmd) -> Option<Guard> {
    if c.name() != "tar" {
        return None;
    }
    let x = tar_extract_args(c)?;
    let query = match x.dir {
        Some(d) => format!("rb_extracted {} {d}", x.archive),
        None => format!("rb_extracted {}", x.archive),
    };
    Some(Guard::Unless(query))
}

/// `unzip ARCHIVE` asks before replacing each file: `unzip -n` never overwrites, never asks.
pub fn unzip(c: &Cmd) -> Option<Guard> {
    if c.name() != "unzip" {
        return None;
    }
    let decided = c.args().iter().any(|w| {
        w.lit.as_deref().is_some_and(|l| {
            l.starts_with('-') && (l.contains('n') || l.contains('o') || l.contains('l'))
        })
    });
    if decided {
        return Some(Guard::Idempotent);
    }
    Some(Guard::Replace(c.insert_after(None, " -n")))
}
