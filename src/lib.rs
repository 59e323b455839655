//! chainrule: computes every forward value and every gradient of a small computational graph
//! and draws it the way the textbook does.
//!
//! The pipeline, one plain type between each stage:
//! scenario file ─[`load`]─▶ [`model::Model`] ─[`engine::evaluate`]─▶ [`engine::Trace`]
//! ─▶ tables and step sentences ([`report`], [`steps`]).

pub mod collapse;
pub mod engine;
pub mod error;
pub mod figures;
pub mod format;
pub mod frames;
pub mod gen;
pub mod golden;
pub mod load;
pub mod math;
pub mod model;
pub mod ops;
pub mod output;
pub mod render;
pub mod report;
pub mod scenario;
pub mod steps;
pub mod symbolic;
pub mod tensor;

pub use error::Error;
