"""转移支付 绩效自评表: no 分值/得分; 资金情况 with 全年预算数 (A), 全年执行数 (B), 执行率 B/A;
资金管理情况 rows with 情况说明 and 存在问题和改进措施; 总体目标完成情况; the indicators with
未完成原因和改进措施. A4 portrait."""

from __future__ import annotations

from core.export.forms.common import (
    BLANK,
    DATE_LINE,
    fund_lines,
    goal_grid,
    leaf_cells,
    leaf_rows,
    name_grid,
    year_line,
)
from core.export.forms.grid import Form, Grid, Line, Title, amount, center, label, rate, text
from core.model.model import Report, management_rows
from core.rules.placeholders import fill
from core.rules.totals import Totals

NAME = "transfer"


def build(report: Report, totals: Totals, warnings: list[str]) -> Form:
    p = report.project
    form = Form(NAME, "转移支付自评表")
    form.parts += [Title("转移支付绩效自评表"), Line(year_line(p), align="center")]
    head = name_grid(p, [30, 60, 30, 60])
    form.parts.append(head)
    lines = fund_lines(report, totals)
    funds = Grid([30, 54, 32, 32, 32])
    funds.add(
        label(f"资金情况（{report.funds.unit}）", rows=len(lines) + 1),
        label(""),
        label("全年预算数（A）"),
        label("全年执行数（B）"),
        label("执行率（B/A）"),
    )
    for line in lines:
        funds.add(text(line.label), amount(line.adjusted), amount(line.spent), rate(line.execution_rate))
    form.parts.append(funds)
    form.parts.append(_management(report, totals, warnings))
    form.parts.append(
        goal_grid(report, totals, warnings, [30, 75, 75], ("总体目标完成情况", "总体目标", "全年实际完成情况"))
    )
    g = Grid([20, 24, 44, 26, 26, 40], head=1)
    g.add(*(label(h) for h in ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "未完成原因和改进措施")))
    rows = leaf_rows(report)
    for i, row in enumerate(rows):
        leaf = row.leaf
        g.add(
            *leaf_cells(rows, i),
            text(fill(leaf.deviation, report, totals, warnings)),
        )
    form.parts.append(g)
    form.parts.append(
        Line(
            f"填报人：{p.preparer or BLANK}　　联系电话：{p.preparer_phone or BLANK}　　"
            f"单位负责人（签字）：{BLANK}　　（单位盖章）　　{DATE_LINE}",
            space_before=4,
        )
    )
    return form


def _management(report: Report, totals: Totals, warnings: list[str]) -> Grid:
    """资金管理情况: the form's five rows (model.py MANAGEMENT_ITEMS) with what the report says of
    each (blank, with room to write by hand, where it says nothing), then any other row the report
    holds. Placeholders are filled as in 偏差原因."""
    rows = management_rows(report.funds)
    g = Grid([30, 30, 60, 60])
    g.add(label("资金管理情况", rows=len(rows) + 1), label(""), label("情况说明"), label("存在问题和改进措施"))
    for item, index in rows:
        row = report.funds.management[index] if index is not None else None
        g.add(
            center(item),
            text(fill(row.explanation, report, totals, warnings) if row else ""),
            text(fill(row.problems, report, totals, warnings) if row else ""),
            height=8,
        )
    return g
