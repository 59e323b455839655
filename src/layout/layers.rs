//! The layers of a graph: its items (nodes, the output's label, waypoints of edges that skip
//! ranks) in ranks left to right, each rank ordered top to bottom. Graphs of up to
//! [`LAYOUT_RS_MAX_NODES`](super::diagram::LAYOUT_RS_MAX_NODES) nodes are ranked and ordered
//! by layout-rs's own phases, larger ones by network simplex ([`super::rank`]) and sifting
//! ([`super::order`]).

use layout::core::base::Orientation;
use layout::core::geometry::Point as LPoint;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::diagram::NodeShape;
use crate::core::model::Model;

/// A layered graph: items (the nodes, the output's label, then waypoints of edges that skip
/// ranks) in ranks left to right, each rank in order top to bottom.
pub(super) struct Layers {
    /// The items of each rank, in order.
    pub(super) rows: Vec<Vec<usize>>,
    /// Each item's neighbours in the rank before.
    pub(super) preds: Vec<Vec<usize>>,
    /// Each item's neighbours in the rank after.
    pub(super) succs: Vec<Vec<usize>>,
    /// Each edge's items: source, waypoints, target.
    pub(super) chains: Vec<Vec<usize>>,
}

/// Ranks and orders with layout-rs's own phases (its `DAG` validation off, edges added in
/// topological order).
pub(super) fn layout_rs_layers(
    model: &Model,
    shapes: &[NodeShape],
    edges: &[(usize, usize)],
) -> Layers {
    let sink = shapes.len() - 1;
    let mut vg = VisualGraph::new(Orientation::LeftToRight);
    vg.dag.set_validate(false);
    let handles: Vec<_> = shapes
        .iter()
        .map(|s| {
            let size = LPoint::new(s.width(), s.height());
            vg.add_node(Element::create(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                Orientation::LeftToRight,
                size,
            ))
        })
        .collect();
    let mut in_order: Vec<usize> = (0..edges.len()).collect();
    let rank_of: Vec<usize> = {
        let order = crate::core::engine::topological_order(model);
        let mut pos = vec![0; sink + 1];
        for (i, n) in order.iter().enumerate() {
            pos[n.index()] = i;
        }
        pos[sink] = sink + 1;
        pos
    };
    in_order.sort_by_key(|&e| (rank_of[edges[e].1], e));
    for &e in &in_order {
        vg.add_edge(Arrow::simple(""), handles[edges[e].0], handles[edges[e].1]);
    }
    vg.to_valid_dag();
    vg.split_text_edges();
    vg.split_long_edges(false);

    let count = vg.num_nodes();
    let rows: Vec<Vec<usize>> = vg
        .dag
        .ranks()
        .iter()
        .map(|row| row.iter().map(|h| h.get_index()).collect())
        .collect();
    let preds: Vec<Vec<usize>> = (0..count)
        .map(|i| {
            vg.dag
                .predecessors(layout::adt::dag::NodeHandle::new(i))
                .iter()
                .map(|h| h.get_index())
                .collect()
        })
        .collect();
    let succs: Vec<Vec<usize>> = (0..count)
        .map(|i| {
            vg.dag
                .successors(layout::adt::dag::NodeHandle::new(i))
                .iter()
                .map(|h| h.get_index())
                .collect()
        })
        .collect();

    // Each model edge's chain of items: source, waypoints, target.
    let mut used = vec![false; count];
    let chains: Vec<Vec<usize>> = edges
        .iter()
        .map(|&(from, to)| chain(from, to, shapes.len(), &succs, &mut used))
        .collect();
    Layers {
        rows,
        preds,
        succs,
        chains,
    }
}

/// Ranks and orders a large graph: ranks by network simplex ([`super::rank`], the ranking
/// with the shortest edges, from each node as late as its users allow), waypoints on edges
/// that skip ranks, then each rank ordered for few crossings ([`super::order`]).
pub(super) fn own_layers(model: &Model, real: usize, edges: &[(usize, usize)]) -> Layers {
    let sink = real - 1;
    let mut rank = vec![0usize; real];
    let mut order: Vec<usize> = crate::core::engine::topological_order(model)
        .iter()
        .map(|n| n.index())
        .collect();
    order.push(sink);
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); real];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); real];
    for &(from, to) in edges {
        incoming[to].push(from);
        outgoing[from].push(to);
    }
    for &v in &order {
        rank[v] = incoming[v].iter().map(|&u| rank[u] + 1).max().unwrap_or(0);
    }
    // Then, from the output back, each node moves up to just before its first user: a
    // feasible start with many tight edges.
    for &v in order.iter().rev() {
        if let Some(first_use) = outgoing[v].iter().map(|&u| rank[u]).min() {
            rank[v] = first_use.saturating_sub(1);
        }
    }
    let rank = super::rank::network_simplex(real, edges, &rank);
    let ranks = rank.iter().max().map_or(1, |r| r + 1);
    let mut item_rank = rank.clone();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); real];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); real];
    let chains: Vec<Vec<usize>> = edges
        .iter()
        .map(|&(from, to)| {
            let mut path = vec![from];
            for r in rank[from] + 1..rank[to] {
                item_rank.push(r);
                preds.push(Vec::new());
                succs.push(Vec::new());
                path.push(item_rank.len() - 1);
            }
            path.push(to);
            for w in path.windows(2) {
                succs[w[0]].push(w[1]);
                preds[w[1]].push(w[0]);
            }
            path
        })
        .collect();
    let rows = super::order::order(
        &super::order::Layered {
            rank: &item_rank,
            preds: &preds,
            succs: &succs,
        },
        ranks,
        sink,
    );
    Layers {
        rows,
        preds,
        succs,
        chains,
    }
}

/// The items from `from` to `to`, through waypoints (items at index `real` and above).
fn chain(
    from: usize,
    to: usize,
    real: usize,
    succs: &[Vec<usize>],
    used: &mut [bool],
) -> Vec<usize> {
    let mut path = vec![from];
    let mut at = from;
    while at != to {
        let next = succs[at]
            .iter()
            .copied()
            .find(|&s| s == to || (s >= real && !used[s] && leads_to(s, to, real, succs)));
        match next {
            Some(s) => {
                if s >= real {
                    used[s] = true;
                }
                path.push(s);
                at = s;
            }
            None => {
                path.push(to);
                break;
            }
        }
    }
    path
}

fn leads_to(from: usize, to: usize, real: usize, succs: &[Vec<usize>]) -> bool {
    let mut at = from;
    loop {
        match succs[at].first() {
            Some(&s) if s == to => return true,
            Some(&s) if s >= real => at = s,
            _ => return false,
        }
    }
}
