"""One sheet of a handed-in workbook as a grid of cells found by their label text.

Forms are filled by hand: a label may carry spaces, a line break or a full-width colon
(``项目 名称：``), sit in any column, span merged cells; figures may be numbers or text. The grid
answers by meaning (the cell labelled 项目名称, the value right of it), never by a fixed address,
and remembers which cells were placed so that everything else can be listed, never dropped.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from core.model.numbers import NumberError, parse_decimal

_SPACE = re.compile(r"[\s\u3000\xa0]+")
UNSAVED = "公式的计算结果未保存在文件中，请在 Excel 或 WPS 中打开并保存后再导入"
#: What a filled form writes for "nothing here" in a figure cell.
BLANKS = {"", "—", "-", "－", "/", "／", "无", "——", "\\", "—/—"}


def norm(text: str) -> str:
    """A label as compared: no spaces or line breaks, ASCII colon and brackets, no trailing colon."""
    s = _SPACE.sub("", text or "")
    s = s.replace("：", ":").replace("（", "(").replace("）", ")")
    return s.rstrip(":")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


class Grid:
    def __init__(self, ws):
        self.title = ws.title
        self.values: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                self.values[(cell.row, cell.column)] = v
                if isinstance(v, int | float):
                    self.formats[(cell.row, cell.column)] = cell.number_format or ""
        self.spans: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in ws.merged_cells.ranges:
            box = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
            if (rng.max_row - rng.min_row + 1) * (rng.max_col - rng.min_col + 1) > 100_000:
                continue  # a merge over a whole column: only its top-left cell matters
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    self.spans[(r, c)] = box
        self.used: set[tuple[int, int]] = set()
        self.reprint = False  # a sheet that prints again what others hold: its cells are not listed
        self.unsaved: dict[tuple[int, int], str] = {}  # formulas whose result the file does not hold
        self.max_row = max((r for r, _ in self.values), default=0)
        self.max_col = max((c for _, c in self.values), default=0)

    def note_formulas(self, ws) -> None:
        """Formulas with no saved result: listed as not placed (open and save in Excel first)."""
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and v.startswith("=") and (cell.row, cell.column) not in self.values:
                    self.unsaved[(cell.row, cell.column)] = v

    # --- reading cells ---------------------------------------------------------------------------
    def origin(self, r: int, c: int) -> tuple[int, int]:
        box = self.spans.get((r, c))
        return (box[0], box[1]) if box else (r, c)

    def span(self, r: int, c: int) -> tuple[int, int, int, int]:
        return self.spans.get((r, c), (r, c, r, c))

    def value(self, r: int, c: int):
        return self.values.get(self.origin(r, c))

    def text(self, r: int, c: int) -> str:
        return cell_text(self.value(r, c))

    def label(self, r: int, c: int) -> str:
        return norm(self.text(r, c))

    def take(self, r: int, c: int) -> None:
        self.used.add(self.origin(r, c))

    def find(self, test, rows: range | None = None) -> list[tuple[int, int]]:
        """Top-left cells whose label passes ``test`` (a callable on the normalised text)."""
        found = []
        for (r, c), _v in sorted(self.values.items()):
            if rows is not None and r not in rows:
                continue
            if test(norm(cell_text(self.values[(r, c)]))):
                found.append((r, c))
        return found

    def first(self, *labels: str, rows: range | None = None, prefix: bool = False):
        wanted = {norm(x) for x in labels}
        hits = self.find((lambda s: any(s.startswith(w) for w in wanted)) if prefix else (lambda s: s in wanted), rows)
        return hits[0] if hits else None

    def right_of(self, r: int, c: int, stop_labels=()) -> tuple[int, int] | None:
        """The next filled cell to the right of the (merged) cell at r, c on the same row."""
        col = self.span(r, c)[3] + 1
        while col <= self.max_col:
            o = self.origin(r, col)
            if o in self.values:
                if self.label(*o) in stop_labels:
                    return None
                return o
            col = self.span(r, col)[3] + 1
        return None

    def address(self, r: int, c: int) -> str:
        return f"{get_column_letter(c)}{r}"

    # --- figures ---------------------------------------------------------------------------------
    def amount(self, r: int, c: int, unit: str, problems: list) -> Decimal | None:
        """A money or weight cell: a number, or text holding one (``600.00``, ``1,200``), in the
        table's ``unit``; blank, ``—`` and ``/`` are not given. What cannot be read is listed."""
        o = self.origin(r, c)
        v = self.values.get(o)
        self.take(*o)
        if v is None:
            return None
        if isinstance(v, bool):
            problems.append(self.place(*o, "不是数字"))
            return None
        if isinstance(v, int | float):
            try:
                return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
            except InvalidOperation:
                problems.append(self.place(*o, "不是数字"))
                return None
        s = cell_text(v)
        if norm(s) in BLANKS:
            return None
        try:
            return parse_decimal(s, unit=unit or None)
        except NumberError as exc:
            problems.append(self.place(*o, f"不是数字（{exc}）"))
            return None

    def rate(self, r: int, c: int, problems: list) -> Decimal | None:
        """A rate as a percentage number: ``0.7062`` formatted ``0.00%`` and ``70.62%`` are 70.62."""
        o = self.origin(r, c)
        v = self.values.get(o)
        number = self.amount(r, c, "", problems)
        if number is not None and isinstance(v, int | float) and "%" in self.formats.get(o, ""):
            number = number * 100
        return number

    def place(self, r: int, c: int, why: str = "") -> str:
        text = self.text(r, c).replace("\n", " ")
        if len(text) > 60:
            text = text[:60] + "……"
        return f"{self.title}!{self.address(r, c)}“{text}”" + (f"：{why}" if why else "")

    def unplaced(self) -> list[str]:
        out = [self.place(r, c) for (r, c) in sorted(self.values) if (r, c) not in self.used]
        out += [
            f"{self.title}!{self.address(r, c)}“{formula[:60]}”：{UNSAVED}"
            for (r, c), formula in sorted(self.unsaved.items())
        ]
        return out
