//! The figures a scenario asks for, checked once its model is built: every command checks
//! them, not only those that draw.

use super::{Kind, Model};
use crate::core::limits::quote;
use crate::core::scenario::{FigureSpec, View};
use crate::error::{ScenarioError, StepProblem};

impl Model {
    /// Checks the figures a scenario asks for: names unique and usable as file names, highlights
    /// naming nodes, no highlight in a folded figure, a `step` within the backward pass of a
    /// scenario with numbers. Every command checks them, not only the ones that draw.
    pub(super) fn check_figures(&self) -> Result<(), ScenarioError> {
        let mut names = std::collections::BTreeSet::new();
        for spec in &self.figures {
            let name = quote(&spec.name);
            if !names.insert(spec.name.as_str()) {
                return Err(ScenarioError::Setting(format!(
                    "figure {name} is listed twice"
                )));
            }
            if spec.name.is_empty() || spec.name.contains(['/', '\\']) {
                return Err(ScenarioError::Setting(format!(
                    "figure name {name} cannot be a file name"
                )));
            }
            if spec.collapse && spec.highlight.is_some() {
                return Err(ScenarioError::Setting(format!(
                    "figure {name}: a folded figure cannot highlight nodes"
                )));
            }
            for id in spec.highlight.iter().flatten() {
                if self.find(id).is_none() {
                    return Err(ScenarioError::Setting(format!(
                        "figure {name}: highlight names {}, which is not the id of any node",
                        quote(id)
                    )));
                }
            }
            if let Some(step) = spec.step {
                check_step(self, spec, step).map_err(|problem| ScenarioError::Step {
                    figure: spec.name.clone(),
                    problem,
                })?;
            }
        }
        Ok(())
    }
}

/// Checks that a figure can be drawn as the frame after `step` of the backward pass.
fn check_step(model: &Model, spec: &FigureSpec, step: usize) -> Result<(), StepProblem> {
    let conflict = [
        ("\"view\": \"forward\"", spec.view == View::Forward),
        ("\"highlight\"", spec.highlight.is_some()),
        ("\"collapse\"", spec.collapse),
    ]
    .into_iter()
    .find_map(|(what, there)| there.then_some(what));
    if let Some(what) = conflict {
        return Err(StepProblem::Conflict(what));
    }
    let steps = model.step_count();
    if let Some(node) = model.symbolic_only() {
        let why = match node.kind {
            Kind::Op(_) => format!("node \"{}\" is a generic function", node.id),
            _ => format!("input \"{}\" has no value", node.id),
        };
        return Err(StepProblem::NoNumbers { why, steps });
    }
    if step > steps {
        return Err(StepProblem::Beyond { step, steps });
    }
    Ok(())
}
