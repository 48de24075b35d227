//! Images of a chapter, from Markdown or from `<img>` tags: local files are copied into
//! `media/`, remote ones become links, and missing or unsafe ones a labelled placeholder.

use super::MediaFile;
use crate::site::sanitize::{url_kind, ImgSink, UrlKind};
use crate::site::Ctx;
use runbook_core::html::escape;
use runbook_core::links::{self as media, encode_path, Local};
use runbook_core::source::Chapter;

/// The chapter's images, and the local files it uses so far.
pub(super) struct Images<'r> {
    pub ctx: &'r Ctx<'r>,
    pub chapter: &'r Chapter,
    pub media: Vec<MediaFile>,
}

impl Images<'_> {
    /// HTML for an image (from Markdown or from an `<img>` tag).
    pub fn html(
        &mut self,
        src: &str,
        alt: &str,
        width: Option<&str>,
        height: Option<&str>,
        title: Option<&str>,
        block: bool,
    ) -> String {
        let label = if alt.trim().is_empty() {
            "그림"
        } else {
            alt.trim()
        };
        let missing = |why: &str| {
            let t = format!(
                "<span class=\"img-missing-label\">그림 없음: {}</span> <small>({})</small>",
                escape(label),
                escape(why)
            );
            if block {
                format!(
                    "<figure class=\"img-missing\" role=\"img\" aria-label=\"{}\">{t}</figure>",
                    escape(label)
                )
            } else {
                format!(
                    "<span class=\"img-missing\" role=\"img\" aria-label=\"{}\">{t}</span>",
                    escape(label)
                )
            }
        };
        match url_kind(src) {
            UrlKind::Unsafe => missing("허용되지 않는 주소"),
            UrlKind::External => format!(
                "<a class=\"remote-img\" href=\"{}\" rel=\"noopener\">{} <small>(외부 그림)</small></a>",
                escape(src.trim()),
                escape(label)
            ),
            UrlKind::Relative => {
                let (path, _) = media::url_path(src.trim());
                match media::resolve(&self.ctx.guide.root, self.ctx.root_canon.as_deref(), &self.chapter.rel, &path) {
                    Local::Found { rel, abs } => {
                        let out = format!("media/{rel}");
                        let mut s = format!("<img src=\"{}\" alt=\"{}\" loading=\"lazy\"", encode_path(&out), escape(alt));
                        for (n, v) in [("width", width), ("height", height)] {
                            if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty() && v.len() < 8 && v.chars().all(|c| c.is_ascii_digit())) {
                                s.push_str(&format!(" {n}=\"{v}\""));
                            }
                        }
                        if let Some(t) = title.filter(|t| !t.is_empty()) {
                            s.push_str(&format!(" title=\"{}\"", escape(t)));
                        }
                        s.push('>');
                        self.media.push(MediaFile { out, source: abs });
                        s
                    }
                    Local::Missing(_) => missing("파일을 찾을 수 없음"),
                    Local::Outside(_) => missing("가이드 폴더 밖의 파일"),
                }
            }
        }
    }
}

impl ImgSink for Images<'_> {
    fn img(
        &mut self,
        src: &str,
        alt: &str,
        width: Option<&str>,
        height: Option<&str>,
        title: Option<&str>,
        block: bool,
    ) -> String {
        self.html(src, alt, width, height, title, block)
    }
}
