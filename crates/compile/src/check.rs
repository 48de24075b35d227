//! Whole-guide checks beyond extraction: images, links, variables without a value.

use crate::parse::{BlockKind, Doc};
use runbook_core::diag::Diagnostics;
use runbook_core::links::{self as media, resolve, url_kind, url_path, Local, UrlKind};
use runbook_core::model::{Plan, Source};
use runbook_core::slug::Slugger;
use runbook_core::source::Guide;
use std::collections::{HashMap, HashSet};

pub fn check(guide: &Guide, docs: &[Doc], plan: &Plan, diags: &mut Diagnostics) {
    images(guide, docs, diags);
    links(guide, docs, diags);
    variables(plan, diags);
    reruns(plan, diags);
}

/// Commands that a second run would change again and no guard can make safe (a `sed -i`
/// whose replacement matches its own pattern).
fn reruns(plan: &Plan, diags: &mut Diagnostics) {
    for s in plan.steps.iter().filter(|s| s.selected()) {
        if s.kind() != runbook_core::model::Kind::Command {
            continue;
        }
        for note in crate::runtext::guards::notes(&s.original) {
            diags.warn(s.source.clone(), format!("not safe to run twice: {note}"));
        }
    }
}

/// Heading anchors of each chapter, as the site makes them.
fn anchors(docs: &[Doc]) -> HashMap<&str, HashSet<String>> {
    docs.iter()
        .map(|d| {
            let mut s = Slugger::default();
            let mut set: HashSet<String> = HashSet::new();
            for b in &d.blocks {
                if let BlockKind::Heading { text, .. } = &b.kind {
                    set.insert(s.slug(text));
                }
            }
            // hand-written anchors: `<a name="a5"></a>`, `<span id="x">`
            set.extend(d.html_anchors.iter().map(|a| a.to_lowercase()));
            (d.file.as_str(), set)
        })
        .collect()
}

fn links(guide: &Guide, docs: &[Doc], diags: &mut Diagnostics) {
    let anchors = anchors(docs);
    let root_canon = guide.root.canonicalize().ok();
    for d in docs {
        for (dest, line) in &d.links {
            let src = Source {
                file: d.file.clone(),
                line: *line,
            };
            if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with("tel:") {
                continue;
            }
            let (path, frag) = media::url_path(dest);
            let target: Option<String> = if path.is_empty() {
                Some(d.file.clone())
            } else {
                match media::resolve(&guide.root, root_canon.as_deref(), &d.file, &path) {
                    media::Local::Found { rel, .. } => Some(rel),
                    media::Local::Missing(_) => {
                        diags.warn(
                            src.clone(),
                            format!("link {dest:?}: no such file in the guide"),
                        );
                        None
                    }
                    media::Local::Outside(_) => {
                        diags.warn(
                            src.clone(),
                            format!("link {dest:?} leads outside the guide folder"),
                        );
                        None
                    }
                }
            };
            if let (Some(t), Some(f)) = (target, frag) {
                if let Some(set) = anchors.get(t.as_str()) {
                    let f = media::percent_decode(&f).to_lowercase();
                    if !f.is_empty() && !set.contains(&f) && !f.starts_with("step-") {
                        diags.warn(src, format!("link {dest:?}: no heading with anchor #{f}"));
                    }
                }
            }
        }
    }
}

fn variables(plan: &Plan, diags: &mut Diagnostics) {
    for v in &plan.variables {
        if v.secret || v.value.is_some() || !v.per_node.is_empty() {
            continue;
        }
        let in_hosts = plan
            .hosts
            .iter()
            .any(|h| h.vars.iter().any(|(k, _)| k == &v.name));
        if in_hosts {
            continue;
        }
        let first = plan
            .steps
            .iter()
            .find(|s| s.selected() && s.variables.contains(&v.name));
        if let Some(s) = first {
            diags.warn(
                s.source.clone(),
                format!(
                    "placeholder {} has no value: set [variables.{}] value in runbook.toml (runbooks will ask for it)",
                    v.name, v.name
                ),
            );
        }
    }
}

/// Warnings for the images of a guide: local ones that are missing or outside the guide folder,
/// and ones with an unsafe URL. (`runbook check` may add them; the site shows placeholders.)
fn images(guide: &Guide, docs: &[Doc], diags: &mut Diagnostics) {
    let root_canon = guide.root.canonicalize().ok();
    for doc in docs {
        for b in &doc.blocks {
            let BlockKind::Image { src, .. } = &b.kind else {
                continue;
            };
            let source = Source {
                file: doc.file.clone(),
                line: b.line,
            };
            let message = match url_kind(src) {
                UrlKind::External => continue,
                UrlKind::Unsafe => {
                    format!("image {src:?} has an unsafe URL; it is left out of the site")
                }
                UrlKind::Relative => {
                    let (path, _) = url_path(src);
                    match resolve(&guide.root, root_canon.as_deref(), &doc.file, &path) {
                        Local::Found { .. } => continue,
                        Local::Missing(_) => {
                            format!("image {src:?} not found; the site shows a placeholder")
                        }
                        Local::Outside(_) => format!(
                            "image {src:?} is outside the guide folder; it is not copied into the site"
                        ),
                    }
                }
            };
            diags.warn(source, message);
        }
    }
}
