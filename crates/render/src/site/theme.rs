//! The site theme: handlebars templates, CSS and JavaScript embedded in the binary
//! (`themes/default/`), overridable file by file with `--theme DIR`.

use super::rows::{compile_node_template, RowProgram};
use anyhow::{bail, Context, Result};
use handlebars::Handlebars;
use std::path::Path;

/// The default theme, file name → content.
pub const DEFAULT: &[(&str, &str)] = &[
    (
        "layout.hbs",
        include_str!("../../../../themes/default/layout.hbs"),
    ),
    (
        "index.hbs",
        include_str!("../../../../themes/default/index.hbs"),
    ),
    (
        "chapter.hbs",
        include_str!("../../../../themes/default/chapter.hbs"),
    ),
    (
        "node.hbs",
        include_str!("../../../../themes/default/node.hbs"),
    ),
    (
        "order.hbs",
        include_str!("../../../../themes/default/order.hbs"),
    ),
    (
        "print.hbs",
        include_str!("../../../../themes/default/print.hbs"),
    ),
    (
        "search.hbs",
        include_str!("../../../../themes/default/search.hbs"),
    ),
    (
        "style.css",
        include_str!("../../../../themes/default/style.css"),
    ),
    (
        "early.js",
        include_str!("../../../../themes/default/early.js"),
    ),
    (
        "site.js",
        include_str!("../../../../themes/default/site.js"),
    ),
    (
        "search.js",
        include_str!("../../../../themes/default/search.js"),
    ),
];

/// Templates the site renders; each must exist (default or override).
pub const TEMPLATES: &[&str] = &[
    "layout", "index", "chapter", "node", "order", "search", "print",
];

/// A loaded theme: compiled templates and the static assets (written to `site/assets/`).
pub struct Theme {
    pub hb: Handlebars<'static>,
    /// (path under `assets/`, bytes), sorted by path.
    pub assets: Vec<(String, Vec<u8>)>,
    /// Extra stylesheets from the override folder (`*.css` other than `style.css`).
    pub extra_css: Vec<String>,
    /// The row blocks of `node.hbs`, compiled; `None` when the template gets the rows
    /// themselves ([`super::rows`]).
    pub(crate) node_rows: Option<Vec<RowProgram>>,
}

impl Theme {
    /// Render a template with data built as a JSON value, handed to the engine as its context
    /// (`Handlebars::render` would copy the whole value once more).
    pub fn render(
        &self,
        name: &str,
        data: serde_json::Value,
    ) -> Result<String, handlebars::RenderError> {
        self.hb
            .render_with_context(name, &handlebars::Context::from(data))
    }

    /// The default theme, with the files of `dir` (if any) replacing or adding to it.
    pub fn load(dir: Option<&Path>) -> Result<Theme> {
        let mut files: std::collections::BTreeMap<String, Vec<u8>> = DEFAULT
            .iter()
            .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
            .collect();
        let mut extra_css = Vec::new();
        if let Some(dir) = dir {
            if !dir.is_dir() {
                bail!("theme folder {} does not exist", dir.display());
            }
            for e in walkdir::WalkDir::new(dir)
                .follow_links(false)
                .sort_by_file_name()
            {
                let e = e.with_context(|| format!("reading theme folder {}", dir.display()))?;
                if !e.file_type().is_file() {
                    continue;
                }
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if rel.split('/').any(|c| c.starts_with('.')) {
                    continue;
                }
                let bytes = std::fs::read(e.path())
                    .with_context(|| format!("cannot read {}", e.path().display()))?;
                if rel.ends_with(".css") && rel != "style.css" && !files.contains_key(&rel) {
                    extra_css.push(rel.clone());
                }
                files.insert(rel, bytes);
            }
        }
        let mut hb = Handlebars::new();
        hb.set_strict_mode(false);
        hb.set_prevent_indent(true);
        let mut assets = Vec::new();
        for (name, bytes) in files {
            if let Some(stem) = name.strip_suffix(".hbs") {
                let text = String::from_utf8(bytes)
                    .with_context(|| format!("theme template {name} is not UTF-8"))?;
                hb.register_template_string(stem, text)
                    .with_context(|| format!("theme template {name}"))?;
            } else {
                assets.push((name, bytes));
            }
        }
        for t in TEMPLATES {
            if !hb.has_template(t) {
                bail!("theme has no template {t}.hbs");
            }
        }
        let node_rows = compile_node_template(&mut hb);
        Ok(Theme {
            hb,
            assets,
            extra_css,
            node_rows,
        })
    }
}

/// `runbook theme eject DIR`: write the default theme out to customise it.
pub fn eject(dir: &Path, force: bool) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, _) in DEFAULT {
        let p = dir.join(name);
        if p.exists() && !force {
            bail!(
                "{} already exists; use --force to overwrite it",
                p.display()
            );
        }
    }
    for (name, content) in DEFAULT {
        let p = dir.join(name);
        std::fs::write(&p, content).with_context(|| format!("cannot write {}", p.display()))?;
        written.push(p.display().to_string());
    }
    Ok(written)
}
