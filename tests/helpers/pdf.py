"""Reading a PDF back in the tests, with Python libraries only (no poppler on a fresh machine).

pypdfium2 (PDFium, the engine the window prints with) gives the text, the pages and where each
word stands; pypdf reads the font dictionaries. Each test says what it checks; how the text is
pulled out lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader

A4 = (595.276, 841.89)  # points


@dataclass(frozen=True)
class Word:
    """A run of characters without white space, placed as ``pdftotext -bbox`` places it: points,
    origin at the top left of the page."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Font:
    name: str
    subtype: str  # /TrueType, /Type0, /Type1 …
    embedded: bool
    truetype: bool  # TrueType outlines (a FontFile2 stream), for simple and CID fonts alike


def _pages(path: Path | str):
    pdf = pdfium.PdfDocument(str(path))
    try:
        yield from pdf
    finally:
        pdf.close()


def page_texts(path: Path | str) -> list[str]:
    """The text of each page, lines separated by newlines."""
    texts = []
    for page in _pages(path):
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
        textpage.close()
        page.close()
    return texts


def text(path: Path | str) -> str:
    """The whole text, pages separated by form feeds (as pdftotext writes it)."""
    return "\f".join(page_texts(path))


def compact(path: Path | str) -> str:
    """The whole text without any white space: what a test searches for phrases that may wrap."""
    return re.sub(r"\s+", "", text(path))


def page_count(path: Path | str) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def page_sizes(path: Path | str) -> list[tuple[float, float]]:
    sizes = []
    for page in _pages(path):
        sizes.append(tuple(page.get_size()))
        page.close()
    return sizes


def is_a4(size: tuple[float, float]) -> bool:
    return abs(size[0] - A4[0]) < 1 and abs(size[1] - A4[1]) < 1


def words(path: Path | str) -> list[list[Word]]:
    """Each page's words with their boxes (PDFium's loose boxes: font ascent to descent)."""
    pages = []
    for page in _pages(path):
        height = page.get_size()[1]
        textpage = page.get_textpage()
        found: list[Word] = []
        chars: list[str] = []
        box = None
        for i in range(textpage.count_chars()):
            ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            if ch.isspace() or ch == "\x00":
                if chars:
                    found.append(Word("".join(chars), box[0], height - box[3], box[2], height - box[1]))
                chars, box = [], None
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            if box is None:
                box = [left, bottom, right, top]
            else:
                box = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
            chars.append(ch)
        if chars:
            found.append(Word("".join(chars), box[0], height - box[3], box[2], height - box[1]))
        pages.append(found)
        textpage.close()
        page.close()
    return pages


def fonts(path: Path | str) -> list[Font]:
    """Every font the pages use, read from the font dictionaries with pypdf."""
    found: dict[str, Font] = {}
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        if not font_dict:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            subtype = str(font.get("/Subtype"))
            described = font
            if subtype == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            name = str(font.get("/BaseFont"))
            found[name] = Font(name, subtype, bool(files), "/FontFile2" in files)
    return list(found.values())
