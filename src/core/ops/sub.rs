//! `sub`: a − b elementwise; local derivatives 1 and −1.

use super::{neg, one, Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Sub;

pub(super) const ENTRY: Entry = Entry {
    name: "sub",
    takes: &[],
    make: |_| Ok(Box::new(Sub)),
};

impl Operator for Sub {
    fn name(&self) -> &'static str {
        "sub"
    }
    fn symbol(&self) -> String {
        "−".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn local_math(&self, _: Names<'_>, i: usize) -> LocalMath {
        LocalMath::after(if i == 0 { one() } else { neg(one()) })
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Sub {
    fn value(&self, args: &[f64]) -> f64 {
        args[0] - args[1]
    }
    fn derivative(&self, _: &[f64], _: f64, i: usize) -> f64 {
        if i == 0 {
            1.0
        } else {
            -1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

    #[test]
    fn gradients() {
        check_gradients(&Sub, &[scalar(3.0), scalar(5.0)]);
        check_gradients(&Sub, &[t(&[2, 2], &[1., 2., 3., 4.]), t(&[2], &[1., 2.])]);
    }
}
