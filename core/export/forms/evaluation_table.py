"""项目绩效评价表 of the 四类指标体系 (the department's evaluation table, as the Yunnan forms):
A4 portrait; header with the 项目类型 boxes, the funds by source with 执行率, 年度总体目标, the
scoring block 一级 | 分值 | 二级 | 分值 | 三级 | 分值 | 得分, 总分, 评价等次 boxes, 问题和建议,
评价人员 with 签字, and the 填报人 / 评价组组长 / 评价部门负责人 signature lines with 年 月 日."""

from __future__ import annotations

from core.export.forms.common import (
    BLANK,
    DATE_LINE,
    boxes_text,
    fund_lines,
    goal_grid,
    grade_text,
    group_leader,
    header_choices,
    leaf_rows,
    mid_span,
    name_grid,
    note_lines,
    score_cell,
    short,
    team_grid,
    top_span,
    year_line,
)
from core.export.forms.grid import Form, Grid, Line, Title, amount, center, label, number, rate, text
from core.model.model import Report, walk_sections
from core.rules.placeholders import fill
from core.rules.totals import Totals

NAME = "evaluation-table"
ADVICE = ("问题", "建议")  # the narrative sections whose text is the form's 问题和建议


def build(report: Report, totals: Totals, warnings: list[str]) -> Form:
    p = report.project
    form = Form(NAME, "评价表")
    form.parts += [Title(f"{p.name}绩效评价表" if p.name else "项目绩效评价表"), Line(year_line(p), align="center")]
    head = name_grid(p, [24, 66, 24, 66], "项目实施单位")
    head.add(label("项目负责人"), text(p.leader), label("联系电话"), text(p.leader_phone or p.phone))
    head.add(label("项目类型"), text(boxes_text(header_choices(p)["项目类型"]), span=3))
    form.parts.append(head)
    form.parts.append(_funds(report, totals))
    form.parts.append(goal_grid(report, totals, warnings, [24, 78, 78]))
    form.parts.append(_scoring(report, totals))
    form.parts += note_lines(report, totals)
    tail = Grid([24, 156])
    tail.add(label("评价等次"), text(grade_text(totals.grade)))
    advice = _advice(report, totals, warnings)
    tail.add(label("问题和建议"), text(advice), height=None if advice else 24)  # room to write by hand
    form.parts.append(tail)
    team = team_grid(report, [24, 40, 86, 30])
    team.rows[0].insert(0, label("评价人员", rows=len(team.rows)))
    team.widths = [24, 36, 36, 54, 30]
    team.head = 0
    form.parts.append(team)
    leader = group_leader(report)
    form.parts += [
        Line(
            f"填报人（签字）：{p.preparer or BLANK}　　联系电话：{p.preparer_phone or BLANK}　　{DATE_LINE}",
            space_before=4,
        ),
        Line(f"评价组组长（签字）：{leader or BLANK}　　{DATE_LINE}"),
        Line(f"评价部门负责人（签字并盖章）：{p.evaluation_lead or BLANK}　　{DATE_LINE}"),
    ]
    return form


def _funds(report: Report, totals: Totals) -> Grid:
    lines = fund_lines(report, totals, first_prefix="")
    g = Grid([24, 44, 28, 28, 28, 28])
    g.add(
        label(f"项目资金（{report.funds.unit}）", rows=len(lines) + 1),
        label("资金来源"),
        label("年初预算数"),
        label("全年预算数"),
        label("全年执行数"),
        label("执行率"),
    )
    lines = lines[1:] + lines[:1]  # by source, the 合计 last
    for line in lines:
        g.add(
            text("合计" if line.total else line.label),
            amount(line.initial),
            amount(line.adjusted),
            amount(line.spent),
            rate(line.execution_rate),
        )
    return g


def _scoring(report: Report, totals: Totals) -> Grid:
    g = Grid([20, 13, 28, 13, 70, 18, 18], head=1)
    g.add(*(label(h) for h in ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分")))
    rows = leaf_rows(report)
    figures = totals.nodes
    for i, row in enumerate(rows):
        cells = []
        if (n := top_span(rows, i)) is not None:
            cells += [center(short(row.top.name), rows=n), number(_weight(row.top, figures), span=1)]
            cells[-1].rows = n
        if (n := mid_span(rows, i)) is not None:
            mid = row.mid
            cells += [center(short(mid.name) if mid else "", rows=n), number(_weight(mid, figures) if mid else None)]
            cells[-1].rows = n
        leaf = row.leaf
        cells += [
            text(row.level3),
            number(leaf.weight),
            score_cell(leaf, totals),
        ]
        g.add(*cells)
    g.add(label("总分", span=5), number(totals.weight), number(totals.score))
    return g


def _weight(node, figures):
    figs = figures.get(node.uid)
    return figs.weight if figs is not None else node.weight


def _advice(report: Report, totals: Totals, warnings: list[str]) -> str:
    parts = []
    for _path, section, _depth in walk_sections(report.narrative):
        title = section.title
        if any(word in title for word in ADVICE) and "其他" not in title and section.text.strip():
            parts.append(fill(section.text, report, totals, warnings).strip())
    return "\n".join(parts)
