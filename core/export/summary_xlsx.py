"""The 汇总表 workbook over many reports (issue 21; ``main.py summary``, 文件 → 汇总…).

Three sheets: 汇总表 (a row per report, sums, the funding-weighted and plain averages, the grade
count), 问题清单 (every open finding of every report, its place in words) and 无法读取 (the files
that could not be read and why; never skipped silently). A4 landscape, title rows repeated. The
figures come from core/rules/aggregate.py; the cells are written with the helpers of
core/export/xlsx.py, so figures are numbers and typed text is never a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

from core.document import Document
from core.export.glyphs import check_glyphs
from core.export.xlsx import CENTER, HEADER_FILL, HEI, SheetWriter, StyleCache, save_workbook
from core.rules.aggregate import (
    SUMMARY_UNIT,
    Aggregate,
    Unreadable,
    aggregate,
    codes_text,
    summary_row,
)
from core.rules.checks import SEVERITY_LABELS
from core.store.batch import load_many

TITLE = "项目支出绩效自评汇总表"
NOTE = (
    f"金额单位：{SUMMARY_UNIT}。以“元”填报的报告已换算为{SUMMARY_UNIT}（除以 10000，四舍五入保留两位小数），"
    "合计为各行金额之和；加权执行率 = 实际支出数合计 ÷ 全年预算数合计；加权平均总分以全年预算数为权数。"
    "执行率一列为各报告按其自身口径计算的执行率。未填写的金额留空，不按 0 计；"
    "有报告缺少加权所需的金额时，不计算加权执行率或加权平均总分。"
)
HEADERS = (
    ("序号", 6),
    ("项目名称", 28),
    ("单位", 20),
    ("主管部门", 20),
    ("年度", 7),
    ("全年预算数", 13),
    ("实际支出数", 13),
    ("执行率", 10),
    ("总分", 9),
    ("等级", 6),
    ("错误数", 7),
    ("错误（按代码）", 16),
    ("警告数", 7),
    ("警告（按代码）", 16),
    ("来源文件", 32),
)
COL = {name: i for i, (name, _) in enumerate(HEADERS, start=1)}
COUNT = "0"


def summarize(items: Iterable[Path | str]) -> Aggregate:
    """Read every report of ``items`` (files and folders), check it as ``check`` does (the live
    checks and T01) and gather the 汇总表's figures."""
    rows, unreadable = [], []
    for entry in load_many(items):
        if entry.report is None:
            unreadable.append(Unreadable(str(entry.path), entry.error or ""))
            continue
        doc = Document(entry.report)
        findings = doc.findings + check_glyphs(entry.report)
        rows.append(summary_row(str(entry.path), entry.report, doc.totals, findings))
    return aggregate(rows, unreadable)


def _title(s: SheetWriter, last: int, title: str) -> None:
    s.span_text(1, 1, last, title, bold=True, align=CENTER, size=16, font=HEI, border=False)
    s.ws.row_dimensions[1].height = 28


def _headers(s: SheetWriter, row: int, names) -> None:
    for j, name in enumerate(names, start=1):
        s.text(row, j, name, align=CENTER, bold=True, fill=HEADER_FILL)
    s.fit_row(row)


