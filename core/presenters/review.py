"""The 复核 tab's grid, Qt-free: each printed figure (表上) beside what the rows give (按明细计算),
their difference and whether they differ, as ``core/rules/review.py`` ``compare`` lines them up.

Only the 表上 column is edited; what is typed goes through the document like any figure
(full-width digits, thousands separators, a trailing %; blank = not recorded). A row that differs
is marked twice: its cells carry the V-finding (drawn in the error colour) and its 核对 column says
“✗ 不符” in words, so the grid reads the same printed in black and white.
"""

from __future__ import annotations

from decimal import Decimal

from core.document import Document
from core.model.model import NodePath, resolve
from core.model.numbers import fmt2, fmt_plain
from core.presenters.tables import Column, FindingsMixin, paste_row
from core.rules.checks import Finding
from core.rules.review import GRADE, NAME, RATE, Comparison, compare

DIFFERS = "✗ 不符"
AGREES = "✓ 相符"
NOT_RECORDED = "未记录"
NOT_DERIVED = "无法核对"
NO_LEVEL1 = "（报告中无此一级指标）"
HINT = "在“表上”一栏照抄纸质表上印的数字；空着表示没有记录。与按明细计算的结果不符的行标为“✗ 不符”。"


class ReviewTable(FindingsMixin):
    """Rows of (what, 表上, 按明细计算, 差额, 核对) for the report's printed figures."""

    noun = "表上数字"
    has_total = False
    columns = [
        Column("what", "项目", editable=False, width=14),
        Column("printed", "表上", numeric=True, width=9),
        Column("derived", "按明细计算", editable=False, numeric=True, width=9),
        Column("diff", "差额", editable=False, numeric=True, width=7),
        Column("status", "核对", editable=False, width=6),
    ]
    PRINTED = 1

    def __init__(self, doc: Document):
        self.doc = doc
        self._rows: list[Comparison] = []
        self._of: object = None

    # shape
    @property
    def rows(self) -> list[Comparison]:
        totals = self.doc.totals  # a new object after every change: the comparisons follow it
        if self._of is not totals:
            self._rows = compare(self.doc.report, totals)
            self._of = totals
        return self._rows

    @property
    def active(self) -> bool:
        """Whether the report records printed figures at all (the tab is shown)."""
        return self.doc.report.printed is not None

    def row_count(self) -> int:
        return len(self.rows)

    def is_total(self, row: int) -> bool:
        return False

    def editable(self, row: int, col: int) -> bool:
        return col == self.PRINTED and 0 <= row < len(self.rows)

    def row_for(self, path: NodePath) -> int | None:
        """The row a V-finding (or any path into ``printed``) points at."""
        for i, c in enumerate(self.rows):
            if c.path == tuple(path):
                return i
        for i, c in enumerate(self.rows):
            if tuple(path)[: len(c.path) - 1] == c.path[:-1] and len(path) >= len(c.path) - 1:
                return i
        return None

    # cells
    def path(self, row: int, col: int) -> NodePath | None:
        return self.rows[row].path if 0 <= row < len(self.rows) else None

    def differs(self, row: int) -> bool:
        return self.rows[row].differs

    def text(self, row: int, col: int) -> str:
        c = self.rows[row]
        key = self.columns[col].key
        if key == "what":
            return c.what
        if key == "printed":
            return _shown(c, c.printed, exact=True)
        if key == "derived":
            if c.kind == NAME:
                return NO_LEVEL1
            return _shown(c, c.derived, exact=False)
        if key == "diff":
            if c.diff is None:
                return ""
            sign = "+" if c.diff > 0 else ""
            return f"{sign}{fmt_plain(c.diff) if c.kind == RATE else fmt2(c.diff)}"
        return self.status(row)

    def status(self, row: int) -> str:
        c = self.rows[row]
        if c.differs:
            return DIFFERS
        if c.printed is None:
            return NOT_RECORDED
        if c.derived is None:
            return NOT_DERIVED
        return AGREES

    def edit_text(self, row: int, col: int) -> str:
        if col != self.PRINTED:
            return self.text(row, col)
        value = resolve(self.doc.report, self.rows[row].path) if self._resolvable(row) else None
        if isinstance(value, Decimal):
            return fmt_plain(value)
        return "" if value is None else str(value)

    def _resolvable(self, row: int) -> bool:
        try:
            resolve(self.doc.report, self.rows[row].path)
        except (AttributeError, IndexError):
            return False
        return True

    def copy_text(self, row: int, col: int) -> str:
        return self.text(row, col)

    def set_text(self, row: int, col: int, text: str) -> bool:
        if not self.editable(row, col):
            return False
        c = self.rows[row]
        description = f"修改 表上{c.what.replace(' ', '')}"
        if c.missing_level1:
            return self.doc.add_printed_level1(c.missing_level1, c.path[-1], text, description)
        return self.doc.set_printed_text(c.path, text, description)

    def hint(self, row: int, col: int) -> str:
        return HINT if col == self.PRINTED else "由填报数据自动计算"

    def emphasis(self, row: int, col: int) -> str:
        return "bold" if self.rows[row].differs else ""

    def findings(self, row: int, col: int) -> list[Finding]:
        return list(self.findings_at(self.path(row, col)))

    def paste(self, row: int, col: int, grid: list[list[str]]) -> list[str]:
        """Paste a block into the 表上 column (a column of figures copied from a spreadsheet)."""
        errors: list[str] = []
        with self.doc.batch(f"粘贴 {sum(len(r) for r in grid)} 个单元格"):
            for i, values in enumerate(grid):
                paste_row(self, row + i, col, values, errors, self.editable)  # no row past the last
        return errors


def _shown(c: Comparison, value, exact: bool) -> str:
    if value is None:
        return ""
    if c.kind in (GRADE, NAME):
        return str(value)
    if c.kind == RATE:
        return f"{fmt_plain(value) if exact else fmt2(value)}%"
    return fmt2(value)
