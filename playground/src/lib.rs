//! chainrule in the browser: the playground page's WebAssembly module. A [`Playground`]
//! holds one scenario and the figure last drawn of it; every answer to the page is JSON text
//! (the page parses it), every error a JSON object `{message, line, column, node}` with the
//! message the command line gives.

use std::collections::BTreeSet;

use chainrule::live::{self, Live};
use chainrule::{Annotate, Error, Lang, Scenario, View};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// Above this many nodes a scenario is not drawn as one types: the page says it is too large
/// to draw live and offers to draw it once.
pub const LIVE_MAX_NODES: usize = 400;

/// An error as the page shows it: the command line's message, and where it is when known
/// (line and column of a JSON or text-format syntax error, else the node it names).
fn error_json(error: &Error) -> String {
    let (line, column, node) = match error {
        Error::Syntax { line, column, .. } | Error::Text { line, column, .. } => {
            (Some(*line), Some(*column), None)
        }
        Error::Scenario { source, .. } => (None, None, node_of(source)),
        Error::Numeric { source, .. } => (None, None, Some(source.id.clone())),
        _ => (None, None, None),
    };
    json!({"message": error.to_string(), "line": line, "column": column, "node": node}).to_string()
}

/// The node a scenario error names, if it names one.
fn node_of(error: &chainrule::error::ScenarioError) -> Option<String> {
    use chainrule::error::ScenarioError;
    match error {
        ScenarioError::Node { id, .. } | ScenarioError::TooManyNumbers { node: id, .. } => {
            Some(id.clone())
        }
        ScenarioError::UnknownOutput(id) => Some(id.clone()),
        ScenarioError::Cycle(ids) => ids.first().cloned(),
        _ => None,
    }
}

fn rect(r: &chainrule::layout::geometry::Rect) -> Value {
    json!([r.x0, r.y0, r.x1, r.y1])
}

/// One scenario on the page and the figure last drawn of it.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Playground {
    scenario: Option<Scenario>,
    live: Option<Live>,
}

