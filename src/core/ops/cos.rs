//! `cos`: the cosine elementwise (x in radians); local derivative −sin(x).

use super::{neg, Arity, Entry, LocalMath, Names, Operator, Scalar};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Cos;

pub(super) const ENTRY: Entry = Entry {
    name: "cos",
    takes: &[],
    make: |_| Ok(Box::new(Cos)),
};

impl Operator for Cos {
    fn name(&self) -> &'static str {
        "cos"
    }
    fn symbol(&self) -> String {
        "cos".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(neg(Math::Apply(
            "sin".to_string(),
            vec![names.args[0].clone()],
        )))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Cos {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].cos()
    }
    fn derivative(&self, args: &[f64], _: f64, _: usize) -> f64 {
        -args[0].sin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Cos, &[t(&[4], &[0., -1., 2., 3.5])]);
    }
}
