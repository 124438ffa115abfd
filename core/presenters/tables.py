"""What the window's grids show, as Qt-free table objects (after moneyguru's ``core/gui``).

Each grid asks its table for the text of a cell, where an edit goes, what the checks say about
the cell, and hands typed or pasted text back. Formatting and derived figures live here, so the
Qt layer never computes a total, a rate or a score. This module holds the flat grids (资金来源,
支出明细, 评价小组); core/presenters/tree_tables.py the tree grids (绩效指标, 报告正文).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.document import Document, InputError
from core.model.model import (
    FUND_COLUMNS,
    ROLES,
    Expenditure,
    FundSource,
    ManagementRow,
    NodePath,
    TeamMember,
    field_meta,
    management_rows,
    resolve,
)
from core.model.numbers import fmt2, fmt_plain, fmt_rate
from core.presenters.pending import PLACEHOLDER, split
from core.rules.checks import Finding

DERIVED_HINT = "由填报数据自动计算"
#: The 合计 row over a column that some source rows leave blank (not given is not 0).
PARTIAL_SUM_HINT = "部分资金来源未填写此项，合计仅为已填金额之和"
PARTIAL_HINT = "部分资金来源未填写所需金额（未填写不等于 0），合计行不计算此项"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    editable: bool = True
    numeric: bool = False  # right-aligned figures
    choices: dict | None = None  # code → label: edited with a drop-down
    width: int = 10  # in Chinese characters
    suggestions: tuple[str, ...] = ()  # editable drop-down (角色)


def parse_clipboard(text: str) -> list[list[str]]:
    """Tab-separated cells as Excel and WPS put them on the clipboard (quoted cells may hold
    newlines). A trailing empty line is dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    if '"' not in text:
        return [line.split("\t") for line in text.split("\n")]
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')]


