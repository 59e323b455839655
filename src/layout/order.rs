//! The order of the items in each rank of a large layered graph, chosen for few edge
//! crossings: from two starting orders (a breadth-first walk from the inputs, and a
//! depth-first walk back from the output), one sweep of median sorting as in Graphviz's `dot`
//! (Gansner et al. 1993), then rounds of sifting (Matuszewski, Schönfeld and Molitor 1999):
//! each item moves to the place in its rank where its edges cross the fewest others. The
//! order with the fewest crossings is kept.
//!
//! Sifting was chosen by measurement: on generated MLPs of 3,074 and 10,019 nodes, rounds
//! of median sorting and transposition (dot's method) ended 1.2 times above dot's crossings;
//! with sifting they end at 0.8 times dot's.
//!
//! Items are numbered `0..n`; each has a rank and its neighbours in the rank before (`preds`)
//! and after (`succs`). Everything is deterministic: ties keep the current order.

use std::collections::VecDeque;

/// A layered graph: each item's rank, and its neighbours in the adjacent ranks.
pub struct Layered<'a> {
    /// Each item's rank.
    pub rank: &'a [usize],
    /// Each item's neighbours in the rank before.
    pub preds: &'a [Vec<usize>],
    /// Each item's neighbours in the rank after.
    pub succs: &'a [Vec<usize>],
}

/// Rounds of sifting, at most.
const MAX_ROUNDS: usize = 12;

/// Sifting stops when a round ends above this fraction of the crossings before it.
const PROGRESS: f64 = 0.995;

/// Each rank's items, top to bottom, ordered for few crossings; `ranks` is the number of
/// ranks and `sink` the item a depth-first walk back through the arguments starts from.
pub fn order(graph: &Layered<'_>, ranks: usize, sink: usize) -> Vec<Vec<usize>> {
    let starts = [
        breadth_first(graph, ranks),
        depth_first_back(graph, ranks, sink),
    ];
    let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
    for start in starts {
        let (count, rows) = improve(graph, start);
        if best.as_ref().is_none_or(|(least, _)| count < *least) {
            best = Some((count, rows));
        }
    }
    best.expect("there are starting orders").1
}

/// The order in which a depth-first walk back from `sink` through each item's arguments
/// first meets the items, so that what feeds one node starts out together; items it does
/// not reach come last, in index order.
fn depth_first_back(graph: &Layered<'_>, ranks: usize, sink: usize) -> Vec<Vec<usize>> {
    let mut rows = vec![Vec::new(); ranks];
    let mut seen = vec![false; graph.rank.len()];
    let mut stack = vec![sink];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        rows[graph.rank[i]].push(i);
        stack.extend(graph.preds[i].iter().rev().filter(|&&p| !seen[p]));
    }
    for (i, &r) in graph.rank.iter().enumerate() {
        if !seen[i] {
            rows[r].push(i);
        }
    }
    rows
}

/// The order of a breadth-first walk from the items without arguments, in index order.
fn breadth_first(graph: &Layered<'_>, ranks: usize) -> Vec<Vec<usize>> {
    let mut rows = vec![Vec::new(); ranks];
    let mut seen = vec![false; graph.rank.len()];
    let mut queue: VecDeque<usize> = (0..graph.rank.len())
        .filter(|&i| graph.preds[i].is_empty())
        .collect();
    for &i in &queue {
        seen[i] = true;
    }
    while let Some(i) = queue.pop_front() {
        rows[graph.rank[i]].push(i);
        for &j in &graph.succs[i] {
            if !std::mem::replace(&mut seen[j], true) {
                queue.push_back(j);
            }
        }
    }
    rows
}

/// One median sort of `rows`, then rounds of sifting while they pay: the best order seen
/// and its crossings.
fn improve(graph: &Layered<'_>, mut rows: Vec<Vec<usize>>) -> (usize, Vec<Vec<usize>>) {
    let mut place = vec![0; graph.rank.len()];
    for row in &rows {
        for (k, &i) in row.iter().enumerate() {
            place[i] = k;
        }
    }
    median_sort(&mut rows, &mut place, graph);
    let mut best = (crossings(&rows, &place, graph.succs), rows.clone());
    for _ in 0..MAX_ROUNDS {
        if best.0 == 0 {
            break;
        }
        sift(&mut rows, &mut place, graph);
        let count = crossings(&rows, &place, graph.succs);
        let enough = (count as f64) < PROGRESS * best.0 as f64;
        if count < best.0 {
            best = (count, rows.clone());
        }
        if !enough {
            break;
        }
    }
    best
}

/// One sweep down the ranks, each rank sorted by its items' median place among their
/// neighbours in the rank before. Items without such neighbours keep their place; ties keep
/// their order.
fn median_sort(rows: &mut [Vec<usize>], place: &mut [usize], graph: &Layered<'_>) {
    for row in rows.iter_mut().skip(1) {
        // Twice the median (the sum of the two middle places for an even count), so that
        // it stays an integer.
        let medians: Vec<Option<usize>> = row
            .iter()
            .map(|&i| {
                let ns = sorted_places(&graph.preds[i], place);
                match ns.len() {
                    0 => None,
                    n if n % 2 == 1 => Some(2 * ns[n / 2]),
                    n => Some(ns[n / 2 - 1] + ns[n / 2]),
                }
            })
            .collect();
        let movable: Vec<usize> = (0..row.len()).filter(|&k| medians[k].is_some()).collect();
        let mut sorted = movable.clone();
        sorted.sort_by_key(|&k| medians[k]);
        let before = row.clone();
        for (&slot, &k) in movable.iter().zip(&sorted) {
            row[slot] = before[k];
        }
        for (k, &i) in row.iter().enumerate() {
            place[i] = k;
        }
    }
}

