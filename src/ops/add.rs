//! `add`: the elementwise sum of two or more arguments. Backward passes the upstream gradient
//! on unchanged (local derivative 1), as the text's add node does.

use super::{binary, filled, one, Arity, LocalMath, Names, Operator};
use crate::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Add;

impl Operator for Add {
    fn name(&self) -> &'static str {
        "add"
    }
    fn symbol(&self) -> String {
        "+".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::AtLeast(2)
    }
    fn local_math(&self, _: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(one())
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        let (first, rest) = args.split_first().ok_or("add needs arguments")?;
        rest.iter().try_fold((*first).clone(), |acc, x| {
            binary("add", &acc, x, |a, b| a + b)
        })
    }
    fn local(&self, _: &[&Tensor], out: &Tensor, _: usize) -> Option<Tensor> {
        Some(filled(out, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{check_gradients, t};
    use crate::tensor::scalar;

    #[test]
    fn text_example_10_plus_5() {
        let (x, y) = (scalar(10.0), scalar(5.0));
        let out = Add.forward(&[&x, &y]).unwrap();
        assert_eq!(out, scalar(15.0));
        let g = Add.backward(&[&x, &y], &out, &scalar(1.3));
        assert_eq!(g, vec![scalar(1.3), scalar(1.3)]);
    }

    #[test]
    fn broadcast_gradients() {
        check_gradients(
            &Add,
            &[
                t(&[2, 3], &[1., 2., 3., 4., 5., 6.]),
                t(&[3], &[1., 2., 3.]),
                scalar(2.0),
            ],
        );
    }

    #[test]
    fn mismatched_shapes_are_named() {
        let err = Add
            .forward(&[&t(&[2], &[1., 2.]), &t(&[3], &[1., 2., 3.])])
            .unwrap_err();
        assert!(err.contains("(2,)") && err.contains("(3,)"), "{err}");
    }
}
