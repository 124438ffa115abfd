"""Fonts for the PDF: the 公文 fonts the PC has, else the open fonts shipped with the program
(which files, per role: core/export/fontfiles.py).

reportlab embeds TrueType outlines only, so a font with PostScript (CFF) outlines is skipped. Text
is set per character in the first font of the chain that has the glyph, so a rare character in a
name (堃, 喆, 䶮) is still printed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from core.export.fontcache import load_ttfont
from core.export.fontfiles import FontFile, choose


@dataclass(frozen=True)
class FontFace:
    name: str  # the reportlab font name
    path: str
    index: int

    @property
    def cmap(self) -> dict:
        return pdfmetrics.getFont(self.name).face.charToGlyph


def _register(path: str, index: int) -> FontFace | None:
    name = f"jxzp-{Path(path).stem}-{index}"
    # Asked by name, not with getFont: for a name it does not know, reportlab parses every AFM
    # file it can find on the machine first (about 0.15 s a call here).
    if name in pdfmetrics.getRegisteredFontNames():
        return FontFace(name, path, index)
    try:
        pdfmetrics.registerFont(load_ttfont(name, path, index))  # tables cached across runs
    except (TTFError, OSError, ValueError, KeyError, AssertionError):
        return None  # e.g. PostScript outlines, which reportlab cannot embed
    return FontFace(name, path, index)


@dataclass
class FontSet:
    roles: dict[str, FontFace]
    chain: list[FontFace]  # fallback order for characters a role's font lacks

    def covered(self) -> set[int]:
        out: set[int] = set()
        for face in self.chain:
            out.update(face.cmap)
        return out

    def markup(self, text: str, role: str) -> str:
        """Escaped Paragraph markup, with characters the role's font lacks set in the first
        font of the chain that has them."""
        primary = self.roles[role]
        cmap = primary.cmap
        out: list[str] = []
        run: list[str] = []
        run_face: FontFace | None = None
        for ch in text:
            face = primary if (ord(ch) in cmap or ch in "\n\t ") else self._fallback(ord(ch), primary)
            if face is not run_face and run:
                out.append(_wrap("".join(run), run_face, primary))
                run = []
            run_face = face
            run.append(ch)
        if run:
            out.append(_wrap("".join(run), run_face, primary))
        return "".join(out)

    def _fallback(self, code: int, primary: FontFace) -> FontFace:
        for face in self.chain:
            if code in face.cmap:
                return face
        return primary  # nobody has it: check T01 has already warned about it


def _wrap(text: str, face: FontFace | None, primary: FontFace) -> str:
    text = escape(text)
    if face is None or face is primary:
        return text
    return f'<font face="{face.name}">{text}</font>'


_LOADING = threading.Lock()


def load_fonts() -> FontSet:
    """The PDF's fonts, registered with reportlab once per process (about 0.6 s the first time:
    the window does it in the background after it shows, so its first PDF does not wait)."""
    with _LOADING:  # the window's warm-up and an export may ask at once
        return _load_fonts()


@lru_cache(maxsize=1)
def _load_fonts() -> FontSet:
    faces: dict[FontFile, FontFace] = {}

    def usable(path: str, index: int) -> bool:
        face = _register(path, index)
        if face is not None:
            faces[(path, index)] = face
        return face is not None

    roles, chain = choose(usable)
    return FontSet({role: faces[f] for role, f in roles.items()}, [faces[f] for f in chain])
