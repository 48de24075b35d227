//! `runbook serve`: a local preview server (127.0.0.1 only, std::net) for `out/site/`, rebuilding
//! the outputs when the guide (or the theme) changes. Pages served get a small script that reloads
//! them after a rebuild; the files on disk are exactly what `runbook build` writes.

use crate::build::{build, BuildOptions};
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// How often the guide's files are checked for changes.
const POLL: Duration = Duration::from_millis(400);

const RELOAD_SCRIPT: &str = "<script>(function(){var v=null;function poll(){var r=new XMLHttpRequest();r.open(\"GET\",\"/__runbook/version\");r.onload=function(){if(v!==null&&r.responseText!==v){location.reload();}v=r.responseText;};r.send();}poll();setInterval(poll,1000);})();</script>";

/// Build the guide into `out` (the one build path of `runbook build`); the number of steps, or
/// the reason it failed.
pub fn build_once(guide: &Path, out: &Path, theme: Option<&Path>) -> Result<usize> {
    let opts = BuildOptions {
        theme: theme.map(Path::to_path_buf),
    };
    Ok(build(guide, out, &opts)?.compiled.plan.steps.len())
}

/// Serve `out/site` on 127.0.0.1:`port` (0: any free port), rebuilding on changes. Runs until
/// the process is stopped.
pub fn serve(guide: &Path, out: &Path, port: u16, theme: Option<&Path>) -> Result<()> {
    // a folder that is not a previous build is never taken over, as `runbook build` refuses it
    runbook_core::output::check_owned(out, Some(guide))?;
    let start = Instant::now();
    match build_once(guide, out, theme) {
        Ok(n) => eprintln!(
            "built {n} steps into {} in {} ms",
            out.display(),
            start.elapsed().as_millis()
        ),
        Err(e) => eprintln!("error: {e:#}"),
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let addr = listener.local_addr()?;
    eprintln!(
        "serving http://{addr}/ — rebuilding when {} changes; Ctrl-C stops",
        guide.display()
    );

    let version = Arc::new(AtomicU64::new(1));
    {
        let (guide, out, theme) = (
            guide.to_path_buf(),
            out.to_path_buf(),
            theme.map(Path::to_path_buf),
        );
        let version = Arc::clone(&version);
        std::thread::spawn(move || watch(&guide, &out, theme.as_deref(), &version));
    }
    let site = out.join("site");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let site = site.clone();
        let version = Arc::clone(&version);
        std::thread::spawn(move || {
            let _ = handle(stream, &site, &version);
        });
    }
    Ok(())
}

/// Poll the guide's files; rebuild when any changes.
fn watch(guide: &Path, out: &Path, theme: Option<&Path>, version: &AtomicU64) {
    let out_canon = out.canonicalize().ok();
    let mut last = snapshot(guide, theme, out_canon.as_deref());
    loop {
        std::thread::sleep(POLL);
        let now = snapshot(guide, theme, out_canon.as_deref());
        if now == last {
            continue;
        }
        last = now;
        let start = Instant::now();
        match build_once(guide, out, theme) {
            Ok(n) => {
                version.fetch_add(1, Ordering::SeqCst);
                eprintln!("rebuilt {n} steps in {} ms", start.elapsed().as_millis());
            }
            Err(e) => eprintln!("error: {e:#} (still serving the previous build)"),
        }
    }
}

type Snapshot = Vec<(PathBuf, Option<SystemTime>, u64)>;

fn snapshot(guide: &Path, theme: Option<&Path>, out: Option<&Path>) -> Snapshot {
    let mut v = Vec::new();
    let add_tree = |root: &Path, v: &mut Snapshot| {
        for e in walkdir::WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                let is_out = e.file_type().is_dir()
                    && out.is_some_and(|o| e.path().canonicalize().ok().as_deref() == Some(o));
                !hidden && !is_out
            })
            .filter_map(Result::ok)
        {
            if let Ok(m) = e.metadata() {
                if m.is_file() {
                    v.push((e.path().to_path_buf(), m.modified().ok(), m.len()));
                }
            }
        }
    };
    if guide.is_dir() {
        add_tree(guide, &mut v);
    } else {
        let mut files = vec![guide.to_path_buf()];
        if let Some(p) = guide.parent() {
            files.push(p.join("runbook.toml"));
        }
        for f in files {
            let m = std::fs::metadata(&f).ok();
            v.push((
                f,
                m.as_ref().and_then(|m| m.modified().ok()),
                m.map(|m| m.len()).unwrap_or(0),
            ));
        }
    }
    if let Some(t) = theme {
        add_tree(t, &mut v);
    }
    v.sort();
    v
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("sh") | Some("txt") | Some("md") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The file under `site` a request path names; `None` for anything leaving it.
pub fn resolve(site: &Path, raw: &str) -> Option<PathBuf> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let path = runbook_core::links::percent_decode_strict(path)?;
    if path.contains('\0') || path.contains('\\') {
        return None;
    }
    let mut p = site.to_path_buf();
    for c in Path::new(path.trim_start_matches('/')).components() {
        match c {
            Component::Normal(s) => p.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if p.is_dir() {
        p.push("index.html");
    }
    Some(p)
}

fn respond(
    mut s: &TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    if !head_only {
        s.write_all(body)?;
    }
    s.flush()
}

fn handle(stream: TcpStream, site: &Path, version: &AtomicU64) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // read (and ignore) the headers
    let mut total = line.len();
    loop {
        let mut h = String::new();
        let n = reader.read_line(&mut h)?;
        total += n;
        if n == 0 || h == "\r\n" || h == "\n" || total > 64 * 1024 {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(
            &stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"GET only\n",
            false,
        );
    }
    if target == "/__runbook/version" {
        let v = version.load(Ordering::SeqCst).to_string();
        return respond(
            &stream,
            "200 OK",
            "text/plain; charset=utf-8",
            v.as_bytes(),
            head_only,
        );
    }
    let Some(path) = resolve(site, target) else {
        return respond(
            &stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path\n",
            false,
        );
    };
    match std::fs::read(&path) {
        Ok(mut body) => {
            let ctype = content_type(&path);
            if ctype.starts_with("text/html") {
                if let Ok(text) = std::str::from_utf8(&body) {
                    if let Some(i) = text.rfind("</body>") {
                        let mut t = String::with_capacity(text.len() + RELOAD_SCRIPT.len());
                        t.push_str(&text[..i]);
                        t.push_str(RELOAD_SCRIPT);
                        t.push_str(&text[i..]);
                        body = t.into_bytes();
                    }
                }
            }
            respond(&stream, "200 OK", ctype, &body, head_only)
        }
        Err(_) => respond(
            &stream,
            "404 Not Found",
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html lang=\"ko\"><meta charset=\"utf-8\"><title>없는 페이지</title><p>페이지를 찾을 수 없습니다. <a href=\"/index.html\">개요로 가기</a></p></html>".as_bytes(),
            head_only,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_site() {
        let site = Path::new("/srv/site");
        assert_eq!(
            resolve(site, "/a.html?q=1"),
            Some(PathBuf::from("/srv/site/a.html"))
        );
        assert_eq!(
            resolve(site, "/media/%EA%B0%80.png"),
            Some(PathBuf::from("/srv/site/media/가.png"))
        );
        assert_eq!(resolve(site, "/../etc/passwd"), None);
        assert_eq!(resolve(site, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(site, "/a/%00"), None);
        assert_eq!(resolve(site, "/a%5c..%5cb"), None);
    }
}
