//! `log`: the natural logarithm elementwise; local derivative 1/x.

use super::{one, Arity, LocalMath, Names, Operator};
use crate::math::Math;
use crate::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Log;

impl Operator for Log {
    fn name(&self) -> &'static str {
        "log"
    }
    fn symbol(&self) -> String {
        "log".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(Math::Frac(Box::new(one()), Box::new(names.args[0].clone())))
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        Ok(args[0].mapv(f64::ln))
    }
    fn local(&self, args: &[&Tensor], _: &Tensor, _: usize) -> Option<Tensor> {
        Some(args[0].mapv(|x| 1.0 / x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Log, &[t(&[3], &[0.5, 1., 7.])]);
    }
}
