//! `fn`: a generic function y = f(x, …) for figures drawn only with symbols (the text's
//! y = f(x) node). It has no numeric rule; its local derivative is written ∂y/∂x.

use super::{Arity, Entry, OpError, Operator};
use crate::core::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Generic;

pub(super) const ENTRY: Entry = Entry {
    name: "fn",
    takes: &[],
    make: |_| Ok(Box::new(Generic)),
};

impl Operator for Generic {
    fn name(&self) -> &'static str {
        "fn"
    }
    fn symbol(&self) -> String {
        "f".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::AtLeast(1)
    }
    fn forward(&self, _: &[&Tensor]) -> Result<Tensor, OpError> {
        Err(OpError::Symbolic { op: "fn" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::Names;
    use crate::text::math::Math;

    #[test]
    fn derivative_is_written_as_a_partial() {
        let args = [Math::name("x")];
        let names = Names {
            args: &args,
            out: &Math::name("y"),
            values: None,
        };
        assert_eq!(
            Generic
                .local_math(names, 0)
                .factor
                .map(|f| f.plain())
                .as_deref(),
            Some("∂y/∂x")
        );
        assert!(Generic.forward(&[]).is_err());
    }
}
