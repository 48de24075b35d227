//! Headless Chromium over the bundled guide's site, from `file://`: the index and a chapter load
//! (their scripts run), a Korean search for a word that only occurs inside a longer word lists the
//! expected section, a search across a particle too; code is highlighted (a bash and an ini block);
//! the light/dark switch turns a page shown light dark and the choice outlives a reload;
//! `print.html` holds every chapter in order. Screenshots of the index, a chapter and the order
//! page, light, dark and as printed, are kept in `target/artifacts/`.
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
        // read while it runs: a page's DOM is larger than a pipe holds
        let read = |r: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut r) = r {
                    r.read_to_end(&mut buf).ok();
                }
                buf
            })
        };
        let stdout = read(child.stdout.take().map(|r| Box::new(r) as _));
        let stderr = read(child.stderr.take().map(|r| Box::new(r) as _));
        let deadline = Instant::now() + Duration::from_secs(90);
        let status = loop {
            match child.try_wait().expect("wait chromium") {
                Some(status) => break status,
                None if Instant::now() > deadline => {
                    child.kill().ok();
                    panic!("chromium timed out on {url}");
                }
                None => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        let stdout = stdout.join().unwrap_or_default();
        let stderr = stderr.join().unwrap_or_default();
        assert!(
            status.success(),
            "chromium failed on {url}: {}",
            String::from_utf8_lossy(&stderr)
        );
        String::from_utf8_lossy(&stdout).into_owned()
    }

    fn dump(&self, url: &str) -> String {
        self.run(&["--dump-dom"], url)
    }

    fn screenshot(&self, url: &str, png: &Path, size: &str) {
        self.screenshot_with(url, png, size, &[]);
    }

    fn screenshot_with(&self, url: &str, png: &Path, size: &str, extra: &[&str]) {
        std::fs::remove_file(png).ok();
        let mut args = vec![
            format!("--screenshot={}", png.display()),
            format!("--window-size={size}"),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&args, url);
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

    highlighted_code(&browser, &site);
    theme_switch(&browser, &site);
    print_page_in_order(&browser, &site);
    // the chapter with the most steps shows the most code
    let busiest = c
        .guide
        .chapters
        .iter()
        .max_by_key(|ch| {
            c.plan
                .steps
                .iter()
                .filter(|s| s.source.file == ch.rel)
                .count()
        })
        .unwrap_or(chapter);
    light_dark_print_screenshots(&browser, &site, &art, &busiest.page);

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

/// The text between `from` and the next `to` in `s`, from `at` on.
fn between<'s>(s: &'s str, at: usize, from: &str, to: &str) -> Option<&'s str> {
    let start = at + s[at..].find(from)? + from.len();
    let end = start + s[start..].find(to)?;
    Some(&s[start..end])
}

/// Code is highlighted at build time: a bash block's command and an ini block's section and
/// keys are tokens, and the stylesheet colours them apart from the text around them.
fn highlighted_code(browser: &Browser, site: &Path) {
    let dom = browser.dump(&file_url(&site.join("print.html")));
    let blocks: Vec<&str> = dom.split("<pre><code").skip(1).collect();
    let bash = blocks
        .iter()
        .find(|b| {
            b.starts_with(" class=\"language-bash\" data-lang=\"shell\"")
                && b.contains("<span class=\"hl-f\">")
        })
        .expect("a bash block with a highlighted command");
    assert!(bash.contains("<span class=\"hl-"), "bash tokens");
    let ini = blocks
        .iter()
        .find(|b| b.contains("data-lang=\"ini\"") && b.contains("<span class=\"hl-h\">["))
        .expect("an ini block with a highlighted section");
    assert!(
        ini.contains("<span class=\"hl-a\">"),
        "ini keys highlighted: {}",
        &ini[..ini.len().min(300)]
    );
    // the tokens' colours differ from the code's own
    let probe = site.join("__probe-colours.html");
    std::fs::write(
        &probe,
        "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"assets/style.css\"></head><body>\
<pre><code id=\"c\">x <span class=\"hl-f\" id=\"f\">yum</span> <span class=\"hl-h\" id=\"h\">[db]</span></code></pre>\
<pre id=\"out\"></pre><script>var g=function(id){return getComputedStyle(document.getElementById(id)).color;};\
document.getElementById('out').textContent='code='+g('c')+' cmd='+g('f')+' section='+g('h');</script></body></html>",
    )
    .unwrap();
    let dom = browser.dump(&file_url(&probe));
    let out = between(&dom, 0, "<pre id=\"out\">", "</pre>").expect("probe ran");
    let colour = |k: &str| {
        between(out, 0, &format!("{k}="), ")")
            .unwrap_or("")
            .to_string()
    };
    assert_ne!(colour("cmd"), colour("code"), "commands coloured: {out}");
    assert_ne!(
        colour("section"),
        colour("code"),
        "sections coloured: {out}"
    );
    std::fs::remove_file(&probe).ok();
}

