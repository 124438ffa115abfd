"""Where a printed sheet's pages end, decided by the exporter (issue 22): Excel and LibreOffice
print a vertically merged cell's text once, so a 一级/二级 name merged over rows that run onto a new
page was missing there. The exporter knows every row's height (it sets them) and the page set-up
it writes (A4, margins, one page wide), so it puts manual row breaks where a page fills, never
inside a row, and splits each merged cell the break crosses into one merged cell per page piece,
the name in each (a figure stays in the first piece only, so a column still sums as before).

``s`` is the sheet's writer (core/export/xlsx.py ``SheetWriter``: its ``ws``, column ``widths``
and ``merge``), which calls this module, so it is not imported here.
"""

from __future__ import annotations

import math
from copy import copy

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Border
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break

PAGE = (595.28, 841.89)  # A4 portrait, points
#: Points per unit of column width. Excel draws a unit as 7 px of its default font, Calibri 11
#: (5.25 pt); LibreOffice measures it in the font it has for Calibri (Carlito about 5.6 pt, DejaVu
#: Sans about 7.2 pt, as here). The narrowest gives the largest fit-to-width scale, so the fewest
#: rows a page is reckoned to hold: a page never holds fewer than reckoned.
POINTS_PER_UNIT = 5.25
DEFAULT_ROW = 20.0  # points: a row whose height is not set (one line of 11 pt 宋体 is about 15)
SAFETY = 0.96  # of a page's height used, for rounding of heights and scale by the program
#: A sheet up to this many pages long (the one-page forms with a longer text or two) is printed
#: on one page, shrunk to fit, rather than with a few rows on a page of their own.
ONE_PAGE = 1.25


def page_rows(s) -> float:
    """The height in points of sheet rows one printed page holds, at the scale that fits the
    sheet's columns to the page's width."""
    ws = s.ws
    width, height = PAGE if ws.page_setup.orientation != "landscape" else PAGE[::-1]
    m = ws.page_margins
    room_w = width - 72 * (m.left + m.right)
    room_h = height - 72 * (m.top + m.bottom)
    table = sum(s.widths) * POINTS_PER_UNIT
    scale = min(1.0, math.floor(100 * room_w / table) / 100)  # fit to width shrinks only, by whole %
    return room_h / scale * SAFETY


def _height(ws, row: int) -> float:
    dim = ws.row_dimensions.get(row)  # not [row], which would add a row to the file
    return (dim.height if dim is not None else None) or DEFAULT_ROW


def paginate(s, head: tuple[int, int] | None) -> list[int]:
    """Put a manual break after each row that ends a full page (the rows ``head``, the table head
    printed again at the top of the pages, counted there and never left alone at the foot of a
    page); split the merged cells each break crosses. The breaks' rows. A sheet hardly longer
    than a page (:data:`ONE_PAGE`) is set to print on one page instead, with no breaks."""
    ws = s.ws
    room = page_rows(s)
    last = ws.max_row
    given = {b.id for b in ws.row_breaks.brk}  # a form's own new pages (the annex-3 cover)
    if not given and sum(_height(ws, r) for r in range(1, last + 1)) <= room * ONE_PAGE:
        ws.page_setup.fitToHeight = 1  # one page tall as well as wide: the program shrinks it
        return []
    first_head, last_head = head or (0, 0)
    head_height = sum(_height(ws, r) for r in range(first_head, last_head + 1)) if head else 0.0

    def start(row: int) -> float:  # the room a page starting at ``row`` has used already
        # The head as print titles: LibreOffice prints them on the pages after their own; whether
        # Excel does on the pages before them too was not checked here, so they are reckoned on
        # every page but one that starts with them (where they are the page's own rows).
        return head_height if head and row != first_head else 0.0

    breaks: list[int] = []
    page_first = 1
    used = start(1)
    r = 1
    while r <= last:
        h = _height(ws, r)
        if used + h > room and r > page_first:
            b = r - 1
            if head and first_head <= b <= last_head and first_head > page_first:
                b = first_head - 1  # the head goes to the next page with the rows it heads
            breaks.append(b)
            page_first = r = b + 1
            used = start(r)
            continue
        used += h
        if r in given:
            page_first = r + 1
            used = start(r + 1)
        r += 1
    for b in breaks:
        ws.row_breaks.append(Break(id=b))
    _split_merges(s, breaks)
    return breaks


def _split_merges(s, breaks: list[int]) -> None:
    """Each merged cell a break crosses becomes one per page piece. The cells inside keep their
    styles; only the pieces' first and last rows are ruled anew, so a 一级 over hundreds of rows
    costs what its breaks do (pages of a 500-leaf workbook: 16-35 ms here, where re-merging the
    pieces whole took 100-160 ms)."""
    ws = s.ws
    made: dict[tuple, object] = {}  # (the box's rules, edges) → the style of a covered cell
    for merged in list(ws.merged_cells.ranges):
        r1, c1, r2, c2 = merged.min_row, merged.min_col, merged.max_row, merged.max_col
        cuts = [b for b in breaks if r1 <= b < r2]
        if not cuts:
            continue
        top = ws.cell(r1, c1)
        box = top.border
        ws.merged_cells.remove(merged)
        bounds = [r1 - 1, *cuts, r2]
        for first, end in zip(bounds, bounds[1:], strict=False):
            first += 1
            if first != r1:  # the piece's top-left cell: the name again, or blank under a figure
                cell = ws._cells[(first, c1)] = Cell(ws, row=first, column=c1)
                cell._style = copy(top._style)
                if isinstance(top.value, str):
                    cell.value = top.value
                    cell.data_type = "s"
            for r in {first, end}:
                for c in range(c1, c2 + 1):
                    if (r, c) != (first, c1):
                        edges = (r == first, c == c1, c == c2, r == end)
                        _rule(ws, r, c, edges, box, made, (top._style.borderId, edges))
            if (first, c1) != (end, c2):
                ws.merged_cells.ranges.add(_piece(ws, first, c1, end, c2))


def _piece(ws, r1: int, c1: int, r2: int, c2: int) -> MergedCellRange:
    """A merged range over cells already ruled. ``MergedCellRange(ws, coord)`` would add the
    bottom-right cell's rules to the top-left cell's, which has them all: a no-op that cost about
    2 ms a range in openpyxl's style bookkeeping. Added to the set as such: no piece is merged yet."""
    piece = MergedCellRange.__new__(MergedCellRange)
    piece.ws = ws
    CellRange.__init__(piece, min_col=c1, min_row=r1, max_col=c2, max_row=r2)
    piece.start_cell = ws._cells[(r1, c1)]
    return piece


def _rule(ws, r: int, c: int, edges: tuple[bool, ...], box: Border, made: dict, key: tuple) -> None:
    """The covered cell's rules on the piece's edges, as SheetWriter.merge draws them."""
    cell = ws._cells.get((r, c))
    if cell is None:
        cell = ws._cells[(r, c)] = MergedCell(ws, row=r, column=c)
    style = made.get(key)
    if style is not None:
        cell._style = copy(style)
        return
    sides = {
        name: getattr(box, name)
        for name, on in zip(("top", "left", "right", "bottom"), edges, strict=True)
        if on and getattr(box, name) is not None and getattr(box, name).style is not None
    }
    cell.border = Border(**sides)
    made[key] = copy(cell._style)
