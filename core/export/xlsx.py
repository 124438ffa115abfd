"""The Excel workbook in the official layouts: 自评表, 指标评分表, 资金明细.

Figures are numbers (``0.00``, rates ``0.00%``) so they can be summed; everything a user typed
is written as text, never as a formula; the sheets print on A4, one page wide, with their header
rows repeated and “第 &P 页 共 &N 页” in the footer. The indicator sheets' pages end where the exporter
says (core/export/sheet_pages.py), so each page of the table starts with its 一级/二级 names.
"""

from __future__ import annotations

import gc
import io
import math
import sys
from copy import copy
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from core.export.forms.common import fund_lines
from core.export.rows import execution_leaf, indicator_rows, leaf_score
from core.export.sheet_pages import paginate
from core.model.model import FUND_COLUMNS, Indicator, Report
from core.model.numbers import HUNDRED, round2
from core.model.textutil import CONTROL
from core.rules.placeholders import fill
from core.rules.scoring import actual_text, target_text
from core.rules.summary import score_notes
from core.rules.totals import Totals, compute_totals
from core.store.fileutil import OutputError, describe_os_error, write_atomic

CELL_LIMIT = 32767  # Excel's most characters in one cell
CUT_MARK = "……（内容过长，以下已截断）"
SONG = "宋体"
HEI = "黑体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
MONEY = "0.00"
RATE = "0.00%"


class _Styles:
    """Each distinct cell style is built once per workbook and then copied to cells.

    Assigning openpyxl style objects cell by cell hashes them every time, which made a 500-leaf
    export spend most of its time in style bookkeeping; copying a finished style array is cheap.
    """

    def __init__(self, wb: Workbook):
        self._scratch = wb.create_sheet("_styles")
        self._cache: dict[tuple, object] = {}

    def get(self, font: str, size: int, bold: bool, align: Alignment, border: bool, fill, number_format: str):
        key = (font, size, bold, id(align), border, id(fill), number_format)
        style = self._cache.get(key)
        if style is None:
            cell = self._scratch.cell(row=1, column=1)
            cell.font = Font(name=font, size=size, bold=bold)
            cell.alignment = align
            cell.border = BORDER if border else Border()
            cell.fill = fill if fill is not None else PatternFill()
            cell.number_format = number_format
            style = self._cache[key] = copy(cell._style)
        return style

    def done(self, wb: Workbook) -> None:
        wb.remove(self._scratch)


