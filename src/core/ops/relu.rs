//! `relu`: max(x, 0). As the text defines it, the local derivative is 1 where x > 0 and 0
//! where x ≤ 0: the switch that stops the gradient.

use super::{one, Arity, Entry, LocalMath, Names, Operator, Scalar, Shape};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Relu;

pub(super) const ENTRY: Entry = Entry {
    name: "relu",
    takes: &[],
    make: |_| Ok(Box::new(Relu)),
};

impl Operator for Relu {
    fn name(&self) -> &'static str {
        "relu"
    }
    fn symbol(&self) -> String {
        "ReLU".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        let case = names.values.and_then(|v| {
            let x = v[i];
            (x.ndim() == 0).then(|| x.first().is_some_and(|&x| x > 0.0))
        });
        match case {
            Some(true) => LocalMath::after(one()),
            Some(false) => LocalMath::after(Math::Text("0".to_string())),
            None => LocalMath::after(Math::partial(names.out.clone(), names.args[i].clone())),
        }
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Relu {
    fn value(&self, args: &[f64]) -> f64 {
        if args[0] > 0.0 {
            args[0]
        } else {
            0.0
        }
    }
    fn derivative(&self, args: &[f64], _: f64, _: usize) -> f64 {
        if args[0] > 0.0 {
            1.0
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

    #[test]
    fn zero_stops_the_gradient() {
        let x = t(&[3], &[2., 0., -1.]);
        let y = Relu.forward(&[&x]).unwrap();
        assert_eq!(y, t(&[3], &[2., 0., 0.]));
        assert_eq!(
            Relu.backward(&[&x], &y, &t(&[3], &[5., 5., 5.])),
            vec![t(&[3], &[5., 0., 0.])]
        );
        assert_eq!(
            Relu.backward(&[&scalar(0.0)], &scalar(0.0), &scalar(1.0)),
            vec![scalar(0.0)]
        );
    }

    #[test]
    fn gradients_away_from_the_kink() {
        check_gradients(&Relu, &[t(&[3], &[0.5, -1., 2.])]);
    }
}
