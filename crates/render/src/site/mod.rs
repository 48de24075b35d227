//! `site/`: the static documentation site.
//!
//! One pass: every chapter is rendered in parallel (Markdown → HTML with its steps in place),
//! then links between pages are checked against the ids each page defines, the pages are laid
//! out with the theme's templates (compiled once), and the search index is built over the
//! chapters' sections and the steps. Nothing here is quadratic in the number of chapters: past
//! [`INLINE_TOC_MAX`] chapters the sidebar's chapter list comes from one `toc.js` instead of
//! being repeated in every page.

mod diagrams;
mod markdown;
pub mod sanitize;
mod search;
mod steps;
pub mod theme;

pub use theme::eject as eject_theme;

use anyhow::{Context, Result};
use markdown::{ChapterOut, LinkRef, TOKEN};
use rayon::prelude::*;
use runbook_core::html::escape;
use runbook_core::links::{self as media, encode_path};
use runbook_core::model::{Kind, Plan, Step};
use runbook_core::output::OutFile;
use runbook_core::source::Compiled;
use runbook_core::source::Guide;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Up to this many chapters, every page lists them all in its sidebar (no JavaScript needed).
pub const INLINE_TOC_MAX: usize = 150;

/// Ids the theme uses; headings never take them.
pub(crate) const RESERVED_IDS: &[&str] = &[
    "rb-main",
    "rb-nav",
    "rb-q",
    "rb-q2",
    "rb-status",
    "rb-results",
    "rb-toc",
    "dg-network-title",
    "dg-where-title",
    "dg-swimlane-title",
];

/// What every part of the site needs to know.
pub struct Ctx<'a> {
    pub plan: &'a Plan,
    pub guide: &'a Guide,
    pub root_canon: Option<PathBuf>,
    pub chapter_by_rel: HashMap<&'a str, usize>,
    pub chapter_by_page: HashMap<&'a str, usize>,
    pub(crate) node_index: HashMap<&'a str, usize>,
}

impl<'a> Ctx<'a> {
    pub fn new(guide: &'a Guide, plan: &'a Plan) -> Self {
        Ctx {
            plan,
            guide,
            root_canon: guide.root.canonicalize().ok(),
            chapter_by_rel: guide
                .chapters
                .iter()
                .enumerate()
                .map(|(i, c)| (c.rel.as_str(), i))
                .collect(),
            chapter_by_page: guide
                .chapters
                .iter()
                .enumerate()
                .map(|(i, c)| (c.page.as_str(), i))
                .collect(),
            node_index: plan
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect(),
        }
    }

    /// The colour (0..8) of a node.
    pub fn color(&self, node: &str) -> usize {
        self.node_index.get(node).copied().unwrap_or(0) % 8
    }
}

/// Stands for a page's body in the templates' output: big bodies are spliced in afterwards
/// instead of going through JSON values and the template engine (NUL never occurs in pages). It
/// is the mark of slot 0 ([`slot_mark`]).
const BODY_MARK: &str = "\u{0}runbook-slot-0\u{0}";

/// Write `template` into `out`, with `fill` writing in place of each [`BODY_MARK`].
fn assemble(out: &mut String, template: &str, fill: &mut dyn FnMut(&mut String)) {
    assemble_slots(out, template, &mut |o: &mut String, _| fill(o))
}

/// The mark of slot `k` for [`assemble_slots`].
fn slot_mark(k: usize) -> String {
    format!("{SLOT_MARK}{k}\u{0}")
}

const SLOT_MARK: &str = "\u{0}runbook-slot-";

