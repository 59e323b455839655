//! The core: a scenario file, JSON or the text format ([`script`]), parsed ([`scenario`])
//! and validated into a petgraph model ([`model`]), its operators ([`ops`], one file each), the forward and backward passes
//! ([`engine`]) on tensors ([`tensor`]), and groups folded into one box ([`collapse`]).
//! Nothing here knows about drawing.

mod check;
pub mod collapse;
pub mod engine;
pub mod generate;
pub mod limits;
pub mod load;
pub mod model;
pub mod ops;
pub mod scenario;
pub mod script;
pub mod tensor;
