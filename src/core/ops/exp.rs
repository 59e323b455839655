//! `exp`: eˣ elementwise; its local derivative is its own output.

use super::{Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Exp;

pub(super) const ENTRY: Entry = Entry {
    name: "exp",
    takes: &[],
    make: |_| Ok(Box::new(Exp)),
};

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
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Exp {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].exp()
    }
    fn derivative(&self, _: &[f64], out: f64, _: usize) -> f64 {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Exp, &[t(&[3], &[0., -1., 2.])]);
    }
}
