"""财政部 项目支出绩效自评表 (财预〔2020〕10号 annex 1), A4 portrait, one page where it fits:
header, 项目资金 with 分值/执行率/得分, 年度总体目标, the indicator block, 总分, the signature and
stamp line. (The workbook's 自评表 sheet, core/export/xlsx.py, is this form in Excel.)"""

from __future__ import annotations

from core.export.forms.common import (
    BLANK,
    DATE_LINE,
    fund_lines,
    goal_grid,
    leaf_cells,
    leaf_rows,
    name_grid,
    note_lines,
    score_cell,
    year_line,
)
from core.export.forms.grid import Form, Grid, Line, Title, amount, label, number, rate, text
from core.export.rows import execution_leaf
from core.model.model import Report
from core.rules.placeholders import fill
from core.rules.scoring import is_execution_leaf
from core.rules.totals import Totals

NAME = "mof-self"
#: the indicator block's columns (mm): 一级 二级 三级 年度指标值 实际完成值 分值 得分 偏差原因
COLUMNS = [17, 19, 30, 22, 22, 14, 14, 42]


def build(report: Report, totals: Totals, warnings: list[str]) -> Form:
    p = report.project
    form = Form(NAME, "自评表")
    form.parts += [Title("项目支出绩效自评表"), Line(year_line(p), align="center")]
    head = name_grid(p, [17, 75, 22, 66])
    form.parts.append(head)
    form.parts.append(_funds(report, totals))
    form.parts.append(goal_grid(report, totals, warnings, [17, 74, 89]))
    form.parts.append(_indicators(report, totals, warnings))
    form.parts += note_lines(report, totals)
    form.parts += [
        Line(
            f"填报人：{p.preparer or BLANK}　　联系电话：{p.preparer_phone or BLANK}　　"
            f"单位负责人（签字）：{BLANK}　　（单位盖章）　　填报日期：{DATE_LINE}",
            space_before=4,
        )
    ]
    return form


def _funds(report: Report, totals: Totals) -> Grid:
    unit = report.funds.unit
    leaf = execution_leaf(report)
    lines = fund_lines(report, totals)
    g = Grid([17, 40, 25, 25, 25, 14, 20, 14])
    g.add(
        label(f"项目资金（{unit}）", rows=len(lines) + 1),
        label(""),
        label("年初预算数"),
        label("全年预算数"),
        label("全年执行数"),
        label("分值"),
        label("执行率"),
        label("得分"),
    )
    for line in lines:
        scored = line.total and leaf is not None
        g.add(
            text(line.label),
            amount(line.initial),
            amount(line.adjusted),
            amount(line.spent),
            number(leaf.weight if scored else None),
            rate(line.execution_rate),
            score_cell(leaf, totals) if scored else number(None),
        )
    return g


def _indicators(report: Report, totals: Totals, warnings: list[str]) -> Grid:
    g = Grid(COLUMNS, head=1)
    g.add(
        *(label(h) for h in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")),
        label("偏差原因分析及改进措施"),
    )
    skip = (lambda top: top.is_leaf and is_execution_leaf(top)) if execution_leaf(report) else None
    rows = leaf_rows(report, skip)
    for i, row in enumerate(rows):
        leaf = row.leaf
        g.add(
            *leaf_cells(rows, i),
            number(leaf.weight),
            score_cell(leaf, totals),
            text(fill(leaf.deviation, report, totals, warnings)),
        )
    g.add(label("总分", span=5), number(totals.weight), number(totals.score), text(""))
    return g
