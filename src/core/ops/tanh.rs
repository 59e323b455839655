//! `tanh`: the hyperbolic tangent elementwise; local derivative 1 − y².

use super::{neg, one, squared, Arity, Entry, LocalMath, Names, Operator, Scalar, Shape};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Tanh;

pub(super) const ENTRY: Entry = Entry {
    name: "tanh",
    takes: &[],
    make: |_| Ok(Box::new(Tanh)),
};

impl Operator for Tanh {
    fn name(&self) -> &'static str {
        "tanh"
    }
    fn symbol(&self) -> String {
        "tanh".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(Math::Sum(vec![one(), neg(squared(names.out))]))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Tanh {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].tanh()
    }
    fn derivative(&self, _: &[f64], out: f64, _: usize) -> f64 {
        1.0 - out * out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Tanh, &[t(&[3], &[0., -1., 2.])]);
    }
}
