//! `site/`: the static documentation site.
//!
//! One pass: every chapter is rendered in parallel (Markdown → HTML with its steps in place,
//! [`markdown`]), then the pages are laid out with the theme's templates (compiled once,
//! [`theme`]): the chapter pages, whose links between pages are checked against the ids each
//! page defines ([`links`]), the index, the node pages, the execution order and the search page
//! ([`pages`]); the search index is built over the chapters' sections and the steps beside them
//! ([`search_index`]). Nothing here is quadratic in the number of chapters: past [`INLINE_TOC_MAX`]
//! chapters the sidebar's chapter list comes from one `toc.js` instead of being repeated in
//! every page ([`nav`]).

mod diagrams;
mod highlight;
mod layout;
mod links;
mod markdown;
mod nav;
mod pages;
mod rows;
pub mod sanitize;
mod search_index;
mod steps;
pub mod theme;

pub use theme::eject as eject_theme;

use anyhow::Result;
use markdown::ChapterOut;
use rayon::prelude::*;
use runbook_core::model::{Plan, Step};
use runbook_core::output::{Emit, OutFile};
use runbook_core::source::{Compiled, Guide};
use std::collections::HashMap;
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
    "rb-theme",
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
    /// Each step's runbook text as HTML (highlighted), by the step's index in the plan: a step
    /// box and the printable page's appendix both show it.
    runs: Vec<String>,
    step_index: HashMap<&'a str, usize>,
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
            runs: plan.steps.par_iter().map(steps::run_html).collect(),
            step_index: plan
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect(),
        }
    }

    /// Append a step's runbook text as HTML.
    pub(crate) fn push_run(&self, h: &mut String, s: &Step) {
        match self.step_index.get(s.id.as_str()) {
            Some(&i) => h.push_str(&self.runs[i]),
            None => h.push_str(&steps::run_html(s)),
        }
    }

    /// The colour (0..8) of a node.
    pub fn color(&self, node: &str) -> usize {
        self.node_index.get(node).copied().unwrap_or(0) % 8
    }
}

/// The plan's steps by the chapter they come from.
pub(crate) struct ChapterSteps<'a> {
    /// The steps of each chapter, in plan order.
    pub by_chapter: Vec<Vec<&'a Step>>,
    /// Steps whose file is no chapter (shown on the index page).
    pub orphans: Vec<&'a Step>,
}

impl<'a> ChapterSteps<'a> {
    fn new(ctx: &Ctx<'a>) -> Self {
        let mut by_chapter: Vec<Vec<&Step>> = vec![Vec::new(); ctx.guide.chapters.len()];
        let mut orphans: Vec<&Step> = Vec::new();
        for s in &ctx.plan.steps {
            match ctx.chapter_by_rel.get(s.source.file.as_str()) {
                Some(&i) => by_chapter[i].push(s),
                None => orphans.push(s),
            }
        }
        ChapterSteps {
            by_chapter,
            orphans,
        }
    }
}

/// A file of the site (`site/<path>`).
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
    fn render(&self, c: &Compiled, emit: &Emit) -> Result<()> {
        render_into(c, self.theme.as_deref(), emit)
    }
}

/// Render the site into `site/...` files, in memory and ordered by path.
pub fn render(c: &Compiled, theme_dir: Option<&Path>) -> Result<Vec<OutFile>> {
    runbook_core::output::collect(|emit| render_into(c, theme_dir, emit))
}

/// Render the site, handing each file to `emit` as soon as it is ready.
pub fn render_into(c: &Compiled, theme_dir: Option<&Path>, emit: &Emit) -> Result<()> {
    let timer = runbook_core::timings::Laps::new("site");
    let theme = theme::Theme::load(theme_dir)?;
    let ctx = Ctx::new(&c.guide, &c.plan);
    let steps = ChapterSteps::new(&ctx);

    // chapters → HTML, in parallel
    let mut chapters: Vec<ChapterOut> = c
        .guide
        .chapters
        .par_iter()
        .zip(steps.by_chapter.par_iter())
        .map(|(ch, st)| markdown::render(&ctx, ch, st))
        .collect();
    // each chapter's HTML goes into its page and into the printable page
    let htmls: Vec<String> = chapters
        .iter_mut()
        .map(|o| std::mem::take(&mut o.html))
        .collect();
    timer.lap("chapters rendered");

    let pages = pages::Pages::new(&ctx, &theme, &chapters, &steps, emit);
    let (((chapter_files, print_file), other_files), search_files) = rayon::join(
        || {
            rayon::join(
                || {
                    rayon::join(
                        || timer.part("chapter pages", || pages.chapter_pages(&htmls)),
                        || timer.part("print page", || pages.print_page(&htmls)),
                    )
                },
                || timer.part("other pages", || pages.other_pages(&timer)),
            )
        },
        || timer.part("search index", || pages.search_index()),
    );
    chapter_files?;
    print_file?;
    other_files?;
    search_files?;
    timer.lap("pages and search index");
    Ok(())
}
