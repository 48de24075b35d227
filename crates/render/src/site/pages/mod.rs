//! The site's pages, one file each: the chapters, the index, a page per node, the execution
//! order, the search page with its index, and the files beside them (media, theme assets).

mod assets;
mod chapter;
mod index;
mod node;
mod order;
mod print;
mod search;

use super::layout::Layout;
use super::markdown::ChapterOut;
use super::nav::Nav;
use super::theme::Theme;
use super::{ChapterSteps, Ctx};
use anyhow::Result;
use runbook_core::output::Emit;
use runbook_core::timings::Laps;
use serde_json::{json, Value};

/// What the pages are made of: the compiled guide, its rendered chapters and the theme.
pub(crate) struct Pages<'a> {
    ctx: &'a Ctx<'a>,
    theme: &'a Theme,
    /// The rendered chapters (their HTML taken out: it goes to [`Pages::chapter_pages`]).
    chapters: &'a [ChapterOut],
    /// Each chapter's title.
    titles: Vec<&'a str>,
    steps: &'a ChapterSteps<'a>,
    layout: Layout<'a>,
    emit: &'a Emit<'a>,
}

impl<'a> Pages<'a> {
    pub fn new(
        ctx: &'a Ctx<'a>,
        theme: &'a Theme,
        chapters: &'a [ChapterOut],
        steps: &'a ChapterSteps<'a>,
        emit: &'a Emit<'a>,
    ) -> Self {
        let titles: Vec<&str> = chapters.iter().map(|o| o.title.as_str()).collect();
        let site_title = if ctx.plan.title.trim().is_empty() {
            "설치 가이드".to_string()
        } else {
            ctx.plan.title.clone()
        };
        let layout = Layout::new(theme, site_title, Nav::new(ctx, &titles));
        Pages {
            ctx,
            theme,
            chapters,
            titles,
            steps,
            layout,
            emit,
        }
    }

    /// Every page but the chapters, and the files beside them. The index, the node pages and
    /// the order page are independent: built side by side.
    pub fn other_pages(&self, timer: &Laps) -> Result<()> {
        let (index, (nodes, order)) = rayon::join(
            || timer.part("index", || self.index_page()),
            || {
                rayon::join(
                    || timer.part("node pages", || self.node_pages()),
                    || {
                        timer.part("order, search page", || {
                            self.order_page()?;
                            self.search_page()
                        })
                    },
                )
            },
        );
        index?;
        nodes?;
        order?;
        self.media()?;
        self.assets()
    }

    /// The hosts of a node, as the templates get them: `[{name, address}]`.
    fn hosts(&self, node: &str) -> Vec<Value> {
        self.ctx
            .plan
            .hosts
            .iter()
            .filter(|h| h.node == node)
            .map(|h| json!({"name": h.name, "address": h.address}))
            .collect()
    }
}

/// A JSON object of `fields`, moved in.
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}
