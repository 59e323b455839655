//! chainrule as a Python extension module, `chainrule._native`: a scenario parsed and
//! validated by the library, its values and gradients, its figure as SVG, PNG or PDF, and the
//! backward pass as the frames web page. The Python package (`python/chainrule/`) builds its
//! API on these few calls.

use std::path::PathBuf;

use chainrule::core::scenario::Pass;
use chainrule::core::tensor::Tensor;
use chainrule::export::{html, pdf, png};
use chainrule::pipeline::frames::{self, FrameOptions};
use chainrule::{Annotate, Error, Lang, View};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

create_exception!(
    _native,
    ChainruleError,
    PyException,
    "An error of chainrule, with the message its command line prints."
);
create_exception!(
    _native,
    ScenarioError,
    ChainruleError,
    "Bad input: the scenario's syntax or meaning (the command line's exit code 2)."
);
create_exception!(
    _native,
    NumericError,
    ChainruleError,
    "A value or gradient that is not finite (the command line's exit code 1)."
);

/// The Python exception for a chainrule error: its class follows the command line's exit
/// code, its message is the command line's.
fn raise(err: Error) -> PyErr {
    let message = err.to_string();
    match err.exit_code() {
        2 => ScenarioError::new_err(message),
        1 => NumericError::new_err(message),
        _ => ChainruleError::new_err(message),
    }
}

/// Reads one of the command line's option values, or says which it takes.
fn choice<T: Copy>(what: &str, given: &str, choices: &[(&str, T)]) -> PyResult<T> {
    choices
        .iter()
        .find(|(name, _)| *name == given)
        .map(|&(_, value)| value)
        .ok_or_else(|| {
            let names: Vec<_> = choices
                .iter()
                .map(|(name, _)| format!("'{name}'"))
                .collect();
            PyValueError::new_err(format!(
                "{what} must be one of {}, not '{given}'",
                names.join(", ")
            ))
        })
}

fn annotate(given: Option<&str>) -> PyResult<Option<Annotate>> {
    given
        .map(|a| {
            choice(
                "annotate",
                a,
                &[
                    ("numeric", Annotate::Numeric),
                    ("symbolic", Annotate::Symbolic),
                    ("both", Annotate::Both),
                ],
            )
        })
        .transpose()
}

/// A tensor as its shape and its elements in row-major order.
type Flat = (Vec<usize>, Vec<f64>);

fn flat(t: &Tensor) -> Flat {
    (t.shape().to_vec(), t.iter().copied().collect())
}

/// A validated scenario.
#[pyclass(frozen, module = "chainrule._native")]
struct Scenario {
    inner: chainrule::Scenario,
}

