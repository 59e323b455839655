//! The fewest crossings outright, for graphs small enough: the crossings of a layered drawing
//! are a sum over pairs of adjacent ranks, so the best order of every rank at once is a
//! shortest path through the ranks whose states are the orders of one rank (dynamic
//! programming over all permutations, rank by rank).
//!
//! Two things keep the states few. Leaves (an input used once) are left out of the states:
//! given the orders of their own rank's other items and of the next rank, the place where a
//! leaf's one edge crosses the fewest others is found directly, and those places can always be
//! chosen in the order of the leaves' targets, so leaves never cross each other (the cost of a
//! place has decreasing differences in the target's place, so by Topkis' theorem the last best
//! place never moves up as the target moves down). And a graph whose ranks would still need
//! more than [`MAX_STATES`] state pairs is not solved here: the caller keeps its heuristic
//! order.
//!
//! First of all, each group's operators stay together in every rank where they can (so that
//! group frames do not cross); then the fewest crossings; among equals, the order nearest the
//! starting order (the fewest places moved), so the heuristic's choices (inputs in the file's
//! order) survive where nothing else decides.

use super::order::Layered;

/// The most pairs of states (orders of two adjacent ranks) one step of the search may visit.
const MAX_STATES: usize = 500_000;

/// How much a group of operators (a layer's frame) split by other operators in one rank
/// outweighs crossings: frames that cross each other read worse than a few more crossing
/// edges.
const SPLIT: u64 = 1 << 28;

/// How much one crossing outweighs moving items from their starting places: more than any
/// graph small enough to solve can move.
const CROSSING: u64 = 1 << 14;

