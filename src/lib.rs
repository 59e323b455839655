//! chainrule: computes every forward value and every gradient of a small computational graph
//! and draws it the way the textbook does.

pub mod core;
pub mod draw;
pub mod error;
pub mod export;
pub mod layout;
pub mod pipeline;
pub mod text;

pub use error::Error;
pub use text::xml::escape as xml_escape;
