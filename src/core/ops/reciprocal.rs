//! `reciprocal`: 1/x, the text's `/` node in the sigmoid. Its local derivative −1/x² is −y²,
//! the square of its own output, negated.

use super::{neg, squared, Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Reciprocal;

pub(super) const ENTRY: Entry = Entry {
    name: "reciprocal",
    takes: &[],
    make: |_| Ok(Box::new(Reciprocal)),
};

impl Operator for Reciprocal {
    fn name(&self) -> &'static str {
        "reciprocal"
    }
    fn symbol(&self) -> String {
        "/".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(neg(squared(names.out)))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Reciprocal {
    fn value(&self, args: &[f64]) -> f64 {
        1.0 / args[0]
    }
    fn derivative(&self, _: &[f64], out: f64, _: usize) -> f64 {
        -out * out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

    #[test]
    fn local_derivative_is_minus_y_squared() {
        let x = scalar(4.0);
        let y = Reciprocal.forward(&[&x]).unwrap();
        assert_eq!(
            Reciprocal.backward(&[&x], &y, &scalar(1.0)),
            vec![scalar(-0.0625)]
        );
        check_gradients(&Reciprocal, &[t(&[2], &[0.5, -3.])]);
    }
}
