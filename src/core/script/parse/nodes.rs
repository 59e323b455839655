//! The nodes an expression makes and the scenario they end in: an id for each sub-expression
//! from what it does (`x_plus_y`, `exp_x`, `const_2`), made unique, each node checked as its
//! JSON would be, and the limit on how many nodes a text makes.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Fail, Operand, Parser, BARE};
use crate::core::limits::MAX_TEXT_NODES;
use crate::core::scenario::{NodeSpec, Scenario};
use crate::error::TextProblem;

/// Generated ids longer than this are replaced by the op's name (and a number).
const MAX_GENERATED_CHARS: usize = 32;

impl Parser<'_> {
    pub(super) fn push_node(&mut self, node: Map<String, Value>, at: usize) -> Result<(), Fail> {
        let spec = node_spec(node, at)?;
        // Every node made so far has a place: a name assigned before is one of them.
        if self.places.contains_key(spec.id.as_ref()) {
            let bare = self.bare && spec.id == BARE;
            return Err((
                at,
                TextProblem::AssignedTwice {
                    name: spec.id.to_string(),
                    bare,
                },
            ));
        }
        self.add(spec, at)
    }

    /// Adds a node, unless the scenario has [`MAX_TEXT_NODES`] already.
    fn add(&mut self, spec: NodeSpec<'static>, at: usize) -> Result<(), Fail> {
        if self.nodes.len() + self.inputs.len() >= MAX_TEXT_NODES {
            return Err((at, TextProblem::TooManyNodes));
        }
        self.places.insert(spec.id.to_string(), at);
        self.nodes.push(spec);
        Ok(())
    }

    /// `left op right` as a node; the left operand is made a node before the right one is
    /// read, so that the nodes come in post-order.
    pub(super) fn binary(
        &mut self,
        op: &str,
        word: &str,
        left: String,
        right: Operand,
        at: usize,
    ) -> Result<Operand, Fail> {
        let right = self.materialize(right, at)?;
        let id = format!("{left}_{word}_{right}");
        self.op_node(op, &id, vec![left, right], Map::new(), at)
    }

    /// An operator node with a fresh id made from `id` (or from `op` if that is too long);
    /// a parameter that is not the op's, or not of its type, is an error at `at`.
    pub(super) fn op_node(
        &mut self,
        op: &str,
        id: &str,
        args: Vec<String>,
        params: Map<String, Value>,
        at: usize,
    ) -> Result<Operand, Fail> {
        let id = self.fresh(id, op);
        let mut node = params;
        node.insert("id".into(), Value::String(id.clone()));
        node.insert("op".into(), Value::String(op.to_string()));
        node.insert(
            "args".into(),
            Value::Array(args.into_iter().map(Value::String).collect()),
        );
        let spec = node_spec(node.clone(), at)?;
        self.add(spec, at)?;
        self.last_op = node;
        Ok(Operand::Node { id, fresh: true })
    }

    /// The id of `operand`, made into a const node if it is a literal (used at `at`).
    pub(super) fn materialize(&mut self, operand: Operand, at: usize) -> Result<String, Fail> {
        match operand {
            Operand::Node { id, .. } => Ok(id),
            Operand::Literal { text, value } => {
                let scalar = value.is_number();
                let id = self.fresh(&format!("const_{}", tidy(&text)), "const");
                let mut node = Map::new();
                node.insert("id".into(), Value::String(id.clone()));
                node.insert("const".into(), value);
                if scalar {
                    node.insert("label".into(), Value::String(text));
                }
                let spec = node_spec(node, at)?;
                self.add(spec, at)?;
                Ok(id)
            }
        }
    }

    /// `wanted` if no node has it, else `wanted_2`, `wanted_3`, …; `fallback` for a
    /// `wanted` longer than [`MAX_GENERATED_CHARS`].
    fn fresh(&mut self, wanted: &str, fallback: &str) -> String {
        let base = if wanted.chars().count() > MAX_GENERATED_CHARS {
            fallback
        } else {
            wanted
        };
        let mut id = base.to_string();
        // Suffixes already tried for this base are not tried again.
        let k = self.suffixes.entry(base.to_string()).or_insert(1);
        while self.taken.contains(&id) || self.assigned.contains(&id) {
            *k += 1;
            id = format!("{base}_{k}");
        }
        self.taken.insert(id.clone());
        id
    }

    /// The scenario: the inputs found (inline), the nodes, the group memberships, and the
    /// settings.
    pub(super) fn finish(mut self) -> Result<Scenario<'static>, Fail> {
        let mut nodes = std::mem::take(&mut self.inputs);
        nodes.append(&mut self.nodes);
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| (n.id.as_ref(), i))
            .collect();
        let mut memberships = Vec::new();
        for (group, member, at) in self.members {
            match index.get(member.as_str()) {
                Some(&i) => memberships.push((i, group)),
                None => return Err((at, TextProblem::Undefined(member))),
            }
        }
        for (i, group) in memberships {
            nodes[i].group = Some(group);
        }
        // The generated ids still taken are the nodes no statement renamed.
        super::names::name_generated(&mut nodes, &self.taken);
        self.top.insert("nodes".into(), Value::Array(Vec::new()));
        let mut scenario = Scenario::deserialize(Value::Object(self.top))
            .map_err(|e| (0, TextProblem::Syntax(e.to_string())))?;
        scenario.nodes = nodes;
        Ok(scenario)
    }
}

/// A node as its JSON would give it, or what is wrong with it at `at` (a parameter the
/// node does not take, or of the wrong type: `sum(a, axis=-1)`).
pub(super) fn node_spec(node: Map<String, Value>, at: usize) -> Result<NodeSpec<'static>, Fail> {
    NodeSpec::deserialize(Value::Object(node)).map_err(|e| (at, TextProblem::Syntax(e.to_string())))
}

/// A number's text as part of an id: `-1.5` is `minus_1_5`.
pub(super) fn tidy(text: &str) -> String {
    text.replace('-', "minus_").replace(['.', '+'], "_")
}
