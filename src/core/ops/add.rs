//! `add`: the elementwise sum of two or more arguments. Backward passes the upstream gradient
//! on unchanged (local derivative 1), as the text's add node does.

use super::{one, Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Add;

pub(super) const ENTRY: Entry = Entry {
    name: "add",
    takes: &[],
    make: |_| Ok(Box::new(Add)),
};

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
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Add {
    fn value(&self, args: &[f64]) -> f64 {
        args[1..].iter().fold(args[0], |sum, x| sum + x)
    }
    fn derivative(&self, _: &[f64], _: f64, _: usize) -> f64 {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

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
            .unwrap_err()
            .to_string();
        assert!(err.contains("(2,)") && err.contains("(3,)"), "{err}");
    }
}
