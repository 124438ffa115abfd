"""A printed form as a plain description: titles, lines of text and ruled grids of cells.

Each form module (mof_self.py, evaluation_table.py …) builds one :class:`Form` from a report; the
PDF (render_pdf.py) and the workbook (render_xlsx.py) both draw that same description, so the
paper and the sheet hold the same fields in the same places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Cell kinds: how a cell is set (and, in Excel, whether it is a number).
LABEL = "label"  # a printed label of the form, centred, bold in Excel
TEXT = "text"  # what the user typed, left aligned, wrapped
CENTER = "center"  # typed text, centred (names, targets)
AMOUNT = "amount"  # money: right aligned, 2 decimals, never wrapped; None prints blank
NUMBER = "number"  # a weight or score: as AMOUNT
RATE = "rate"  # a percentage given in % (70.62): right aligned; None prints blank


@dataclass
class Cell:
    value: str | Decimal | None = ""
    kind: str = TEXT
    span: int = 1  # columns this cell covers
    rows: int = 1  # rows this cell covers (a 一级 name over its leaves, 项目资金 over its rows)


@dataclass
class Grid:
    """A ruled table. ``widths`` in mm add up to the form's width; ``head`` rows (counted from the
    top) repeat on every page the grid runs onto; a cell covering several rows is printed again
    on the new page when the grid splits inside it (the current 一级/二级 names)."""

    widths: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    head: int = 0
    min_height: dict[int, float] = field(default_factory=dict)  # row → height in mm of a row to write in by hand
    #: Whether the grid may break across pages (a long table); set for every grid with a head.
    flow: bool = False

    def __post_init__(self) -> None:
        self.flow = self.flow or self.head > 0

    def add(self, *cells: Cell, height: float | None = None) -> None:
        self.rows.append(list(cells))
        if height:
            self.min_height[len(self.rows) - 1] = height


@dataclass
class Title:
    text: str
    size: float = 18  # pt
    center: bool = True


@dataclass
class Line:
    """A line of text outside the grids: a section heading, a signature line, the narrative."""

    text: str
    align: str = "left"  # left | right | center | justify
    bold: bool = False
    indent: bool = False  # first-line indent of two characters (the narrative's paragraphs)
    space_before: float = 0  # mm


@dataclass
class NewPage:
    pass


@dataclass
class Form:
    name: str  # the --form name
    title: str  # the workbook's sheet name
    landscape: bool = False
    parts: list = field(default_factory=list)  # Title | Line | Grid | NewPage

    @property
    def width(self) -> float:
        """The printable width in mm: A4 less 15 mm each side."""
        return (297 if self.landscape else 210) - 30


def label(text: str, span: int = 1, rows: int = 1) -> Cell:
    return Cell(text, LABEL, span, rows)


def text(value: str, span: int = 1, rows: int = 1) -> Cell:
    return Cell(value or "", TEXT, span, rows)


def center(value: str, span: int = 1, rows: int = 1) -> Cell:
    return Cell(value or "", CENTER, span, rows)


def amount(value: Decimal | None, span: int = 1) -> Cell:
    return Cell(value, AMOUNT, span)


def number(value: Decimal | None, span: int = 1) -> Cell:
    return Cell(value, NUMBER, span)


def rate(value: Decimal | None, span: int = 1) -> Cell:
    return Cell(value, RATE, span)


def layout(grid: Grid):
    """Each cell with the row and column it starts at: cells fill a row left to right, skipping
    the places a cell above still covers (as an HTML table places them)."""
    covered: dict[int, set[int]] = {}
    for r, row in enumerate(grid.rows):
        c = 0
        taken = covered.get(r, set())
        for cell in row:
            while c in taken:
                c += 1
            yield r, c, cell
            for k in range(1, cell.rows):
                covered.setdefault(r + k, set()).update(range(c, c + cell.span))
            c += cell.span
