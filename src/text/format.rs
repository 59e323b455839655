//! The one number formatter: every number a person reads (tables, step sentences, figures) is
//! written by [`number`] (or [`write_number`], into a buffer), the way a person writes it:
//! `220`, `2.2`, `0.1966`, `−3.3`. Coordinates in SVG, for machines rather than people, are
//! written here too: a figure's by [`coordinate`] (one decimal), glyph outlines by
//! [`write_outline_coordinate`] (two decimals).

use std::fmt::Write;

use crate::core::tensor::{shape_text, Tensor};

/// Significant digits shown unless asked otherwise.
pub const DEFAULT_PRECISION: usize = 4;

/// Tensors with at most this many elements are written out in full; larger ones by shape.
pub const MAX_SHOWN_ELEMENTS: usize = 6;

/// `n` and the word that agrees with it: `one` for 1, `many` otherwise (`1 file`, `2 files`,
/// `0 files`).
///
/// ```
/// use chainrule::text::format::count;
/// assert_eq!(count(1, "file", "files"), "1 file");
/// assert_eq!(count(2, "figure matches", "figures match"), "2 figures match");
/// ```
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes `x` with `precision` significant digits (but never fewer than its integer digits),
/// trailing zeros dropped, a true minus sign (U+2212), and `e` notation only for very large
/// or very small magnitudes.
///
/// ```
/// use chainrule::text::format::number;
/// assert_eq!(number(220.00000000000003, 4), "220");
/// assert_eq!(number(2.2000000000000006, 4), "2.2");
/// assert_eq!(number(0.19661193324148185, 4), "0.1966");
/// assert_eq!(number(-3.3, 4), "−3.3");
/// ```
pub fn number(x: f64, precision: usize) -> String {
    let mut text = String::new();
    write_number(&mut text, x, precision);
    text
}

/// Appends [`number`]`(x, precision)` to `out`, without a String of its own: for tables of a
/// million numbers.
pub fn write_number(out: &mut String, x: f64, precision: usize) {
    let precision = precision.max(1);
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "∞" } else { "−∞" });
        return;
    }
    let sign = out.len();
    if x < 0.0 {
        out.push('−');
    }
    let digits = out.len();
    let magnitude = x.abs();
    // Writing into a String cannot fail.
    if magnitude != 0.0 && !(1e-4..1e15).contains(&magnitude) {
        let _ = write!(out, "{:.*e}", precision - 1, magnitude);
        if let Some(e) = out[digits..].find('e') {
            let e = digits + e;
            let kept = digits + trimmed_len(&out[digits..e]);
            out.replace_range(kept..e, "");
        }
    } else {
        let exponent = if magnitude == 0.0 {
            0
        } else {
            magnitude.log10().floor() as i64
        };
        let decimals = (precision as i64 - 1 - exponent).max(0) as usize;
        let _ = write!(out, "{:.*}", decimals, magnitude);
        out.truncate(digits + trimmed_len(&out[digits..]));
    }
    if x < 0.0 && !out[digits..].bytes().any(|b| matches!(b, b'1'..=b'9')) {
        out.replace_range(sign..digits, "");
    }
}

/// The length of a decimal without its fraction's trailing zeros (and its point, if nothing
/// is left after it).
fn trimmed_len(s: &str) -> usize {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').len()
    } else {
        s.len()
    }
}

