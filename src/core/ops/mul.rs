//! `mul`: a · b elementwise. Backward multiplies the upstream gradient by the *other* input,
//! which is why the text's MulLayer keeps its forward inputs.

use super::{Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Mul;

pub(super) const ENTRY: Entry = Entry {
    name: "mul",
    takes: &[],
    make: |_| Ok(Box::new(Mul)),
};

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
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Mul {
    fn value(&self, args: &[f64]) -> f64 {
        args[0] * args[1]
    }
    fn derivative(&self, args: &[f64], _: f64, i: usize) -> f64 {
        args[1 - i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

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
