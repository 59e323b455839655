//! `sin`: the sine elementwise (x in radians); local derivative cos(x).

use super::{Arity, Entry, LocalMath, Names, Operator, Scalar};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Sin;

pub(super) const ENTRY: Entry = Entry {
    name: "sin",
    takes: &[],
    make: |_| Ok(Box::new(Sin)),
};

impl Operator for Sin {
    fn name(&self) -> &'static str {
        "sin"
    }
    fn symbol(&self) -> String {
        "sin".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(Math::Apply("cos".to_string(), vec![names.args[0].clone()]))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Sin {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].sin()
    }
    fn derivative(&self, args: &[f64], _: f64, _: usize) -> f64 {
        args[0].cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Sin, &[t(&[4], &[0., -1., 2., 3.5])]);
    }
}
