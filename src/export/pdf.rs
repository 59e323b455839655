//! A PDF with one SVG per page, as vector graphics (svg2pdf), so a LaTeX beamer slide can
//! `\includegraphics[page=3]{apple-frames.pdf}`.
//!
//! svg2pdf 0.13 brings its own usvg (0.45) beside resvg's (0.49): a second SVG stack, taken
//! knowingly, because it is the maintained way to turn SVG into vector PDF. It gets the same
//! fonts: the shipped DejaVu Sans first, then the system's.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref};
use rayon::prelude::*;
use svg2pdf::usvg;

use super::EncodeError;
use crate::draw::fonts::SHIPPED;

/// Text is converted to outlines: svg2pdf orders embedded fonts by a hash map, which would
/// make the same frames give different bytes from run to run.
const CONVERSION: svg2pdf::ConversionOptions = svg2pdf::ConversionOptions {
    compress: true,
    raster_scale: 1.5,
    embed_text: false,
    pdfa: false,
};

/// Points per SVG pixel (PDF has 72 a inch, CSS 96).
const PT_PER_PX: f32 = 0.75;

/// A PDF whose page i is `svgs[i]`, each page the size of its SVG.
///
/// # Errors
/// [`EncodeError::PdfSvg`] if an SVG cannot be parsed, [`EncodeError::Pdf`] or
/// [`EncodeError::PdfDrawing`] if it cannot be converted.
pub fn pages(svgs: &[String]) -> Result<Vec<u8>, EncodeError> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: "DejaVu Sans".to_string(),
        ..usvg::Options::default()
    };

    // Pages are converted side by side, each on its own, then numbered in order.
    let converted: Vec<Result<_, EncodeError>> = svgs
        .par_iter()
        .map(|svg| {
            let tree = usvg::Tree::from_str(svg, &options)?;
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

/// svg2pdf's font database, loaded once per process: the shipped fonts, then the system's.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    let db = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for data in SHIPPED {
            db.load_font_data(data.to_vec());
        }
        db.load_system_fonts();
        Arc::new(db)
    });
    Arc::clone(db)
}
