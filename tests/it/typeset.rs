//! The math typesetter: every TeX form the figures use sets with sensible metrics, output is
//! deterministic, bad TeX is an error, and a test sheet (`target/tmp/typeset-sheet.png`) shows
//! each formula with its baseline and box for a person to look at.

use std::fmt::Write;
use std::path::Path;

use chainrule::draw::typeset::{typeset, typeset_label, Formula, TypesetError};
use chainrule::export::png::{pixmap, rasterise};
use proptest::prelude::*;

/// What `Math::tex` emits and what hand-written labels use.
const FORMS: [&str; 18] = [
    r"\frac{\partial L}{\partial z}",
    r"\partial",
    r"{y}^{2}",
    r"{x}_{0}",
    r"{W}^{\mathrm{T}}",
    r"\frac{\partial L}{\partial z} \cdot y",
    r"\mathrm{exp}\left(-x\right)",
    r"y\left(1 - y\right)",
    r"-\frac{\partial L}{\partial y} \cdot {y}^{2}",
    r"\frac{\partial L}{\partial Y} \cdot {{W}^{\mathrm{T}}}",
    r"\alpha + \sigma = 6.5",
    r"x − y",
    r"\sum",
    r"\sum_{i} {x}_{i}",
    r"\frac{\partial L}{\partial z} \cdot y = 6.5",
    r"{\left(x + y\right)}^{2}",
    r"\sigma\left(\frac{\partial L}{\partial y}\right)",
    r"\mathrm{apple}",
];

#[test]
fn every_form_typesets_with_positive_width() {
    for tex in FORMS {
        let f = typeset(tex, 16.0).unwrap_or_else(|e| panic!("{tex}: {e}"));
        assert!(f.width > 0.0 && f.ascent + f.descent > 0.0, "{tex}: {f:?}");
        assert!(f.svg(0.0, 0.0, "black", false).starts_with("<path d=\"M"));
    }
}

#[test]
fn a_fraction_is_taller_than_a_letter() {
    let letter = typeset("x", 16.0).unwrap();
    let fraction = typeset(r"\frac{\partial L}{\partial x}", 16.0).unwrap();
    assert!(
        fraction.ascent + fraction.descent > 1.8 * (letter.ascent + letter.descent),
        "{fraction:?} {letter:?}"
    );
    let squared = typeset("{y}^{2}", 16.0).unwrap();
    let y = typeset("y", 16.0).unwrap();
    assert!(squared.ascent > y.ascent && squared.width > y.width);
}

#[test]
fn size_scales_the_metrics() {
    let small = typeset(r"\mathrm{exp}\left(-x\right)", 16.0).unwrap();
    let large = typeset(r"\mathrm{exp}\left(-x\right)", 32.0).unwrap();
    assert!((large.width - 2.0 * small.width).abs() < 1e-9);
    assert!((large.ascent - 2.0 * small.ascent).abs() < 1e-9);
}

#[test]
fn same_input_gives_the_same_bytes() {
    let tex = r"-\frac{\partial L}{\partial y} \cdot {y}^{2}";
    let once = typeset(tex, 16.0).unwrap().svg(12.5, 30.0, "#d62728", true);
    let again = typeset(tex, 16.0).unwrap().svg(12.5, 30.0, "#d62728", true);
    assert_eq!(once, again);
    // Extra spaces are another cache entry, so this sets the formula afresh.
    let afresh = typeset(&format!("  {tex}  "), 16.0).unwrap();
    assert_eq!(afresh.svg(12.5, 30.0, "#d62728", true), once);
}

#[test]
fn coordinates_have_at_most_two_decimals() {
    let svg = typeset(r"\frac{\partial L}{\partial z}", 16.0)
        .unwrap()
        .svg(1.0 / 3.0, 7.0, "black", false);
    let d = svg.split('"').nth(1).unwrap();
    for number in d.split(|c: char| c.is_ascii_alphabetic() || c == ' ') {
        let decimals = number.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 2, "{number} in {d}");
    }
}

