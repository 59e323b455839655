//! Coordinates shared by both placements: each item's rank and weight, each item's height
//! within its rank (pulled towards its neighbours by alternating sweeps of order-preserving
//! least-squares projections), and the nodes placed in their ranks.

use super::geometry::Point;
use super::parts::{NodeShape, Placed};

/// Each of `count` items' rank, from the ranks' items.
pub(super) fn ranks(rows: &[Vec<usize>], count: usize) -> Vec<usize> {
    let mut rank = vec![0; count];
    for (r, row) in rows.iter().enumerate() {
        for &i in row {
            rank[i] = r;
        }
    }
    rank
}

/// How firmly each of `count` items holds its place in [`vertical`]: operators and waypoints
/// hold the main path; names at arrow tails give way to them.
pub(super) fn weights(shapes: &[NodeShape], count: usize) -> Vec<f64> {
    (0..count)
        .map(|i| match shapes.get(i) {
            Some(NodeShape::Text(_)) => 1.0,
            Some(_) => 10.0,
            None => 5.0,
        })
        .collect()
}

/// The nodes in their ranks (centred at `x`, `rank_width` wide) at heights `y`: operators
/// centred, names at arrow tails ending where their rank ends, and the output's label (the
/// last shape) starting where its rank starts.
pub(super) fn place(
    shapes: &[NodeShape],
    rank: &[usize],
    x: &[f64],
    rank_width: &[f64],
    y: &[f64],
) -> Vec<Placed> {
    let sink = shapes.len() - 1;
    shapes
        .iter()
        .enumerate()
        .map(|(i, &shape)| {
            let r = rank[i];
            let cx = match shape {
                NodeShape::Text(m) if i == sink => x[r] - rank_width[r] / 2.0 + m.width / 2.0,
                NodeShape::Text(m) => x[r] + rank_width[r] / 2.0 - m.width / 2.0,
                _ => x[r],
            };
            Placed {
                centre: Point::new(cx, y[i]),
                shape,
            }
        })
        .collect()
}

/// Vertical positions: start from the ranks' order, then pull every item towards its
/// neighbours, sweeping right to left (towards the mean of its users) and left to right
/// (towards the mean of its operator arguments, so a chain of operators stays straight and
/// inputs join it from the side), keeping each rank's order and minimum spacing. Heavier
/// items move less when two want the same place. `gap(a, b)` is the least distance from item
/// `a` down to item `b` under it.
pub(super) fn vertical(
    rows: &[Vec<usize>],
    weight: &[f64],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    gap: &dyn Fn(usize, usize) -> f64,
) -> Vec<f64> {
    let mut y = vec![0.0; weight.len()];
    for row in rows {
        let mut at = 0.0;
        for (k, &i) in row.iter().enumerate() {
            if k > 0 {
                at += gap(row[k - 1], i);
            }
            y[i] = at;
        }
    }
    let mean = |ys: &[f64], of: &[usize]| -> Option<f64> {
        (!of.is_empty()).then(|| of.iter().map(|&j| ys[j]).sum::<f64>() / of.len() as f64)
    };
    let main_preds: Vec<Vec<usize>> = preds
        .iter()
        .map(|p| {
            let heavy: Vec<usize> = p.iter().copied().filter(|&j| weight[j] > 1.0).collect();
            if heavy.is_empty() {
                p.clone()
            } else {
                heavy
            }
        })
        .collect();
    let sweep =
        |y: &mut Vec<f64>, rows: &mut dyn Iterator<Item = &Vec<usize>>, towards: &[Vec<usize>]| {
            for row in rows {
                let desired: Vec<f64> = row
                    .iter()
                    .map(|&i| mean(y, &towards[i]).unwrap_or(y[i]))
                    .collect();
                let weights: Vec<f64> = row.iter().map(|&i| weight[i]).collect();
                let gaps: Vec<f64> = row.windows(2).map(|w| gap(w[0], w[1])).collect();
                for (&i, v) in row.iter().zip(project(&desired, &weights, &gaps)) {
                    y[i] = v;
                }
            }
        };
    for _ in 0..8 {
        sweep(&mut y, &mut rows.iter().rev(), succs);
        sweep(&mut y, &mut rows.iter(), &main_preds);
    }
    y
}

/// The positions closest (weighted least squares) to `desired` that keep their order with at
/// least `gaps[k]` between item k and k+1: isotonic regression by pooling adjacent violators.
fn project(desired: &[f64], weights: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut offset = vec![0.0; desired.len()];
    for k in 1..desired.len() {
        offset[k] = offset[k - 1] + gaps[k - 1];
    }
    // Blocks of (Σ w·z, Σ w, count), their means non-decreasing.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for ((d, o), w) in desired.iter().zip(&offset).zip(weights) {
        blocks.push((w * (d - o), *w, 1));
        while let [.., (s1, w1, n1), (s2, w2, n2)] = blocks[..] {
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            blocks.push((s1 + s2, w1 + w2, n1 + n2));
        }
    }
    let mut out = Vec::with_capacity(desired.len());
    for (sum, w, n) in blocks {
        for _ in 0..n {
            out.push(sum / w + offset[out.len()]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_keeps_order_and_gaps() {
        let y = project(&[0.0, 0.0, 0.0], &[1.0; 3], &[10.0, 10.0]);
        assert_eq!(y, vec![-10.0, 0.0, 10.0]);
        let y = project(&[0.0, 100.0], &[1.0; 2], &[10.0]);
        assert_eq!(y, vec![0.0, 100.0]);
        let y = project(&[5.0, 0.0], &[1.0; 2], &[10.0]);
        assert_eq!(y, vec![-2.5, 7.5]);
        let y = project(&[0.0, 0.0], &[9.0, 1.0], &[10.0]);
        assert_eq!(y, vec![-1.0, 9.0]);
    }
}
