//! chainrule computes every forward value and every gradient of a small computational graph
//! and draws it the way the textbook does: operators in circles, forward arrows left to right
//! with the value above, and under each a reversed arrow with the gradient under it.
//!
//! From JSON text to an SVG string:
//!
//! ```
//! let scenario = chainrule::Scenario::from_json(r#"{
//!     "nodes": [
//!         {"id": "apple", "input": 100},
//!         {"id": "count", "input": 2},
//!         {"id": "price", "op": "mul", "args": ["apple", "count"]}
//!     ]
//! }"#)?;
//! let numbers = scenario.evaluate()?;
//! assert_eq!(numbers.grad("apple").map(|g| g.sum()), Some(2.0));
//! let svg: String = scenario.figure().svg()?;
//! assert!(svg.starts_with("<svg"));
//! # Ok::<(), chainrule::Error>(())
//! ```
//!
//! The pipeline, one plain type between each stage, one module per stage:
//!
//! ```text
//! scenario file ─[core::load]─▶ core::model::Model (petgraph) ─[core::engine]─▶ Trace
//!   (values, gradients, the ordered backward steps) ─[draw::texts + layout]─▶ Drawing
//!   (one layout) ─per figure─▶ draw::scene::Scene ─[export]─▶ SVG, PNG, GIF, APNG, PDF,
//!   HTML, DOT
//! ```
//!
//! - [`core`]: the scenario format, the validated model, one file per operator, the passes;
//! - [`text`]: numbers, math and sentences a person reads;
//! - [`layout`]: ranks, orders, coordinates, routes and label places;
//! - [`draw`]: measured texts, typeset math, the scene of a figure, the overlap check;
//! - [`export`]: writers of each file format;
//! - [`live`]: what a live page needs beside a figure: places to click, frames, a quiz;
//! - `pipeline` (feature `files`): the commands' work over files and directories.
//!
//! Features: `cli` (default; the binary) brings `files`, which brings `raster` (PNG),
//! `anim` (GIF, APNG), `pdf` and `parallel` (rayon). With no features the library parses,
//! evaluates, lays out and writes SVG, HTML and DOT, and builds for WebAssembly.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
pub mod core;
pub mod draw;
pub mod error;
pub mod export;
pub mod layout;
pub mod live;
#[cfg(feature = "files")]
pub mod pipeline;
pub mod text;

pub use crate::core::scenario::{Annotate, View};
pub use crate::core::tensor::Tensor;
pub use api::{Evaluation, FigureBuilder, ScalarInput, Scenario};
pub use error::Error;
pub use text::steps::Lang;
pub use text::xml::escape as xml_escape;
