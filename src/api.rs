//! The front door: a scenario from JSON, the text format or a file, its numbers, and a
//! figure as SVG, in a few calls. The stage modules ([`crate::core`], [`crate::layout`],
//! [`crate::draw`], [`crate::export`]) are there for what this does not cover.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use petgraph::graph::NodeIndex;

use crate::core::collapse;
use crate::core::engine::Trace;
use crate::core::load;
use crate::core::model::{Kind, Model};
use crate::core::scenario::{Annotate, View};
use crate::core::tensor::Tensor;
use crate::draw::{DrawOptions, Drawing, Figure, EDGE_LABELS_UP_TO};
use crate::error::Error;
use crate::live::Live;
use crate::text::format::DEFAULT_PRECISION;

/// A validated scenario: its graph, ready to evaluate and draw.
#[derive(Debug, Clone)]
pub struct Scenario {
    name: PathBuf,
    model: Model,
}

impl Scenario {
    /// Parses and validates scenario JSON; errors name it `<json>`.
    ///
    /// # Errors
    /// [`Error::Syntax`] with line and column, or [`Error::Scenario`] naming the node.
    pub fn from_json(text: &str) -> Result<Scenario, Error> {
        let name = PathBuf::from("<json>");
        let model = load::parse_json(&name, text)?;
        Ok(Scenario { name, model })
    }

    /// Parses and validates a scenario in the text format ([`crate::core::script`]); errors
    /// name it `<text>`.
    ///
    /// # Errors
    /// [`Error::Text`] with line, column and a caret under the place, or
    /// [`Error::Scenario`] naming the node.
    pub fn from_text(text: &str) -> Result<Scenario, Error> {
        let name = PathBuf::from("<text>");
        let model = load::parse_text(&name, text)?;
        Ok(Scenario { name, model })
    }

    /// Parses and validates a scenario in either format: JSON if it starts with `{`, else
    /// the text format; errors name it `<json>` or `<text>`.
    ///
    /// # Errors
    /// Those of [`Scenario::from_json`] or [`Scenario::from_text`].
    pub fn parse(text: &str) -> Result<Scenario, Error> {
        if crate::core::script::is_json(text) {
            Scenario::from_json(text)
        } else {
            Scenario::from_text(text)
        }
    }

    /// Reads and validates a scenario file (`-` for standard input); errors name the file.
    ///
    /// # Errors
    /// [`Error::Read`], and those of [`Scenario::from_json`] or [`Scenario::from_text`]
    /// (a `.chain` file is text, a `.json` file JSON, anything else by its content).
    pub fn open(path: impl AsRef<Path>) -> Result<Scenario, Error> {
        let name = path.as_ref().to_path_buf();
        let model = load::model(&name)?;
        Ok(Scenario { name, model })
    }

    /// The name its messages use: the file it was read from, or `<json>` or `<text>`.
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// The validated graph.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Runs the forward and backward passes.
    ///
    /// # Errors
    /// [`Error::Scenario`] for shapes that do not fit or a scenario without numbers,
    /// [`Error::Numeric`] for a value or gradient that is not finite.
    pub fn evaluate(&self) -> Result<Evaluation<'_>, Error> {
        let trace = load::evaluate(&self.name, &self.model)?;
        Ok(Evaluation {
            model: &self.model,
            trace,
        })
    }

    /// A figure of the scenario, with the options the command line has, each defaulted as
    /// `chainrule render` defaults it.
    pub fn figure(&self) -> FigureBuilder<'_> {
        FigureBuilder {
            scenario: self,
            view: View::Backward,
            annotate: None,
            precision: DEFAULT_PRECISION,
            collapse: false,
            edge_labels_up_to: EDGE_LABELS_UP_TO,
            highlight: None,
        }
    }

    /// The inputs that hold a single number, in file order: what a page's sliders set.
    pub fn scalar_inputs(&self) -> Vec<ScalarInput> {
        self.model
            .graph
            .node_weights()
            .filter_map(|node| match &node.kind {
                Kind::Input(Some(value)) if value.len() == 1 => Some(ScalarInput {
                    id: node.id.clone(),
                    name: node.name().to_string(),
                    value: value.iter().copied().next()?,
                }),
                _ => None,
            })
            .collect()
    }

    /// Sets the input with this id, which holds a single number, to `value`, keeping its
    /// shape.
    ///
    /// # Errors
    /// [`Error::Usage`] if no such input holds a single number, or `value` is not finite.
    pub fn set_input(&mut self, id: &str, value: f64) -> Result<(), Error> {
        let bad = |why: &str| Error::Usage(format!("{}: {why}", self.name.display()));
        if !value.is_finite() {
            return Err(bad(&format!("input \"{id}\" must be a finite number")));
        }
        let node = self
            .model
            .find(id)
            .ok_or_else(|| bad(&format!("no node has the id \"{id}\"")))?;
        match &mut self.model.graph[node].kind {
            Kind::Input(Some(tensor)) if tensor.len() == 1 => {
                tensor.fill(value);
                Ok(())
            }
            _ => Err(bad(&format!(
                "node \"{id}\" is not an input holding a single number"
            ))),
        }
    }
}

