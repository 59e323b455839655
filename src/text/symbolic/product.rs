//! The product a gradient label is written as: its factors in order, its sign kept apart so
//! that a leading minus can be pulled to the front, where two minus signs cancel.

use crate::core::ops::Side;
use crate::text::math::Math;

/// A product with its sign kept apart, so that a leading minus can be written in front.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Product {
    pub(super) negative: bool,
    pub(super) factors: Vec<Math>,
}

impl Product {
    pub(super) fn math(&self) -> Math {
        let body = match self.factors.as_slice() {
            [] => Math::Text("1".to_string()),
            [one] => one.clone(),
            many => Math::Product(many.to_vec()),
        };
        if self.negative {
            Math::Neg(Box::new(body))
        } else {
            body
        }
    }

    /// Multiplies by `factor` on `side`: with `simplify`, a leading minus flips the sign;
    /// 1 is dropped unless `ones` is set.
    pub(super) fn times(&self, factor: &Math, side: Side, ones: bool, simplify: bool) -> Product {
        let mut next = self.clone();
        let mut factor = factor.clone();
        while let (true, Math::Neg(inner)) = (simplify, &factor) {
            next.negative = !next.negative;
            factor = (**inner).clone();
        }
        if !ones && factor == Math::Text("1".to_string()) {
            return next;
        }
        let zero = Math::Text("0".to_string());
        if factor == zero || next.factors == [zero.clone()] {
            // Nothing passes: the text writes the gradient as 0 (ReLU with x ≤ 0).
            return Product {
                negative: false,
                factors: vec![zero],
            };
        }
        match side {
            Side::After => next.factors.push(factor),
            Side::Before => next.factors.insert(0, factor),
        }
        next
    }

    /// The product transposed, `(∂L/∂z · y)ᵀ`, its sign kept in front; 1 and 0 stay as they
    /// are.
    pub(super) fn transposed(&self) -> Product {
        match self.factors.as_slice() {
            [] => return self.clone(),
            [Math::Text(t)] if t == "1" || t == "0" => return self.clone(),
            _ => {}
        }
        let body = Product {
            negative: false,
            factors: self.factors.clone(),
        };
        Product {
            negative: self.negative,
            factors: vec![Math::Transpose(Box::new(body.math()))],
        }
    }
}