/// Each rank of `rows` reordered for the fewest crossings between adjacent ranks, or `None`
/// when the graph is too big to solve outright (see [`MAX_STATES`]). `group` is each item's
/// group, if it has one (items past its end have none).
pub(super) fn fewest_crossings(
    graph: &Layered<'_>,
    rows: &[Vec<usize>],
    group: &[Option<usize>],
) -> Option<Vec<Vec<usize>>> {
    let own = |order: &[usize], start: &[usize]| moved(order, start) + SPLIT * splits(order, group);
    let is_leaf =
        |i: usize| graph.preds[i].is_empty() && graph.succs[i].len() == 1 && rows.len() > 1;
    let inner: Vec<Vec<usize>> = rows
        .iter()
        .map(|row| row.iter().copied().filter(|&i| !is_leaf(i)).collect())
        .collect();
    let leaves: Vec<Vec<usize>> = rows
        .iter()
        .map(|row| row.iter().copied().filter(|&i| is_leaf(i)).collect())
        .collect();
    let states: Vec<Vec<Vec<usize>>> = inner
        .iter()
        .map(|row| permutations(row))
        .collect::<Option<_>>()?;
    if states
        .windows(2)
        .any(|w| w[0].len().saturating_mul(w[1].len()) > MAX_STATES)
    {
        return None;
    }
    let mut place = vec![0usize; graph.rank.len()];
    // cost[k]: the least cost of ranks 0..=r ending in state k of rank r; from[r][k]: the
    // state of rank r - 1 it came from.
    let mut cost: Vec<u64> = states[0].iter().map(|s| own(s, &inner[0])).collect();
    let mut from: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for r in 1..rows.len() {
        let mut next = vec![u64::MAX; states[r].len()];
        let mut back = vec![0; states[r].len()];
        for (k, order) in states[r].iter().enumerate() {
            for (p, &i) in order.iter().enumerate() {
                place[i] = p;
            }
            let own = own(order, &inner[r]);
            for (j, before) in states[r - 1].iter().enumerate() {
                let total = cost[j]
                    + own
                    + CROSSING * between(before, &leaves[r - 1], &place, graph).0 as u64;
                if total < next[k] {
                    next[k] = total;
                    back[k] = j;
                }
            }
        }
        cost = next;
        from[r] = back;
    }
    // Walk back from the cheapest last state, then put each rank's leaves in.
    let mut k = (0..cost.len()).min_by_key(|&k| cost[k]).unwrap_or(0);
    let mut chosen = vec![Vec::new(); rows.len()];
    for r in (0..rows.len()).rev() {
        chosen[r] = states[r][k].clone();
        if r > 0 {
            k = from[r][k];
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in 0..rows.len() {
        if r + 1 < rows.len() {
            for (p, &i) in chosen[r + 1].iter().enumerate() {
                place[i] = p;
            }
        }
        let (_, gaps) = between(&chosen[r], &leaves[r], &place, graph);
        out.push(with_leaves(&chosen[r], &leaves[r], &gaps, &place, graph));
    }
    Some(out)
}

/// The crossings between `order` (a rank's inner items, top to bottom, with its `leaves` each
/// in its best gap) and the next rank, whose items' places are in `place`; and each leaf's
/// gap (0 = above every inner item).
fn between(
    order: &[usize],
    leaves: &[usize],
    place: &[usize],
    graph: &Layered<'_>,
) -> (usize, Vec<usize>) {
    let mut total = 0;
    for (a, &upper) in order.iter().enumerate() {
        for &lower in &order[a + 1..] {
            for &x in &graph.succs[upper] {
                total += graph.succs[lower]
                    .iter()
                    .filter(|&&y| place[y] < place[x])
                    .count();
            }
        }
    }
    let mut gaps = Vec::with_capacity(leaves.len());
    for &leaf in leaves {
        let target = place[graph.succs[leaf][0]];
        // Crossings with the leaf in gap 0: every inner edge ending above its target.
        let mut cost: usize = order
            .iter()
            .flat_map(|&i| &graph.succs[i])
            .filter(|&&y| place[y] < target)
            .count();
        let (mut best, mut gap) = (cost, 0);
        for (g, &i) in order.iter().enumerate() {
            let succs = &graph.succs[i];
            cost += succs.iter().filter(|&&y| place[y] > target).count();
            cost -= succs.iter().filter(|&&y| place[y] < target).count();
            if cost <= best {
                best = cost;
                gap = g + 1;
            }
        }
        total += best;
        gaps.push(gap);
    }
    (total, gaps)
}

/// `order` with each leaf in its gap; leaves in one gap in the order of their targets, then
/// as they came.
fn with_leaves(
    order: &[usize],
    leaves: &[usize],
    gaps: &[usize],
    place: &[usize],
    graph: &Layered<'_>,
) -> Vec<usize> {
    let mut placed: Vec<(usize, usize, usize, usize)> = leaves
        .iter()
        .zip(gaps)
        .enumerate()
        .map(|(k, (&leaf, &gap))| (gap, place[graph.succs[leaf][0]], k, leaf))
        .collect();
    placed.sort_unstable();
    let mut out = Vec::with_capacity(order.len() + leaves.len());
    let mut next = placed.iter().peekable();
    for g in 0..=order.len() {
        while let Some(&&(_, _, _, leaf)) = next.peek().filter(|p| p.0 == g) {
            out.push(leaf);
            next.next();
        }
        if let Some(&i) = order.get(g) {
            out.push(i);
        }
    }
    out
}

/// How many times a group's run in `order` starts again after another group's item
/// (items without a group do not count).
fn splits(order: &[usize], group: &[Option<usize>]) -> u64 {
    let mut seen: Vec<usize> = Vec::new();
    let mut last = None;
    let mut count = 0;
    for g in order
        .iter()
        .filter_map(|&i| group.get(i).copied().flatten())
    {
        if last != Some(g) {
            if seen.contains(&g) {
                count += 1;
            }
            seen.push(g);
            last = Some(g);
        }
    }
    count
}

/// How far `order` moves items from their places in `start`: the sum of the distances.
fn moved(order: &[usize], start: &[usize]) -> u64 {
    order
        .iter()
        .enumerate()
        .map(|(p, i)| {
            let q = start.iter().position(|j| j == i).unwrap_or(p);
            p.abs_diff(q) as u64
        })
        .sum()
}

/// Every order of `items`, the given one first; `None` if there are more than [`MAX_STATES`].
fn permutations(items: &[usize]) -> Option<Vec<Vec<usize>>> {
    (1..=items.len()).try_fold(1usize, |acc, k| {
        acc.checked_mul(k).filter(|&c| c <= MAX_STATES)
    })?;
    let mut out = vec![items.to_vec()];
    let mut current: Vec<usize> = (0..items.len()).collect();
    // Lexicographic successors of the index order (Narayana Pandita's algorithm).
    while let Some(i) = (1..current.len())
        .rev()
        .find(|&i| current[i - 1] < current[i])
    {
        let j = (i..current.len())
            .rev()
            .find(|&j| current[j] > current[i - 1])
            .expect("a larger item follows");
        current.swap(i - 1, j);
        current[i..].reverse();
        out.push(current.iter().map(|&k| items[k]).collect());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layered(
        n: usize,
        rank: &[usize],
        edges: &[(usize, usize)],
    ) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let mut preds = vec![Vec::new(); n];
        let mut succs = vec![Vec::new(); n];
        for &(a, b) in edges {
            succs[a].push(b);
            preds[b].push(a);
        }
        assert_eq!(rank.len(), n);
        (preds, succs)
    }

    fn crossings(rows: &[Vec<usize>], succs: &[Vec<usize>]) -> usize {
        let mut place = vec![0; succs.len()];
        for row in rows {
            for (k, &i) in row.iter().enumerate() {
                place[i] = k;
            }
        }
        let mut total = 0;
        for row in rows {
            let pieces: Vec<(usize, usize)> = row
                .iter()
                .flat_map(|&u| succs[u].iter().map(move |&v| (u, v)))
                .collect();
            for (k, &(a, x)) in pieces.iter().enumerate() {
                for &(b, y) in &pieces[k + 1..] {
                    let (pa, pb, px, py) = (place[a], place[b], place[x], place[y]);
                    if (pa < pb && px > py) || (pa > pb && px < py) {
                        total += 1;
                    }
                }
            }
        }
        total
    }

    #[test]
    fn permutations_are_all_there_the_given_first() {
        let p = permutations(&[7, 3, 5]).expect("few");
        assert_eq!(p.len(), 6);
        assert_eq!(p[0], vec![7, 3, 5]);
        let mut sorted = p.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 6);
    }

    /// The hidden layer of a 2-2-1 network given in the order that makes its edges cross in an
    /// X comes out untangled, and every order of a small graph is no better than the one found.
    #[test]
    fn finds_the_fewest_crossings() {
        // Rank 0: inputs 0, 1 (each used twice); rank 1: products 2..5; rank 2: sums 6, 7;
        // rank 3: 8. Products 2, 3 feed sum 7 and 4, 5 feed sum 6: drawn as given, an X.
        let rank = [0, 0, 1, 1, 1, 1, 2, 2, 3];
        let edges = [
            (0, 2),
            (1, 3),
            (0, 4),
            (1, 5),
            (2, 7),
            (3, 7),
            (4, 6),
            (5, 6),
            (6, 8),
            (7, 8),
        ];
        let (preds, succs) = layered(9, &rank, &edges);
        let graph = Layered {
            rank: &rank,
            preds: &preds,
            succs: &succs,
        };
        let rows = vec![vec![0, 1], vec![2, 3, 4, 5], vec![6, 7], vec![8]];
        let before = crossings(&rows, &succs);
        let found = fewest_crossings(&graph, &rows, &[]).expect("small enough");
        let after = crossings(&found, &succs);
        assert!(after < before, "{before} → {after}: {found:?}");
        // Brute force over every order of ranks 1 and 2 (rank 0 and 3 as found).
        let mut least = usize::MAX;
        for r1 in permutations(&rows[1]).expect("few") {
            for r2 in permutations(&rows[2]).expect("few") {
                for r0 in permutations(&rows[0]).expect("few") {
                    let all = vec![r0.clone(), r1.clone(), r2.clone(), rows[3].clone()];
                    least = least.min(crossings(&all, &succs));
                }
            }
        }
        assert_eq!(after, least);
    }

    /// Leaves go next to their targets, in their targets' order, and never cross each other.
    #[test]
    fn leaves_take_their_best_places() {
        // Rank 0: leaves 0 → 4, 1 → 3, 2 → 4 and an inner item 5 (used twice) → 3 and 4.
        let rank = [0, 0, 0, 1, 1, 0];
        let edges = [(0, 4), (1, 3), (2, 4), (5, 3), (5, 4)];
        let (preds, succs) = layered(6, &rank, &edges);
        let graph = Layered {
            rank: &rank,
            preds: &preds,
            succs: &succs,
        };
        let rows = vec![vec![0, 1, 2, 5], vec![3, 4]];
        let found = fewest_crossings(&graph, &rows, &[]).expect("small enough");
        assert_eq!(crossings(&found, &succs), 0, "{found:?}");
        assert_eq!(found[0], vec![1, 5, 0, 2]);
    }

    #[test]
    fn too_big_a_graph_is_left_to_the_heuristic() {
        // Two ranks of 12 items each used twice: 12! orders each.
        let rank: Vec<usize> = (0..36)
            .map(|i| usize::from(i >= 12) + usize::from(i >= 24))
            .collect();
        let edges: Vec<(usize, usize)> = (0..12)
            .flat_map(|i| {
                [
                    (i, 12 + i),
                    (i, 12 + (i + 1) % 12),
                    (12 + i, 24 + i),
                    (12 + i, 24 + (i + 5) % 12),
                ]
            })
            .collect();
        let (preds, succs) = layered(36, &rank, &edges);
        let graph = Layered {
            rank: &rank,
            preds: &preds,
            succs: &succs,
        };
        let rows = vec![(0..12).collect(), (12..24).collect(), (24..36).collect()];
        assert!(fewest_crossings(&graph, &rows, &[]).is_none());
    }
}
