//! `tanh`: the hyperbolic tangent elementwise; local derivative 1 − y².

use super::{neg, one, squared, Arity, LocalMath, Names, Operator, Shape};
use crate::math::Math;
use crate::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Tanh;

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
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        Ok(args[0].mapv(f64::tanh))
    }
    fn local(&self, _: &[&Tensor], out: &Tensor, _: usize) -> Option<Tensor> {
        Some(out.mapv(|y| 1.0 - y * y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Tanh, &[t(&[3], &[0., -1., 2.])]);
    }
}
