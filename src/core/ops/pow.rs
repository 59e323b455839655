//! `pow`: x^p for a fixed exponent `p`, the text's `**2` node; local derivative p·x^(p−1).

use super::{Arity, Entry, LocalMath, Names, OpError, Operator, Scalar};
use crate::text::format::number;
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Pow {
    pub p: f64,
}

pub(super) const ENTRY: Entry = Entry {
    name: "pow",
    takes: &["p"],
    make: |params| match params.p {
        Some(p) if p.is_finite() => Ok(Box::new(Pow { p })),
        Some(p) => Err(OpError::BadParam {
            op: "pow",
            rule: "needs a finite \"p\"",
            got: p.to_string().into(),
        }),
        None => Err(usage()),
    },
};

/// What pow takes, said whether `p` is missing or given as a second argument.
fn usage() -> OpError {
    OpError::Usage {
        op: "pow",
        usage: r#"one argument and its exponent as "p": {"op": "pow", "args": ["x"], "p": 2}"#,
    }
}

impl Operator for Pow {
    fn name(&self) -> &'static str {
        "pow"
    }
    fn symbol(&self) -> String {
        format!("**{}", number(self.p, 6).replace('−', "-"))
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn misused(&self) -> Option<OpError> {
        Some(usage())
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        let p = Math::Text(number(self.p, 6));
        let x = names.args[0].clone();
        let exponent = self.p - 1.0;
        let power = if exponent == 1.0 {
            x
        } else {
            Math::Pow(Box::new(x), Box::new(Math::Text(number(exponent, 6))))
        };
        LocalMath::after(Math::Juxt(vec![p, power]))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Pow {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].powf(self.p)
    }
    fn derivative(&self, args: &[f64], _: f64, _: usize) -> f64 {
        // x^0 is constant: its derivative is 0 even at x = 0, where p·x^(p−1) would be 0·∞.
        if self.p == 0.0 {
            0.0
        } else {
            self.p * args[0].powf(self.p - 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn square_is_drawn_as_the_text_does() {
        assert_eq!(Pow { p: 2.0 }.symbol(), "**2");
        assert_eq!(Pow { p: -0.5 }.symbol(), "**-0.5");
    }

    #[test]
    fn gradients() {
        check_gradients(&Pow { p: 2.0 }, &[t(&[3], &[1., -2., 3.])]);
        check_gradients(&Pow { p: 0.5 }, &[t(&[2], &[1., 4.])]);
    }

    #[test]
    fn zero_exponent_has_zero_derivative_at_zero() {
        let x = t(&[2], &[0., 2.]);
        let y = Pow { p: 0.0 }.forward(&[&x]).unwrap();
        assert_eq!(y, t(&[2], &[1., 1.]));
        let g = Pow { p: 0.0 }.backward(&[&x], &y, &t(&[2], &[1., 1.]));
        assert_eq!(g, vec![t(&[2], &[0., 0.])]);
    }
}
