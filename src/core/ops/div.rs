//! `div`: a / b elementwise; local derivatives 1/b and −a/b².

use super::{neg, one, squared, Arity, Entry, LocalMath, Names, Operator, Scalar};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Div;

pub(super) const ENTRY: Entry = Entry {
    name: "div",
    takes: &[],
    make: |_| Ok(Box::new(Div)),
};

impl Operator for Div {
    fn name(&self) -> &'static str {
        "div"
    }
    fn symbol(&self) -> String {
        "÷".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        let (a, b) = (&names.args[0], &names.args[1]);
        LocalMath::after(if i == 0 {
            Math::Frac(Box::new(one()), Box::new(b.clone()))
        } else {
            neg(Math::Frac(Box::new(a.clone()), Box::new(squared(b))))
        })
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Div {
    fn value(&self, args: &[f64]) -> f64 {
        args[0] / args[1]
    }
    fn derivative(&self, args: &[f64], out: f64, i: usize) -> f64 {
        if i == 0 {
            1.0 / args[1]
        } else {
            -out / args[1]
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
        check_gradients(&Div, &[scalar(3.0), scalar(4.0)]);
        check_gradients(&Div, &[t(&[2, 2], &[1., 2., 3., 4.]), t(&[2], &[0.5, -2.])]);
    }
}
