//! Headless Chromium over the bundled guide's site, from `file://`: the index and a chapter load
//! (their scripts run), a Korean search for a word that only occurs inside a longer word lists the
//! expected section, a search across a particle too; screenshots are kept in `target/artifacts/`.
//!
//! Needs Debian's `chromium` and `fonts-nanum`. With `CI` set a missing browser is a failure;
//! locally the test is skipped with a message.

#[path = "../site_common/mod.rs"]
mod site_common;

use site_common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

struct Browser {
    bin: PathBuf,
    profile: PathBuf,
}

impl Browser {
    /// Run headless Chromium with `args` on `url`; its stdout.
    fn run(&self, args: &[&str], url: &str) -> String {
        let mut cmd = Command::new(&self.bin);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", self.profile.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start chromium");
        let deadline = Instant::now() + Duration::from_secs(90);
        let out = loop {
            match child.try_wait().expect("wait chromium") {
                Some(_) => break child.wait_with_output().expect("chromium output"),
                None if Instant::now() > deadline => {
                    child.kill().ok();
                    panic!("chromium timed out on {url}");
                }
                None => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        assert!(
            out.status.success(),
            "chromium failed on {url}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn dump(&self, url: &str) -> String {
        self.run(&["--dump-dom"], url)
    }

    fn screenshot(&self, url: &str, png: &Path, size: &str) {
        std::fs::remove_file(png).ok();
        self.run(
            &[
                &format!("--screenshot={}", png.display()),
                &format!("--window-size={size}"),
            ],
            url,
        );
        let meta =
            std::fs::metadata(png).unwrap_or_else(|_| panic!("no screenshot {}", png.display()));
        assert!(
            meta.len() > 10_000,
            "screenshot {} is nearly empty",
            png.display()
        );
    }
}

fn file_url(p: &Path) -> String {
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn query(q: &str) -> String {
    q.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Entries of the search index: (url, title, text).
fn index_entries(site: &Path) -> Vec<(String, String, String)> {
    let js = std::fs::read_to_string(site.join("search-index.js")).unwrap();
    let json = js
        .trim()
        .strip_prefix("window.RUNBOOK_SEARCH=")
        .unwrap()
        .strip_suffix(';')
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["d"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap().to_string(),
                e[1].as_str().unwrap().to_string(),
                e[3].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn site_in_headless_chromium() {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is required in CI (apt-get install chromium fonts-nanum)"
        );
        eprintln!("skipping: chromium not installed (apt-get install chromium fonts-nanum)");
        return;
    };
    let art = repo().join("target/artifacts");
    std::fs::create_dir_all(&art).unwrap();
    let work = scratch("browser");
    let out = work.join("out");
    let c = build(&repo().join("guide"), &out);
    let site = out.join("site");
    let browser = Browser {
        bin,
        profile: work.join("profile"),
    };

    // the index: scripts ran, the three diagrams are there
    let dom = browser.dump(&file_url(&site.join("index.html")));
    assert!(
        dom.contains("<html lang=\"ko\" class=\"js\""),
        "index scripts did not run:\n{}",
        &dom[..dom.len().min(400)]
    );
    for class in ["dg-network", "dg-where", "dg-swimlane"] {
        assert!(
            dom.contains(&format!("class=\"dg {class}\"")),
            "index lacks {class}"
        );
    }

    // a chapter with steps: copy buttons made visible by site.js
    let chapter = c
        .guide
        .chapters
        .iter()
        .find(|ch| c.plan.steps.iter().any(|s| s.source.file == ch.rel))
        .unwrap_or(&c.guide.chapters[0]);
    let chapter_url = file_url(&site.join(&chapter.page));
    let dom = browser.dump(&chapter_url);
    assert!(dom.contains("class=\"js\""), "chapter scripts did not run");
    if c.plan.steps.iter().any(|s| s.source.file == chapter.rel) {
        assert!(dom.contains("class=\"step"), "chapter shows no step");
        assert!(
            dom.contains("class=\"copy\" data-target=\"run-")
                && !dom.contains("class=\"copy\" data-target=\"run-x\" hidden"),
            "copy buttons"
        );
    }

    // Korean search: a word that only occurs inside a longer one
    let entries = index_entries(&site);
    // a word that occurs in the guide only inside longer words
    let occurs = |w: &str| {
        entries
            .iter()
            .any(|(_, t, x)| t.to_lowercase().contains(w) || x.to_lowercase().contains(w))
    };
    let standalone = |w: &str| {
        entries.iter().any(|(_, t, x)| {
            format!(" {t} {x} ")
                .split(|c: char| !c.is_alphanumeric())
                .any(|x| x == w)
        })
    };
    let word = ["컨트롤", "데이터베", "인스턴", "하이퍼바", "메시지"]
        .into_iter()
        .find(|w| occurs(w) && !standalone(w))
        .expect("a Korean word found only inside longer words");
    let expected: Vec<&(String, String, String)> = entries
        .iter()
        .filter(|(_, t, x)| t.to_lowercase().contains(word) || x.to_lowercase().contains(word))
        .collect();
    let search = site.join("search.html");
    let dom = browser.dump(&format!("{}?q={}", file_url(&search), query(word)));
    assert!(
        dom.contains(&format!("검색 결과 {}개", expected.len())),
        "search for {word}: expected {} results:\n{}",
        expected.len(),
        dom.split("rb-status")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(600)
            .collect::<String>()
    );
    for (url, _, _) in &expected {
        assert!(
            dom.contains(&format!("href=\"{}\"", html_escape(url))),
            "result {url} not listed"
        );
    }

    // across a particle: the longer word with a particle the guide never writes after it
    let (_, _, text) = expected[0];
    let longer: String = {
        let lower = text.to_lowercase();
        let at = lower.find(word).unwrap();
        lower[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect()
    };
    let with_particle = ["는", "를", "에서", "의"]
        .iter()
        .map(|p| format!("{longer}{p}"))
        .find(|q| !occurs(q))
        .expect("a particle form absent from the guide");
    let dom = browser.dump(&format!(
        "{}?q={}",
        file_url(&search),
        query(&with_particle)
    ));
    assert!(
        dom.contains("class=\"result\""),
        "search for {with_particle} found nothing"
    );
    let stem_hits = entries
        .iter()
        .filter(|(_, t, x)| {
            t.to_lowercase().contains(&longer) || x.to_lowercase().contains(&longer)
        })
        .count();
    assert!(
        dom.contains(&format!("검색 결과 {stem_hits}개")),
        "search for {with_particle}: expected the {stem_hits} results of {longer}"
    );

    // ASCII prefix search
    let dom = browser.dump(&format!("{}?q=keyst", file_url(&search)));
    assert!(
        dom.contains("class=\"result\""),
        "prefix search found nothing"
    );

    // screenshots, kept as artifacts
    browser.screenshot(
        &file_url(&site.join("index.html")),
        &art.join("site-index.png"),
        "1280,2000",
    );
    browser.screenshot(&chapter_url, &art.join("site-chapter.png"), "1280,2000");
    browser.screenshot(
        &chapter_url,
        &art.join("site-chapter-phone.png"),
        "390,1400",
    );
    browser.screenshot(
        &format!("{}?q={}", file_url(&search), query(word)),
        &art.join("site-search.png"),
        "1280,900",
    );
    std::fs::remove_dir_all(&work).ok();
}