#[wasm_bindgen]
impl Playground {
    /// A playground with no scenario yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        Playground::default()
    }

    /// Reads scenario text, JSON or the text format. On success, keeps it and answers
    /// `{title, nodes, live_max_nodes, inputs: [{id, name, value}]}`; on failure keeps the
    /// scenario it had and throws the error.
    pub fn load(&mut self, text: &str) -> Result<String, String> {
        let scenario = Scenario::parse(text).map_err(|e| error_json(&e))?;
        let model = scenario.model();
        let inputs: Vec<Value> = scenario
            .scalar_inputs()
            .into_iter()
            .map(|i| json!({"id": i.id, "name": i.name, "value": i.value}))
            .collect();
        let info = json!({
            "title": model.title,
            "nodes": model.graph.node_count(),
            "live_max_nodes": LIVE_MAX_NODES,
            "inputs": inputs,
        });
        self.scenario = Some(scenario);
        self.live = None;
        Ok(info.to_string())
    }

    /// Sets an input that holds one number.
    pub fn set_input(&mut self, id: &str, value: f64) -> Result<(), String> {
        let scenario = self.scenario.as_mut().ok_or("no scenario")?;
        scenario.set_input(id, value).map_err(|e| error_json(&e))
    }

    /// Draws the scenario: `view` "forward" or "backward"; `annotate` "numeric", "symbolic",
    /// "both" or "" for the scenario's own; `highlight` "node:ID", "edge:INDEX" or "" for
    /// none. Answers `{svg, width, height, nodes: [{id, rect}], edges: [{edge, route,
    /// labels}], lit: [ids]}` (rects as [x0, y0, x1, y1] in the SVG's units).
    pub fn draw(&mut self, view: &str, annotate: &str, highlight: &str) -> Result<String, String> {
        let scenario = self.scenario.as_ref().ok_or("no scenario")?;
        let model = scenario.model();
        let mut figure = scenario.figure().view(match view {
            "forward" => View::Forward,
            _ => View::Backward,
        });
        match annotate {
            "numeric" => figure = figure.annotate(Annotate::Numeric),
            "symbolic" => figure = figure.annotate(Annotate::Symbolic),
            "both" => figure = figure.annotate(Annotate::Both),
            _ => {}
        }
        let lit = match highlight.split_once(':') {
            Some(("node", id)) => model.find(id).map(|n| live::paths_through_node(model, n)),
            Some(("edge", e)) => e.parse().ok().map(|e| live::paths_through_edge(model, e)),
            _ => None,
        };
        if let Some(lit) = &lit {
            figure = figure.highlight(lit.clone());
        }
        let drawn = figure.live().map_err(|e| error_json(&e))?;
        let svg = drawn.svg();
        let diagram = drawn.drawing().diagram();
        let nodes: Vec<Value> = drawn
            .nodes()
            .iter()
            .map(|n| json!({"id": n.id, "rect": rect(&n.rect)}))
            .collect();
        let edges: Vec<Value> = drawn
            .edges()
            .iter()
            .map(|e| {
                json!({
                    "edge": e.edge,
                    "route": e.route.iter().map(|p| [p.x, p.y]).collect::<Vec<_>>(),
                    "labels": e.labels.iter().map(rect).collect::<Vec<_>>(),
                })
            })
            .collect();
        let lit: Vec<&str> = lit
            .iter()
            .flatten()
            .map(|&n| model.graph[n].id.as_str())
            .collect();
        let answer = json!({
            "svg": svg,
            "width": diagram.width,
            "height": diagram.height,
            "nodes": nodes,
            "edges": edges,
            "lit": lit,
        });
        self.live = Some(drawn);
        Ok(answer.to_string())
    }

    /// The backward pass's frames on the last figure's layout, `[{svg, sentence}]`, the
    /// sentences in `lang` ("en" or "zh").
    pub fn frames(&self, lang: &str) -> Result<String, String> {
        let drawn = self.live.as_ref().ok_or("nothing drawn")?;
        let lang = if lang == "zh" { Lang::Zh } else { Lang::En };
        let frames: Vec<Value> = drawn
            .frames(lang)
            .into_iter()
            .map(|f| json!({"svg": f.svg, "sentence": f.sentence}))
            .collect();
        Ok(Value::Array(frames).to_string())
    }

    /// The quiz of the last figure: `[{edge, rect, gradient, written, hint}]`.
    pub fn blanks(&self) -> Result<String, String> {
        let drawn = self.live.as_ref().ok_or("nothing drawn")?;
        let blanks: Vec<Value> = drawn
            .blanks()
            .iter()
            .map(|b| {
                json!({
                    "edge": b.edge,
                    "rect": rect(&b.rect),
                    "gradient": b.gradient,
                    "written": b.written,
                    "hint": b.hint,
                })
            })
            .collect();
        Ok(Value::Array(blanks).to_string())
    }

    /// The last figure with only the answered blanks' gradients drawn.
    pub fn quiz_svg(&self, answered: Vec<u32>) -> Result<String, String> {
        let drawn = self.live.as_ref().ok_or("nothing drawn")?;
        let answered: BTreeSet<usize> = answered.into_iter().map(|e| e as usize).collect();
        Ok(drawn.quiz_svg(&answered))
    }
}

/// Whether a typed answer counts as `gradient` (see [`live::QUIZ_TOLERANCE`]).
#[wasm_bindgen]
pub fn close_enough(answer: f64, gradient: f64) -> bool {
    live::close_enough(answer, gradient)
}

/// The quiz's tolerance, for the page to say.
#[wasm_bindgen]
pub fn quiz_tolerance() -> f64 {
    live::QUIZ_TOLERANCE
}

/// The font the figures are laid out with, regular or bold, for the page to show them in.
#[wasm_bindgen]
pub fn font(bold: bool) -> Vec<u8> {
    chainrule::draw::fonts::SHIPPED[usize::from(bold)].to_vec()
}