/// A figure's coordinate as SVG writes it: one decimal, and `0.0` for `-0.0`, so the same
/// figure gives the same bytes on every run.
///
/// ```
/// use chainrule::text::format::coordinate;
/// assert_eq!(coordinate(12.34), "12.3");
/// assert_eq!(coordinate(-0.04), "0.0");
/// ```
pub fn coordinate(x: f64) -> String {
    let s = format!("{x:.1}");
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

/// Appends a glyph-outline coordinate (pixels) for SVG path data: rounded to two decimals,
/// trailing zeros dropped, no `-0`, no exponent, an ASCII minus. Glyphs need finer steps
/// than the one decimal of a figure's other coordinates, and a fixed precision keeps the
/// bytes the same on every run. Not for numbers a person reads (see [`write_number`]).
///
/// ```
/// use chainrule::text::format::write_outline_coordinate;
/// let mut d = String::from("M");
/// for v in [12.345, -0.001, 3.1, 7.0, -2.5] {
///     write_outline_coordinate(&mut d, v);
///     d.push(' ');
/// }
/// assert_eq!(d, "M12.35 0 3.1 7 -2.5 ");
/// ```
pub fn write_outline_coordinate(out: &mut String, v: f64) {
    let hundredths = (v * 100.0).round() as i64;
    if hundredths < 0 {
        out.push('-');
    }
    let (whole, fraction) = (
        hundredths.unsigned_abs() / 100,
        hundredths.unsigned_abs() % 100,
    );
    // Writing into a String cannot fail.
    let _ = write!(out, "{whole}");
    match fraction {
        0 => {}
        f if f % 10 == 0 => {
            let _ = write!(out, ".{}", f / 10);
        }
        f => {
            let _ = write!(out, ".{f:02}");
        }
    }
}

/// A tensor for a person: a scalar as a number, a small tensor as nested brackets
/// (`[1, 2.5, 3]`), a large one by its shape (`(64, 10) tensor`).
pub fn tensor(t: &Tensor, precision: usize) -> String {
    if t.ndim() == 0 {
        return t
            .first()
            .map_or_else(String::new, |&x| number(x, precision));
    }
    if t.len() > MAX_SHOWN_ELEMENTS {
        return format!("{} tensor", shape_text(t.shape()));
    }
    values(t, precision)
}

/// A tensor's values in nested brackets, however many: `[[1, 2.5], [3, −4]]`, and a scalar
/// as a number.
pub fn values(t: &Tensor, precision: usize) -> String {
    fn rec(view: ndarray::ArrayViewD<'_, f64>, precision: usize) -> String {
        if view.ndim() == 0 {
            return view
                .first()
                .map_or_else(String::new, |&x| number(x, precision));
        }
        let items: Vec<String> = view.outer_iter().map(|v| rec(v, precision)).collect();
        format!("[{}]", items.join(", "))
    }
    rec(t.view(), precision)
}

/// The most significant digits [`sum`] writes a term with.
pub const MAX_SUM_PRECISION: usize = 12;

/// A sum as a person writes it, each term and the total by [`tensor`], a negative term after
/// a minus: `4 + 1 = 5`, `0.5 − 2 = −1.5`. The total has `precision` significant digits; the
/// terms have as many more as it takes (up to [`MAX_SUM_PRECISION`]) for them, as written,
/// to add up to the total as written, so a sum that nearly cancels does not read
/// `−1.5 + 1.5 = 5e-6`.
///
/// ```
/// use chainrule::core::tensor::scalar;
/// use chainrule::text::format::sum;
/// assert_eq!(sum(&[&scalar(4.0), &scalar(1.0)], &scalar(5.0), 4), "4 + 1 = 5");
/// assert_eq!(sum(&[&scalar(4.0), &scalar(-1.0)], &scalar(3.0), 4), "4 − 1 = 3");
/// assert_eq!(
///     sum(&[&scalar(-1.4999976), &scalar(1.5000026)], &scalar(5e-6), 4),
///     "−1.499998 + 1.500003 = 5e-6"
/// );
/// ```
pub fn sum(terms: &[&Tensor], total: &Tensor, precision: usize) -> String {
    let written = (precision..=MAX_SUM_PRECISION.max(precision))
        .find(|&p| adds_up(terms, total, p, precision))
        .unwrap_or(precision);
    let mut out = String::new();
    for (i, term) in terms.iter().enumerate() {
        let text = tensor(term, written);
        match (i, text.strip_prefix('−')) {
            (0, _) => out.push_str(&text),
            (_, Some(magnitude)) => {
                out.push_str(" − ");
                out.push_str(magnitude);
            }
            (_, None) => {
                out.push_str(" + ");
                out.push_str(&text);
            }
        }
    }
    out.push_str(" = ");
    out.push_str(&tensor(total, precision));
    out
}

/// Whether `terms` written with `digits` significant digits add up, element by element, to
/// `total` as written with `precision`, as a person checks it: their sum within half a unit
/// of the total's last digit (`0.001493 − 0.004158 + 0.03634 = 0.03368` does; `0.4287 +
/// 0.4287 = 0.8573` does not). Terms that [`tensor`] writes by their shape, or whose shapes
/// differ from the total's, show no numbers to add up, and pass.
fn adds_up(terms: &[&Tensor], total: &Tensor, digits: usize, precision: usize) -> bool {
    if total.len() > MAX_SHOWN_ELEMENTS && total.ndim() > 0
        || terms.iter().any(|t| t.shape() != total.shape())
    {
        return true;
    }
    total.indexed_iter().all(|(at, &want)| {
        let written = number(want, precision);
        let sum: Option<f64> = terms.iter().map(|t| read(&number(t[&at], digits))).sum();
        match (sum, read(&written)) {
            (Some(sum), Some(want)) => (sum - want).abs() <= last_unit(&written) * 0.500_001,
            _ => true,
        }
    })
}

/// A number as [`number`] writes it, read back (`None` for NaN and the infinities).
fn read(written: &str) -> Option<f64> {
    written
        .replace('−', "-")
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
}

/// The place value of the last digit [`number`] wrote: `0.01` for `−3.25`, `1` for `220`,
/// `1e-6` for `4.5e-5`.
fn last_unit(written: &str) -> f64 {
    let (mantissa, exponent) = written
        .split_once('e')
        .map_or((written, 0), |(m, e)| (m, read(e).map_or(0, |e| e as i32)));
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len() as i32);
    10f64.powi(exponent - decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_like_a_person() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (715.0000000000001, "715"),
            (110.00000000000001, "110"),
            (3.3000000000000003, "3.3"),
            (650.0, "650"),
            (12345.678, "12346"),
            (0.5, "0.5"),
            (0.25, "0.25"),
            (0.001234567, "0.001235"),
            (-1.3, "−1.3"),
            (-0.00001, "−1e-5"),
            (6.02e23, "6.02e23"),
            (1e-5, "1e-5"),
            (-1e-20, "−1e-20"),
            (0.99999, "1"),
        ];
        for (x, want) in cases {
            assert_eq!(number(x, DEFAULT_PRECISION), want, "formatting {x:?}");
        }
    }

    /// Appending after other text writes the same as on its own, sign included.
    #[test]
    fn appends_after_what_is_there() {
        for (x, want) in [
            (-3.3, "−3.3"),
            (6.02e23, "6.02e23"),
            (-1e-5, "−1e-5"),
            (0.0, "0"),
        ] {
            let mut out = String::from("x = −");
            write_number(&mut out, x, DEFAULT_PRECISION);
            assert_eq!(out, format!("x = −{want}"));
        }
    }

    #[test]
    fn precision_is_significant_digits() {
        assert_eq!(number(0.19661193324148185, 2), "0.2");
        assert_eq!(number(0.19661193324148185, 6), "0.196612");
        assert_eq!(number(2.6, 1), "3");
    }

    #[test]
    fn outline_coordinates_have_two_decimals_at_most() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (-0.004, "0"),
            (-0.005, "-0.01"),
            (1.0, "1"),
            (1.5, "1.5"),
            (1.25, "1.25"),
            (1.005, "1"),
            (-12.3456, "-12.35"),
            (0.1, "0.1"),
            (0.09, "0.09"),
            (1234.999, "1235"),
        ];
        for (v, want) in cases {
            let mut out = String::from("M");
            write_outline_coordinate(&mut out, v);
            assert_eq!(out, format!("M{want}"), "writing {v:?}");
        }
    }

    #[test]
    fn tensors_small_in_full_large_by_shape() {
        let t = ndarray::arr2(&[[1.0, 2.5], [3.0, -4.0]]).into_dyn();
        assert_eq!(tensor(&t, 4), "[[1, 2.5], [3, −4]]");
        let big = Tensor::zeros(ndarray::IxDyn(&[2, 4]));
        assert_eq!(tensor(&big, 4), "(2, 4) tensor");
    }

    #[test]
    fn sums_of_tensors_term_by_term() {
        let a = ndarray::arr1(&[1.0, -2.0]).into_dyn();
        let b = ndarray::arr1(&[0.5, 0.5]).into_dyn();
        let total = &a + &b;
        assert_eq!(
            sum(&[&a, &b], &total, 4),
            "[1, −2] + [0.5, 0.5] = [1.5, −1.5]"
        );
        let three = [0.01349, 0.0, -0.01832].map(crate::core::tensor::scalar);
        let terms: Vec<&Tensor> = three.iter().collect();
        let total = crate::core::tensor::scalar(0.01349 - 0.01832);
        assert_eq!(sum(&terms, &total, 4), "0.01349 + 0 − 0.01832 = −0.00483");
    }

    /// The terms get the digits it takes for them, as written, to add up to the total as
    /// written (within half its last digit), and no more; each case's total is the exact sum.
    #[test]
    fn sums_add_up_as_written() {
        let s = crate::core::tensor::scalar;
        let cases: [(&[f64], &str); 6] = [
            // Already adds up: 4 digits.
            (
                &[0.5121, -0.03576, 1.583],
                "0.5121 − 0.03576 + 1.583 = 2.059",
            ),
            // 0.4287 + 0.4287 is 0.8574, not 0.8573: one more digit.
            (&[0.428_667, 0.428_667], "0.42867 + 0.42867 = 0.8573"),
            // A near cancellation: 0 would not be 5e-6.
            (&[-1.499_997_6, 1.500_002_6], "−1.499998 + 1.500003 = 5e-6"),
            // On a rounding edge the half-unit tolerance keeps 4 digits.
            (
                &[0.001_493, -0.004_158, 0.036_34],
                "0.001493 − 0.004158 + 0.03634 = 0.03367",
            ),
            // Exact cancellation: nothing to add.
            (&[2.0, -2.0], "2 − 2 = 0"),
            // Where even MAX_SUM_PRECISION digits do not add up, the terms keep 4.
            (&[1.000_000_000_000_1, -1.0], "1 − 1 = 9.992e-14"),
        ];
        for (terms, want) in cases {
            let terms: Vec<Tensor> = terms.iter().map(|&x| s(x)).collect();
            let total = s(terms.iter().map(|t| t[[]]).sum());
            let refs: Vec<&Tensor> = terms.iter().collect();
            assert_eq!(sum(&refs, &total, DEFAULT_PRECISION), want);
        }
        let a = ndarray::arr1(&[0.428_667, 1.0]).into_dyn();
        let total = &a + &a;
        assert_eq!(
            sum(&[&a, &a], &total, 4),
            "[0.42867, 1] + [0.42867, 1] = [0.8573, 2]"
        );
    }
}
