//! The layers of a graph: its items (nodes, the output's label, waypoints of edges that skip
//! ranks) in ranks left to right, each rank ordered top to bottom. Ranks come from network
//! simplex ([`super::rank`]); each rank's order from sifting ([`super::order`]), then, where
//! the graph is small enough, from the exact search for the fewest crossings
//! ([`super::exact`]).

use crate::core::model::Model;

/// A layered graph: items (the nodes, the output's label, then waypoints of edges that skip
/// ranks) in ranks left to right, each rank in order top to bottom.
#[derive(Debug, Clone)]
pub(super) struct Layers {
    /// The items of each rank, in order.
    pub(super) rows: Vec<Vec<usize>>,
    /// Each item's neighbours in the rank before.
    pub(super) preds: Vec<Vec<usize>>,
    /// Each item's neighbours in the rank after.
    pub(super) succs: Vec<Vec<usize>>,
    /// Each edge's items: source, waypoints, target.
    pub(super) chains: Vec<Vec<usize>>,
    /// Whether every rank is followed by a rank of shelves ([`shelve`]): then each edge's
    /// last waypoint (the one before its target) is the shelf its labels sit on.
    pub(super) shelved: bool,
    /// Each model node's group (operators framed together), numbered; `None` for nodes in
    /// no group.
    pub(super) group: Vec<Option<usize>>,
}

/// `layers` with a rank of shelves between every two ranks: every piece of an edge between
/// rank r and r + 1 gets a waypoint in the new rank between them, on which a label can sit
/// on a level stretch of its own. The shelves of one gap are in the order of their pieces'
/// ends in the next rank, then of their starts: pieces that did not cross do not, and pieces
/// that crossed cross once, before their shelves.
pub(super) fn shelve(layers: Layers) -> Layers {
    let Layers {
        rows,
        chains,
        group,
        ..
    } = layers;
    let mut place = vec![0usize; rows.iter().map(Vec::len).sum::<usize>()];
    let mut rank = vec![0usize; place.len()];
    for (r, row) in rows.iter().enumerate() {
        for (k, &i) in row.iter().enumerate() {
            place[i] = k;
            rank[i] = r;
        }
    }
    let mut count = place.len();
    let mut shelves: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); rows.len()];
    let chains: Vec<Vec<usize>> = chains
        .iter()
        .map(|chain| {
            let mut out = vec![chain[0]];
            for w in chain.windows(2) {
                shelves[rank[w[0]]].push((place[w[1]], place[w[0]], count));
                out.extend([count, w[1]]);
                count += 1;
            }
            out
        })
        .collect();
    let mut new_rows = Vec::with_capacity(2 * rows.len());
    for (row, mut gap) in rows.into_iter().zip(shelves) {
        new_rows.push(row);
        gap.sort_unstable();
        new_rows.push(gap.into_iter().map(|(_, _, i)| i).collect());
    }
    new_rows.pop();
    let mut preds = vec![Vec::new(); count];
    let mut succs = vec![Vec::new(); count];
    for chain in &chains {
        for w in chain.windows(2) {
            succs[w[0]].push(w[1]);
            preds[w[1]].push(w[0]);
        }
    }
    Layers {
        rows: new_rows,
        preds,
        succs,
        chains,
        shelved: true,
        group,
    }
}

/// Ranks and orders a graph of `real` items (its nodes and the output's label) joined by
/// `edges`: ranks by network simplex ([`super::rank`], the ranking with the shortest edges,
/// from each node as late as its users allow), waypoints on edges that skip ranks, then each
/// rank ordered for few crossings ([`super::order`]), for the fewest outright where the
/// graph is small enough ([`super::exact`]).
pub(super) fn layers(model: &Model, real: usize, edges: &[(usize, usize)]) -> Layers {
    let sink = real - 1;
    let mut rank = vec![0usize; real];
    let mut order: Vec<usize> = model
        .topological_order()
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
    let layered = super::order::Layered {
        rank: &item_rank,
        preds: &preds,
        succs: &succs,
    };
    let rows = super::order::order(&layered, ranks, sink);
    let mut names: Vec<&str> = Vec::new();
    let group: Vec<Option<usize>> = model
        .graph
        .node_weights()
        .map(|n| {
            let g = n.group.as_deref().filter(|_| n.op().is_some())?;
            Some(names.iter().position(|&h| h == g).unwrap_or_else(|| {
                names.push(g);
                names.len() - 1
            }))
        })
        .collect();
    let rows = super::exact::fewest_crossings(&layered, &rows, &group).unwrap_or(rows);
    Layers {
        group,
        rows,
        preds,
        succs,
        chains,
        shelved: false,
    }
}
