//! The reader of a scenario's values: JSON read as serde_json reads it, but counting the
//! numbers of its tensors, one value's and the whole file's, against the limits, and
//! refusing integers that a floating-point number cannot hold.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::Value;

use super::Literal;
use crate::core::limits::{MAX_EXACT_INTEGER, MAX_FILE_ELEMENTS, MAX_TENSOR_ELEMENTS};

/// Keeps a field that is present with `null` apart from one that is absent, and a number
/// apart from any other JSON; refuses a tensor beyond the limits and an inexact integer.
pub(super) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Literal>, D::Error> {
    let value = Root.deserialize(d)?;
    Ok(Some(match value.as_f64() {
        Some(x) => Literal::Number(x),
        None => Literal::Json(Box::new(value)),
    }))
}

/// Any JSON value, as [`present`] reads it.
pub(super) fn bounded<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Root.deserialize(d).map(Some)
}

/// A number, refusing an integer that is not exactly a floating-point number.
pub(super) fn exact<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let value = Root.deserialize(d)?;
    value
        .as_f64()
        .map(Some)
        .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Other("a non-number"), &"a number"))
}

thread_local! {
    /// How many more numbers the tensors of the file being read may hold, while
    /// [`crate::core::load::parse`] reads one; `None` (no file-wide limit) otherwise.
    static FILE_ELEMENTS_LEFT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Limits the numbers of every tensor read on this thread, together, to
/// [`MAX_FILE_ELEMENTS`] until the guard is dropped.
pub(crate) struct FileBudget(Option<usize>);

impl FileBudget {
    pub(crate) fn start() -> FileBudget {
        FileBudget(FILE_ELEMENTS_LEFT.replace(Some(MAX_FILE_ELEMENTS)))
    }
}

impl Drop for FileBudget {
    fn drop(&mut self) {
        FILE_ELEMENTS_LEFT.set(self.0);
    }
}

/// Reads a JSON value as serde_json does, but counts the numbers in its arrays: at most
/// [`MAX_TENSOR_ELEMENTS`] in one value (and as many arrays), and [`MAX_FILE_ELEMENTS`] in
/// the file; integers of magnitude above 2⁵³ are refused. The error comes at the place in
/// the file where the limit is passed, before the rest of the value is read.
struct Bounded<'c> {
    numbers: &'c Cell<usize>,
    arrays: &'c Cell<usize>,
}

/// The outermost value, which owns the counts.
struct Root;

impl<'de> DeserializeSeed<'de> for Root {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let (numbers, arrays) = (Cell::new(0), Cell::new(0));
        let value = Bounded {
            numbers: &numbers,
            arrays: &arrays,
        }
        .deserialize(d)?;
        if arrays.get() > 0 {
            let left = FILE_ELEMENTS_LEFT.get();
            if let Some(left) = left {
                match left.checked_sub(numbers.get()) {
                    Some(rest) => FILE_ELEMENTS_LEFT.set(Some(rest)),
                    None => {
                        return Err(de::Error::custom(format!(
                            "the tensors of the file hold more than {MAX_FILE_ELEMENTS} numbers together (the limit)"
                        )))
                    }
                }
            }
        }
        Ok(value)
    }
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Bounded<'_> {
    fn again(&self) -> Bounded<'_> {
        Bounded {
            numbers: self.numbers,
            arrays: self.arrays,
        }
    }

    fn count<E: de::Error>(counter: &Cell<usize>) -> Result<(), E> {
        counter.set(counter.get() + 1);
        if counter.get() > MAX_TENSOR_ELEMENTS {
            return Err(E::custom(format!(
                "a tensor holds at most {MAX_TENSOR_ELEMENTS} numbers (the limit); this one holds more"
            )));
        }
        Ok(())
    }
}

fn inexact<E: de::Error>(n: impl fmt::Display) -> E {
    E::custom(format!(
        "the integer {n} is larger than 2^53 = {MAX_EXACT_INTEGER} and would be rounded; \
         write it with a decimal point ({n}.0) to accept the rounding"
    ))
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or an array of numbers")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        if v.unsigned_abs() > MAX_EXACT_INTEGER {
            return Err(inexact(v));
        }
        Bounded::count(self.numbers)?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        if v > MAX_EXACT_INTEGER {
            return Err(inexact(v));
        }
        Bounded::count(self.numbers)?;
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Bounded::count(self.numbers)?;
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        Bounded::count(self.arrays)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.again())? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.again())?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}
