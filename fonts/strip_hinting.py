"""Strips the TrueType hinting and the glyph names from a DejaVu Sans release font.

chainrule never uses either: resvg and svg2pdf draw unhinted outlines, and nothing looks a
glyph up by name. Everything else is kept as released: outlines, bounding boxes, metrics,
cmap, kerning and the layout tables (written back byte for byte), so every measurement,
SVG, PNG and PDF is the same, and the fonts compiled into chainrule (and the playground
page) are 141 KB smaller gzipped.

    python3 fonts/strip_hinting.py DejaVuSans.ttf fonts/DejaVuSans.ttf  # needs fonttools
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
for tag in ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "FFTM"):
    if tag in font:
        del font[tag]
maxp = font["maxp"]
maxp.maxZones = 1
for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
              "maxStackElements", "maxSizeOfInstructions"):
    setattr(maxp, field, 0)
font["post"].formatType = 3.0
font.save(target)
