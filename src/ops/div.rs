//! `div`: a / b elementwise; local derivatives 1/b and −a/b².

use super::{as_out, binary, neg, one, squared, Arity, LocalMath, Names, Operator};
use crate::math::Math;
use crate::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Div;

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
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        binary("div", args[0], args[1], |a, b| a / b)
    }
    fn local(&self, args: &[&Tensor], out: &Tensor, i: usize) -> Option<Tensor> {
        let b = as_out(args[1], out);
        Some(if i == 0 {
            b.mapv(|b| 1.0 / b)
        } else {
            -out / &b
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{check_gradients, t};
    use crate::tensor::scalar;

    #[test]
    fn gradients() {
        check_gradients(&Div, &[scalar(3.0), scalar(4.0)]);
        check_gradients(&Div, &[t(&[2, 2], &[1., 2., 3., 4.]), t(&[2], &[0.5, -2.])]);
    }
}