#[pymethods]
impl Scenario {
    /// Parses and validates a scenario's text. The one place text becomes a scenario.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Scenario> {
        Ok(Scenario {
            inner: chainrule::Scenario::parse(text).map_err(raise)?,
        })
    }

    /// Reads and validates a scenario file.
    #[staticmethod]
    fn open(path: PathBuf) -> PyResult<Scenario> {
        Ok(Scenario {
            inner: chainrule::Scenario::open(&path).map_err(raise)?,
        })
    }

    /// The title, or "".
    #[getter]
    fn title(&self) -> String {
        self.inner.model().title.clone()
    }

    /// The output's id.
    #[getter]
    fn output(&self) -> String {
        let model = self.inner.model();
        model.graph[model.output].id.clone()
    }

    /// Every node in file order: id, label, and `input`, `const` or the op's name.
    fn nodes(&self) -> Vec<(String, Option<String>, String)> {
        use chainrule::core::model::Kind;
        let model = self.inner.model();
        model
            .graph
            .node_weights()
            .map(|n| {
                let kind = match &n.kind {
                    Kind::Input(_) => "input".to_string(),
                    Kind::Const(_) => "const".to_string(),
                    Kind::Op(op) => op.name().to_string(),
                };
                (n.id.clone(), n.label.clone(), kind)
            })
            .collect()
    }

    /// Every node's value and gradient, in file order: `(id, value, gradient)`, each tensor
    /// as its shape and its elements.
    fn evaluate(&self, py: Python<'_>) -> PyResult<Vec<(String, Flat, Flat)>> {
        py.detach(|| {
            let evaluation = self.inner.evaluate().map_err(raise)?;
            let model = self.inner.model();
            Ok(model
                .graph
                .node_weights()
                .map(|n| {
                    let value = evaluation.value(&n.id).map(flat).unwrap_or_default();
                    let grad = evaluation.grad(&n.id).map(flat).unwrap_or_default();
                    (n.id.clone(), value, grad)
                })
                .collect())
        })
    }

    /// The figure as SVG, with the options of `chainrule render`.
    #[pyo3(signature = (view, annotate_as, precision, collapse, edge_labels))]
    fn svg(
        &self,
        py: Python<'_>,
        view: &str,
        annotate_as: Option<&str>,
        precision: usize,
        collapse: bool,
        edge_labels: usize,
    ) -> PyResult<String> {
        let view = choice(
            "view",
            view,
            &[("forward", View::Forward), ("backward", View::Backward)],
        )?;
        let annotate_as = annotate(annotate_as)?;
        py.detach(|| {
            let mut figure = self
                .inner
                .figure()
                .view(view)
                .precision(precision)
                .collapse(collapse)
                .edge_labels_up_to(edge_labels);
            if let Some(a) = annotate_as {
                figure = figure.annotate(a);
            }
            figure.svg().map_err(raise)
        })
    }

    /// The frames web page of `chainrule frames --format html`: every frame inline, with
    /// Previous / Next / Play, the arrow keys, a slider and the caption.
    #[pyo3(signature = (pass_, annotate_as, precision, lang, delay_ms, edge_labels))]
    // One argument per option of `chainrule frames`, as Python passes them.
    #[allow(clippy::too_many_arguments)]
    fn stepper(
        &self,
        py: Python<'_>,
        pass_: Option<&str>,
        annotate_as: Option<&str>,
        precision: usize,
        lang: &str,
        delay_ms: u32,
        edge_labels: usize,
    ) -> PyResult<String> {
        let pass = pass_
            .map(|p| {
                choice(
                    "pass",
                    p,
                    &[
                        ("forward", Pass::Forward),
                        ("backward", Pass::Backward),
                        ("both", Pass::Both),
                    ],
                )
            })
            .transpose()?;
        let asked = annotate(annotate_as)?;
        let lang = choice("lang", lang, &[("en", Lang::En), ("zh", Lang::Zh)])?;
        let options = FrameOptions {
            pass,
            delay_ms,
            precision,
            annotate: asked,
            lang,
            edge_labels_up_to: edge_labels,
            ..FrameOptions::default()
        };
        py.detach(|| {
            let path = self.inner.name();
            let (drawing, shows) =
                frames::stepped(path, self.inner.model().clone(), &options).map_err(raise)?;
            Ok(html::page(&drawing, &shows, delay_ms))
        })
    }
}

/// An SVG rasterised as PNG at `scale`.
#[pyfunction]
fn svg_to_png<'py>(py: Python<'py>, svg: &str, scale: f32) -> PyResult<Bound<'py, PyBytes>> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(PyValueError::new_err(format!(
            "scale must be a positive number, not {scale}"
        )));
    }
    let bytes = py
        .detach(|| png::rasterise(svg, scale))
        .map_err(|e| ChainruleError::new_err(format!("cannot write PNG: {e}")))?;
    Ok(PyBytes::new(py, &bytes))
}

/// SVGs as the pages of one PDF.
#[pyfunction]
fn svgs_to_pdf(py: Python<'_>, svgs: Vec<String>) -> PyResult<Bound<'_, PyBytes>> {
    let bytes = py
        .detach(|| pdf::pages(&svgs))
        .map_err(|e| ChainruleError::new_err(format!("cannot write PDF: {e}")))?;
    Ok(PyBytes::new(py, &bytes))
}

/// Every operator a scenario may use, as the README lists them.
#[pyfunction]
fn op_names() -> Vec<&'static str> {
    chainrule::core::ops::NAMES.to_vec()
}

/// The module: the scenario class, the encoders, the op names and the exceptions.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scenario>()?;
    m.add_function(wrap_pyfunction!(svg_to_png, m)?)?;
    m.add_function(wrap_pyfunction!(svgs_to_pdf, m)?)?;
    m.add_function(wrap_pyfunction!(op_names, m)?)?;
    m.add("ChainruleError", m.py().get_type::<ChainruleError>())?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("NumericError", m.py().get_type::<NumericError>())?;
    Ok(())
}