/// Write `template` into `out`, with `fill(out, k)` writing in place of each mark of slot `k`
/// ([`slot_mark`]).
fn assemble_slots(out: &mut String, template: &str, fill: &mut dyn FnMut(&mut String, usize)) {
    let mut rest = template;
    while let Some(at) = rest.find(SLOT_MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + SLOT_MARK.len()..];
        let slot = after
            .split_once('\u{0}')
            .and_then(|(k, tail)| Some((k.parse::<usize>().ok()?, tail)));
        match slot {
            Some((k, tail)) => {
                fill(out, k);
                rest = tail;
            }
            None => {
                out.push_str(SLOT_MARK);
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

fn file(path: String, bytes: Vec<u8>) -> OutFile {
    OutFile {
        path: PathBuf::from("site").join(path),
        bytes,
        executable: false,
    }
}

/// `site/`: the static documentation site (the runbooks' copies for download come from
/// [`crate::runbook::Runbooks`]).
pub struct Site {
    /// A theme folder overriding the default theme file by file.
    pub theme: Option<PathBuf>,
}

impl crate::Renderer for Site {
    fn name(&self) -> &'static str {
        "site"
    }
    fn render(&self, c: &Compiled, emit: &runbook_core::output::Emit) -> Result<()> {
        render_into(c, self.theme.as_deref(), emit)
    }
}

/// Render the site into `site/...` files, in memory and ordered by path.
pub fn render(c: &Compiled, theme_dir: Option<&Path>) -> Result<Vec<OutFile>> {
    runbook_core::output::collect(|emit| render_into(c, theme_dir, emit))
}

/// Render the site, handing each file to `emit` as soon as it is ready.
pub fn render_into(
    c: &Compiled,
    theme_dir: Option<&Path>,
    emit: &runbook_core::output::Emit,
) -> Result<()> {
    let timer = runbook_core::timings::Laps::new("site");
    let theme = theme::Theme::load(theme_dir)?;
    let plan = &c.plan;
    let guide = &c.guide;
    let ctx = Ctx::new(guide, plan);
    let site_title = if plan.title.trim().is_empty() {
        "설치 가이드".to_string()
    } else {
        plan.title.clone()
    };

    // steps per chapter; steps whose file is no chapter go to the index page
    let mut by_chapter: Vec<Vec<&Step>> = vec![Vec::new(); guide.chapters.len()];
    let mut orphans: Vec<&Step> = Vec::new();
    for s in &plan.steps {
        match ctx.chapter_by_rel.get(s.source.file.as_str()) {
            Some(&i) => by_chapter[i].push(s),
            None => orphans.push(s),
        }
    }

    // 1. chapters → HTML, in parallel
    let outs: Vec<ChapterOut> = guide
        .chapters
        .par_iter()
        .zip(by_chapter.par_iter())
        .map(|(ch, st)| markdown::render(&ctx, ch, st))
        .collect();

    // ids of every page, to check fragments
    // the pages' HTML moves into the page layout (no second copy stays alive)
    let mut outs = outs;
    let htmls: Vec<String> = outs
        .iter_mut()
        .map(|o| std::mem::take(&mut o.html))
        .collect();
    let outs = outs;
    let ids: HashMap<&str, &HashSet<String>> = guide
        .chapters
        .iter()
        .zip(outs.iter())
        .map(|(ch, o)| (ch.page.as_str(), &o.ids))
        .collect();

    let titles: Vec<&str> = outs.iter().map(|o| o.title.as_str()).collect();
    let nav = Nav::new(&ctx, &titles);
    let extra_css: Vec<Value> = theme.extra_css.iter().map(|s| json!(s)).collect();
    // a page: the layout around a body written by `fill` (into the page's one buffer)
    let layout_with = |kind: &str,
                       page: &str,
                       page_title: &str,
                       size: usize,
                       fill: &mut dyn FnMut(&mut String),
                       pager: Value,
                       search_page: bool,
                       local_toc: &str|
     -> Result<String> {
        let data = json!({
            "site_title": site_title,
            "page_title": page_title,
            "kind": kind,
            "nav": nav.html(page, local_toc),
            "body": BODY_MARK,
            "pager": pager,
            "toc_script": nav.scripted,
            "search_page": search_page,
            "query": "",
            "extra_css": extra_css,
        });
        let out = theme
            .render("layout", data)
            .with_context(|| format!("theme template layout.hbs ({page})"))?;
        let mut html = String::with_capacity(out.len() + size);
        assemble(&mut html, &out, fill);
        Ok(html)
    };
    let layout = |kind: &str,
                  page: &str,
                  page_title: &str,
                  body: String,
                  pager: Value,
                  search_page: bool,
                  local_toc: &str|
     -> Result<String> {
        layout_with(
            kind,
            page,
            page_title,
            body.len(),
            &mut |o: &mut String| o.push_str(&body),
            pager,
            search_page,
            local_toc,
        )
    };

    timer.lap("chapters rendered");
    let n = guide.chapters.len();
    let hosts_of = |nd: &str| -> Vec<Value> {
        plan.hosts
            .iter()
            .filter(|h| h.node == nd)
            .map(|h| json!({"name": h.name, "address": h.address}))
            .collect()
    };

    // 2. chapter pages, in parallel
    let chapter_pages = || -> Result<()> {
        htmls
        .into_par_iter()
        .enumerate()
        .try_for_each(|(i, html)| -> Result<()> {
            let ch = &guide.chapters[i];
            let o = &outs[i];
            let body = theme
                .render("chapter", json!({
                        "title": o.title,
                        "show_title": !o.has_h1,
                        "content": BODY_MARK,
                        "source": ch.rel,
                        "step_count": by_chapter[i].len(),
                    }),
                )
                .with_context(|| format!("theme template chapter.hbs ({})", ch.page))?;
            let link = |j: usize| json!({"page": encode_path(&guide.chapters[j].page), "title": titles[j]});
            let pager = json!({
                "prev": if i > 0 { link(i - 1) } else { Value::Null },
                "next": if i + 1 < n { link(i + 1) } else { Value::Null },
            });
            let size = body.len() + html.len() + o.links.len() * 24;
            let page = layout_with(
                "chapter",
                &ch.page,
                &o.title,
                size,
                &mut |out: &mut String| {
                    assemble(out, &body, &mut |out: &mut String| {
                        finalize_links_into(out, &html, &o.links, &ch.page, &ids)
                    })
                },
                pager,
                false,
                &local_toc(&o.toc),
            )?;
            emit(&file(ch.page.clone(), page.into_bytes()))
        })
    };

    // 3.-5. index, node pages, execution order, search page, runbooks, media, assets
    let other_pages = || -> Result<()> {
        // the index, the node pages and the order page are independent: built side by side
        let index_page = || -> Result<()> {
            let mut selected_count: HashMap<&str, (usize, usize)> = HashMap::new();
            for s in plan.steps.iter().filter(|s| s.selected()) {
                for nd in &s.nodes {
                    let e = selected_count.entry(nd.as_str()).or_default();
                    e.0 += 1;
                    if s.kind() == Kind::Manual {
                        e.1 += 1;
                    }
                }
            }
            let nodes_json: Vec<Value> = plan
        .nodes
        .iter()
        .map(|nd| {
            let (steps, manual) = selected_count.get(nd.as_str()).copied().unwrap_or((0, 0));
            json!({"name": nd, "color": ctx.color(nd), "steps": steps, "manual": manual, "hosts": hosts_of(nd)})
        })
        .collect();
            let chapters_json: Vec<Value> = guide
        .chapters
        .iter()
        .enumerate()
        .map(|(i, ch)| json!({"page": encode_path(&ch.page), "title": titles[i], "steps": by_chapter[i].len()}))
        .collect();
            // the three diagrams read the whole plan each: drawn side by side
            let ((net_svg, net_caption), (where_svg, swimlane_svg)) = rayon::join(
                || diagrams::network(&ctx),
                || rayon::join(|| diagrams::where_runs(&ctx), || diagrams::swimlane(&ctx)),
            );
            let orphans_html: String = orphans.iter().map(|s| steps::step_box(&ctx, s)).collect();
            let body = theme
                .render(
                    "index",
                    json!({
                        "title": site_title,
                        "chapter_count": n,
                        "node_count": plan.nodes.len(),
                        "step_count": plan.steps.len(),
                        "phase_count": plan.phases,
                        "nodes": nodes_json,
                        "chapters": chapters_json,
                        "diagrams": {
                            "network": net_svg,
                            "network_caption": net_caption,
                            "where": where_svg,
                            "swimlane": swimlane_svg,
                        },
                        "orphans": orphans_html,
                    }),
                )
                .context("theme template index.hbs")?;
            let first = (n > 0)
                .then(|| json!({"page": encode_path(&guide.chapters[0].page), "title": titles[0]}));
            let pager = match first {
                Some(f) => json!({"prev": null, "next": f}),
                None => Value::Null,
            };
            emit(&file(
                "index.html".into(),
                layout("index", "index.html", "", body, pager, false, "")?.into_bytes(),
            ))
        };
        // 4. node pages: a step's row is the same on every node's page, so each row is written
        // once, in parallel over the steps, and the pages gather them
        let node_pages = || -> Result<()> {
            let rows: Vec<String> = plan
                .steps
                .par_iter()
                .map(|s| {
                    let mut row = String::new();
                    steps::push_step_row(&mut row, &ctx, s);
                    row
                })
                .collect();
            plan.nodes.par_iter().try_for_each(|nd| -> Result<()> {
                // the rows of each phase, and of the steps not selected (as indices into
                // `rows`): the template gets a slot mark for each list, and the rows are written
                // into the page in their place (the largest pages, never copied)
                let mut phases: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
                let mut unselected: Vec<usize> = Vec::new();
                let mut count = 0;
                let mut size = 0;
                for (i, s) in plan.steps.iter().enumerate() {
                    if !s.nodes.contains(nd) {
                        continue;
                    }
                    size += rows[i].len();
                    if s.selected() {
                        count += 1;
                        phases.entry(s.phase).or_default().push(i);
                    } else {
                        unselected.push(i);
                    }
                }
                let mut lists: Vec<Vec<usize>> = Vec::with_capacity(phases.len() + 1);
                let phases: Vec<Value> = phases
                    .into_iter()
                    .map(|(p, idx)| {
                        lists.push(idx);
                        json!({"phase": p, "steps": slot_mark(lists.len() - 1)})
                    })
                    .collect();
                let unselected = if unselected.is_empty() {
                    String::new()
                } else {
                    lists.push(unselected);
                    slot_mark(lists.len() - 1)
                };
                let body = theme
                    .render(
                        "node",
                        json!({
                            "name": nd,
                            "color": ctx.color(nd),
                            "step_count": count,
                            "hosts": hosts_of(nd),
                            "phases": phases,
                            "unselected": unselected,
                        }),
                    )
                    .with_context(|| format!("theme template node.hbs (node {nd})"))?;
                let page = format!("node-{nd}.html");
                let html = layout_with(
                    "node",
                    &page,
                    &format!("{nd} 노드"),
                    body.len() + size,
                    &mut |out: &mut String| {
                        assemble_slots(out, &body, &mut |out: &mut String, k: usize| {
                            for &i in lists.get(k).map(Vec::as_slice).unwrap_or_default() {
                                out.push_str(&rows[i]);
                            }
                        })
                    },
                    Value::Null,
                    false,
                    "",
                )?;
                emit(&file(page, html.into_bytes()))
            })
        };
        let order_page = || -> Result<()> {
            // 5. execution order
            let mut order: BTreeMap<u32, BTreeMap<usize, Vec<&Step>>> = BTreeMap::new();
            for s in plan.steps.iter().filter(|s| s.selected()) {
                for nd in &s.nodes {
                    let j = plan
                        .nodes
                        .iter()
                        .position(|x| x == nd)
                        .unwrap_or(usize::MAX);
                    order
                        .entry(s.phase)
                        .or_default()
                        .entry(j)
                        .or_default()
                        .push(s);
                }
            }
            let phases: Vec<Value> = order
                .iter()
                .map(|(p, by_node)| {
                    let runs: Vec<Value> = by_node
                        .iter()
                        .filter(|(j, _)| **j < plan.nodes.len())
                        .map(|(j, st)| {
                            let nd = &plan.nodes[*j];
                            json!({
                                "node": nd,
                                "color": ctx.color(nd),
                                "hosts": hosts_of(nd),
                                "count": st.len(),
                                "first": st[0].title,
                                "more": st.len() - 1,
                            })
                        })
                        .collect();
                    json!({"phase": p, "runs": runs})
                })
                .collect();
            let nodes_small: Vec<Value> = plan
                .nodes
                .iter()
                .map(|nd| json!({"name": nd, "color": ctx.color(nd)}))
                .collect();
            let body = theme
                .render("order", json!({"phases": phases, "nodes": nodes_small}))
                .context("theme template order.hbs")?;
            emit(&file(
                "order.html".into(),
                layout(
                    "order",
                    "order.html",
                    "실행 순서",
                    body,
                    Value::Null,
                    false,
                    "",
                )?
                .into_bytes(),
            ))?;

            let body = theme
                .render("search", json!({}))
                .context("theme template search.hbs")?;
            emit(&file(
                "search.html".into(),
                layout("search", "search.html", "검색", body, Value::Null, true, "")?.into_bytes(),
            ))
        };
        let (index, (nodes, order)) = rayon::join(
            || timer.part("index", index_page),
            || {
                rayon::join(
                    || timer.part("node pages", node_pages),
                    || timer.part("order, search page", order_page),
                )
            },
        );
        index?;
        nodes?;
        order?;
        // 7. media, theme assets
        let mut media: BTreeMap<&str, &Path> = BTreeMap::new();
        for o in &outs {
            for (out, abs) in &o.media {
                media.entry(out.as_str()).or_insert(abs.as_path());
            }
        }
        media.into_par_iter().try_for_each(|(out, abs)| {
            let b = std::fs::read(abs).with_context(|| format!("cannot read {}", abs.display()))?;
            emit(&file(out.to_string(), b))
        })?;
        for (name, bytes) in &theme.assets {
            emit(&file(format!("assets/{name}"), bytes.clone()))?;
        }
        Ok(())
    };

    // 6. the search index, in one pass over sections and steps
    let search_files = || -> Result<()> {
        // each chapter's entries in parallel, in guide order
        let per_chapter: Vec<Vec<search::Entry>> = (0..guide.chapters.len())
            .into_par_iter()
            .map(|i| {
                let mut entries = Vec::new();
                let ch = &guide.chapters[i];
                let page = encode_path(&ch.page);
                for sec in &outs[i].sections {
                    entries.push(search::Entry {
                        url: match &sec.id {
                            Some(id) => format!("{page}#{id}"),
                            None => page.clone(),
                        },
                        title: Cow::Borrowed(if sec.title.is_empty() {
                            titles[i]
                        } else {
                            &sec.title
                        }),
                        chapter: Cow::Borrowed(titles[i]),
                        text: Cow::Borrowed(&sec.text),
                    });
                }
                for s in &by_chapter[i] {
                    entries.push(step_entry(s, &page, titles[i]));
                }
                entries
            })
            .collect();
        let mut entries: Vec<search::Entry> = per_chapter.into_iter().flatten().collect();
        for s in &orphans {
            entries.push(step_entry(s, "index.html", &site_title));
        }
        emit(&file(
            "search-index.js".into(),
            search::build(&entries).into_bytes(),
        ))?;
        if nav.scripted {
            let pages: Vec<String> = guide
                .chapters
                .iter()
                .map(|c| encode_path(&c.page))
                .collect();
            emit(&file(
                "toc.js".into(),
                nav.script(&pages, &titles).into_bytes(),
            ))?;
        }
        Ok(())
    };

    let ((chapter_files, other_files), search_files) = rayon::join(
        || {
            rayon::join(
                || timer.part("chapter pages", chapter_pages),
                || timer.part("other pages", other_pages),
            )
        },
        || timer.part("search index", search_files),
    );
    chapter_files?;
    other_files?;
    search_files?;
    timer.lap("pages and search index");
    Ok(())
}

/// A step's search entry: its title, nodes, kind and file. Not its run text: the guide's own
/// text of the step is in its section's entry, and the runtime's calls and heredoc markers
/// (`rb_ini`, `RUNBOOK_INI_…`) would only crowd the index.
fn step_entry<'a>(s: &'a Step, page: &str, chapter: &'a str) -> search::Entry<'a> {
    let mut text = String::new();
    text.push_str(&s.nodes.join(" "));
    text.push(' ');
    text.push_str(s.kind().label_ko());
    if let Some(p) = s.path() {
        text.push(' ');
        text.push_str(p);
    }
    search::Entry {
        url: format!("{page}#step-{}", s.id),
        title: Cow::Borrowed(&s.title),
        chapter: Cow::Borrowed(chapter),
        text: Cow::Owned(search::squeeze(&text)),
    }
}

/// Replace the link tokens of a chapter's HTML with hrefs whose fragment exists.
fn finalize_links_into(
    out: &mut String,
    html: &str,
    links: &[LinkRef],
    own: &str,
    ids: &HashMap<&str, &HashSet<String>>,
) {
    if links.is_empty() {
        out.push_str(html);
        return;
    }
    let mut parts = html.split(TOKEN);
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    // tokens come as `\0<n>\0`: odd parts are numbers
    let mut is_token = true;
    for part in parts {
        if is_token {
            let l = part.parse::<usize>().ok().and_then(|k| links.get(k));
            match l {
                Some(l) => runbook_core::html::escape_into(out, &link_href(l, own, ids)),
                None => out.push_str(part),
            }
        } else {
            out.push_str(part);
        }
        is_token = !is_token;
    }
}

fn link_href(l: &LinkRef, own: &str, ids: &HashMap<&str, &HashSet<String>>) -> String {
    let target = l.page.as_deref().unwrap_or(own);
    let frag = l
        .frag
        .as_deref()
        .and_then(|f| ids.get(target).and_then(|set| match_fragment(f, set)));
    match (&l.page, frag) {
        (None, Some(id)) => format!("#{id}"),
        (None, None) => encode_path(own),
        (Some(p), Some(id)) => format!("{}#{id}", encode_path(p)),
        (Some(p), None) => encode_path(p),
    }
}

/// The id a fragment written in the guide means (as typed, percent-encoded, or as heading text).
fn match_fragment(f: &str, ids: &HashSet<String>) -> Option<String> {
    let f = f.strip_prefix("user-content-").unwrap_or(f);
    if ids.contains(f) {
        return Some(f.to_string());
    }
    let d = media::percent_decode(f);
    let d = d.strip_prefix("user-content-").unwrap_or(&d);
    if ids.contains(d) {
        return Some(d.to_string());
    }
    let l = d.to_lowercase();
    if ids.contains(&l) {
        return Some(l);
    }
    let s = runbook_core::slug::github_slug(d);
    ids.contains(&s).then_some(s)
}

/// The sidebar's list of the current chapter's sections.
fn local_toc(toc: &[(u8, String, String)]) -> String {
    if toc.len() < 2 {
        return String::new();
    }
    let mut h = String::from("<h2>이 장의 내용</h2>\n<ul class=\"local-toc\">\n");
    for (level, id, text) in toc.iter().take(60) {
        h.push_str(&format!(
            "<li class=\"l{level}\"><a href=\"#{}\">{}</a></li>\n",
            escape(id),
            escape(text)
        ));
    }
    h.push_str("</ul>\n");
    h
}

/// The sidebar: overview, order, nodes, chapters.
struct Nav {
    /// (href, inner HTML) of every entry.
    items: Vec<(String, String)>,
    /// Chapters come from `toc.js` (too many to repeat in every page).
    scripted: bool,
}

impl Nav {
    fn new(ctx: &Ctx, titles: &[&str]) -> Nav {
        let mut items = vec![
            ("index.html".to_string(), "개요".to_string()),
            ("order.html".to_string(), "실행 순서".to_string()),
            ("search.html".to_string(), "검색".to_string()),
            ("#nodes".to_string(), String::new()),
        ];
        for nd in &ctx.plan.nodes {
            items.push((
                format!("node-{nd}.html"),
                format!(
                    "<span class=\"dot n{}\" aria-hidden=\"true\"></span>{} 노드",
                    ctx.color(nd),
                    escape(nd)
                ),
            ));
        }
        let scripted = titles.len() > INLINE_TOC_MAX;
        items.push(("#chapters".to_string(), String::new()));
        if !scripted {
            for (i, ch) in ctx.guide.chapters.iter().enumerate() {
                items.push((
                    encode_path(&ch.page),
                    if titles[i].starts_with(|c: char| c.is_ascii_digit()) {
                        escape(titles[i])
                    } else {
                        format!("<span class=\"num\">{}.</span>{}", i + 1, escape(titles[i]))
                    },
                ));
            }
        }
        Nav { items, scripted }
    }

    fn html(&self, page: &str, local_toc: &str) -> String {
        let current = encode_path(page);
        let mut h = String::with_capacity(self.items.len() * 80 + 200 + local_toc.len());
        h.push_str(local_toc);
        h.push_str("<h2>안내</h2>\n<ul>\n");
        for (href, inner) in &self.items {
            match href.as_str() {
                "#nodes" => h.push_str("</ul>\n<h2>노드</h2>\n<ul>\n"),
                "#chapters" => {
                    h.push_str("</ul>\n<h2>차례</h2>\n<ol id=\"rb-toc\" class=\"chapters\">\n");
                    if self.scripted {
                        h.push_str("<li><a href=\"index.html#toc-h\">전체 차례 보기</a></li>\n");
                    }
                }
                _ => {
                    let cur = if *href == current {
                        " aria-current=\"page\""
                    } else {
                        ""
                    };
                    h.push_str(&format!("<li><a href=\"{href}\"{cur}>{inner}</a></li>\n"));
                }
            }
        }
        h.push_str("</ol>\n");
        h
    }

    /// `toc.js`: fills the chapter list of the sidebar when it is too long to inline.
    fn script(&self, pages: &[String], titles: &[&str]) -> String {
        let _ = self;
        let enc = |v: Vec<Value>| {
            serde_json::to_string(&v)
                .unwrap_or_else(|_| "[]".into())
                .replace('<', "\\u003c")
        };
        let t = enc(titles.iter().map(|t| json!(t)).collect());
        let p = enc(pages.iter().map(|p| json!(p)).collect());
        format!(
            "(function(){{var t={};var p={};var ol=document.getElementById(\"rb-toc\");if(!ol)return;\
var here=decodeURIComponent(location.pathname.split(\"/\").pop());while(ol.firstChild)ol.removeChild(ol.firstChild);\
for(var i=0;i<t.length;i++){{var li=document.createElement(\"li\"),a=document.createElement(\"a\");a.href=p[i];\
var s=document.createElement(\"span\");s.className=\"num\";s.textContent=(i+1)+\".\";if(!/^[0-9]/.test(t[i]))a.appendChild(s);\
a.appendChild(document.createTextNode(t[i]));if(decodeURIComponent(p[i])===here)a.setAttribute(\"aria-current\",\"page\");\
li.appendChild(a);ol.appendChild(li);}}}})();\n",
            t, p
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_filled_where_the_template_put_them() {
        let template = format!(
            "<a>{}</a><b>{}</b>{}",
            slot_mark(1),
            slot_mark(0),
            slot_mark(1)
        );
        let mut out = String::new();
        assemble_slots(&mut out, &template, &mut |o: &mut String, k: usize| {
            o.push_str(&format!("[{k}]"))
        });
        assert_eq!(out, "<a>[1]</a><b>[0]</b>[1]");
        // a broken mark is left as it is
        let broken = format!("x{SLOT_MARK}y\u{0}z{SLOT_MARK}");
        let mut out = String::new();
        assemble_slots(&mut out, &broken, &mut |_: &mut String, _: usize| {
            panic!("no slot here")
        });
        assert_eq!(out, broken);
    }
}
