//! A PDF with one SVG per page, as vector graphics (svg2pdf), so a LaTeX beamer slide can
//! `\includegraphics[page=3]{apple-frames.pdf}`.
//!
//! svg2pdf 0.13 brings its own usvg (0.45) beside resvg's (0.49), taken knowingly, because it
//! is the maintained way to turn SVG into vector PDF. It gets no text to lay out: each page is
//! parsed by our usvg (0.49, the one PNG uses, with the same fonts), which turns its text into
//! outlines, and written back as SVG for svg2pdf to read. So a PDF's letters are the PNG's,
//! and svg2pdf is built without its text feature (no second text shaper, no font subsetter).

use std::collections::HashMap;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref};
use rayon::prelude::*;

use super::EncodeError;

/// Text comes as outlines (svg2pdf would order embedded fonts by a hash map, which would make
/// the same frames give different bytes from run to run).
const CONVERSION: svg2pdf::ConversionOptions = svg2pdf::ConversionOptions {
    compress: true,
    raster_scale: 1.5,
    embed_text: false,
    pdfa: false,
};

/// How a page is written back as SVG for svg2pdf: coordinates to a hundredth of a pixel (a
/// few thousandths of a millimetre), not usvg's eight decimals, which svg2pdf would copy into
/// the content streams and compress: the PDFs are 16% smaller.
const WRITE: usvg::WriteOptions = usvg::WriteOptions {
    id_prefix: None,
    preserve_text: false,
    coordinates_precision: 2,
    transforms_precision: 4,
    use_single_quote: false,
    indent: usvg::Indent::None,
    attributes_indent: usvg::Indent::None,
};

/// Points per SVG pixel (PDF has 72 a inch, CSS 96).
const PT_PER_PX: f32 = 0.75;

/// A PDF whose page i is `svgs[i]`, each page the size of its SVG.
///
/// # Errors
/// [`EncodeError::Svg`] if an SVG cannot be parsed, [`EncodeError::PdfSvg`] if svg2pdf
/// cannot read its outlined page back, [`EncodeError::Pdf`] or [`EncodeError::PdfDrawing`] if
/// it cannot be converted.
pub fn pages(svgs: &[String]) -> Result<Vec<u8>, EncodeError> {
    let options = svg2pdf::usvg::Options::default();
    // Pages are converted side by side, each on its own, then numbered in order.
    let converted: Vec<Result<_, EncodeError>> = svgs
        .par_iter()
        .map(|svg| {
            let outlined = super::parse(svg)?.to_string(&WRITE);
            let tree = svg2pdf::usvg::Tree::from_str(&outlined, &options)?;
            let (chunk, xobject) =
                svg2pdf::to_chunk(&tree, CONVERSION).map_err(EncodeError::Pdf)?;
            Ok((chunk, xobject, tree.size()))
        })
        .collect();
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let tree_id = alloc.bump();
    let mut pdf = Pdf::new();
    let mut kids = Vec::new();
    for page in converted {
        let (chunk, xobject, size) = page?;
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let xobject = map.get(&xobject).copied().ok_or(EncodeError::PdfDrawing)?;
        let (page, content) = (alloc.bump(), alloc.bump());
        let (w, h) = (size.width() * PT_PER_PX, size.height() * PT_PER_PX);
        let name = Name(b"F");
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, w, h))
            .parent(tree_id)
            .contents(content);
        p.resources().x_objects().pair(name, xobject);
        p.finish();
        let mut drawing = Content::new();
        drawing.transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(name);
        pdf.stream(content, &drawing.finish());
        pdf.extend(&chunk);
        kids.push(page);
    }
    pdf.catalog(catalog).pages(tree_id);
    pdf.pages(tree_id)
        .kids(kids.iter().copied())
        .count(i32::try_from(kids.len()).map_err(|_| EncodeError::FrameCount(kids.len()))?);
    Ok(pdf.finish())
}
