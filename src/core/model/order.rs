//! The orders in which the passes visit a model's nodes: forward (topological) and backward,
//! and how many steps the backward pass has.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::NodeIndex;
use petgraph::visit::{Dfs, Reversed};
use petgraph::Direction;

use super::{Kind, Model};

impl Model {
    /// A topological order in which, among nodes ready at the same time, the one declared
    /// first goes first.
    ///
    /// When every node uses only nodes above it, that is the file's order: node `k` is ready
    /// once the nodes above it are done, and every other ready node is further down.
    pub fn topological_order(&self) -> Vec<NodeIndex> {
        if self.uses_only_earlier() {
            return self.graph.node_indices().collect();
        }
        topological_order_by_heap(self)
    }

    /// The nodes the output depends on, in the order the backward pass visits them: reverse
    /// topological order in which, among nodes ready at the same time, the one declared later
    /// goes first (which gives the text's order (4) (3) (2) (1) for apple + orange).
    ///
    /// When every node uses only nodes above it, those are the needed nodes from the output
    /// up: a node is ready once the needed nodes below it are done, and every other ready node
    /// is further up.
    pub fn backward_order(&self) -> Vec<NodeIndex> {
        if !self.uses_only_earlier() {
            return backward_order_by_heap(self);
        }
        let graph = &self.graph;
        let mut needed = vec![false; graph.node_count()];
        needed[self.output.index()] = true;
        let mut order = Vec::new();
        for node in (0..=self.output.index()).rev().map(NodeIndex::new) {
            if needed[node.index()] {
                order.push(node);
                for arg in graph.neighbors_directed(node, Direction::Incoming) {
                    needed[arg.index()] = true;
                }
            }
        }
        order
    }

    /// How many steps the backward pass has, as the engine's trace and skeleton record them:
    /// the seed, then one per operator the output depends on.
    pub fn step_count(&self) -> usize {
        1 + self
            .backward_order()
            .into_iter()
            .filter(|&n| matches!(self.graph[n].kind, Kind::Op(_)))
            .count()
    }
}

/// [`Model::topological_order`] in general: Kahn's algorithm, the ready nodes in a heap.
fn topological_order_by_heap(model: &Model) -> Vec<NodeIndex> {
    let graph = &model.graph;
    let mut waiting: Vec<usize> = graph
        .node_indices()
        .map(|n| graph.edges_directed(n, Direction::Incoming).count())
        .collect();
    let mut ready: BinaryHeap<Reverse<NodeIndex>> = graph
        .node_indices()
        .filter(|n| waiting[n.index()] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(graph.node_count());
    while let Some(Reverse(node)) = ready.pop() {
        order.push(node);
        for user in graph.neighbors_directed(node, Direction::Outgoing) {
            waiting[user.index()] -= 1;
            if waiting[user.index()] == 0 {
                ready.push(Reverse(user));
            }
        }
    }
    order
}

/// [`Model::backward_order`] in general: the nodes the output depends on, then Kahn's
/// algorithm backwards, the ready nodes in a heap.
fn backward_order_by_heap(model: &Model) -> Vec<NodeIndex> {
    let graph = &model.graph;
    let mut needed = vec![false; graph.node_count()];
    let reversed = Reversed(graph);
    let mut dfs = Dfs::new(reversed, model.output);
    while let Some(node) = dfs.next(reversed) {
        needed[node.index()] = true;
    }
    let mut waiting: Vec<usize> = graph
        .node_indices()
        .map(|n| {
            graph
                .neighbors_directed(n, Direction::Outgoing)
                .filter(|u| needed[u.index()])
                .count()
        })
        .collect();
    let mut ready = BinaryHeap::from([model.output]);
    let mut order = Vec::new();
    while let Some(node) = ready.pop() {
        order.push(node);
        for arg in graph.neighbors_directed(node, Direction::Incoming) {
            waiting[arg.index()] -= 1;
            if waiting[arg.index()] == 0 {
                ready.push(arg);
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::core::generate::{self, Activation};
    use crate::core::load;

    #[test]
    fn file_order_shortcuts_give_the_heaps_orders() {
        for scenario in [
            generate::mlp(&[3, 4, 4, 2], Activation::Tanh, 1).unwrap(),
            generate::chain(7).unwrap(),
        ] {
            let model = load::parse(Path::new("g.json"), &scenario.to_string()).unwrap();
            assert!(model.uses_only_earlier());
            assert_eq!(model.topological_order(), topological_order_by_heap(&model));
            assert_eq!(model.backward_order(), backward_order_by_heap(&model));
        }
    }
}
