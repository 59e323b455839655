//! The scenario file, exactly as written: serde types that mirror the JSON and nothing else.
//! Validation and meaning live in [`crate::core::model`]; the numbers of a file are read
//! within the limits of [`crate::core::limits`] by the `bounded` reader.

mod bounded;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

pub(crate) use bounded::FileBudget;
use bounded::{bounded, exact, present};

/// Tensors of at most this many elements are labelled by their values unless a scenario says
/// otherwise (`tensor_values`).
pub const DEFAULT_TENSOR_VALUES: usize = 4;

/// A scenario file: a titled list of nodes, which node's gradient to take, and its seed.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "chainrule scenario"))]
#[serde(deny_unknown_fields)]
pub struct Scenario<'a> {
    /// Shown as the figure's title.
    pub title: Option<String>,
    /// Free text for the reader.
    pub description: Option<String>,
    /// The nodes, in order.
    #[serde(borrow)]
    pub nodes: Vec<NodeSpec<'a>>,
    /// The id of the node whose gradient is taken; default: the last node.
    pub output: Option<String>,
    /// The upstream gradient at the output: a number or an array of the output's shape.
    #[serde(default, deserialize_with = "bounded")]
    #[cfg_attr(feature = "schema", schemars(with = "Literal", transform = no_default))]
    pub seed: Option<Value>,
    /// The figures to draw; default: one backward figure.
    #[serde(default)]
    pub figures: Vec<FigureSpec>,
    /// Defaults for `chainrule frames`.
    pub frames: Option<FramesSpec>,
    /// What the labels show by default: numbers, derivatives as math, or both.
    pub annotate: Option<Annotate>,
    /// How the graph is laid out: compact (the default) or as the book draws it.
    pub layout: Option<LayoutStyle>,
    /// How derivatives are written when they are shown as math.
    pub symbolic: Option<SymbolicSpec>,
    /// Tensors of at most this many elements are labelled by their values, larger ones by
    /// their shape; 0 shows every tensor by its shape. Default: 4.
    pub tensor_values: Option<usize>,
    /// Labels written by hand for particular edges.
    #[serde(default)]
    pub labels: Vec<LabelSpec>,
    /// The layers that nodes are grouped into (by their `group`), by name.
    #[serde(default)]
    pub groups: BTreeMap<String, GroupSpec>,
}

/// A layer made of several nodes: drawn as a labelled frame around them, or folded into one
/// box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The layer's name as drawn; default: the group's name.
    pub label: Option<String>,
    /// The layer's derivative as math, for symbolic labels of the folded box (`y(1 − y)`).
    pub derivative: Option<String>,
}

/// How a scenario's graph is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum LayoutStyle {
    /// As small as labels allow: every edge's labels on a level stretch of their own between
    /// two ranks of nodes, edges bending only between ranks; each figure is laid out for
    /// the labels it shows.
    #[default]
    Compact,
    /// As the book draws it: straight edges with their labels along them, ranks spaced out
    /// until no label is crowded, one layout for every figure of the scenario.
    Book,
}

/// What the labels of a figure show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Annotate {
    /// Values and gradients as numbers.
    #[default]
    Numeric,
    /// Names and derivatives as math (`∂L/∂z · y`).
    Symbolic,
    /// The derivative and its value (`∂L/∂z · y = 6.5`).
    Both,
}

/// The most factors a label of the full form may have where the scenario does not choose a
/// form: if one would have more, every label of the figure is written in the compact form,
/// ∂L/∂h times the local derivative, so that no label grows with the depth of the graph.
pub const COMPACT_ABOVE: usize = 6;

/// How symbolic gradients are written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SymbolicSpec {
    /// `local` multiplies by each node's local derivative (`∂z/∂z · 2t · 1`); `chain` writes
    /// the chain rule's factors (`∂z/∂z · ∂z/∂t · ∂t/∂x`).
    #[serde(default)]
    pub style: ChainStyle,
    /// Whether factors of 1 are written (`∂L/∂z · 1`) or left out. Default: written.
    pub ones: Option<bool>,
    /// The name of what gradients are taken of (`L`); default: the output's name.
    pub loss: Option<String>,
    /// The name of the gradient arriving at the output (the text's `E` in y = f(x));
    /// default: ∂loss/∂output.
    pub seed: Option<String>,
    /// Whether signs are pulled to the front of a product, where two minus signs cancel
    /// (`∂L/∂y · y² · exp(−x)`), or each factor is written as its node contributes it
    /// (`∂L/∂y · (−y²) · exp(−x) · (−1)`). Default: as contributed.
    pub simplify: Option<bool>,
    /// `full` writes the whole product of local derivatives from the output down; `compact`
    /// writes the gradient arriving at a node by name, times its local derivative
    /// (`∂L/∂h · (1 − h²)`). Default: full, unless a label would then have more than 6
    /// factors.
    pub form: Option<Form>,
}

/// How much of the chain a symbolic gradient writes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// Every local derivative from the output down: `∂L/∂y · (1 − y²) · (1 − h²)`.
    Full,
    /// The gradient arriving from above by name, times the local derivative:
    /// `∂L/∂h · (1 − h²)`.
    Compact,
}

/// How a symbolic gradient is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChainStyle {
    /// Upstream gradient times each node's local derivative.
    #[default]
    Local,
    /// The chain rule's factors, ∂ over ∂, unevaluated.
    Chain,
}

/// A hand-written label for the edge from one node to another.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    /// The edge's source node.
    pub from: String,
    /// The edge's target node.
    pub to: String,
    /// What to write above the forward arrow (TeX between `$…$` is typeset).
    pub forward: Option<String>,
    /// What to write under the backward arrow.
    pub backward: Option<String>,
}

