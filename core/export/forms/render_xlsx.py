"""A :class:`~core.export.forms.grid.Form` as a worksheet laid out like the paper: the grids'
column edges become the sheet's columns, a cell covering several becomes a merged range ruled
all round, figures are numbers, typed text stays text; A4 in the form's orientation, one page
wide, the long table's head repeated on each printed page, rows tall enough for wrapped text, and
the pages ending where the exporter says, each starting with the current 一级/二级 names."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.pagebreak import Break

from core.export.forms.grid import AMOUNT, CENTER, LABEL, NUMBER, RATE, Form, Grid, Line, NewPage, Title, layout
from core.export.sheet_pages import paginate
from core.export.xlsx import CENTER as MIDDLE
from core.export.xlsx import HEADER_FILL, HEI, LEFT, SheetWriter, StyleCache

UNITS_PER_MM = 0.52  # Excel column width units (characters of the default font) per mm of paper
POINTS_PER_MM = 72 / 25.4


def _edges(form: Form) -> list[float]:
    """Every column edge of every grid, in mm from the left: the sheet's columns lie between."""
    edges = {0.0, float(form.width)}
    for part in form.parts:
        if isinstance(part, Grid):
            scale = form.width / sum(part.widths)
            x = 0.0
            for w in part.widths:
                x += w * scale
                edges.add(round(x, 1))
    return sorted(edges)


def write_form(wb: Workbook, form: Form, warnings: list[str], styles: StyleCache):
    edges = _edges(form)
    widths = [(b - a) * UNITS_PER_MM for a, b in zip(edges, edges[1:], strict=False)]
    s = SheetWriter(wb.create_sheet(form.title), widths, warnings, styles)
    last = len(widths)
    r = 1
    title_rows = None
    head = None
    longest = 0
    for part in form.parts:
        if isinstance(part, Title):
            s.span_text(r, 1, last, part.text, bold=True, align=MIDDLE, size=16, font=HEI, border=False)
            s.ws.row_dimensions[r].height = max(28, part.size * 1.6)
            r += 1
        elif isinstance(part, Line):
            align = MIDDLE if part.align == "center" else LEFT
            text = ("　　" if part.indent else "") + part.text
            s.span_text(r, 1, last, text, bold=part.bold, align=align, border=False)
            s.fit_row(r)
            r += 1
        elif isinstance(part, NewPage):
            s.ws.row_breaks.append(Break(id=r - 1))
        elif isinstance(part, Grid):
            _grid(s, part, r, edges, form.width)
            if part.head and len(part.rows) > longest:  # the longest table's head repeats
                longest = len(part.rows)
                title_rows = f"{r}:{r + part.head - 1}"
                head = (r, r + part.head - 1)
            r += len(part.rows)
    s.print_setup(title_rows or "1:1", landscape=form.landscape)
    paginate(s, head)  # each printed page of a long table starts with its head and 一级/二级 names
    return s.ws


def _grid(s: SheetWriter, grid: Grid, top: int, edges: list[float], width: float) -> None:
    scale = width / sum(grid.widths)
    starts = [0.0]
    for w in grid.widths:
        starts.append(round(starts[-1] + w * scale, 1))
    column = {x: i + 1 for i, x in enumerate(edges)}  # an edge → the sheet column starting there
    for r, c, cell in layout(grid):
        row = top + r
        c1 = column[starts[c]]
        c2 = column[starts[c + cell.span]] - 1
        r2 = row + cell.rows - 1
        for rr in range(row, r2 + 1):  # every cell of a merged range ruled, so it prints ruled
            for cc in range(c1, c2 + 1):
                if (rr, cc) != (row, c1):
                    s.text(rr, cc, "")
        value = cell.value
        if cell.kind in (AMOUNT, NUMBER):
            s.number(row, c1, value)
        elif cell.kind == RATE:
            if value is None:
                s.number(row, c1, None)
            else:
                s.rate(row, c1, value)
        elif cell.kind == LABEL:
            s.text(row, c1, str(value or ""), bold=True, align=MIDDLE, fill=HEADER_FILL if r < grid.head else None)
        else:
            s.text(row, c1, str(value or ""), align=MIDDLE if cell.kind == CENTER else LEFT)
        s.merge(row, c1, r2, c2)
    for r in range(len(grid.rows)):
        s.fit_row(top + r)
        least = grid.min_height.get(r)
        if least:
            dim = s.ws.row_dimensions[top + r]
            dim.height = max(dim.height or 0, least * POINTS_PER_MM)
