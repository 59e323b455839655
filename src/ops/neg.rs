//! `neg`: −x; local derivative −1.

use super::{filled, neg, one, Arity, LocalMath, Names, Operator};
use crate::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Neg;

impl Operator for Neg {
    fn name(&self) -> &'static str {
        "neg"
    }
    fn symbol(&self) -> String {
        "−".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, _: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(neg(one()))
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        Ok(-args[0])
    }
    fn local(&self, _: &[&Tensor], out: &Tensor, _: usize) -> Option<Tensor> {
        Some(filled(out, -1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Neg, &[t(&[3], &[1., -2., 0.])]);
    }
}
