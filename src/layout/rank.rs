//! Ranks for large graphs: the feasible ranking (every edge at least one rank long) with the
//! smallest total edge length, by the network simplex method of Gansner, Koutsofios, North
//! and Vo, "A Technique for Drawing Directed Graphs" (1993), as Graphviz's `dot` ranks.
//!
//! Short edges mean few waypoints, and few waypoints mean few crossings and a narrow figure:
//! a sum of products stays next to its products instead of leaving them on long edges.
//!
//! The method keeps a spanning tree of tight edges (exactly one rank long). A tree edge's
//! cut value is the weight of the edges crossing its cut forwards minus those crossing it
//! backwards; while one is negative, that edge leaves the tree and the crossing edge with the
//! least slack in the other direction enters it, one side of the cut moving to make it tight.
//! A subtree's cut value is the sum of its nodes' out-degree minus in-degree (edges inside
//! it cancel), so every cut value comes from one post-order walk.

/// Ranks `n` nodes joined by `edges` (tail, head; parallel edges count twice) starting from
/// the feasible ranks `start` (each edge's head at least one rank after its tail); returns
/// ranks with the least total edge length, the first rank of each connected part 0.
/// Deterministic: no hashing, ties go to the first found. Stops after a bounded number of
/// exchanges (a feasible, possibly less short, ranking) so that no graph can stall it.
pub fn network_simplex(n: usize, edges: &[(usize, usize)], start: &[usize]) -> Vec<usize> {
    let mut ranks: Vec<i64> = start.iter().map(|&r| r as i64).collect();
    let mut incident: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, &(tail, head)) in edges.iter().enumerate() {
        incident[tail].push(e);
        if head != tail {
            incident[head].push(e);
        }
    }
    let mut tree = Tree::feasible(n, edges, &incident, &mut ranks);
    tree.index(edges);
    let mut search_from = 0;
    for _ in 0..MAX_EXCHANGES_PER_NODE * n.max(1) {
        let Some(slot) = tree.leaving(&mut search_from) else {
            break;
        };
        let entering = tree.entering(tree.tree_edges[slot], edges, &incident, &ranks);
        tree.exchange(slot, entering, edges, &mut ranks);
    }
    tree.normalise(&mut ranks);
    ranks.into_iter().map(|r| r as usize).collect()
}

/// Upper bound on exchanges, per node; the method needs far fewer in practice.
const MAX_EXCHANGES_PER_NODE: usize = 20;

/// How many tree edges with a negative cut value are looked at to pick the most negative
/// (Graphviz's search size).
const SEARCH_SIZE: usize = 30;

/// A spanning forest of tight edges, one tree per connected part, with the post-order
/// numbering that tells which side of a tree edge a node is on.
struct Tree {
    /// Whether each edge is in the tree.
    in_tree: Vec<bool>,
    /// The tree edges at each node.
    adjacent: Vec<Vec<usize>>,
    /// The tree edges, in the order they are searched for a negative cut value.
    tree_edges: Vec<usize>,
    /// One root per connected part.
    roots: Vec<usize>,
    /// Each node's out-degree minus in-degree.
    balance: Vec<i64>,
    /// Post-order number of each node, and the smallest number in its subtree: `v` is below
    /// `u` when `low[u] <= post[v] <= post[u]`.
    post: Vec<usize>,
    low: Vec<usize>,
    /// Nodes in post order.
    order: Vec<usize>,
    /// The root of each node's tree.
    root_of: Vec<usize>,
    /// Each node's subtree sum of `balance`.
    subtree: Vec<i64>,
    /// The tree edge from each node towards its root (`usize::MAX` at a root).
    parent: Vec<usize>,
    /// Cut value of each tree edge.
    cut: Vec<i64>,
    /// The depth-first walk's stack (node, next tree edge to look at), kept between walks.
    stack: Vec<(usize, usize)>,
}

