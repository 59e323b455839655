//! `log`: the natural logarithm elementwise; local derivative 1/x.

use super::{one, Arity, Entry, LocalMath, Names, Operator, Scalar};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Log;

pub(super) const ENTRY: Entry = Entry {
    name: "log",
    takes: &[],
    make: |_| Ok(Box::new(Log)),
};

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
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Log {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].ln()
    }
    fn derivative(&self, args: &[f64], _: f64, _: usize) -> f64 {
        1.0 / args[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Log, &[t(&[3], &[0.5, 1., 7.])]);
    }
}
