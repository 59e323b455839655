//! `exp`: eˣ elementwise; its local derivative is its own output.

use super::{Arity, LocalMath, Names, Operator};
use crate::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Exp;

impl Operator for Exp {
    fn name(&self) -> &'static str {
        "exp"
    }
    fn symbol(&self) -> String {
        "exp".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(names.out.clone())
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        Ok(args[0].mapv(f64::exp))
    }
    fn local(&self, _: &[&Tensor], out: &Tensor, _: usize) -> Option<Tensor> {
        Some(out.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Exp, &[t(&[3], &[0., -1., 2.])]);
    }
}
