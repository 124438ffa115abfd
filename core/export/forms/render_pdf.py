"""A :class:`~core.export.forms.grid.Form` drawn with reportlab: A4 pages with 15 mm margins,
portrait or landscape as the form is; grids as ruled tables whose head rows repeat on a new page
and whose 一级/二级 names are printed again at the top of it; figures set whole, never wrapped."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Frame, PageBreak, PageTemplate, Spacer, Table, TableStyle

from core.export.fonts import FontSet
from core.export.forms.common import TICKED
from core.export.forms.grid import AMOUNT, CENTER, LABEL, NUMBER, RATE, Form, Grid, Line, NewPage, Title, layout
from core.export.linebreak import CJKParagraph
from core.model.numbers import fmt2, fmt_rate

MARGIN = 15 * mm
CELL_SIZE = 9  # 小五 and a half: the forms' tables
LINE_SIZE = 10.5  # 五号
RULE = 0.6
TEMPLATES = {False: "form-portrait", True: "form-landscape"}


def form_templates() -> list[PageTemplate]:
    """The page templates a document needs to print forms: A4 portrait and landscape."""
    out = []
    for landscape, name in TEMPLATES.items():
        w, h = (297 * mm, 210 * mm) if landscape else (210 * mm, 297 * mm)
        frame = Frame(MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN, 0, 0, 0, 0, id=name)
        out.append(PageTemplate(name, [frame], pagesize=(w, h)))
    return out


# The ticked box: none of the Chinese fonts has ☑, so it is set in a symbol font the machine has.
_SYMBOL_FILES = (
    *(Path(d) / "Fonts" / "seguisym.ttf" for d in filter(None, [os.environ.get("WINDIR")])),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)


@lru_cache(maxsize=1)
def _symbol_font() -> str | None:
    for path in _SYMBOL_FILES:
        if path.exists():
            name = f"jxzp-symbol-{path.stem}"
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (TTFError, OSError, ValueError, KeyError, AssertionError):
                continue
            if ord(TICKED) in pdfmetrics.getFont(name).face.charToGlyph:
                return name
    return None


class _Painter:
    def __init__(self, fonts: FontSet):
        self.fonts = fonts
        r = fonts.roles
        base = {"wordWrap": "CJK", "fontSize": CELL_SIZE, "leading": CELL_SIZE * 1.35, "fontName": r["song"].name}
        self.cell = ParagraphStyle("form-cell", alignment=TA_LEFT, **base)
        self.center = ParagraphStyle("form-center", parent=self.cell, alignment=TA_CENTER)
        self.label = ParagraphStyle("form-label", parent=self.center, fontName=r["hei"].name)
        line = dict(base, fontSize=LINE_SIZE, leading=LINE_SIZE * 1.6)
        self.line = ParagraphStyle("form-line", alignment=TA_LEFT, **line)
        self.line_bold = ParagraphStyle("form-line-bold", parent=self.line, fontName=r["hei"].name)
        self.title = ParagraphStyle(
            "form-title", fontName=r["title"].name, alignment=TA_CENTER, wordWrap="CJK", fontSize=18, leading=26
        )

    def para(self, text: str, style: ParagraphStyle) -> CJKParagraph:
        role = "hei" if style.fontName == self.fonts.roles["hei"].name else "song"
        if style.fontName == self.fonts.roles["title"].name:
            role = "title"
        lines = [self.fonts.markup(part, role) for part in (text or "").split("\n")]
        markup = "<br/>".join(lines)
        symbol = _symbol_font()
        markup = markup.replace(TICKED, f'<font face="{symbol}">{TICKED}</font>' if symbol else "■")
        return CJKParagraph(markup, style)

    def content(self, kind: str, value):
        if kind in (AMOUNT, NUMBER):
            return fmt2(value) if isinstance(value, Decimal) else ""
        if kind == RATE:
            return fmt_rate(value, "") if isinstance(value, Decimal) else ""
        style = {LABEL: self.label, CENTER: self.center}.get(kind, self.cell)
        return self.para(str(value or ""), style)


class FormTable(Table):
    """A table that, split across pages, prints the names of the cells still covering its first
    row on the new page (the 一级/二级 names) below the repeated head.

    ``carry`` maps a row to {column: a function making that column's name cell}: what the row
    would show there if a page began with it."""

    def __init__(self, *args, carry=None, **kw):
        super().__init__(*args, **kw)
        self.carry = carry or {}

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or not self.carry:
            return parts
        first, rest = parts
        n = len(first._cellvalues)
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        first.carry = {r: v for r, v in self.carry.items() if r < n}
        rest.carry = {r - n + head: v for r, v in self.carry.items() if r >= n}
        names = self.carry.get(n)
        if names:
            row = list(rest._cellvalues[head])
            for c, make in names.items():
                row[c] = make()
            rest._cellvalues[head] = row
        return parts


CHUNK_LINES = 30  # lines of a cell per printed row: no row is taller than a page


def pieces_of(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut at line ends where possible (a long
    table cell printed as continuation rows, so that no row is taller than a page)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > size:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:size])
            line = line[size:]
        if current and len(current) + len(line) + 1 > size:
            pieces.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [*pieces, current] if current or not pieces else pieces


def _explode(grid: Grid, scale: float) -> Grid:
    """A copy of ``grid`` where a cell too long for one page goes on in continuation rows below
    it (the cells covering its row grow to cover them), so the table can break between them."""
    placed = [(r, c, replace(cell)) for r, c, cell in layout(grid)]
    rows: list[list] = [[] for _ in grid.rows]
    for r, _c, cell in placed:
        rows[r].append(cell)
    heights = dict(grid.min_height)
    grew = False
    for r in range(len(grid.rows) - 1, grid.head - 1, -1):
        here = [(c, cell) for rr, c, cell in placed if rr == r]
        split: dict[int, list[str]] = {}
        for c, cell in here:
            if cell.rows == 1 and cell.kind not in (AMOUNT, NUMBER, RATE) and isinstance(cell.value, str):
                per_line = max(4, int(sum(grid.widths[c : c + cell.span]) * scale * mm / CELL_SIZE) - 1)
                pieces = pieces_of(cell.value, per_line * CHUNK_LINES)
                if len(pieces) > 1:
                    split[c] = pieces
        if not split:
            continue
        extra = max(len(p) for p in split.values()) - 1
        grew = True
        for rr, _c, cell in placed:  # the cells covering this row now cover its continuations too
            if rr <= r <= rr + cell.rows - 1 and (rr < r or cell.rows > 1):
                cell.rows += extra
        new_rows = [[] for _ in range(extra)]
        for c, cell in here:
            if cell.rows > 1:
                continue
            pieces = split.get(c)
            if pieces:
                cell.value = pieces[0]
            for k in range(extra):
                value = (
                    pieces[k + 1] if pieces and k + 1 < len(pieces) else ("" if isinstance(cell.value, str) else None)
                )
                new_rows[k].append(replace(cell, value=value))
        rows[r + 1 : r + 1] = new_rows
        heights = {(k + extra if k > r else k): v for k, v in heights.items()}
    return Grid(grid.widths, rows, grid.head, heights, flow=grid.flow or grew)


def grid_table(grid: Grid, width: float, painter: _Painter) -> Table:
    """``grid`` as a table ``width`` mm wide."""
    scale = width / sum(grid.widths)
    grid = _explode(grid, scale)
    widths = [w * mm * scale for w in grid.widths]
    ncols = len(widths)
    data = [[""] * ncols for _ in grid.rows]
    font = painter.fonts.roles["song"].name
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    splits = grid.flow  # a table that may break: cells covering rows are not merged, their names carried
    carry: dict[int, dict[int, Callable[[], object]]] = {}
    for r, c, cell in layout(grid):
        data[r][c] = painter.content(cell.kind, cell.value)
        last_c, last_r = c + cell.span - 1, r + cell.rows - 1
        if cell.kind in (AMOUNT, NUMBER, RATE):
            cmds.append(("ALIGN", (c, r), (c, r), "RIGHT"))
        if cell.kind == LABEL and r < grid.head:
            cmds.append(("BACKGROUND", (c, r), (last_c, last_r), "#F2F2F2"))
        cmds.append(("BOX", (c, r), (last_c, last_r), RULE, "black"))
        if cell.rows > 1 and splits:
            cmds.append(("VALIGN", (c, r), (c, r), "TOP"))
            for k in range(r + 1, last_r + 1):
                carry.setdefault(k, {})[c] = partial(painter.content, cell.kind, cell.value)
            if cell.span > 1:
                for k in range(r, last_r + 1):
                    cmds.append(("SPAN", (c, k), (last_c, k)))
        elif cell.span > 1 or cell.rows > 1:
            cmds.append(("SPAN", (c, r), (last_c, last_r)))
    for r, height in grid.min_height.items():  # a row to write in: padded, so longer text still grows it
        pad = max(2, (height * mm - CELL_SIZE * 1.35) / 2)
        cmds += [("TOPPADDING", (0, r), (-1, r), pad), ("BOTTOMPADDING", (0, r), (-1, r), pad)]
    table = FormTable(
        data,
        colWidths=widths,
        repeatRows=grid.head,
        carry=carry if splits else None,
    )
    table.setStyle(TableStyle(cmds))
    return table


def form_story(form: Form, fonts: FontSet) -> list:
    """The flowables of ``form``, to be set in a frame of the form's width."""
    painter = _Painter(fonts)
    width = form.width  # mm
    story: list = []
    aligns = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}
    for part in form.parts:
        if isinstance(part, Title):
            style = ParagraphStyle("t", parent=painter.title, fontSize=part.size, leading=part.size * 1.45)
            story.append(painter.para(part.text, style))
        elif isinstance(part, Line):
            if part.space_before:
                story.append(Spacer(1, part.space_before * mm))
            base = painter.line_bold if part.bold else painter.line
            style = ParagraphStyle(
                "l", parent=base, alignment=aligns[part.align], firstLineIndent=2 * LINE_SIZE if part.indent else 0
            )
            story.append(painter.para(part.text, style))
        elif isinstance(part, Grid):
            story.append(grid_table(part, width, painter))
        elif isinstance(part, NewPage):
            story.append(PageBreak())
    return story
