//! The site of the bundled guide and of every corpus guide: every local link and fragment
//! resolves, every step of the plan has its anchor, the index shows the three diagrams.

mod site_common;

use site_common::*;
use std::path::Path;

fn check_guide(guide: &Path, name: &str) -> Vec<String> {
    let out = scratch(&format!("links-{name}"));
    let c = build(guide, &out);
    let site = out.join("site");
    let mut problems = check_links(&site);
    // every step has its anchor on the page its `anchor` names
    for s in &c.plan.steps {
        let (page, frag) = s.anchor.split_once('#').expect("anchor has a fragment");
        assert_eq!(frag, format!("step-{}", s.id), "{name}: anchor of {}", s.id);
        let html = std::fs::read_to_string(site.join(page))
            .unwrap_or_else(|_| panic!("{name}: page {page} of step {}", s.id));
        if !html.contains(&format!("id=\"step-{}\"", s.id)) {
            problems.push(format!("{name}: step {} has no anchor in {page}", s.id));
        }
    }
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    for class in ["dg-network", "dg-where", "dg-swimlane"] {
        if !index.contains(&format!("<svg class=\"dg {class}\"")) {
            problems.push(format!("{name}: index has no {class} diagram"));
        }
    }
    for nd in &c.plan.nodes {
        for f in [format!("node-{nd}.html"), format!("runbooks/{nd}.sh")] {
            if !site.join(&f).is_file() {
                problems.push(format!("{name}: missing {f}"));
            }
        }
    }
    for ch in &c.guide.chapters {
        if !site.join(&ch.page).is_file() {
            problems.push(format!("{name}: missing chapter page {}", ch.page));
        }
    }
    for f in [
        "order.html",
        "search.html",
        "search-index.js",
        "assets/style.css",
    ] {
        if !site.join(f).is_file() {
            problems.push(format!("{name}: missing {f}"));
        }
    }
    std::fs::remove_dir_all(&out).ok();
    problems
}

#[test]
fn bundled_guide_site_links_resolve() {
    let problems = check_guide(&repo().join("guide"), "guide");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn corpus_guides_site_links_resolve() {
    let dir = corpus();
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "corpus missing at {}",
            dir.display()
        );
        eprintln!("skipping: no corpus at {}", dir.display());
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("README.md"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut problems = Vec::new();
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        problems.extend(check_guide(f, &name));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn build_is_deterministic() {
    let a = scratch("det-a");
    let b = scratch("det-b");
    build(&repo().join("guide"), &a);
    build(&repo().join("guide"), &b);
    let list = |d: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(d.join("site"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(d)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (la, lb) = (list(&a), list(&b));
    assert_eq!(la.len(), lb.len());
    for (x, y) in la.iter().zip(lb.iter()) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between two builds", x.0);
    }
    std::fs::remove_dir_all(&a).ok();
    std::fs::remove_dir_all(&b).ok();
}

#[test]
fn link_checker_finds_broken_links() {
    let d = scratch("checker");
    std::fs::write(
        d.join("a.html"),
        r##"<p id="x"><a href="b.html">b</a> <a href="a.html#x">ok</a> <a href="a.html#nope">bad</a> <img src="media/none.png"> <a href="javascript:alert(1)">j</a></p>"##,
    )
    .unwrap();
    std::fs::write(
        d.join("search-index.js"),
        "window.RUNBOOK_SEARCH={\"d\":[[\"a.html#y\",\"t\",\"c\",\"x\"]],\"t\":{},\"a\":[]};\n",
    )
    .unwrap();
    let p = check_links(&d);
    assert_eq!(p.len(), 5, "{p:#?}");
    std::fs::remove_dir_all(&d).ok();
}
