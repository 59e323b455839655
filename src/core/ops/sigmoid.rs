//! `sigmoid`: 1/(1+exp(−x)) as one node; local derivative y(1 − y), the text's simplified form.

use super::{neg, one, Arity, Entry, LocalMath, Names, Operator, Scalar, Shape};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Sigmoid;

pub(super) const ENTRY: Entry = Entry {
    name: "sigmoid",
    takes: &[],
    make: |_| Ok(Box::new(Sigmoid)),
};

impl Operator for Sigmoid {
    fn name(&self) -> &'static str {
        "sigmoid"
    }
    fn symbol(&self) -> String {
        "sigmoid".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        let y = names.out.clone();
        let one_minus_y = Math::Sum(vec![one(), neg(y.clone())]);
        LocalMath::after(Math::Juxt(vec![y, Math::Group(Box::new(one_minus_y))]))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Sigmoid {
    fn value(&self, args: &[f64]) -> f64 {
        1.0 / (1.0 + (-args[0]).exp())
    }
    fn derivative(&self, _: &[f64], out: f64, _: usize) -> f64 {
        out * (1.0 - out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Sigmoid, &[t(&[3], &[0., -1., 2.])]);
    }
}
