//! `abs`: |x| elementwise; local derivative sign(x), which is 0 at x = 0: the midpoint of
//! the slopes −1 and 1 on either side, what PyTorch's `torch.abs` sends back there and what
//! central differences measure.

use super::{Arity, Entry, LocalMath, Names, Operator, Scalar};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Abs;

pub(super) const ENTRY: Entry = Entry {
    name: "abs",
    takes: &[],
    make: |_| Ok(Box::new(Abs)),
};

impl Operator for Abs {
    fn name(&self) -> &'static str {
        "abs"
    }
    fn symbol(&self) -> String {
        "abs".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        LocalMath::after(Math::Apply("sign".to_string(), vec![names.args[0].clone()]))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Abs {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].abs()
    }
    fn derivative(&self, args: &[f64], _: f64, _: usize) -> f64 {
        // Not f64::signum, which is ±1 at ±0.
        if args[0] > 0.0 {
            1.0
        } else if args[0] < 0.0 {
            -1.0
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn zero_sends_nothing_back() {
        let x = t(&[4], &[2., 0., -0., -1.5]);
        let y = Abs.forward(&[&x]).unwrap();
        assert_eq!(y, t(&[4], &[2., 0., 0., 1.5]));
        assert_eq!(
            Abs.backward(&[&x], &y, &t(&[4], &[3., 3., 3., 3.])),
            vec![t(&[4], &[3., 0., 0., -3.])]
        );
    }

    #[test]
    fn gradients_away_from_the_kink() {
        check_gradients(&Abs, &[t(&[2, 2], &[0.5, -1., 2., -0.25])]);
    }
}