#[test]
fn bad_tex_is_an_error() {
    for tex in [
        r"\frac{",
        r"\frac{a}",
        r"\foo",
        "x^",
        "}",
        "",
        "  ",
        r"\left( x",
    ] {
        assert!(typeset(tex, 16.0).is_err(), "{tex:?} was accepted");
    }
    assert!(typeset("苹果", 16.0).is_err());
    assert!(typeset("x", 0.0).is_err());
    assert!(typeset("x", f64::NAN).is_err());
    let message = typeset(r"\foo", 16.0).unwrap_err().to_string();
    assert!(message.contains(r"\foo"), "{message}");
}

/// The messages a person may read, word for word.
#[test]
fn errors_read_as_sentences() {
    let message = |e: TypesetError| e.to_string();
    assert_eq!(
        message(typeset("  ", 16.0).unwrap_err()),
        "cannot typeset an empty formula"
    );
    assert_eq!(
        message(typeset("x", -2.5).unwrap_err()),
        "cannot typeset at -2.5 pixels per em: the size must be above 0 and at most 10000"
    );
    assert!(matches!(
        typeset(r"\foo", 16.0),
        Err(TypesetError::Tex { tex, .. }) if tex == r"\foo"
    ));
    assert!(message(typeset(r"\foo", 16.0).unwrap_err()).starts_with(r#"cannot typeset "\foo": "#));
    assert_eq!(
        message(typeset_label("one $x", 16.0).unwrap().unwrap_err()),
        r#"label "one $x" has an unmatched $"#
    );
    assert_eq!(
        message(typeset_label("苹果 $x$", 16.0).unwrap().unwrap_err()),
        r#"cannot typeset "苹果 $x$": DejaVu Sans has no '苹'"#
    );
    assert_eq!(
        typeset_label("x $x$", 0.0).unwrap(),
        Err(TypesetError::Size { size: 0.0 })
    );
}

#[test]
fn labels_mix_text_and_math() {
    assert!(typeset_label("apple count", 16.0).is_none());
    let math = typeset(r"\frac{\partial L}{\partial y}", 16.0).unwrap();
    let label = typeset_label(r"grad $\frac{\partial L}{\partial y}$ = 1", 16.0)
        .unwrap()
        .unwrap();
    assert!(label.width > math.width + 40.0, "{label:?}");
    assert_eq!(label.ascent, math.ascent);
    assert_eq!(label.descent, math.descent);
    let price = typeset_label(r"price \$ $x$", 16.0).unwrap().unwrap();
    assert!(price.width > 40.0);
    assert!(typeset_label("one $x", 16.0).unwrap().is_err());
    assert!(typeset_label(r"$\foo$", 16.0).unwrap().is_err());
    assert!(typeset_label("苹果 $x$", 16.0).unwrap().is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Whatever the input, the answer is a formula or an error, never a panic.
    #[test]
    fn arbitrary_tex_never_panics(tokens in proptest::collection::vec(
        prop::sample::select(vec![
            r"\frac", "{", "}", "^", "_", "x", "2", r"\partial", r"\left(", r"\right)", "(", ")",
            r"\cdot", "-", "−", r"\mathrm", r"\alpha", r"\sum", " ", "$", r"\\", "&", "'",
        ]),
        0..12,
    )) {
        let tex = tokens.concat();
        if let Ok(f) = typeset(&tex, 16.0) {
            prop_assert!(f.width >= 0.0 && f.ascent.is_finite() && f.descent.is_finite());
        }
        let _ = typeset_label(&tex, 16.0);
    }
}

/// A dozen formulas and labels, each with its baseline (blue) and box (grey) drawn lightly,
/// the TeX source beside it; written to `target/tmp/typeset-sheet.png` for a person to look
/// at. What a machine can check of it is checked: every row sets, the sheet is SVG that resvg
/// reads, and each row's ink, rendered alone, lies inside its box and reaches its edges (the
/// metrics hug the ink, as [`Formula`] promises).
#[test]
fn test_sheet() {
    let mut rows: Vec<(String, Formula, &str, bool)> = FORMS
        .iter()
        .map(|tex| (tex.to_string(), typeset(tex, 16.0).unwrap(), "black", false))
        .collect();
    for tex in [r"-\frac{\partial L}{\partial y} \cdot {y}^{2}", r"{x}_{0}"] {
        rows.push((
            format!("{tex} (bold)"),
            typeset(tex, 16.0).unwrap(),
            "#d62728",
            true,
        ));
    }
    for label in [
        r"grad $\frac{\partial L}{\partial x}$ = 2.2",
        r"$\frac{\partial L}{\partial X}$ (2,) = $\frac{\partial L}{\partial Y} \cdot {W}^{\mathrm{T}}$",
    ] {
        rows.push((
            format!("label: {label}"),
            typeset_label(label, 16.0).unwrap().unwrap(),
            "black",
            false,
        ));
    }
    for (source, f, colour, bold) in &rows {
        let [left, top, right, bottom] =
            ink_box(f, colour, *bold).unwrap_or_else(|| panic!("{source}: nothing is drawn"));
        // Antialiasing and, in bold, half the stroke may spill past the box.
        let spill = 0.5 + if *bold { 0.045 * 16.0 / 2.0 } else { 0.0 };
        let ink = format!(
            "{source}: ink {left}, {top} to {right}, {bottom}; box {} wide, {} up, {} down",
            f.width, f.ascent, f.descent
        );
        assert!(
            left >= -spill && right <= f.width + spill,
            "too wide: {ink}"
        );
        assert!(
            top >= -f.ascent - spill && bottom <= f.descent + spill,
            "too tall: {ink}"
        );
        // Side bearings and italic corrections leave a little space at the sides only.
        assert!(left <= 2.0 && right >= f.width - 2.0, "box too wide: {ink}");
        assert!(
            top <= -f.ascent + 1.0 && bottom >= f.descent - 1.0,
            "box too tall: {ink}"
        );
    }
    let mut body = String::new();
    let mut y = 12.0;
    for (source, f, colour, bold) in &rows {
        let baseline = y + f.ascent;
        let _ = write!(
            body,
            r##"<rect x="20" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#bbb" stroke-width="0.5"/><line x1="12" y1="{baseline:.2}" x2="{:.2}" y2="{baseline:.2}" stroke="#8ab4f8" stroke-width="0.5"/>{}<text x="240" y="{baseline:.2}" font-family="DejaVu Sans" font-size="11" fill="#555">{}</text>"##,
            baseline - f.ascent,
            f.width,
            f.ascent + f.descent,
            28.0 + f.width,
            f.svg(20.0, baseline, colour, *bold),
            chainrule::xml_escape(source),
        );
        y = baseline + f.descent + 14.0;
    }
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="{y:.0}"><rect width="800" height="{y:.0}" fill="white"/>{body}</svg>"#
    );
    let png = rasterise(&svg, 2.0).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typeset-sheet.png");
    std::fs::write(&out, png).unwrap();
}

/// Pixels per pixel the formulas are rendered at to find their ink.
const INK_SCALE: f32 = 4.0;

/// Margin, in pixels, around a formula rendered alone.
const PAD: f64 = 8.0;

/// The ink (pixels at least half covered) of `f` rendered alone on a transparent canvas:
/// left, top, right, bottom, in pixels relative to the left end of its baseline (y down), or
/// `None` if nothing is drawn.
fn ink_box(f: &Formula, colour: &str, bold: bool) -> Option<[f64; 4]> {
    let (w, h) = (f.width + 2.0 * PAD, f.ascent + f.descent + 2.0 * PAD);
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.2}" height="{h:.2}">{}</svg>"#,
        f.svg(PAD, PAD + f.ascent, colour, bold)
    );
    let image = pixmap(&svg, INK_SCALE).unwrap();
    let mut ink: Option<[u32; 4]> = None;
    // The canvas is white: ink is where a pixel is more than half darkened.
    for (i, p) in image.pixels().iter().enumerate() {
        if p.red().min(p.green()).min(p.blue()) < 128 {
            let (x, y) = (i as u32 % image.width(), i as u32 / image.width());
            let b = ink.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x + 1), b[3].max(y + 1)];
        }
    }
    let scale = f64::from(INK_SCALE);
    ink.map(|[l, t, r, b]| {
        [
            f64::from(l) / scale - PAD,
            f64::from(t) / scale - PAD - f.ascent,
            f64::from(r) / scale - PAD,
            f64::from(b) / scale - PAD - f.ascent,
        ]
    })
}
