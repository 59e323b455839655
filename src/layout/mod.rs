//! Layout: where every node, edge and label goes, put together in [`diagram`]: the graph's
//! layers (`layers`: ranks from `rank` ordered by `order`, outright by `exact` where small
//! enough), a compact placement (`shelves`) or the book's (`straight`), vertical coordinates
//! (`coords`), edge routes (`routes`) and label places (`labels`), from the parts they share
//! (`parts`), in plain geometry ([`geometry`]).

mod coords;
pub mod diagram;
mod exact;
pub mod geometry;
mod labels;
mod layers;
mod order;
mod parts;
mod rank;
mod routes;
mod shelves;
mod straight;

pub use diagram::{Diagram, EdgeLabels, Layering, NodeShape, Placed, Side, Spacing};
