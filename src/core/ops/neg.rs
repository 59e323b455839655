//! `neg`: −x; local derivative −1.

use super::{neg, one, Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Neg;

pub(super) const ENTRY: Entry = Entry {
    name: "neg",
    takes: &[],
    make: |_| Ok(Box::new(Neg)),
};

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
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Neg {
    fn value(&self, args: &[f64]) -> f64 {
        -args[0]
    }
    fn derivative(&self, _: &[f64], _: f64, _: usize) -> f64 {
        -1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Neg, &[t(&[3], &[1., -2., 0.])]);
    }
}