def _summary_sheet(wb: Workbook, agg: Aggregate, warnings: list[str], styles: StyleCache) -> None:
    s = SheetWriter(wb.create_sheet("汇总表"), [w for _, w in HEADERS], warnings, styles)
    last = len(HEADERS)
    _title(s, last, TITLE)
    s.span_text(2, 1, last, NOTE, border=False)
    s.fit_row(2)
    _headers(s, 3, [name for name, _ in HEADERS])
    r = 3
    for i, row in enumerate(agg.rows, start=1):
        r += 1
        s.number(r, COL["序号"], i, COUNT)
        s.text(r, COL["项目名称"], row.name)
        s.text(r, COL["单位"], row.unit_name)
        s.text(r, COL["主管部门"], row.supervisor)
        s.number(r, COL["年度"], row.year, COUNT)
        s.number(r, COL["全年预算数"], row.adjusted)
        s.number(r, COL["实际支出数"], row.spent)
        s.rate(r, COL["执行率"], row.execution_rate)
        s.number(r, COL["总分"], row.score)
        s.text(r, COL["等级"], row.grade or "不评分", align=CENTER)
        s.number(r, COL["错误数"], row.error_count, COUNT)
        s.text(r, COL["错误（按代码）"], codes_text(row.errors))
        s.number(r, COL["警告数"], row.warning_count, COUNT)
        s.text(r, COL["警告（按代码）"], codes_text(row.warnings))
        s.text(r, COL["来源文件"], row.file)
        s.fit_row(r)
    r += 1
    s.span_text(r, 1, COL["年度"], f"合计（{len(agg.rows)} 份）", align=CENTER, bold=True)
    s.number(r, COL["全年预算数"], agg.adjusted, bold=True)
    s.number(r, COL["实际支出数"], agg.spent, bold=True)
    s.number(r, COL["错误数"], agg.errors, COUNT, bold=True)
    s.number(r, COL["警告数"], agg.warnings, COUNT, bold=True)
    r += 1
    s.span_text(r, 1, COL["实际支出数"], "加权平均（以全年预算数为权数）", align=CENTER, bold=True)
    s.rate(r, COL["执行率"], agg.execution_rate, bold=True)
    s.number(r, COL["总分"], agg.weighted_score, bold=True)
    r += 1
    s.span_text(r, 1, COL["实际支出数"], "简单平均", align=CENTER, bold=True)
    s.rate(r, COL["执行率"], agg.mean_execution_rate, bold=True)
    s.number(r, COL["总分"], agg.mean_score, bold=True)
    r += 2
    s.text(r, COL["项目名称"], "等级分布", align=CENTER, bold=True, fill=HEADER_FILL)
    s.text(r, COL["单位"], "份数", align=CENTER, bold=True, fill=HEADER_FILL)
    counts = list(agg.grades.items()) + ([("不评分", agg.unscored)] if agg.unscored else [])
    for name, n in counts:
        r += 1
        s.text(r, COL["项目名称"], name, align=CENTER)
        s.number(r, COL["单位"], n, COUNT)
    s.print_setup("1:3", landscape=True)


def _problems_sheet(wb: Workbook, agg: Aggregate, warnings: list[str], styles: StyleCache) -> None:
    headers = (("序号", 6), ("项目名称", 24), ("来源文件", 26), ("级别", 6), ("代码", 6), ("位置", 36), ("说明", 60))
    s = SheetWriter(wb.create_sheet("问题清单"), [w for _, w in headers], warnings, styles)
    _title(s, len(headers), "问题清单（各报告未解决的错误和警告）")
    _headers(s, 2, [name for name, _ in headers])
    r = 2
    for row in agg.rows:
        for problem in row.problems:
            r += 1
            f = problem.finding
            s.number(r, 1, r - 2, COUNT)
            s.text(r, 2, row.name)
            s.text(r, 3, row.file)
            s.text(r, 4, SEVERITY_LABELS[f.severity], align=CENTER)
            s.text(r, 5, f.code, align=CENTER)
            s.text(r, 6, problem.place)
            s.text(r, 7, f.message)
            s.fit_row(r)
    if r == 2:
        s.span_text(3, 1, len(headers), "（无：所有报告均未发现错误或警告）", align=CENTER)
    s.print_setup("1:2", landscape=True)


def _unreadable_sheet(wb: Workbook, agg: Aggregate, warnings: list[str], styles: StyleCache) -> None:
    s = SheetWriter(wb.create_sheet("无法读取"), [6, 50, 90], warnings, styles)
    _title(s, 3, "无法读取的文件（未计入汇总）")
    _headers(s, 2, ["序号", "文件", "原因"])
    for i, bad in enumerate(agg.unreadable, start=1):
        s.number(2 + i, 1, i, COUNT)
        s.text(2 + i, 2, bad.file)
        s.text(2 + i, 3, bad.reason)
        s.fit_row(2 + i)
    if not agg.unreadable:
        s.span_text(3, 1, 3, "（无：所有文件均已读取）", align=CENTER)
    s.print_setup("1:2", landscape=True)


def build_summary_workbook(agg: Aggregate) -> tuple[Workbook, list[str]]:
    warnings: list[str] = []
    wb = Workbook()
    wb.remove(wb.active)
    styles = StyleCache(wb)
    _summary_sheet(wb, agg, warnings, styles)
    _problems_sheet(wb, agg, warnings, styles)
    _unreadable_sheet(wb, agg, warnings, styles)
    styles.done(wb)
    wb.properties.title = TITLE
    wb.properties.creator = "绩效自评助手"
    return wb, warnings


def export_summary(agg: Aggregate, path: Path | str) -> list[str]:
    """Write the 汇总表 atomically (:class:`OutputError` when it cannot be). Returns warnings (text
    cut at Excel's cell limit)."""
    wb, warnings = build_summary_workbook(agg)
    save_workbook(wb, path)
    return warnings
