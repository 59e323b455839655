//! Group frames: a dashed frame around each group's operators and the labels of the edges
//! between them, its caption over it where nothing else is. Methods of [`Drawing`], which
//! calls them.

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;

use super::drawing::Drawing;
use super::fonts::Fonts;
use super::scene::{Anchor, Scene, Text, GROUP};
use crate::core::model::Kind;
use crate::layout::diagram::Side;
use crate::layout::geometry::{Point, Rect};

/// Space between a group's nodes and the frame drawn around them.
const GROUP_PADDING: f64 = 14.0;

impl Drawing {
    /// Adds each group's frame and caption to `scene`.
    pub(super) fn frame_groups(&self, scene: &mut Scene) {
        for (label, frame) in self.group_frames() {
            let size = self.style.font_size * 0.875;
            let m = Fonts::shared().measure(&label, size, false);
            // Over the frame's left end, or where that is taken, over its right end, its middle
            // or a quarter of the way from either end, whichever is clear first.
            let place = |x: f64| {
                let at = Point::new(x, frame.y0 - 5.0);
                let rect = Rect {
                    x0: at.x,
                    y0: at.y - m.ascent,
                    x1: at.x + m.width,
                    y1: at.y + m.descent,
                };
                (at, rect)
            };
            let clear = |rect: &Rect| {
                let r = rect.grown(2.0);
                !scene.texts.iter().any(|t| r.overlaps(&t.rect))
                    && !scene
                        .lines
                        .iter()
                        .any(|l| l.points.windows(2).any(|w| r.meets_segment(w[0], w[1])))
            };
            let room = frame.x1 - frame.x0 - 12.0 - m.width;
            let left = place(frame.x0 + 6.0);
            let (at, rect) = [1.0, 0.5, 0.25, 0.75]
                .into_iter()
                .map(|k| place(frame.x0 + 6.0 + k * room))
                .fold(None, |found, p| found.or(clear(&p.1).then_some(p)))
                .filter(|_| !clear(&left.1))
                .unwrap_or(left);
            scene.texts.push(Text {
                at,
                anchor: Anchor::Start,
                rect,
                content: label,
                size,
                bold: false,
                colour: GROUP,
                inside: None,
                formula: None,
            });
            scene.groups.push(frame);
        }
    }

    /// Each group's label and the frame drawn around its operators and the labels of the
    /// edges between them, in name order.
    pub(super) fn group_frames(&self) -> Vec<(String, Rect)> {
        let graph = &self.model.graph;
        let group = |n: NodeIndex| match &graph[n].kind {
            Kind::Op(_) => graph[n].group.as_deref(),
            _ => None,
        };
        let mut frames: BTreeMap<String, Rect> = BTreeMap::new();
        let mut add = |g: &str, r: Rect| {
            frames
                .entry(g.to_string())
                .and_modify(|f| *f = f.union(&r))
                .or_insert(r);
        };
        for n in graph.node_indices() {
            if let Some(g) = group(n) {
                add(g, self.diagram.node(n).rect().grown(GROUP_PADDING));
            }
        }
        for (e, edge) in graph.raw_edges().iter().enumerate() {
            let Some(g) = group(edge.source()).filter(|&g| group(edge.target()) == Some(g)) else {
                continue;
            };
            for (side, text, markup, bold) in [
                (
                    Side::Above,
                    &self.texts.above[e],
                    &self.texts.above_tex[e],
                    false,
                ),
                (
                    Side::Below,
                    &self.texts.below[e],
                    &self.texts.below_tex[e],
                    true,
                ),
            ] {
                let (m, _) = super::scene::measure_label(text, markup.as_ref(), bold, &self.style);
                add(g, self.diagram.label_rect(e, m, side).grown(4.0));
            }
        }
        frames
            .into_iter()
            .map(|(g, rect)| {
                let label = self
                    .model
                    .groups
                    .get(&g)
                    .and_then(|s| s.label.clone())
                    .unwrap_or(g);
                (label, rect)
            })
            .collect()
    }
}
