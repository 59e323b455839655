//! Writes a [`Scene`] as SVG text: fixed coordinate precision (one decimal), elements in the
//! scene's order, no timestamps or generated ids, so the same scene gives the same bytes.

use std::fmt::Write;

use crate::draw::fonts::FAMILY;
use crate::draw::scene::{Anchor, LineKind, Outline, Scene, GROUP};
use crate::text::format::coordinate as c;
use crate::text::xml::escape;

/// Fill of the marks behind new labels and of the acting node.
const HIGHLIGHT: &str = "#ffe98a";

/// The SVG document of `scene`.
pub fn write(scene: &Scene) -> String {
    write_with_ids(scene, "")
}

/// The SVG document of `scene`, its element ids (arrowhead markers) prefixed with `prefix`, so
/// that several figures can share one HTML page.
pub fn write_with_ids(scene: &Scene, prefix: &str) -> String {
    let st = &scene.style;
    let mut out = String::new();
    let (w, h) = (c(scene.width), c(scene.height));
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FAMILY}" font-size="{}">"#,
        c(st.font_size)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&scene.title));
    let _ = writeln!(
        out,
        r#"<defs><marker id="{prefix}fwd" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker><marker id="{prefix}back" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="4.5" markerHeight="4.5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker></defs>"#,
        st.ink, st.gradient
    );
    let _ = writeln!(out, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    for frame in &scene.groups {
        let _ = writeln!(
            out,
            r#"<rect class="group" x="{}" y="{}" width="{}" height="{}" rx="10" fill="none" stroke="{GROUP}" stroke-width="1" stroke-dasharray="6 4"/>"#,
            c(frame.x0),
            c(frame.y0),
            c(frame.width()),
            c(frame.height())
        );
    }
    for line in &scene.lines {
        let d: Vec<String> = line
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}{},{}", if i == 0 { "M" } else { "L" }, c(p.x), c(p.y)))
            .collect();
        let (colour, width, marker, class) = match line.kind {
            LineKind::Forward => (st.ink, st.forward_width, "fwd", "forward"),
            LineKind::Backward => (st.gradient, st.backward_width, "back", "backward"),
        };
        let _ = writeln!(
            out,
            r#"<path class="{class}" d="{}" fill="none" stroke="{colour}" stroke-width="{}" marker-end="url(#{prefix}{marker})"/>"#,
            d.join(" "),
            c(width)
        );
    }
    for (node, outline) in &scene.outlines {
        let (fill, stroke_width) = if scene.active == Some(*node) {
            (HIGHLIGHT, 2.5 * st.forward_width)
        } else {
            ("white", st.forward_width)
        };
        match outline {
            Outline::Circle { centre, r } => {
                let _ = writeln!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{}" stroke-width="{}"/>"#,
                    c(centre.x),
                    c(centre.y),
                    c(*r),
                    st.ink,
                    c(stroke_width)
                );
            }
            Outline::Layer(rect) => {
                let _ = writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{fill}" stroke="{}" stroke-width="{}"/>"#,
                    c(rect.x0),
                    c(rect.y0),
                    c(rect.width()),
                    c(rect.height()),
                    st.ink,
                    c(stroke_width)
                );
            }
        }
    }
    for mark in &scene.marks {
        let _ = writeln!(
            out,
            r#"<rect class="new" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{HIGHLIGHT}"/>"#,
            c(mark.x0),
            c(mark.y0),
            c(mark.width()),
            c(mark.height())
        );
    }
    for text in &scene.texts {
        if let Some(formula) = &text.formula {
            let _ = writeln!(
                out,
                r#"<g class="math"><title>{}</title>{}</g>"#,
                escape(&text.content),
                formula.svg(text.rect.x0, text.at.y, text.colour, text.bold)
            );
            continue;
        }
        let anchor = match text.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let mut attrs = format!(
            r#"x="{}" y="{}" text-anchor="{anchor}""#,
            c(text.at.x),
            c(text.at.y)
        );
        if text.size != st.font_size {
            let _ = write!(attrs, r#" font-size="{}""#, c(text.size));
        }
        if text.bold {
            attrs.push_str(r#" font-weight="bold""#);
        }
        let _ = write!(attrs, r#" fill="{}""#, text.colour);
        let _ = writeln!(out, "<text {attrs}>{}</text>", escape(&text.content));
    }
    out.push_str("</svg>\n");
    out
}
