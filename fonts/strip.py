"""Strips from a DejaVu Sans release font what chainrule never reads, and what costs it time.

- The TrueType hinting and the glyph names: resvg and svg2pdf draw unhinted outlines, and
  nothing looks a glyph up by name.
- The legacy `kern` table. GPOS kerns every script of both faces (all but Katakana's default
  language in the bold face), and a shaper then never applies `kern`; but harfrust and
  rustybuzz build a cache of it for every text they lay out, which cost chainrule's main job
  about a tenth of its time. The one difference: a bold text whose first letters are kana
  (which DejaVu lacks; a CJK font draws them) no longer kerns its Latin letters in PNG and
  PDF. Layout measures kana as stand-ins, so no SVG changes.

Everything else is kept as released: outlines, bounding boxes, metrics, cmap and the layout
tables (written back byte for byte), so every measurement, SVG, PNG and PDF of the shipped
scenarios is the same, and the fonts compiled into chainrule (and the playground page) are
smaller.

    python3 fonts/strip.py DejaVuSans.ttf fonts/DejaVuSans.ttf  # needs fonttools
"""

import sys

from fontTools.ttLib import TTFont

source, target = sys.argv[1], sys.argv[2]
font = TTFont(source, recalcTimestamp=False, recalcBBoxes=False)
glyf = font["glyf"]
for name in font.getGlyphOrder():
    glyph = glyf[name]
    glyph.expand(glyf)
    glyph.removeHinting()
for tag in ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "FFTM", "kern"):
    if tag in font:
        del font[tag]
maxp = font["maxp"]
maxp.maxZones = 1
for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
              "maxStackElements", "maxSizeOfInstructions"):
    setattr(maxp, field, 0)
font["post"].formatType = 3.0
font.save(target)