/// An input holding a single number.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarInput {
    /// Its id.
    pub id: String,
    /// Its name as figures show it (its label, else its id).
    pub name: String,
    /// Its value.
    pub value: f64,
}

/// Every forward value and gradient of a scenario.
#[derive(Debug)]
pub struct Evaluation<'a> {
    model: &'a Model,
    trace: Trace,
}

impl Evaluation<'_> {
    /// The forward value of the node with this id.
    pub fn value(&self, id: &str) -> Option<&Tensor> {
        self.model.find(id).map(|n| &self.trace.values[n.index()])
    }

    /// The gradient of the output with respect to the node with this id.
    pub fn grad(&self, id: &str) -> Option<&Tensor> {
        self.model.find(id).map(|n| &self.trace.grads[n.index()])
    }

    /// The whole trace: values, gradients per node and per edge, the backward steps.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }
}

/// Options of one figure; [`FigureBuilder::svg`] draws it.
#[derive(Debug, Clone)]
pub struct FigureBuilder<'a> {
    scenario: &'a Scenario,
    view: View,
    annotate: Option<Annotate>,
    precision: usize,
    collapse: bool,
    edge_labels_up_to: usize,
    highlight: Option<BTreeSet<NodeIndex>>,
}

impl FigureBuilder<'_> {
    /// Forward values only, or gradients too (default: backward).
    pub fn view(mut self, view: View) -> Self {
        self.view = view;
        self
    }

    /// Numbers, symbols or both on the labels (default: as the scenario says).
    pub fn annotate(mut self, annotate: Annotate) -> Self {
        self.annotate = Some(annotate);
        self
    }

    /// Significant digits of the numbers (default 4).
    pub fn precision(mut self, digits: usize) -> Self {
        self.precision = digits;
        self
    }

    /// Folds each group of the scenario into one box (default: no).
    pub fn collapse(mut self, collapse: bool) -> Self {
        self.collapse = collapse;
        self
    }

    /// Draws edges without their labels above this many edges (default 200).
    pub fn edge_labels_up_to(mut self, edges: usize) -> Self {
        self.edge_labels_up_to = edges;
        self
    }

    /// Draws gradients only on edges between these nodes, as a scenario's figure with
    /// `highlight` does (default: every gradient).
    pub fn highlight(mut self, nodes: BTreeSet<NodeIndex>) -> Self {
        self.highlight = Some(nodes);
        self
    }

    /// The figure as an SVG document, byte for byte what `chainrule render` writes for the
    /// same scenario and options.
    ///
    /// # Errors
    /// Those of [`Scenario::evaluate`] (a scenario without numbers is drawn with symbols
    /// unless numbers are asked for), and a group that cannot be folded.
    pub fn svg(&self) -> Result<String, Error> {
        Ok(self.live()?.svg())
    }

    /// The figure drawn for a live page: its SVG ([`Live::svg`], the same as
    /// [`FigureBuilder::svg`]) with its places, frames and quiz.
    ///
    /// # Errors
    /// Those of [`FigureBuilder::svg`].
    pub fn live(&self) -> Result<Live, Error> {
        let Scenario { name, model } = self.scenario;
        let (trace, numbers) = load::trace_or_skeleton(name, model, self.annotate)?;
        let annotate = match (numbers, self.annotate) {
            (false, _) => Annotate::Symbolic,
            (true, Some(annotate)) => annotate,
            (true, None) => model.annotate,
        };
        let fail = |source| Error::Scenario {
            path: name.clone(),
            source,
        };
        let collapse = self.collapse && collapse::has_groups(model);
        let (model, trace) = if collapse {
            collapse::collapse(model, &trace).map_err(fail)?
        } else {
            (model.clone(), trace)
        };
        let options = DrawOptions {
            precision: self.precision,
            annotate: Some(annotate),
            edge_labels_up_to: self.edge_labels_up_to,
            spacing: None,
            gradients: self.view == View::Backward,
        };
        let drawing = Drawing::with_options(model, trace, &options);
        let figure = Figure {
            file_stem: load::stem(name),
            view: self.view,
            highlight: self.highlight.clone(),
            annotate: None,
            style: None,
            collapse,
            step: None,
        };
        Ok(Live::new(drawing, figure, self.precision))
    }
}