impl Tree {
    /// Grows a tight spanning tree of each connected part, shifting the tree grown so far
    /// along the incident edge of least slack whenever no tight edge leads out of it.
    fn feasible(
        n: usize,
        edges: &[(usize, usize)],
        incident: &[Vec<usize>],
        ranks: &mut [i64],
    ) -> Tree {
        let slack = |e: usize, ranks: &[i64]| ranks[edges[e].1] - ranks[edges[e].0] - 1;
        let other = |e: usize, v: usize| {
            let (tail, head) = edges[e];
            if tail == v {
                head
            } else {
                tail
            }
        };
        let mut in_tree = vec![false; edges.len()];
        let mut reached = vec![false; n];
        let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut tree_edges = Vec::new();
        let mut roots = Vec::new();
        let mut root_of = vec![0; n];
        for root in 0..n {
            if reached[root] {
                continue;
            }
            roots.push(root);
            reached[root] = true;
            let mut members = vec![root];
            let mut stack = vec![root];
            loop {
                while let Some(v) = stack.pop() {
                    for &e in &incident[v] {
                        let w = other(e, v);
                        if !reached[w] && slack(e, ranks) == 0 {
                            reached[w] = true;
                            in_tree[e] = true;
                            adjacent[v].push(e);
                            adjacent[w].push(e);
                            tree_edges.push(e);
                            members.push(w);
                            stack.push(w);
                        }
                    }
                }
                let mut least: Option<(i64, usize)> = None;
                for &v in &members {
                    for &e in &incident[v] {
                        if !reached[other(e, v)] {
                            let s = slack(e, ranks);
                            if least.is_none_or(|(best, _)| s < best) {
                                least = Some((s, e));
                            }
                        }
                    }
                }
                let Some((s, e)) = least else {
                    for &v in &members {
                        root_of[v] = root;
                    }
                    break;
                };
                let delta = if reached[edges[e].0] { s } else { -s };
                for &v in &members {
                    ranks[v] += delta;
                }
                stack.clone_from(&members);
            }
        }
        let mut balance = vec![0i64; n];
        for &(tail, head) in edges {
            balance[tail] += 1;
            balance[head] -= 1;
        }
        Tree {
            in_tree,
            adjacent,
            tree_edges,
            roots,
            balance,
            post: vec![0; n],
            low: vec![0; n],
            order: vec![0; n],
            root_of,
            subtree: vec![0; n],
            parent: vec![usize::MAX; n],
            cut: vec![0; edges.len()],
            stack: Vec::new(),
        }
    }

    /// Numbers the nodes in post order from each root and computes every cut value.
    fn index(&mut self, edges: &[(usize, usize)]) {
        let mut next = 0;
        for k in 0..self.roots.len() {
            let root = self.roots[k];
            self.parent[root] = usize::MAX;
            next = self.number(root, next, edges);
        }
    }

    /// Numbers the subtree of `top` in post order from `first`, keeping `top`'s parent edge,
    /// and recomputes its subtree sums and the cut values of its edges; returns the next
    /// free number.
    fn number(&mut self, top: usize, first: usize, edges: &[(usize, usize)]) -> usize {
        let mut next = first;
        let mut stack = std::mem::take(&mut self.stack);
        stack.push((top, 0));
        while let Some((v, k)) = stack.pop() {
            if k == 0 {
                self.low[v] = next;
                self.subtree[v] = self.balance[v];
            }
            if let Some(&e) = self.adjacent[v].get(k) {
                stack.push((v, k + 1));
                if e != self.parent[v] {
                    let (tail, head) = edges[e];
                    let child = if tail == v { head } else { tail };
                    self.parent[child] = e;
                    stack.push((child, 0));
                }
                continue;
            }
            self.post[v] = next;
            self.order[next] = v;
            next += 1;
            let up = self.parent[v];
            if v != top && up != usize::MAX {
                let (tail, head) = edges[up];
                let parent = if tail == v { head } else { tail };
                self.subtree[parent] += self.subtree[v];
                self.cut[up] = if tail == v {
                    self.subtree[v]
                } else {
                    -self.subtree[v]
                };
            }
        }
        self.stack = stack;
        next
    }

    /// Whether `v` is in the subtree of `top`.
    fn below(&self, v: usize, top: usize) -> bool {
        self.low[top] <= self.post[v] && self.post[v] <= self.post[top]
    }

    /// The child end of tree edge `e` (the end further from the root).
    fn child(&self, e: usize, edges: &[(usize, usize)]) -> usize {
        let (tail, head) = edges[e];
        if self.parent[tail] == e {
            tail
        } else {
            head
        }
    }

    /// The slot in `tree_edges` of a tree edge with a negative cut value: the most negative
    /// of the first [`SEARCH_SIZE`] found, searching on from where the last search stopped.
    fn leaving(&self, from: &mut usize) -> Option<usize> {
        let count = self.tree_edges.len();
        let mut best: Option<(i64, usize)> = None;
        let mut found = 0;
        for k in 0..count {
            let at = (*from + k) % count;
            let e = self.tree_edges[at];
            if self.cut[e] < 0 {
                if best.is_none_or(|(cut, _)| self.cut[e] < cut) {
                    best = Some((self.cut[e], at));
                }
                found += 1;
                if found == SEARCH_SIZE {
                    break;
                }
            }
        }
        best.map(|(_, at)| {
            *from = at;
            at
        })
    }

