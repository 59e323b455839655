//! `sqrt`: √x elementwise; local derivative 1/(2√x). At x = 0 the value is 0 but the
//! derivative is infinite, so a gradient through √0 is not finite and evaluation stops with
//! the engine's non-finite error (exit code 1), as `log` does at 0; for x < 0 the value is
//! not a number.

use super::{one, Arity, Entry, LocalMath, Names, Operator, Scalar};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Sqrt;

pub(super) const ENTRY: Entry = Entry {
    name: "sqrt",
    takes: &[],
    make: |_| Ok(Box::new(Sqrt)),
};

impl Operator for Sqrt {
    fn name(&self) -> &'static str {
        "sqrt"
    }
    fn symbol(&self) -> String {
        "√".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn local_math(&self, names: Names<'_>, _: usize) -> LocalMath {
        let root = Math::Sqrt(Box::new(names.args[0].clone()));
        let two_root = Math::Juxt(vec![Math::Text("2".to_string()), root]);
        LocalMath::after(Math::Frac(Box::new(one()), Box::new(two_root)))
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Sqrt {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].sqrt()
    }
    fn derivative(&self, _: &[f64], out: f64, _: usize) -> f64 {
        1.0 / (2.0 * out)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::core::load;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        check_gradients(&Sqrt, &[t(&[3], &[0.25, 1., 9.])]);
    }

    #[test]
    fn the_gradient_at_zero_is_not_finite() {
        let x = t(&[2], &[4., 0.]);
        let y = Sqrt.forward(&[&x]).unwrap();
        assert_eq!(y, t(&[2], &[2., 0.]));
        let g = Sqrt.backward(&[&x], &y, &t(&[2], &[1., 1.]));
        assert_eq!(g, vec![t(&[2], &[0.25, f64::INFINITY])]);
        // Evaluated, on a number and on a tensor, it stops as log at 0 does (exit code 1).
        for input in ["0", "[4, 0]"] {
            let path = Path::new("sqrt_zero.json");
            let text = format!(
                r#"{{"nodes": [{{"id": "x", "input": {input}}},
                              {{"id": "r", "op": "sqrt", "args": ["x"]}}]}}"#
            );
            let model = load::parse(path, &text).unwrap();
            let err = load::evaluate(path, &model).unwrap_err();
            assert_eq!(err.exit_code(), 1, "{err}");
            assert_eq!(
                err.to_string(),
                "sqrt_zero.json: node \"x\": its gradient is not finite \
                 (e.g. log of 0, division by 0 or overflow)"
            );
        }
    }
}
