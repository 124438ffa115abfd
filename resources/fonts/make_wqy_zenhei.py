"""How resources/fonts/wqy-zenhei.ttf was made (run by hand, not by the product or tests).

The PDF uses face 0 of WenQuanYi Zen Hei (黑体, and the fallback for rare characters: it covers all
of GBK and CJK Extension A, e.g. 䶮). Debian's wqy-zenhei.ttc holds three faces (Zen Hei, Zen Hei
Mono, Zen Hei Sharp with 4.7 MB of embedded bitmaps); this writes face 0 alone as a TrueType file,
every glyph, the cmap and the metrics unchanged, without FontForge's private tables (``BDF ``,
``FFTM``) and with the ``post`` table's glyph names dropped (format 3), which neither reportlab nor
a PDF uses. 16.8 MB → 11.3 MB. The change is recorded in the font's description (name ID 10), as
the GPL asks of a modified file; the licence (GPL-2 with the font embedding exception) is
LICENSE-wqy-zenhei.txt.

Source: Debian bookworm's fonts-wqy-zenhei 0.9.45-8, usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
(16,791,251 bytes, the file shipped here before).

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools==4.68.0
    /tmp/ft/bin/python resources/fonts/make_wqy_zenhei.py wqy-zenhei.ttc resources/fonts/wqy-zenhei.ttf
"""

from __future__ import annotations

import sys

from fontTools.ttLib import TTCollection

DROPPED = ("BDF ", "FFTM")
NOTE = (
    "Face 0 of wqy-zenhei.ttc 0.9.45 (Debian fonts-wqy-zenhei 0.9.45-8) written alone by 绩效自评助手 "
    "(resources/fonts/make_wqy_zenhei.py, 2026-12-03): glyphs, cmap and metrics unchanged; tables BDF and "
    "FFTM and the post table's glyph names dropped."
)


def extract(source: str, target: str) -> None:
    font = TTCollection(source).fonts[0]
    font.getGlyphOrder()  # read from the post table's names before they go
    for tag in DROPPED:
        if tag in font:
            del font[tag]
    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping"):
        if hasattr(post, attr):
            delattr(post, attr)
    font["name"].setName(NOTE, 10, 3, 1, 0x409)  # Windows, Unicode BMP, English
    font.save(target)


if __name__ == "__main__":
    extract(sys.argv[1], sys.argv[2])