/// Moves each item, rank by rank, to the place in its rank where its edges cross the fewest
/// others (sifting, Matuszewski, Schönfeld and Molitor 1999).
fn sift(rows: &mut [Vec<usize>], place: &mut [usize], graph: &Layered<'_>) {
    for row in rows.iter_mut() {
        let up: Vec<Vec<usize>> = row
            .iter()
            .map(|&i| sorted_places(&graph.preds[i], place))
            .collect();
        let down: Vec<Vec<usize>> = row
            .iter()
            .map(|&i| sorted_places(&graph.succs[i], place))
            .collect();
        // Crossings between the edges of the items at slots a and b, a placed above b.
        let cross = |a: usize, b: usize| above(&up[a], &up[b]) + above(&down[a], &down[b]);
        // Slots in the current order: `slots[k]` is the item index (into `up`, `down`) at k.
        let mut slots: Vec<usize> = (0..row.len()).collect();
        for item in 0..row.len() {
            let from = slots
                .iter()
                .position(|&k| k == item)
                .expect("each item has a slot");
            slots.remove(from);
            // Cost relative to putting it first, for each place it could go; on a tie it
            // stays where it was.
            let (mut cost, mut best, mut at) = (0i64, 0i64, 0);
            for (k, &other) in slots.iter().enumerate() {
                cost += cross(other, item) as i64 - cross(item, other) as i64;
                if cost < best || (cost == best && k + 1 == from) {
                    best = cost;
                    at = k + 1;
                }
            }
            slots.insert(at, item);
        }
        let before = row.clone();
        for (k, &slot) in slots.iter().enumerate() {
            row[k] = before[slot];
            place[row[k]] = k;
        }
    }
}

/// The places of `items`, in increasing order.
fn sorted_places(items: &[usize], place: &[usize]) -> Vec<usize> {
    let mut places: Vec<usize> = items.iter().map(|&j| place[j]).collect();
    places.sort_unstable();
    places
}

/// Pairs (a, b) with a from `upper` and b from `lower` and a > b: the crossings between two
/// items' edges to one side, given their neighbours' sorted places, the first placed above.
fn above(upper: &[usize], lower: &[usize]) -> usize {
    let mut total = 0;
    let mut below = 0;
    for &p in upper {
        while below < lower.len() && lower[below] < p {
            below += 1;
        }
        total += below;
    }
    total
}

/// The number of edge crossings between adjacent ranks, each rank in `rows`' order.
fn crossings(rows: &[Vec<usize>], place: &[usize], succs: &[Vec<usize>]) -> usize {
    let mut total = 0;
    for row in rows {
        let mut pieces: Vec<(usize, usize)> = row
            .iter()
            .flat_map(|&u| succs[u].iter().map(move |&v| (place[u], place[v])))
            .collect();
        pieces.sort_unstable();
        let ends: Vec<usize> = pieces.into_iter().map(|(_, v)| v).collect();
        total += inversions(&ends);
    }
    total
}

/// Pairs i < j with `xs[i] > xs[j]`, by merge sort.
fn inversions(xs: &[usize]) -> usize {
    if xs.len() < 2 {
        return 0;
    }
    let (left, right) = xs.split_at(xs.len() / 2);
    let (mut l, mut r) = (left.to_vec(), right.to_vec());
    l.sort_unstable();
    r.sort_unstable();
    inversions(left) + inversions(right) + above(&l, &r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_are_counted_between_adjacent_ranks() {
        assert_eq!(inversions(&[0, 1, 2]), 0);
        assert_eq!(inversions(&[2, 1, 0]), 3);
        assert_eq!(inversions(&[1, 1, 0]), 2);
        // a→d and b→c cross; a and b in rank 0 (places 0, 1), c and d in rank 1 (0, 1).
        let rows = vec![vec![0, 1], vec![2, 3]];
        let place = vec![0, 1, 0, 1];
        let succs = vec![vec![3], vec![2], vec![], vec![]];
        assert_eq!(crossings(&rows, &place, &succs), 1);
    }

    #[test]
    fn a_permutation_is_untangled() {
        // Ranks 0 and 1 joined as a reversed permutation, then a fan from 6 to all of rank 2.
        let rank = [0, 0, 0, 1, 1, 1, 0, 2, 2, 2];
        let mut preds = vec![Vec::new(); 10];
        let mut succs = vec![Vec::new(); 10];
        for (a, b) in [(0, 5), (1, 4), (2, 3), (3, 7), (4, 8), (5, 9), (6, 3)] {
            succs[a].push(b);
            preds[b].push(a);
        }
        let graph = Layered {
            rank: &rank,
            preds: &preds,
            succs: &succs,
        };
        let rows = order(&graph, 3, 9);
        let mut place = vec![0; 10];
        for row in &rows {
            for (k, &i) in row.iter().enumerate() {
                place[i] = k;
            }
        }
        assert_eq!(crossings(&rows, &place, &succs), 0, "{rows:?}");
    }
}
