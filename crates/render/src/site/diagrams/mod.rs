//! Diagrams as inline SVG, made at build time (no JavaScript): the network topology, what runs
//! where (packages and services per node), and a swimlane of phases across nodes. Colours come
//! from CSS variables (classes), so light and dark mode both read well; presentation attributes
//! using `currentColor` are the fallback without the stylesheet.

mod network;
mod swimlane;
mod where_runs;

pub use network::network;
pub use swimlane::swimlane;
pub use where_runs::where_runs;

use runbook_core::html::escape;
use std::fmt::Write as _;

/// A diagram and the caption that says where its data comes from.
pub struct Figure {
    pub svg: String,
    pub caption: String,
}

/// Approximate rendered width of `s` at `px` font size (Hangul and other wide glyphs ≈ 1em).
fn text_width(s: &str, px: f32) -> f32 {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                    0.68
                } else {
                    0.56
                }
            } else {
                1.0
            }
        })
        .sum::<f32>()
        * px
}

/// `s` cut with `…` to fit `max` pixels.
fn fit(s: &str, px: f32, max: f32) -> String {
    if text_width(s, px) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = text_width("…", px);
    for c in s.chars() {
        let cw = text_width(c.encode_utf8(&mut [0; 4]), px);
        if w + cw > max {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

fn svg_open(class: &str, title: &str, w: u32, h: u32) -> String {
    format!(
        "<svg class=\"dg {class}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{class}-title\" font-size=\"14\" fill=\"currentColor\"><title id=\"{class}-title\">{}</title>\n",
        escape(title)
    )
}

fn text(out: &mut String, x: f32, y: f32, class: &str, extra: &str, s: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.0}\" y=\"{y:.0}\" class=\"{class}\"{extra}>{}</text>",
        escape(s)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fit() {
        assert_eq!(fit("가나다라마바사", 10.0, 40.0), "가나다…");
    }
}