/// A scenario's defaults for stepping through its passes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FramesSpec {
    /// Which pass to step through.
    pub pass: Option<Pass>,
    /// What the frames' labels show, instead of the scenario's default.
    pub annotate: Option<Annotate>,
}

/// Which pass a frame sequence steps through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Pass {
    /// Values appear node by node, in topological order.
    Forward,
    /// Gradients appear node by node, from the seed back to the inputs.
    #[default]
    Backward,
    /// The forward pass, then the backward pass.
    Both,
}

/// One node as written in the file. Its id and its arguments' ids are borrowed from the
/// file's text (unless they have escapes): a graph of a million nodes has millions of them.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "A node: an input (`input`), a constant (`const`), or an operator \
                            (`op`) applied to earlier nodes (`args`)."
    )
)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec<'a> {
    /// Unique id, used by `args` and `output`.
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// The value of an input variable; `null` for an input known only by its name, which is
    /// drawn with symbolic labels alone.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Literal>"))]
    pub input: Option<Literal>,
    /// The value of a constant.
    #[serde(default, rename = "const", deserialize_with = "present")]
    #[cfg_attr(feature = "schema", schemars(with = "Literal"))]
    pub constant: Option<Literal>,
    /// The operator's name.
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(schema_with = "op_schema"))]
    pub op: Option<Id<'a>>,
    /// The operator's arguments, by id.
    #[serde(borrow)]
    pub args: Option<Vec<Id<'a>>>,
    /// The display name.
    pub label: Option<String>,
    /// What is drawn inside an operator node, instead of the op's own symbol.
    pub symbol: Option<String>,
    /// The mathematical name of the node's value (`x`, `t`, `exp(−x)`), for symbolic labels;
    /// default: the label, else the id.
    pub name: Option<String>,
    /// The layer the node belongs to (a key of the scenario's `groups`, or any name).
    pub group: Option<String>,
    /// The exponent of `pow`.
    #[serde(default, deserialize_with = "exact")]
    #[cfg_attr(feature = "schema", schemars(with = "f64", transform = no_default))]
    pub p: Option<f64>,
    /// The axis of `sum` and `mean`.
    pub axis: Option<usize>,
}

/// A node's id in a list of them, or an operator's name: borrowed from the file's text
/// unless it has escapes (serde borrows a `Cow` only where it is a field's whole type).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(inline, description = "A node's id."))]
#[serde(transparent)]
pub struct Id<'a>(#[serde(borrow)] pub Cow<'a, str>);

/// A figure a scenario asks for.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FigureSpec {
    /// Part of the file name: `<scenario>-<name>.svg`.
    pub name: String,
    /// Forward values only, or values and gradients.
    #[serde(default)]
    pub view: View,
    /// If given, only the gradients on edges between these nodes are drawn.
    pub highlight: Option<Vec<String>>,
    /// What this figure's labels show, instead of the scenario's default.
    pub annotate: Option<Annotate>,
    /// How this figure writes symbolic gradients, instead of the scenario's style.
    pub style: Option<ChainStyle>,
    /// Draw each group as one box whose gradient is the group's end-to-end gradient.
    #[serde(default)]
    pub collapse: bool,
    /// Draw the state after this step of the backward pass, exactly as frame `step` of
    /// `chainrule frames --pass backward` (its caption too): 0 is the finished forward pass,
    /// 1 the seed at the output, then one step per operator, as `eval --steps` numbers them.
    /// Its labels default to the scenario's `frames` setting. Needs numbers; not with
    /// `"view": "forward"`, `highlight` or `collapse`.
    pub step: Option<usize>,
}

/// What a figure shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The forward values only.
    Forward,
    /// The forward values and, under them, the gradients.
    #[default]
    Backward,
}

/// The value of an input or a constant as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A number, the usual case (and kept small: a graph may have a million).
    Number(f64),
    /// Anything else: an array for a tensor, `null`, or something wrong to report.
    Json(Box<Value>),
}

/// A number, or an array of them for a tensor (nested once per dimension): what the schema
/// allows for a value; the parser also reads anything else, to report it.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Literal {
    fn schema_name() -> Cow<'static, str> {
        "Literal".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number, or an array of them for a tensor, nested once per \
                            dimension: [[1, 2], [3, 4]] is a 2×2 matrix.",
            "anyOf": [
                { "type": "number" },
                { "type": "array", "items": generator.subschema_for::<Literal>() }
            ]
        })
    }
}

/// The name of one of the operators ([`crate::core::ops::NAMES`]).
#[cfg(feature = "schema")]
fn op_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "enum": crate::core::ops::NAMES,
    })
}

/// Leaves out the `default: null` of a field whose `null` is refused (it is absent instead).
#[cfg(feature = "schema")]
fn no_default(schema: &mut schemars::Schema) {
    schema.remove("default");
}

/// The JSON Schema (draft 2020-12) of a scenario file, derived from the types above, as
/// `chainrule schema` prints it: pretty JSON with a final newline.
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Scenario<'static>);
    serde_json::to_string_pretty(&schema).expect("a schema's keys are strings") + "\n"
}

#[cfg(all(test, feature = "schema"))]
mod tests {
    use super::*;

    /// The descriptions that give a default as a number, in the schema as in the docs.
    #[test]
    fn the_defaults_the_schema_states_are_the_constants() {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        let tensor_values = schema["properties"]["tensor_values"]["description"]
            .as_str()
            .unwrap();
        assert!(tensor_values.ends_with(&format!("Default: {DEFAULT_TENSOR_VALUES}.")));
        let form = schema["$defs"]["SymbolicSpec"]["properties"]["form"]["description"]
            .as_str()
            .unwrap();
        let above = COMPACT_ABOVE;
        assert!(
            form.ends_with(&format!("more than {above}\nfactors.")),
            "{form}"
        );
    }
}