class _Sheet:
    """Writing helpers for one sheet: text is always text, figures are numbers."""

    def __init__(self, ws: Worksheet, widths: list[float], warnings: list[str], styles: _Styles):
        self.ws = ws
        self.widths = widths
        self.warnings = warnings
        self.styles = styles
        self.row = 1
        self.spans: dict[tuple[int, int], int] = {}  # (row, first column) → last column of a one-row merge
        self.texts: dict[int, list[tuple[int, str]]] = {}  # row → (column, text) written, for row heights
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w

    def text(
        self, row: int, col: int, value: str, *, bold=False, align=LEFT, size=11, font=SONG, border=True, fill=None
    ):
        cell = self.ws.cell(row=row, column=col)
        text = CONTROL.sub("", value or "").replace("\r\n", "\n")
        if len(text) > CELL_LIMIT:
            where = f"{self.ws.title}!{cell.coordinate}"
            self.warnings.append(f"{where} 的内容超过 Excel 单元格上限（{CELL_LIMIT} 字），已截断")
            text = text[: CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
        cell.value = text
        if text:
            self.texts.setdefault(row, []).append((col, text))
        cell.data_type = "s"  # never a formula, whatever it starts with (openpyxl reads "=…" as one)
        cell._style = copy(self.styles.get(font, size, bold, align, border, fill, "General"))
        return cell

    def number(self, row: int, col: int, value: Decimal | None, fmt: str = MONEY, bold=False):
        cell = self.ws.cell(row=row, column=col)
        cell.value = None if value is None else round2(value) if fmt == MONEY else value
        cell._style = copy(self.styles.get(SONG, 11, bold, RIGHT, True, None, fmt))
        return cell

    def rate(self, row: int, col: int, percent: Decimal | None, bold=False):
        """A rate given in % (70.62) written as the fraction Excel formats as 70.62%."""
        if percent is None:
            return self.text(row, col, "无", align=RIGHT, bold=bold)
        return self.number(row, col, round2(percent) / HUNDRED, RATE, bold=bold)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a range as openpyxl's ``merge_cells`` does (the covered cells become MergedCells whose
        edges carry the top-left cell's border), but styling one cell per kind of edge and copying
        its style to the rest: openpyxl styles every edge cell afresh, which was most of the time
        of a 500-leaf workbook (a 一级 spans a hundred rows)."""
        if (r1, c1) == (r2, c2):
            return
        ws = self.ws
        ws.merged_cells.add(MergedCellRange(ws, f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"))
        box = ws.cell(r1, c1).border
        made: dict[tuple[bool, ...], MergedCell] = {}
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                cell = ws._cells[(r, c)] = MergedCell(ws, row=r, column=c)
                edges = (r == r1, c == c1, c == c2, r == r2)
                like = made.get(edges)
                if like is not None:
                    cell._style = copy(like._style)
                    continue
                sides = {
                    name: getattr(box, name)
                    for name, on in zip(("top", "left", "right", "bottom"), edges, strict=True)
                    if on and getattr(box, name) is not None and getattr(box, name).style is not None
                }
                if sides:
                    cell.border = Border(**sides)
                made[edges] = cell
        if r1 == r2:
            self.spans[(r1, c1)] = c2

    def span_text(self, row: int, c1: int, c2: int, value: str, **kw) -> None:
        self.text(row, c1, value, **kw)
        self.merge(row, c1, row, c2)

    def fit_row(self, row: int, min_lines: int = 1) -> None:
        """Row height for wrapped Chinese text (Excel does not grow rows written by a program)."""
        lines = min_lines
        for col, text in self.texts.get(row, ()):
            last = self.spans.get((row, col), col)
            width = sum(self.widths[c - 1] for c in range(col, last + 1))
            chars_per_line = max(1.0, (width - 1) / 2.1)  # a Chinese character is about two width units
            need = sum(max(1, math.ceil(_display_len(part) / chars_per_line)) for part in text.split("\n"))
            lines = max(lines, need)
        self.ws.row_dimensions[row].height = min(409, 16 * lines + 4)

    def print_setup(self, title_rows: str, landscape: bool = False) -> None:
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = title_rows
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        ws.oddFooter.center.font = SONG


#: The writing helpers, for the other workbooks built the same way (core/export/summary_xlsx.py).
SheetWriter = _Sheet
StyleCache = _Styles


def _display_len(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _level_cells(s: _Sheet, r: int, row) -> None:
    """一级/二级/三级 cells; a row inside a merged 一级 or 二级 span leaves that cell to the merge."""
    if row.span1:
        s.text(r, 1, row.level1, align=CENTER)
    if row.span2:
        s.text(r, 2, row.level2, align=CENTER)
    s.text(r, 3, row.level3)


def _self_evaluation(wb: Workbook, report: Report, totals: Totals, warnings: list[str], styles: _Styles) -> None:
    """The 自评表 sheet, laid out as the 财政部 form: head, 项目资金, 年度总体目标, the indicator
    block with 总分, 评价人员 and the 填报人 line."""
    scored = report.scored
    # Columns: 一级 二级 三级 年度指标值 实际完成值 [分值 得分] 偏差原因
    # 二级 also holds the funds' row labels (年度资金总额, 其中：本年财政拨款): wide enough for them
    widths = [10, 17, 18, 14, 14] + ([9, 9] if scored else []) + [30]
    s = _Sheet(wb.create_sheet("自评表"), widths, warnings, styles)
    r = _self_head(s, report)
    r = _self_funds(s, report, totals, r + 1)
    r = _self_goal(s, report, r + 1)
    table_header = r + 1
    r = _self_indicators(s, report, totals, warnings, table_header)
    r = _score_notes(s, report, totals, r, len(widths))
    r = _self_team(s, report, r + 1)
    _self_closing(s, report, r + 2)
    s.print_setup(f"{table_header}:{table_header}")  # the indicator block's head on every printed page
    s.ws.freeze_panes = None
    paginate(s, (table_header, table_header))  # each page of the block starts with its 一级/二级 names


def _score_notes(s: _Sheet, report: Report, totals: Totals, r: int, last: int) -> int:
    """The 评分标准 lines under a scoring table ending at row ``r`` (leaves left out and the
    rescale, the 执行率 cap, a rule set other than national), across columns 1–``last``. The last
    row used."""
    for line in score_notes(report, totals):
        r += 1
        s.span_text(r, 1, last, line, border=False)
        s.fit_row(r)
    return r


def _self_head(s: _Sheet, report: Report) -> int:
    """Title, 年度, 项目名称, 主管部门/实施单位; the last row used."""
    last = len(s.widths)
    p = report.project
    year = f"（{p.year}年度）" if p.year else "（　　年度）"
    s.span_text(1, 1, last, "项目支出绩效自评表", bold=True, align=CENTER, size=16, font=HEI, border=False)
    s.span_text(2, 1, last, year, align=CENTER, size=12, border=False)
    s.ws.row_dimensions[1].height = 28
    s.text(3, 1, "项目名称", align=CENTER, bold=True)
    s.span_text(3, 2, last, p.name)
    s.text(4, 1, "主管部门", align=CENTER, bold=True)
    s.span_text(4, 2, 3, p.supervisor)
    s.span_text(4, 4, 4, "实施单位", align=CENTER, bold=True)
    s.span_text(4, 5, last, p.implementing_unit)
    s.fit_row(4)
    return 4


def _self_funds(s: _Sheet, report: Report, totals: Totals, r: int) -> int:
    """项目资金（万元）: 年度资金总额, then 其中：… by source, from row ``r``; an amount not given
    stays blank (forms/common.py). The last row used."""
    last = len(s.widths)
    scored = report.scored
    exec_leaf = execution_leaf(report)
    rate = FUND_COLUMNS["execution_rate"]
    head = [FUND_COLUMNS["initial"], FUND_COLUMNS["adjusted"], "全年执行数"]
    head += ["分值", rate, "得分"] if scored else [rate]
    fund_first = r
    s.text(r, 1, f"项目资金（{report.funds.unit}）", align=CENTER, bold=True)
    s.text(r, 2, "", align=CENTER)
    for j, h in enumerate(head):
        s.text(r, 3 + j, h, align=CENTER, bold=True, fill=HEADER_FILL)
    if 3 + len(head) <= last:
        s.merge(r, 3 + len(head) - 1, r, last)
    for fig in fund_lines(report, totals):
        r += 1
        s.text(r, 2, fig.label)
        s.number(r, 3, fig.initial)
        s.number(r, 4, fig.adjusted)
        s.number(r, 5, fig.spent)
        col = 6
        if scored:
            is_total = fig.total
            s.number(r, col, exec_leaf.weight if (is_total and exec_leaf) else None)
            _form_rate(s, r, col + 1, fig.execution_rate)
            s.number(r, col + 2, exec_leaf.score if (is_total and exec_leaf) else None)
            col += 3
        else:
            _form_rate(s, r, col, fig.execution_rate)
            col += 1
        if col <= last:
            s.merge(r, col - 1, r, last)
        s.fit_row(r)
    s.merge(fund_first, 1, r, 1)
    s.fit_row(fund_first)
    return r


def _self_goal(s: _Sheet, report: Report, r: int) -> int:
    """年度总体目标: 预期目标 | 实际完成情况, from row ``r``. The last row used."""
    last = len(s.widths)
    p = report.project
    split = 4 if report.scored else 3
    s.text(r, 1, "年度总体目标", align=CENTER, bold=True)
    s.span_text(r, 2, split, "预期目标", align=CENTER, bold=True, fill=HEADER_FILL)
    s.span_text(r, split + 1, last, "实际完成情况", align=CENTER, bold=True, fill=HEADER_FILL)
    r += 1
    s.span_text(r, 2, split, p.goal_expected)
    s.span_text(r, split + 1, last, p.goal_actual)
    s.merge(r - 1, 1, r, 1)
    s.fit_row(r, 3)
    return r


def _self_indicators(s: _Sheet, report: Report, totals: Totals, warnings: list[str], r: int) -> int:
    """The indicator block with its head at row ``r``, then 总分 (scored templates). The last row."""
    scored = report.scored
    header = (
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"]
        + (["分值", "得分"] if scored else [])
        + ["偏差原因分析及改进措施"]
    )
    for j, h in enumerate(header, start=1):
        s.text(r, j, h, align=CENTER, bold=True, fill=HEADER_FILL)
    s.fit_row(r)
    exec_leaf = execution_leaf(report)
    for row in indicator_rows(report, skip_top_execution=scored and exec_leaf is not None):
        r += 1
        leaf = row.leaf
        _level_cells(s, r, row)
        s.text(r, 4, target_text(leaf), align=CENTER)
        s.text(r, 5, actual_text(leaf), align=CENTER)
        col = 6
        if scored:
            s.number(r, 6, leaf.weight)
            _score(s, r, 7, leaf, totals)
            col = 8
        s.text(r, col, fill(leaf.deviation, report, totals, warnings))
        s.fit_row(r)
        if row.span1 > 1:
            s.merge(r, 1, r + row.span1 - 1, 1)
        if row.span2 > 1:
            s.merge(r, 2, r + row.span2 - 1, 2)
    if scored:
        r += 1
        s.span_text(r, 1, 5, "总分", align=CENTER, bold=True)
        s.number(r, 6, totals.weight, bold=True)
        s.number(r, 7, totals.score, bold=True)
        s.text(r, 8, f"评价等级：{totals.grade}", bold=True)
    return r


def _self_team(s: _Sheet, report: Report, r: int) -> int:
    """评价人员 with an empty 签字 column, head at row ``r``. The last row used."""
    last = len(s.widths)
    s.text(r, 1, "评价人员", align=CENTER, bold=True, fill=HEADER_FILL)
    s.text(r, 2, "姓名", align=CENTER, bold=True, fill=HEADER_FILL)
    s.text(r, 3, "职务/职称", align=CENTER, bold=True, fill=HEADER_FILL)
    s.span_text(r, 4, last - 1, "所属单位/处室", align=CENTER, bold=True, fill=HEADER_FILL)
    s.text(r, last, "签字", align=CENTER, bold=True, fill=HEADER_FILL)
    for m in report.team or []:
        r += 1
        s.text(r, 1, m.role, align=CENTER)
        s.text(r, 2, m.name, align=CENTER)
        s.text(r, 3, m.title, align=CENTER)
        s.span_text(r, 4, last - 1, m.unit)
        s.text(r, last, "")
        s.ws.row_dimensions[r].height = 26
    return r


def _self_closing(s: _Sheet, report: Report, r: int) -> None:
    p = report.project
    phone = p.preparer_phone  # the 填报人's own: never the project's beside an empty 填报人
    s.span_text(
        r,
        1,
        len(s.widths),
        f"填报人：{p.preparer or '　　　　'}　　　联系电话：{phone or '　　　　　　'}"
        f"　　　填报日期：　　　　年　　月　　日",
        border=False,
    )


def _form_rate(s: _Sheet, r: int, col: int, percent: Decimal | None) -> None:
    """A rate on the printed form: blank when it cannot be derived (an amount not given, or 0)."""
    if percent is None:
        s.number(r, col, None)
    else:
        s.rate(r, col, percent)


def _scoring(wb: Workbook, report: Report, totals: Totals, warnings: list[str], styles: _Styles) -> None:
    s = _Sheet(wb.create_sheet("指标评分表"), [10, 12, 16, 50, 8, 8], warnings, styles)
    name = report.project.name
    s.span_text(
        1,
        1,
        6,
        f"{name}项目支出绩效评价指标体系" if name else "项目支出绩效评价指标体系",
        bold=True,
        align=CENTER,
        size=14,
        font=HEI,
        border=False,
    )
    s.ws.row_dimensions[1].height = 26
    for j, h in enumerate(["一级指标", "二级指标", "三级指标", "指标解释", "分值", "得分"], start=1):
        s.text(2, j, h, align=CENTER, bold=True, fill=HEADER_FILL)
    subtotals = {x.index: x for x in totals.level1}
    r = 2
    rows = indicator_rows(report)
    for i, row in enumerate(rows):
        r += 1
        leaf = row.leaf
        _level_cells(s, r, row)
        s.text(r, 4, fill(leaf.explanation, report, totals, warnings))
        s.number(r, 5, leaf.weight)
        if report.scored:
            _score(s, r, 6, leaf, totals)
        else:
            s.number(r, 6, None)
        s.fit_row(r)
        if row.span1 > 1:
            s.merge(r, 1, r + row.span1 - 1, 1)
        if row.span2 > 1:
            s.merge(r, 2, r + row.span2 - 1, 2)
        last_of_level1 = i + 1 == len(rows) or rows[i + 1].level1_index != row.level1_index
        if last_of_level1:
            sub = subtotals[row.level1_index]
            r += 1
            s.span_text(r, 1, 4, f"{row.level1} 小计", align=CENTER, bold=True, fill=HEADER_FILL)
            s.number(r, 5, sub.weight, bold=True)
            s.number(r, 6, sub.score, bold=True)
    r += 1
    s.span_text(r, 1, 4, "总分", align=CENTER, bold=True)
    s.number(r, 5, totals.weight, bold=True)
    s.number(r, 6, totals.score, bold=True)
    if report.scored:
        r += 1
        s.span_text(r, 1, 4, "评价等级", align=CENTER, bold=True)
        s.span_text(r, 5, 6, totals.grade or "", align=CENTER, bold=True)
    _score_notes(s, report, totals, r, 6)
    s.print_setup("2:2")
    paginate(s, (2, 2))


def _funds(wb: Workbook, report: Report, totals: Totals, warnings: list[str], styles: _Styles) -> None:
    unit = report.funds.unit
    s = _Sheet(wb.create_sheet("资金明细"), [22, 13, 13, 13, 13, 10, 10, 13], warnings, styles)
    s.span_text(1, 1, 8, f"项目资金明细（单位：{unit}）", bold=True, align=CENTER, size=14, font=HEI, border=False)
    for j, h in enumerate(FUND_COLUMNS.values(), start=1):
        s.text(2, j, h, align=CENTER, bold=True, fill=HEADER_FILL)
    r = 2
    ft = totals.funds
    for i, src in enumerate(report.funds.sources):
        r += 1
        _fund_row(s, r, src.source, ft.rows[i])
    r += 1
    _fund_row(s, r, "合计", ft.total, bold=True)
    if report.funds.approved_total is not None:
        r += 1
        s.text(r, 1, "批复金额", bold=True)
        s.number(r, 3, report.funds.approved_total)
    if report.funds.expenditures:
        r += 2
        s.span_text(r, 1, 8, "项目支出明细", bold=True, border=False)
        r += 1
        for j, h in ((1, "支出内容"), (2, "金额"), (3, "会计凭证号"), (5, "备注")):
            s.text(r, j, h, align=CENTER, bold=True, fill=HEADER_FILL)
        s.merge(r, 3, r, 4)
        s.merge(r, 5, r, 8)
        for e in report.funds.expenditures:
            r += 1
            s.text(r, 1, e.content)
            s.number(r, 2, e.amount)
            s.span_text(r, 3, 4, e.voucher)
            s.span_text(r, 5, 8, e.note)
            s.fit_row(r)
        r += 1
        s.text(r, 1, "合计", bold=True)
        s.number(r, 2, ft.expenditure_total, bold=True)
    b = report.funds.balance
    if b is not None:
        r += 2
        s.span_text(r, 1, 8, "结转结余", bold=True, border=False)
        r += 1
        labels = ["上年结转结余", "本年收入", "本年支出", "年末结转结余", "按公式计算"]
        for j, h in enumerate(labels, start=1):
            s.text(r, j, h, align=CENTER, bold=True, fill=HEADER_FILL)
        r += 1
        for j, v in enumerate([b.opening, b.income, b.spent, b.closing, ft.balance_closing], start=1):
            s.number(r, j, v)
    s.print_setup("2:2", landscape=True)


def _fund_row(s: _Sheet, r: int, label: str, fig, bold: bool = False) -> None:
    s.text(r, 1, label, bold=bold)
    for j, v in enumerate([fig.initial, fig.adjusted, fig.received, fig.spent], start=2):
        s.number(r, j, v, bold=bold)
    s.rate(r, 6, fig.execution_rate, bold=bold)
    s.rate(r, 7, fig.arrival_rate, bold=bold)
    s.number(r, 8, fig.remaining, bold=bold)


def _collect_quietly() -> None:
    """openpyxl leaves its half-run sheet writers behind when a save fails; finalise them now,
    without the "Exception ignored" noise they would print to a user's console."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _args: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def build_workbook(report: Report, totals: Totals | None = None) -> tuple[Workbook, list[str]]:
    totals = totals or compute_totals(report)
    warnings: list[str] = []
    wb = Workbook()
    wb.remove(wb.active)
    styles = _Styles(wb)
    _self_evaluation(wb, report, totals, warnings, styles)
    _scoring(wb, report, totals, warnings, styles)
    _funds(wb, report, totals, warnings, styles)
    styles.done(wb)
    wb.properties.title = f"{report.project.name}项目支出绩效自评表"
    wb.properties.creator = "绩效自评助手"
    return wb, warnings


def export_xlsx(report: Report, path: Path | str, totals: Totals | None = None) -> list[str]:
    """Write the workbook atomically. Returns warnings (e.g. text cut at Excel's cell limit)."""
    wb, warnings = build_workbook(report, totals)
    save_workbook(wb, path)
    return warnings


def save_workbook(wb: Workbook, path: Path | str) -> None:
    """Save ``wb`` atomically; :class:`OutputError` with a Chinese sentence when it cannot be."""
    # Built in memory first: a failed disk write then cannot leave a half-closed zip behind.
    buffer = io.BytesIO()
    failure = None
    try:
        wb.save(buffer)  # openpyxl also writes temporary files of its own while saving
    except OSError as exc:
        failure = describe_os_error(exc, path)
    if failure is not None:
        del wb, buffer
        if gc.isenabled():  # in the window collection runs on the GUI thread only (gui/gc_guard.py)
            _collect_quietly()
        raise OutputError(failure)
    write_atomic(path, lambda tmp: tmp.write_bytes(buffer.getvalue()))


def _score(s, r: int, col: int, leaf: Indicator, totals: Totals) -> None:
    """A leaf's 得分 cell: the score, or the words 不适用 for a leaf left out (DOMAIN §6)."""
    score = leaf_score(leaf, totals)
    if isinstance(score, str):
        s.text(r, col, score, align=CENTER)
    else:
        s.number(r, col, score)
