//! Shared helpers of the site tests: build a guide's outputs into a folder, check the site's links.
#![allow(dead_code)]

use regex::Regex;
use runbook::build::{render_all, write_atomically, BuildOptions};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus() -> PathBuf {
    repo().join("../shared/corpus")
}

/// A fresh folder under target/ for a test's output.
pub fn scratch(name: &str) -> PathBuf {
    let d = repo()
        .join("target/test-scratch")
        .join(format!("{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// Compile and write every output of `guide` into `out`.
pub fn build(guide: &Path, out: &Path) -> runbook::Compiled {
    let c =
        runbook::compile(guide).unwrap_or_else(|e| panic!("compile {}: {e:#}", guide.display()));
    let files = render_all(&c, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("render {}: {e:#}", guide.display()));
    write_atomically(out, &files).expect("write outputs");
    c
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The ids of every HTML page of the site (file name → ids), and duplicate ids found.
pub fn page_ids(site: &Path) -> (HashMap<String, HashSet<String>>, Vec<String>) {
    let id_re = Regex::new(r#"\sid="([^"]*)""#).unwrap();
    let mut out = HashMap::new();
    let mut dups = Vec::new();
    for e in walkdir::WalkDir::new(site) {
        let e = e.unwrap();
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) != Some("html") {
            continue;
        }
        let rel = p
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(p).unwrap();
        let mut ids = HashSet::new();
        for c in id_re.captures_iter(&html) {
            let id = unescape(&c[1]);
            if !ids.insert(id.clone()) {
                dups.push(format!("{rel}: duplicate id {id:?}"));
            }
        }
        out.insert(rel, ids);
    }
    (out, dups)
}

/// Every local `href`/`src` of every page (and every URL of the search index) leads to a file
/// of the site, and every `#fragment` to an id of that page. Returns the problems found.
pub fn check_links(site: &Path) -> Vec<String> {
    let (ids, mut problems) = page_ids(site);
    let link_re = Regex::new(r#"\s(?:href|src)="([^"]*)""#).unwrap();
    let check = |from: &str, raw: &str, problems: &mut Vec<String>| {
        let url = unescape(raw);
        if url.is_empty() {
            problems.push(format!("{from}: empty link"));
            return;
        }
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("mailto:")
        {
            return;
        }
        if lower.contains(':')
            && !lower.starts_with('#')
            && lower.find(':') < lower.find('/').or(Some(usize::MAX))
        {
            problems.push(format!("{from}: link with a scheme: {url}"));
            return;
        }
        let (path, frag) = match url.split_once('#') {
            Some((p, f)) => (p.to_string(), Some(f.to_string())),
            None => (url.clone(), None),
        };
        let path = path.split('?').next().unwrap_or("").to_string();
        let target = if path.is_empty() {
            from.to_string()
        } else {
            let base = Path::new(from).parent().unwrap_or(Path::new(""));
            let joined = base.join(percent_decode(&path));
            let mut parts: Vec<String> = Vec::new();
            for c in joined.components() {
                match c {
                    std::path::Component::ParentDir if parts.pop().is_none() => {
                        problems.push(format!("{from}: link leaves the site: {url}"));
                        return;
                    }
                    std::path::Component::ParentDir => {}
                    std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                    _ => {}
                }
            }
            parts.join("/")
        };
        if !site.join(&target).is_file() {
            problems.push(format!("{from}: missing file {target} (link {url})"));
            return;
        }
        if let Some(f) = frag {
            let f = percent_decode(&f);
            match ids.get(&target) {
                Some(set) if set.contains(&f) => {}
                Some(_) => problems.push(format!("{from}: no id {f:?} in {target} (link {url})")),
                None => problems.push(format!(
                    "{from}: fragment into a non-page {target} (link {url})"
                )),
            }
        }
    };
    let mut pages: Vec<&String> = ids.keys().collect();
    pages.sort();
    for rel in pages {
        let html = std::fs::read_to_string(site.join(rel)).unwrap();
        for c in link_re.captures_iter(&html) {
            check(rel, &c[1], &mut problems);
        }
    }
    // the search results' links
    let js = std::fs::read_to_string(site.join("search-index.js")).expect("search-index.js");
    let json = js
        .trim()
        .strip_prefix("window.RUNBOOK_SEARCH=")
        .and_then(|s| s.strip_suffix(';'))
        .expect("search index shape");
    let v: serde_json::Value = serde_json::from_str(json).expect("search index is JSON");
    for e in v["d"].as_array().expect("entries") {
        let url = e[0].as_str().expect("url");
        check("search.html", url, &mut problems);
    }
    problems
}

/// A page with its code highlighting taken out (the highlighter's spans hold text only), so
/// tests can look for commands as the guide writes them.
pub fn without_highlighting(html: &str) -> String {
    let re = Regex::new(r#"<span class="hl-[a-z]+">([^<]*)</span>"#).unwrap();
    re.replace_all(html, "$1").into_owned()
}
