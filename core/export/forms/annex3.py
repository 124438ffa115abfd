"""The province's 项目支出绩效自评报告 form (10号文 annex 3 style, as 湖南 prints it): a cover with
the 评价类型 boxes and “XX财政局（制）” (``project.issuing_bureau``); 一、项目基本概况;
二、项目支出明细情况 with 会计凭证号; 三、项目绩效自评情况 (定性目标, 定量指标, 综合得分, 评价等次);
四、评价人员 with 签字; 填报人（签名）; 五、评价报告综述, which is the narrative."""

from __future__ import annotations

from core.export.forms.common import (
    BLANK,
    boxes_text,
    date_text,
    fund_lines,
    goal_grid,
    grade_text,
    header_choices,
    leaf_cells,
    leaf_rows,
    note_lines,
    period_text,
    score_cell,
    team_grid,
)
from core.export.forms.grid import Form, Grid, Line, NewPage, Title, amount, center, label, number, text
from core.model.model import Report, walk_sections
from core.model.numbers import fmt2
from core.rules.placeholders import fill
from core.rules.totals import Totals

NAME = "report-annex3"
BUREAU = "　　　　　　财政局（制）"  # no issuing bureau given: its name is written on the printed form


def bureau_line(name: str) -> str:
    """The cover's “XX财政局（制）”: ``博湖县财政局`` (or ``湖南省财政厅``) as typed, ``博湖县`` with
    财政局 added, a （制） typed too not repeated; blank: a line to write the name on."""
    name = name.strip()
    for tail in ("（制）", "(制)"):
        name = name.removesuffix(tail).strip()
    if not name:
        return BUREAU
    return f"{name}（制）" if "财政" in name else f"{name}财政局（制）"


def build(report: Report, totals: Totals, warnings: list[str]) -> Form:
    p = report.project
    form = Form(NAME, "自评报告表")
    year = f"（{p.year}年度）" if p.year else "（　　年度）"
    form.parts += [
        Line("", space_before=40),
        Title("项目支出绩效自评报告", size=26),
        Line(year, align="center"),
        Line(boxes_text(header_choices(p)["评价类型"]), align="center", space_before=12),
        Line(f"项目名称：{p.name}", space_before=40),
        Line(f"项目单位（盖章）：{p.implementing_unit or p.department}"),
        Line(f"主管部门：{p.supervisor}"),
        Line(f"评价方式：{p.evaluation_method}"),
        Line(f"评价机构：{p.evaluation_body}"),
        Line(f"报告日期：{date_text(p.report_date)}"),
        Line(bureau_line(p.issuing_bureau), align="center", space_before=40),
        NewPage(),
        Line("一、项目基本概况", bold=True),
    ]
    info = Grid([30, 60, 30, 60])
    info.add(label("项目名称"), text(p.name, span=3))
    info.add(label("项目单位"), text(p.implementing_unit), label("主管部门"), text(p.supervisor))
    info.add(label("项目负责人"), text(p.leader), label("联系电话"), text(p.leader_phone or p.phone))
    info.add(label("项目地址"), text(p.address), label("邮编"), text(p.postcode))
    info.add(label("项目起止时间"), text(period_text(p), span=3))
    form.parts += [info, _funds(report, totals), Line("二、项目支出明细情况", bold=True, space_before=3)]
    form.parts.append(_expenditures(report, totals))
    form.parts.append(Line("三、项目绩效自评情况", bold=True, space_before=3))
    form.parts.append(goal_grid(report, totals, warnings, [30, 75, 75], ("定性目标", "年度预期目标", "实际完成情况")))
    form.parts.append(_quantitative(report, totals))
    form.parts += note_lines(report, totals)
    form.parts.append(Line("四、评价人员", bold=True, space_before=3))
    form.parts.append(team_grid(report, [36, 44, 70, 30]))
    form.parts.append(
        Line(f"填报人（签名）：{p.preparer or BLANK}　　联系电话：{p.preparer_phone or BLANK}", space_before=4)
    )
    form.parts.append(Line("五、评价报告综述", bold=True, space_before=3))
    for _path, section, _depth in walk_sections(report.narrative):
        if section.title:
            form.parts.append(Line(section.title, bold=True))
        for para in fill(section.text, report, totals, warnings).split("\n"):
            if para.strip():
                form.parts.append(Line(para.strip(), align="justify", indent=True))
    return form


def _funds(report: Report, totals: Totals) -> Grid:
    g = Grid([30, 42, 27, 27, 27, 27])
    g.add(
        label(f"项目资金（{report.funds.unit}）", rows=len(report.funds.sources) + 2),
        label(""),
        label("计划安排资金"),
        label("实际到位资金"),
        label("实际支出"),
        label("结余"),
    )
    for line in fund_lines(report, totals):
        remaining = line.received - line.spent if line.received is not None and line.spent is not None else None
        g.add(
            text("合计" if line.total else line.label),
            amount(line.adjusted),
            amount(line.received),
            amount(line.spent),
            amount(remaining),
        )
    return g


def _expenditures(report: Report, totals: Totals) -> Grid:
    g = Grid([70, 30, 40, 40], head=1)
    g.add(label("支出内容"), label("实际支出数"), label("会计凭证号"), label("备注"))
    for e in report.funds.expenditures:
        g.add(text(e.content), amount(e.amount), center(e.voucher), text(e.note))
    if not report.funds.expenditures:
        g.add(text(""), amount(None), center(""), text(""))
    g.add(label("支出合计"), amount(totals.funds.expenditure_total), text("", span=2))
    return g


def _quantitative(report: Report, totals: Totals) -> Grid:
    g = Grid([20, 24, 50, 28, 28, 15, 15], head=1)
    g.add(*(label(h) for h in ("一级指标", "二级指标", "指标内容", "指标值", "实际完成值", "分值", "得分")))
    rows = leaf_rows(report)
    for i, row in enumerate(rows):
        leaf = row.leaf
        g.add(
            *leaf_cells(rows, i),
            number(leaf.weight),
            score_cell(leaf, totals),
        )
    score = fmt2(totals.capped_score) if totals.capped_score is not None else ""
    g.add(label("综合得分", span=2), text(score, span=5))
    g.add(label("评价等次", span=2), text(grade_text(totals.grade), span=5))
    return g
