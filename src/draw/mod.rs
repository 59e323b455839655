//! Drawing: from a model, its trace and a layout to a [`scene::Scene`], a flat list of shapes,
//! arrows and texts. [`drawing::Drawing`] measures every text ([`texts`], [`fonts`],
//! [`typeset`]) and lays the graph out once; each figure is a scene built from that one
//! layout; [`overlap`] checks a scene for collisions.

pub mod drawing;
pub mod fonts;
mod groups;
pub mod overlap;
pub mod scene;
pub mod sequence;
pub mod texts;
pub mod typeset;

pub use drawing::{
    figures, DrawOptions, Drawing, Figure, CROWDING_CHECK_MAX_NODES, EDGE_LABELS_UP_TO,
};