def to_clipboard(rows: list[list[str]]) -> str:
    """Cells as tab-separated text that Excel and WPS paste back into a grid."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def paste_row(table, r: int, col: int, values: list[str], errors: list[str], editable) -> None:
    """One pasted row's ``values`` into row ``r`` of ``table`` from column ``col`` on: a cell
    ``editable(r, c)`` refuses is passed over, a value the document refuses is named with its row
    in ``errors`` and the rest still go in."""
    for j, value in enumerate(values):
        c = col + j
        if not editable(r, c):
            continue
        try:
            table.set_text(r, c, value)
        except InputError as exc:
            errors.append(f"第 {r + 1} 行 {exc}")


class FindingsMixin:
    """What the checks say of a cell: :meth:`findings` (errors and warnings) and :meth:`pending`
    (待填写 hints of a part nobody has started, core/presenters/pending.py)."""

    doc: Document
    _index = "index"  # which of the Split's indexes findings_at reads

    def findings_at(self, path: NodePath | None) -> list[Finding]:
        if path is None:
            return []
        return getattr(split(self.doc), self._index).get(path, [])

    def pending(self, key: Any, col: int) -> list[Finding]:
        """The findings shown in this cell as 待填写 rather than as errors and warnings."""
        self._index = "pending_index"
        try:
            return self.findings(key, col)
        finally:
            del self._index

    def placeholder(self, key: Any, col: int) -> str:
        """The grey hint an empty cell shows (待填写), or ""."""
        return PLACEHOLDER if not self.text(key, col) and self.pending(key, col) else ""


class FlatTable(FindingsMixin):
    """A grid over one list of the report (fund sources, 支出明细, 评价小组), maybe with a 合计 row."""

    columns: list[Column]
    list_path: NodePath
    noun: str  # 资金来源 / 支出明细 / 评价人员
    has_total = False

    def __init__(self, doc: Document):
        self.doc = doc

    # shape
    @property
    def items(self) -> list:
        return resolve(self.doc.report, self.list_path)

    def row_count(self) -> int:
        return len(self.items) + (1 if self.has_total else 0)

    def is_total(self, row: int) -> bool:
        return self.has_total and row == len(self.items)

    def editable(self, row: int, col: int) -> bool:
        return not self.is_total(row) and self.columns[col].editable

    # cells
    def path(self, row: int, col: int) -> NodePath | None:
        if self.is_total(row):
            return None
        return self.list_path + (row, self.columns[col].key)

    def edit_text(self, row: int, col: int) -> str:
        if self.is_total(row) or not self.columns[col].editable:
            return self.text(row, col)
        value = getattr(self.items[row], self.columns[col].key)
        if isinstance(value, Decimal):
            return fmt_plain(value)
        return "" if value is None else str(value)

    def text(self, row: int, col: int) -> str:
        raise NotImplementedError

    def copy_text(self, row: int, col: int) -> str:
        """A cell as copied to the clipboard: as shown."""
        return self.text(row, col)

    def set_text(self, row: int, col: int, text: str) -> bool:
        path = self.path(row, col)
        if path is None or not self.columns[col].editable:
            return False
        return self.doc.set_text(path, text)

    def hint(self, row: int, col: int) -> str:
        """The tooltip of a cell the checks say nothing about."""
        return "" if self.columns[col].editable else DERIVED_HINT

    def emphasis(self, row: int, col: int) -> str:
        """How the cell stands out: "total" (the 合计 row), "muted" (an inherited value) or ""."""
        return "total" if self.is_total(row) else ""

    def findings(self, row: int, col: int) -> list[Finding]:
        found = list(self.findings_at(self.path(row, col)))
        if col == 0 and not self.is_total(row):
            found += self.findings_at(self.list_path + (row,))
        if self.is_total(row) and col == 0:
            found += self.findings_at(self.list_path)
        return found

    # rows
    def new_item(self) -> Any:
        raise NotImplementedError

    def insert_row(self, at: int) -> int:
        at = max(0, min(at, len(self.items)))
        self.doc.insert(self.list_path, at, self.new_item(), f"添加{self.noun}")
        return at

    def remove_rows(self, rows: list[int]) -> None:
        rows = sorted({r for r in rows if 0 <= r < len(self.items)}, reverse=True)
        if not rows:
            return
        label = self.items[rows[0]].label() if len(rows) == 1 else f"{len(rows)} 行{self.noun}"
        with self.doc.batch(f"删除 {label}"):
            for r in rows:
                self.doc.remove(self.list_path, r, "")

    def move_row(self, row: int, delta: int) -> int:
        to = row + delta
        if 0 <= row < len(self.items) and 0 <= to < len(self.items):
            label = self.items[row].label()
            self.doc.move(self.list_path, row, to, f"{'上移' if delta < 0 else '下移'} {label}")
            return to
        return row

    def paste(self, row: int, col: int, grid: list[list[str]]) -> list[str]:
        """Paste a block at (row, col); rows past the end are added. Refused cells are reported
        (“第 3 行 实际支出数：…”) and skipped; the rest go in as one undoable action."""
        errors: list[str] = []
        cells = sum(len(r) for r in grid)
        with self.doc.batch(f"粘贴 {cells} 个单元格"):
            for i, values in enumerate(grid):
                r = row + i
                if self.is_total(r) or r > len(self.items):
                    r = len(self.items)
                if r == len(self.items):
                    self.doc.insert(self.list_path, r, self.new_item(), f"添加{self.noun}")
                paste_row(self, r, col, values, errors, self._pasteable)
        return errors

    def _pasteable(self, r: int, c: int) -> bool:
        return c < len(self.columns) and self.columns[c].editable


class SourcesTable(FlatTable):
    list_path = ("funds", "sources")
    noun = "资金来源"
    has_total = True
    columns = [
        Column("source", FUND_COLUMNS["source"], width=10),
        Column("initial", FUND_COLUMNS["initial"], numeric=True),
        Column("adjusted", FUND_COLUMNS["adjusted"], numeric=True),
        Column("received", FUND_COLUMNS["received"], numeric=True),
        Column("spent", FUND_COLUMNS["spent"], numeric=True),
        Column("execution_rate", FUND_COLUMNS["execution_rate"], editable=False, numeric=True, width=7),
        Column("arrival_rate", FUND_COLUMNS["arrival_rate"], editable=False, numeric=True, width=7),
        Column("remaining", FUND_COLUMNS["remaining"], editable=False, numeric=True),
    ]

    def new_item(self) -> FundSource:
        return FundSource(source="")

    def text(self, row: int, col: int) -> str:
        key = self.columns[col].key
        totals = self.doc.totals.funds
        figures = totals.total if self.is_total(row) else totals.rows[row]
        if key == "source":
            return "合计" if self.is_total(row) else self.items[row].source
        if key in ("execution_rate", "arrival_rate"):
            return fmt_rate(getattr(figures, key))
        if not self.is_total(row) and key != "remaining":
            value = getattr(self.items[row], key if key != "adjusted" else "effective_adjusted")
            return fmt2(value)
        return fmt2(getattr(figures, key))

    def hint(self, row: int, col: int) -> str:
        """A 合计 cell that stands on a column some rows leave blank says so (totals.py fund_totals)."""
        key = self.columns[col].key
        funds = self.doc.totals.funds
        if self.is_total(row) and key != "source" and funds.partial and not funds.given(key):
            return PARTIAL_HINT
        if self.is_total(row) and key in funds.partial:
            return PARTIAL_SUM_HINT
        return super().hint(row, col)

    def emphasis(self, row: int, col: int) -> str:
        # 全年预算数 left empty shows 年初预算数 (the budget did not change), drawn muted.
        if not self.is_total(row) and self.columns[col].key == "adjusted" and self.items[row].adjusted is None:
            return "muted"
        return super().emphasis(row, col)

    def findings(self, row: int, col: int) -> list[Finding]:
        found = super().findings(row, col)
        if self.is_total(row) and self.columns[col].key == "adjusted":
            found += self.findings_at(("funds", "approved_total"))
        return found


class ExpendituresTable(FlatTable):
    list_path = ("funds", "expenditures")
    noun = "支出明细"
    has_total = True
    columns = [
        Column("content", "支出内容", width=18),
        Column("amount", "金额", numeric=True),
        Column("voucher", "会计凭证号", width=10),
        Column("note", "备注", width=14),
    ]

    def new_item(self) -> Expenditure:
        return Expenditure()

    def text(self, row: int, col: int) -> str:
        key = self.columns[col].key
        if self.is_total(row):
            if key == "content":
                return "合计"
            if key == "amount":
                return fmt2(self.doc.totals.funds.expenditure_total)  # no amount given: blank, not 0.00
            return ""
        value = getattr(self.items[row], key)
        return fmt2(value) if key == "amount" else value

    def findings(self, row: int, col: int) -> list[Finding]:
        found = super().findings(row, col)
        if self.is_total(row) and self.columns[col].key == "amount":
            found += self.findings_at(self.list_path)
        return found


class TeamTable(FlatTable):
    list_path = ("team",)
    noun = "评价人员"
    columns = [
        Column("role", "角色", width=6, suggestions=ROLES),
        Column("name", "姓名", width=6),
        Column("title", "职务/职称", width=8),
        Column("unit", "所属单位/处室", width=20),
    ]

    def new_item(self) -> TeamMember:
        return TeamMember(role="成员" if self.items else "组长")

    def text(self, row: int, col: int) -> str:
        return getattr(self.items[row], self.columns[col].key)


class ManagementTable(FlatTable):
    """资金管理情况 of the 转移支付 自评表: the form's five rows (分配科学性 …) always, then any other
    row the report holds; 情况说明 and 存在问题和改进措施 are typed, the item is as printed. A row
    of the form that is not written yet is added when something is typed into it (one undo step)."""

    list_path = ("funds", "management")
    noun = "资金管理情况"
    columns = [
        Column("item", "项目", editable=False, width=6),
        Column("explanation", field_meta(ManagementRow, "explanation")["label"], width=28),
        Column("problems", field_meta(ManagementRow, "problems")["label"], width=28),
    ]

    def rows(self) -> list[tuple[str, int | None]]:
        return management_rows(self.doc.report.funds)

    def row_count(self) -> int:
        return len(self.rows())

    def path(self, row: int, col: int) -> NodePath | None:
        index = self.rows()[row][1]
        return None if index is None else self.list_path + (index, self.columns[col].key)

    def text(self, row: int, col: int) -> str:
        item, index = self.rows()[row]
        if col == 0:
            return item
        return "" if index is None else getattr(self.items[index], self.columns[col].key)

    def edit_text(self, row: int, col: int) -> str:
        return self.text(row, col)

    def hint(self, row: int, col: int) -> str:
        return "转移支付自评表上印出的管理事项" if col == 0 else ""

    def findings(self, row: int, col: int) -> list[Finding]:
        return list(self.findings_at(self.path(row, col)))

    def set_text(self, row: int, col: int, text: str) -> bool:
        if not self.columns[col].editable:
            return False
        item, index = self.rows()[row]
        return self.doc.set_management_text(item, index, self.columns[col].key, text)

    def paste(self, row: int, col: int, grid: list[list[str]]) -> list[str]:
        """A block pasted from Excel fills the rows there are; the table has no rows to add."""
        errors: list[str] = []
        cells = sum(len(r) for r in grid)
        with self.doc.batch(f"粘贴 {cells} 个单元格"):
            for i, values in enumerate(grid):
                r = row + i
                if r >= self.row_count():
                    errors.append(f"第 {r + 1} 行：资金管理情况只有 {self.row_count()} 行")
                    break
                paste_row(self, r, col, values, errors, self._pasteable)
        return errors

    def insert_row(self, at: int) -> int:  # the form's rows are fixed
        return at

    def remove_rows(self, rows: list[int]) -> None:
        return None

    def move_row(self, row: int, delta: int) -> int:
        return row
