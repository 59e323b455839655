//! Layout: where every node, edge and label goes. Ranks ([`rank`]) and orders ([`order`]) the
//! graph, places coordinates and routes edges ([`diagram`]), in plain geometry ([`geometry`]).

pub mod diagram;
pub mod geometry;
mod order;
mod rank;
