//! Checks a scene for things drawn on top of each other: a label over another label, over an
//! arrow or over a node; an arrow through a node it does not connect; anything off the canvas.
//! A value or gradient is named with its edge: `the value "0" on a → b overlaps the gradient
//! "74.12" on c → d`.

use super::scene::{Outline, Scene};
use crate::layout::diagram::Side;
use crate::layout::geometry::{segment_distance, Rect};

/// Every collision in `scene`, one sentence each, each sentence once; empty when the figure
/// is clean. Edges are named by their index (`edge 3`); [`named_collisions`] names them.
pub fn collisions(scene: &Scene) -> Vec<String> {
    named_collisions(scene, &|e| format!("edge {e}"))
}

/// [`collisions`], each edge named by `edge` (e.g. `a → b`, from the edge's index).
pub fn named_collisions(scene: &Scene, edge: &dyn Fn(usize) -> String) -> Vec<String> {
    let what = |i: usize| {
        let content = &scene.texts[i].content;
        match scene.edge_labels.get(&i) {
            Some(&(e, Side::Above)) => format!("the value \"{content}\" on {}", edge(e)),
            Some(&(e, Side::Below)) => format!("the gradient \"{content}\" on {}", edge(e)),
            None => format!("label \"{content}\""),
        }
    };
    let mut found = Vec::new();
    let canvas = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: scene.width,
        y1: scene.height,
    };
    let texts = &scene.texts;
    for (i, a) in texts.iter().enumerate() {
        let ra = a.rect.grown(-0.5);
        let empty = !(ra.x0 <= ra.x1 && ra.y0 <= ra.y1);
        if ra.x0 < canvas.x0 || ra.y0 < canvas.y0 || ra.x1 > canvas.x1 || ra.y1 > canvas.y1 {
            found.push(format!("{} is off the canvas", what(i)));
        }
        for (j, b) in texts.iter().enumerate().skip(i + 1) {
            if ra.overlaps(&b.rect.grown(-0.5)) {
                found.push(format!("{} overlaps {}", what(i), what(j)));
            }
        }
        for line in &scene.lines {
            if line
                .points
                .windows(2)
                .any(|s| ra.grown(1.0).meets_segment(s[0], s[1]))
            {
                found.push(format!("{} overlaps an arrow", what(i)));
            }
        }
        for (node, outline) in &scene.outlines {
            if a.inside == Some(*node) {
                continue;
            }
            let hit = match outline {
                // A label narrower or lower than 1 px (an empty one) has an inside-out
                // rectangle here, which cannot meet a circle (and which `clamp` refuses).
                Outline::Circle { .. } if empty => false,
                Outline::Circle { centre, r } => ra.meets_circle(*centre, *r),
                Outline::Layer(rect) => ra.overlaps(rect),
            };
            if hit {
                found.push(format!("{} overlaps a node", what(i)));
            }
        }
    }
    for line in &scene.lines {
        for (_, outline) in &scene.outlines {
            let through = line.points.windows(2).any(|s| match outline {
                Outline::Circle { centre, r } => segment_distance(*centre, s[0], s[1]) < r - 0.5,
                Outline::Layer(rect) => rect.grown(-0.5).meets_segment(s[0], s[1]),
            });
            if through {
                found.push("an arrow passes through a node".to_string());
            }
        }
    }
    // A label over two arrows, or two arrows through nodes, is one sentence: say it once.
    let mut seen = std::collections::HashSet::new();
    found.retain(|c| seen.insert(c.clone()));
    found
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::draw::scene::{Anchor, Line, LineKind, Style, Text};
    use crate::layout::geometry::Point;

    /// An empty label has a rectangle of no width, inside out once shrunk: it meets nothing
    /// and panics nowhere.
    #[test]
    fn an_empty_label_collides_with_nothing() {
        let text = Text {
            at: Point::new(50.0, 50.0),
            anchor: Anchor::Middle,
            content: String::new(),
            size: 14.0,
            bold: false,
            colour: "black",
            rect: Rect::centred(Point::new(50.0, 50.0), 0.0, 0.0),
            inside: None,
            formula: None,
        };
        let scene = Scene {
            width: 100.0,
            height: 100.0,
            title: String::new(),
            outlines: vec![(
                0,
                Outline::Circle {
                    centre: Point::new(50.0, 52.0),
                    r: 20.0,
                },
            )],
            lines: Vec::new(),
            texts: vec![text.clone(), text],
            marks: Vec::new(),
            active: None,
            groups: Vec::new(),
            style: Style::default(),
            edge_labels: BTreeMap::new(),
        };
        assert_eq!(collisions(&scene), Vec::<String>::new());
    }

    /// A label over two arrows is one sentence, said once, not twice.
    #[test]
    fn the_same_collision_is_said_once() {
        let text = Text {
            at: Point::new(50.0, 50.0),
            anchor: Anchor::Middle,
            content: "a".to_string(),
            size: 14.0,
            bold: false,
            colour: "black",
            rect: Rect::centred(Point::new(50.0, 50.0), 20.0, 10.0),
            inside: None,
            formula: None,
        };
        let across = |y: f64| Line {
            points: vec![Point::new(10.0, y), Point::new(90.0, y)],
            kind: LineKind::Forward,
        };
        let scene = Scene {
            width: 100.0,
            height: 100.0,
            title: String::new(),
            outlines: Vec::new(),
            lines: vec![across(49.0), across(51.0)],
            texts: vec![text],
            marks: Vec::new(),
            active: None,
            groups: Vec::new(),
            style: Style::default(),
            edge_labels: BTreeMap::new(),
        };
        assert_eq!(
            collisions(&scene),
            vec!["label \"a\" overlaps an arrow".to_string()]
        );
    }

    /// A value and a gradient over each other are named with their edges, and a label that
    /// is no edge's by its text.
    #[test]
    fn edge_labels_are_named_with_their_edges() {
        let text = |content: &str, x: f64| Text {
            at: Point::new(x, 50.0),
            anchor: Anchor::Middle,
            content: content.to_string(),
            size: 14.0,
            bold: false,
            colour: "black",
            rect: Rect::centred(Point::new(x, 50.0), 20.0, 10.0),
            inside: None,
            formula: None,
        };
        let scene = Scene {
            width: 100.0,
            height: 100.0,
            title: String::new(),
            outlines: Vec::new(),
            lines: Vec::new(),
            texts: vec![text("0", 50.0), text("74.12", 55.0), text("g", 60.0)],
            marks: Vec::new(),
            active: None,
            groups: Vec::new(),
            style: Style::default(),
            edge_labels: BTreeMap::from([(0, (2, Side::Above)), (1, (5, Side::Below))]),
        };
        let ends = |e: usize| ["a → b", "", "x → y", "", "", "c → d"][e].to_string();
        assert_eq!(
            named_collisions(&scene, &ends),
            [
                "the value \"0\" on x → y overlaps the gradient \"74.12\" on c → d",
                "the value \"0\" on x → y overlaps label \"g\"",
                "the gradient \"74.12\" on c → d overlaps label \"g\"",
            ]
        );
        assert_eq!(
            collisions(&scene)[0],
            "the value \"0\" on edge 2 overlaps the gradient \"74.12\" on edge 5"
        );
    }
}
