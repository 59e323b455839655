//! Checks an operator's backward rule against central finite differences.

use ndarray::{Dimension, IxDyn};

use super::Operator;
use crate::core::tensor::Tensor;

/// Asserts that `op.backward` at `args` matches central differences of Σ up ⊙ forward.
pub fn check_gradients(op: &dyn Operator, args: &[Tensor]) {
    let refs: Vec<&Tensor> = args.iter().collect();
    let out = op.forward(&refs).expect("forward");
    let up = Tensor::from_shape_fn(out.raw_dim(), |d| {
        0.5 + 0.25 * (d.slice().iter().sum::<usize>() as f64)
    });
    let grads = op.backward(&refs, &out, &up);
    assert_eq!(grads.len(), args.len());
    let loss = |args: &[Tensor]| {
        let refs: Vec<&Tensor> = args.iter().collect();
        (op.forward(&refs).expect("forward") * &up).sum()
    };
    for (i, grad) in grads.iter().enumerate() {
        assert_eq!(
            grad.shape(),
            args[i].shape(),
            "{} grad {i} shape",
            op.name()
        );
        for (j, &g) in grad.iter().enumerate() {
            let h = 1e-6;
            let mut plus = args.to_vec();
            plus[i].as_slice_mut().expect("standard layout")[j] += h;
            let mut minus = args.to_vec();
            minus[i].as_slice_mut().expect("standard layout")[j] -= h;
            let numeric = (loss(&plus) - loss(&minus)) / (2.0 * h);
            assert!(
                (numeric - g).abs() <= 1e-5 * (1.0 + numeric.abs()),
                "{}: d/d arg{i}[{j}]: analytic {g}, numeric {numeric}",
                op.name()
            );
        }
    }
}

/// A tensor from a flat list and a shape.
pub fn t(shape: &[usize], data: &[f64]) -> Tensor {
    Tensor::from_shape_vec(IxDyn(shape), data.to_vec()).expect("shape")
}