/// The switch turns a page the system shows light dark, and the choice outlives a reload (it is
/// applied before the page is drawn, by `early.js`).
fn theme_switch(browser: &Browser, site: &Path) {
    // a profile of its own: the choice it saves must not reach the other pages' screenshots
    let browser = &Browser {
        bin: browser.bin.clone(),
        profile: browser.profile.with_extension("switch"),
    };
    let harness = site.join("__switch.html");
    std::fs::write(
        &harness,
        r#"<!DOCTYPE html><html><body><iframe id="f" src="index.html" style="width:1000px;height:700px"></iframe><pre id="out">pending</pre>
<script>
var f = document.getElementById("f"), out = document.getElementById("out"), step = 0, log = [];
function state() {
  var d = f.contentDocument, r = d.documentElement;
  return "theme=" + (r.getAttribute("data-theme") || "none") + " bg=" + f.contentWindow.getComputedStyle(d.body).backgroundColor
    + " pressed=" + d.getElementById("rb-theme").getAttribute("aria-pressed");
}
f.onload = function () {
  try {
    if (step === 0) {
      log.push("before " + state());
      f.contentDocument.getElementById("rb-theme").click();
      log.push("after " + state());
      step = 1;
      f.contentWindow.location.reload();
    } else {
      log.push("reloaded " + state());
      out.textContent = log.join("\n");
    }
  } catch (e) { out.textContent = "error " + e; }
};
</script></body></html>"#,
    )
    .unwrap();
    let dom = browser.run(
        &["--allow-file-access-from-files", "--dump-dom"],
        &file_url(&harness),
    );
    let out = between(&dom, 0, "<pre id=\"out\">", "</pre>").unwrap_or("");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "switch harness: {out}");
    assert!(
        lines[0].starts_with("before theme=none bg=rgb(255, 255, 255) pressed=false"),
        "light system, light page: {out}"
    );
    assert!(
        lines[1].starts_with("after theme=dark bg=rgb(15, 20, 25) pressed=true"),
        "the switch turns it dark: {out}"
    );
    assert!(
        lines[2].starts_with("reloaded theme=dark bg=rgb(15, 20, 25) pressed=true"),
        "the choice outlives a reload: {out}"
    );
    std::fs::remove_file(&harness).ok();
}

/// `print.html` holds every chapter, each title in its own section, in the guide's order.
fn print_page_in_order(browser: &Browser, site: &Path) {
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let list = between(&index, 0, "<ol class=\"toc-list\">", "</ol>").expect("chapter list");
    let titles: Vec<&str> = list
        .split("<li><a href=\"")
        .skip(1)
        .filter_map(|li| between(li, 0, "\">", "</a>"))
        .collect();
    assert!(titles.len() >= 2, "chapters on the index");
    let dom = browser.dump(&file_url(&site.join("print.html")));
    assert!(
        !dom.contains("class=\"sidebar\""),
        "no navigation in print.html"
    );
    assert!(
        !dom.contains("class=\"topbar\""),
        "no top bar in print.html"
    );
    let mut at = 0;
    for (i, title) in titles.iter().enumerate() {
        let section = format!("<section class=\"print-chapter\" id=\"pc{}\">", i + 1);
        let start = at
            + dom[at..]
                .find(&section)
                .unwrap_or_else(|| panic!("no section {} after the one before", i + 1));
        let end = dom[start + 1..]
            .find("<section class=\"print-chapter")
            .map_or(dom.len(), |k| start + 1 + k);
        assert!(
            dom[start..end].contains(&format!(">{title}")),
            "chapter {} ({title}) in its section",
            i + 1
        );
        at = start + 1;
    }
    assert!(
        dom[at..].contains("id=\"print-appendix\""),
        "the appendix after the chapters"
    );
    assert!(dom[at..].contains("노드별 런북 명령"), "appendix title");
}

/// Screenshots of the index, a chapter and the order page, light, dark (the system's setting)
/// and as printed (the stylesheet's print rules applied on screen).
fn light_dark_print_screenshots(browser: &Browser, site: &Path, art: &Path, chapter: &str) {
    let css = std::fs::read_to_string(site.join("assets/style.css")).unwrap();
    std::fs::write(
        site.join("assets/__print-preview.css"),
        css.replace("@media print", "@media all"),
    )
    .unwrap();
    for (name, page) in [
        ("index", "index.html"),
        ("chapter", chapter),
        ("order", "order.html"),
    ] {
        let url = file_url(&site.join(page));
        browser.screenshot(
            &url,
            &art.join(format!("site-{name}-light.png")),
            "1280,1600",
        );
        browser.screenshot_with(
            &url,
            &art.join(format!("site-{name}-dark.png")),
            "1280,1600",
            &["--force-dark-mode"],
        );
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        let preview = site.join(format!("__print-{name}.html"));
        std::fs::write(
            &preview,
            html.replace("assets/style.css", "assets/__print-preview.css"),
        )
        .unwrap();
        browser.screenshot(
            &file_url(&preview),
            &art.join(format!("site-{name}-print.png")),
            "820,1600",
        );
        std::fs::remove_file(&preview).ok();
    }
    let html = std::fs::read_to_string(site.join("print.html")).unwrap();
    let preview = site.join("__print-book.html");
    std::fs::write(
        &preview,
        html.replace("assets/style.css", "assets/__print-preview.css"),
    )
    .unwrap();
    browser.screenshot(
        &file_url(&preview),
        &art.join("site-print-book.png"),
        "820,1600",
    );
    std::fs::remove_file(&preview).ok();
    std::fs::remove_file(site.join("assets/__print-preview.css")).ok();
}