    /// The non-tree edge of least slack crossing `leaving`'s cut against it (from its head's
    /// side to its tail's), found from whichever side of the cut has fewer nodes.
    fn entering(
        &self,
        leaving: usize,
        edges: &[(usize, usize)],
        incident: &[Vec<usize>],
        ranks: &[i64],
    ) -> usize {
        let child = self.child(leaving, edges);
        let root = self.root_of[child];
        // The subtree below `leaving` is its tail's side when the child is its tail; then
        // the entering edge must come into the subtree, else leave it.
        let into_subtree = edges[leaving].0 == child;
        let inside = &self.order[self.low[child]..=self.post[child]];
        let part = &self.order[self.low[root]..=self.post[root]];
        let mut best: Option<(i64, usize)> = None;
        let mut consider = |e: usize| {
            let (tail, head) = edges[e];
            if self.in_tree[e]
                || self.below(tail, child) == self.below(head, child)
                || self.below(head, child) != into_subtree
            {
                return;
            }
            let slack = ranks[head] - ranks[tail] - 1;
            if best.is_none_or(|(least, _)| slack < least) {
                best = Some((slack, e));
            }
        };
        if 2 * inside.len() <= part.len() {
            inside
                .iter()
                .flat_map(|&v| &incident[v])
                .for_each(|&e| consider(e));
        } else {
            part.iter()
                .filter(|&&v| !self.below(v, child))
                .flat_map(|&v| &incident[v])
                .for_each(|&e| consider(e));
        }
        best.expect("a negative cut value has an edge crossing against it")
            .1
    }

    /// Swaps the tree edge in `slot` (leaving) for `entering`, moving the subtree below the
    /// leaving edge to make `entering` tight, then renumbers the smallest subtree holding the
    /// cycle the two edges close.
    fn exchange(
        &mut self,
        slot: usize,
        entering: usize,
        edges: &[(usize, usize)],
        ranks: &mut [i64],
    ) {
        let leaving = self.tree_edges[slot];
        let child = self.child(leaving, edges);
        let (tail, head) = edges[entering];
        let slack = ranks[head] - ranks[tail] - 1;
        let delta = if self.below(tail, child) {
            slack
        } else {
            -slack
        };
        for &v in &self.order[self.low[child]..=self.post[child]] {
            ranks[v] += delta;
        }
        let mut top = tail;
        while !self.below(head, top) {
            let up = self.parent[top];
            let (a, b) = edges[up];
            top = if a == top { b } else { a };
        }
        self.in_tree[leaving] = false;
        self.in_tree[entering] = true;
        let (a, b) = edges[leaving];
        self.adjacent[a].retain(|&e| e != leaving);
        self.adjacent[b].retain(|&e| e != leaving);
        self.adjacent[tail].push(entering);
        self.adjacent[head].push(entering);
        self.tree_edges[slot] = entering;
        self.number(top, self.low[top], edges);
    }

    /// Shifts each connected part so that its first rank is 0.
    fn normalise(&mut self, ranks: &mut [i64]) {
        // The post order lists each root's part contiguously, the root last.
        let mut start = 0;
        for k in 0..self.order.len() {
            if self.parent[self.order[k]] == usize::MAX {
                let part = &self.order[start..=k];
                let least = part.iter().map(|&v| ranks[v]).min().unwrap_or(0);
                for &v in part {
                    ranks[v] -= least;
                }
                start = k + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(edges: &[(usize, usize)], ranks: &[usize]) -> usize {
        edges.iter().map(|&(t, h)| ranks[h] - ranks[t]).sum()
    }

    /// Random DAGs (edges from lower to higher index, some parallel, some parts apart) from a
    /// fixed linear congruential sequence.
    fn dags(count: usize, nodes: usize) -> Vec<Vec<(usize, usize)>> {
        let mut state: u64 = 7;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % bound
        };
        (0..count)
            .map(|_| {
                (0..nodes + next(nodes))
                    .map(|_| {
                        let a = next(nodes - 1);
                        (a, a + 1 + next(nodes - 1 - a))
                    })
                    .collect()
            })
            .collect()
    }

    fn longest_path(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
        let mut ranks = vec![0; n];
        for v in 0..n {
            for &(t, h) in edges {
                if h == v {
                    ranks[v] = ranks[v].max(ranks[t] + 1);
                }
            }
        }
        ranks
    }

    #[test]
    fn ranks_are_feasible_and_as_short_as_any() {
        let n = 6;
        for edges in dags(40, n) {
            let ranks = network_simplex(n, &edges, &longest_path(n, &edges));
            assert!(edges.iter().all(|&(t, h)| ranks[h] > ranks[t]), "{edges:?}");
            // Every ranking with ranks below n, by brute force.
            let mut best = usize::MAX;
            let mut trial = vec![0; n];
            'all: loop {
                if edges.iter().all(|&(t, h)| trial[h] > trial[t]) {
                    best = best.min(length(&edges, &trial));
                }
                for r in trial.iter_mut() {
                    *r += 1;
                    if *r < n {
                        continue 'all;
                    }
                    *r = 0;
                }
                break;
            }
            assert_eq!(length(&edges, &ranks), best, "{edges:?} → {ranks:?}");
        }
    }

    #[test]
    fn each_part_starts_at_rank_zero() {
        let edges = [(0, 1), (1, 2), (3, 4), (0, 2)];
        let ranks = network_simplex(5, &edges, &[5, 6, 7, 8, 9]);
        assert_eq!(ranks, vec![0, 1, 2, 0, 1]);
    }
}
