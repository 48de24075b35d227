//! The files beside the pages: the local files the chapters use (`media/`), the theme's
//! stylesheets and scripts (`assets/`), and `toc.js` when the chapter list is too long to
//! repeat in every page.

use super::Pages;
use crate::site::file;
use crate::site::nav::toc_script;
use anyhow::{Context, Result};
use rayon::prelude::*;
use runbook_core::links::encode_path;
use std::collections::BTreeMap;
use std::path::Path;

impl Pages<'_> {
    /// Every local file a chapter uses, copied once.
    pub fn media(&self) -> Result<()> {
        let mut media: BTreeMap<&str, &Path> = BTreeMap::new();
        for o in self.chapters {
            for m in &o.media {
                media.entry(m.out.as_str()).or_insert(m.source.as_path());
            }
        }
        media.into_par_iter().try_for_each(|(out, abs)| {
            let b = std::fs::read(abs).with_context(|| format!("cannot read {}", abs.display()))?;
            (self.emit)(&file(out.to_string(), b))
        })
    }

    /// The theme's assets and `toc.js`.
    pub fn assets(&self) -> Result<()> {
        for (name, bytes) in &self.theme.assets {
            (self.emit)(&file(format!("assets/{name}"), bytes.clone()))?;
        }
        if self.layout.nav.scripted {
            let pages: Vec<String> = self
                .ctx
                .guide
                .chapters
                .iter()
                .map(|c| encode_path(&c.page))
                .collect();
            (self.emit)(&file(
                "toc.js".into(),
                toc_script(&pages, &self.titles).into_bytes(),
            ))?;
        }
        Ok(())
    }
}
