"""Where the Word report's pages end, reckoned ahead of Word (issue 22).

Word lays out its pages itself, and a table row merged over the rows of a 一级/二级 prints the name
once, on the page where the merge starts. So the exporter reckons the heights with the PDF's font
metrics (core/export/fonts.py, linebreak.py: lines per cell at the cell's width × line height, with
a safety margin) and cuts the 绩效指标评分表 into one table per page, each with the repeated head row
and its merges restarted, so each page starts with the current names (core/export/docx.py). Where
the table starts is reckoned from what the body section holds before it: paragraphs at their exact
line spacing, tables by rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from core.export import word
from core.export.fonts import FontSet, load_fonts
from core.export.linebreak import CJKParagraph

PAGE = 225 * mm  # the text block's height (GB/T 9704), points
BODY_WIDTH = 156 * mm
#: A table line of 宋体 5号 at single spacing: Word sets about 1.3 em, LibreOffice with WenQuanYi
#: 1.22 em (12.8 pt, measured); reckoned a little taller than either.
TABLE_LINE = word.TABLE_SIZE * 1.35
ROW_RULES = 1.5  # points a row's rules and rounding add
WRAP = 0.94  # of a cell's room: the fonts Word or LibreOffice use may set figures a little wider
SAFETY = 0.92  # of a page a piece of the table may fill
ROOM_AFTER = 3 * word.LINE  # a table stays in the flow only when this much room is left below it


class Measure:
    """Lines and heights of text as the PDF's fonts set it."""

    def __init__(self, fonts: FontSet | None = None):
        self.fonts = fonts or load_fonts()
        self._styles: dict[tuple, ParagraphStyle] = {}

    def lines(self, text: str, width: float, size: float, indent: float = 0, role: str = "song") -> int:
        """Lines ``text`` takes in a column ``width`` points wide (a paragraph per line of text)."""
        key = (size, indent, role)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = ParagraphStyle(
                f"measure-{size}-{indent}-{role}",
                fontName=self.fonts.roles[role].name,
                fontSize=size,
                leading=size,
                wordWrap="CJK",
                firstLineIndent=indent,
            )
        total = 0
        for part in (text or "").split("\n"):
            if not part.strip():
                total += 1
                continue
            paragraph = CJKParagraph(self.fonts.markup(part, role), style)
            paragraph.wrap(max(width * WRAP, size * 2), 1e9)
            total += max(1, len(paragraph.blPara.lines))
        return total

    def row(self, cells: list[tuple[str, float]]) -> float:
        """The height of a table row whose cells hold ``(text, width in mm)``."""
        room = [(text, (w - 2 * word.CELL_MARGIN) * mm) for text, w in cells]
        lines = max((self.lines(text, width, word.TABLE_SIZE) for text, width in room), default=1)
        return lines * TABLE_LINE + ROW_RULES


def _style_value(style, name: str):
    """A paragraph format value of ``style``, or of the nearest style it is based on that sets it."""
    while style is not None:
        value = getattr(style.paragraph_format, name)
        if value is not None:
            return value
        style = style.base_style
    return None


def _font_size(style) -> float:
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return word.BODY_SIZE


@dataclass(frozen=True)
class _Look:
    """What a paragraph style sets that decides its height."""

    size: float
    line: float | None  # exact line height, points
    indent: float
    before: float
    after: float
    role: str
    page_break_before: bool


def _look(style) -> _Look:
    spacing = _style_value(style, "line_spacing")
    exact = isinstance(spacing, Length) and _style_value(style, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
    indent, before, after = (_style_value(style, k) for k in ("first_line_indent", "space_before", "space_after"))
    return _Look(
        size=_font_size(style),
        line=spacing.pt if exact else None,
        indent=indent.pt if indent else 0.0,
        before=before.pt if before else 0.0,
        after=after.pt if after else 0.0,
        role="hei" if style.name in ("Title", "表格标题", "Heading 1") else "fangsong",
        page_break_before=bool(_style_value(style, "page_break_before")),
    )


class Flow:
    """Where on its page the body section has got to, reckoned paragraph by paragraph."""

    def __init__(self, doc, measure: Measure):
        self.doc = doc
        self.measure = measure
        self.y = 0.0  # points used on the current page
        self._looks: dict[str | None, _Look] = {}  # by style id: python-docx finds a style slowly

    def new_page(self) -> None:
        self.y = 0.0

    def look(self, paragraph: Paragraph) -> _Look:
        p_pr = paragraph._p.pPr
        style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
        look = self._looks.get(style_id)
        if look is None:
            style = self.doc.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH)
            look = self._looks[style_id] = _look(style)
        return look

    def paragraph(self, paragraph: Paragraph) -> None:
        look = self.look(paragraph)
        own = paragraph.paragraph_format  # what the paragraph sets itself (a gap, a page's table)
        if own.page_break_before or (own.page_break_before is None and look.page_break_before):
            self.new_page()
        line = look.line or look.size * 1.3
        if isinstance(own.line_spacing, Length) and own.line_spacing_rule == WD_LINE_SPACING.EXACTLY:
            line = own.line_spacing.pt
        self.y += look.before
        text = "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))
        lines = self.measure.lines(text, BODY_WIDTH, look.size, look.indent, look.role)
        for _ in range(lines):
            if self.y + line > PAGE + 0.5:
                self.new_page()
            self.y += line
        self.y += look.after
        if any(br.get(qn("w:type")) == "page" for br in paragraph._p.iter(qn("w:br"))):
            self.new_page()

    def table(self, table: Table) -> None:
        heights = [self.row_height(tr) for tr in table._tbl.tr_lst]
        head = heights[0] if heights else 0.0
        for h in heights:
            if self.y + h > PAGE and self.y > head:
                self.new_page()
                self.y = head  # the head row again
            self.y += h

    def row_height(self, tr) -> float:
        cells = []
        for tc in tr.tc_lst:
            width = tc.width.mm if tc.width is not None else 20.0
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            cells.append((text, width))
        return self.measure.row(cells)


def position(doc, measure: Measure) -> float:
    """The points used on the current page of the last section, after what the document holds."""
    body = doc.element.body
    flow = Flow(doc, measure)
    started = False
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, doc._body)
            if started:
                flow.paragraph(paragraph)
            if child.find(qn("w:pPr")) is not None and child.pPr.sectPr is not None:
                started, flow.y = True, 0.0  # a section break: the next section starts a page
        elif child.tag == qn("w:tbl") and started:
            flow.table(Table(child, doc._body))
    return flow.y


def pieces(heights: list[float], first_room: float, room: float) -> list[list[int]]:
    """The row indices of each page's table: as many rows as ``first_room`` (then ``room``) points
    hold; a row taller than a page alone (Word splits it)."""
    out: list[list[int]] = [[]]
    used, limit = 0.0, first_room
    for i, h in enumerate(heights):
        if out[-1] and used + h > limit:
            out.append([])
            used, limit = 0.0, room
        out[-1].append(i)
        used += h
    return out
