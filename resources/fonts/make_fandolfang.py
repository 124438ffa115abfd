"""How resources/fonts/FandolFang-Regular.ttf was made (run by hand, not by the product or tests).

No open 仿宋 with TrueType outlines exists, and reportlab embeds TrueType outlines only. FandolFang
(Fandol team: Clerk Ma, Jie Su; GPL v3 with the GPL font exception, see LICENSE-fandol.txt) is
an OpenType font with PostScript (CFF, CID-keyed) outlines. This converts its outlines to quadratic
TrueType curves with fontTools (cu2qu), keeping every glyph, the cmap and the metrics, and renames
nothing: it is FandolFang, converted. The font exception is kept for the converted version, so a
PDF that embeds it is not covered by the GPL.

Source: Debian bookworm's texlive-lang-chinese 2022.20230122-1,
usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf (v0.3, 2015-07-18).

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools==4.68.0
    /tmp/ft/bin/python resources/fonts/make_fandolfang.py FandolFang-Regular.otf resources/fonts/FandolFang-Regular.ttf

About two minutes on one core.
"""

from __future__ import annotations

import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERR = 1.0  # font units: the largest distance of a quadratic from the cubic it replaces
POST_FORMAT = 2.0


def convert(source: str, target: str) -> None:
    font = TTFont(source)
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(glyph_order)
    post = font["post"]
    post.formatType = POST_FORMAT
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 1
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(target)


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2])
