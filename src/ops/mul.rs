//! `mul`: a · b elementwise. Backward multiplies the upstream gradient by the *other* input,
//! which is why the text's MulLayer keeps its forward inputs.

use super::{as_out, binary, Arity, LocalMath, Names, Operator};
use crate::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Mul;

impl Operator for Mul {
    fn name(&self) -> &'static str {
        "mul"
    }
    fn symbol(&self) -> String {
        "×".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        LocalMath::after(names.args[1 - i].clone())
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        binary("mul", args[0], args[1], |a, b| a * b)
    }
    fn local(&self, args: &[&Tensor], out: &Tensor, i: usize) -> Option<Tensor> {
        Some(as_out(args[1 - i], out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{check_gradients, t};
    use crate::tensor::scalar;

    #[test]
    fn text_example_10_times_5() {
        let (x, y) = (scalar(10.0), scalar(5.0));
        let out = Mul.forward(&[&x, &y]).unwrap();
        assert_eq!(out, scalar(50.0));
        assert_eq!(
            Mul.backward(&[&x, &y], &out, &scalar(1.3)),
            vec![scalar(6.5), scalar(13.0)]
        );
    }

    #[test]
    fn gradients() {
        check_gradients(&Mul, &[t(&[2, 2], &[1., -2., 3., 4.]), t(&[2], &[0.5, 2.])]);
        check_gradients(&Mul, &[scalar(-1.0), t(&[3], &[1., 2., 3.])]);
    }
}
