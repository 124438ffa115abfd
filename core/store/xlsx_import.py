"""Importing a filled 自评表 workbook (INTERCHANGE ``import``): the product's own export and the
official layouts as people fill them by hand (财政部 项目支出绩效自评表, the 四类 评价表).

The sheet titled 自评表 (or the first sheet that looks like one: it has a 一级指标/二级指标 header)
is the source; the 指标评分表 and 资金明细 sheets of our own export add what the 自评表 does not
print (指标解释, 实际到位数, 批复金额, 支出明细, 结转结余). Everything is found by its label text.
What the paper prints for its totals (总分, 一级 分值/得分, the 年度资金总额 row, 执行率, 评价等级)
goes to ``Report.printed`` for checks V01–V04 when any of it differs from what the rows give (a
paper that agrees with itself records nothing); the rows are the report. Every filled cell that
could not be placed is listed, with its sheet, address and text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.model.model import (
    Indicator,
    Printed,
    Report,
    TeamMember,
)
from core.rules.review import review_findings
from core.rules.rulesets import PRESETS, note
from core.rules.scoring import is_execution_leaf
from core.rules.totals import compute_totals
from core.store.storage_format import LoadError
from core.store.xlsx_funds import UNIT, read_fund_details, read_funds
from core.store.xlsx_grid import Grid, cell_text, norm
from core.store.xlsx_guard import has_formulas, open_workbook
from core.store.xlsx_tree import read_indicator_block

SELF_SHEET = "自评表"
#: The sheets our export adds for a printed form (core/export/forms): they print again what the
#: 自评表, 指标评分表 and 资金明细 sheets hold, laid out as on paper.
FORM_SHEETS = {"评价表": "evaluation-table", "自评报告表": "report-annex3", "转移支付自评表": "transfer"}
_YEAR = re.compile(r"(\d{4})\s*年度?")
_TICK = re.compile(r"[☑√✓✔■☒]\s*(优|良|中|差)")
_TYPE_TICK = re.compile(r"[☑√✓✔■☒]\s*(经常性|延续性|一次性)")
_TYPES = {"经常性": "recurring", "延续性": "continuing", "一次性": "one_off"}
_EVALUATION_TICK = re.compile(r"[☑√✓✔■☒]\s*项目(实施过程|完成结果)评价")
_GRADE_TEXT = re.compile(r"评价(?:等级|等次)\s*[:：]\s*(优|良|中|差)")


@dataclass
class Imported:
    report: Report
    unplaced: list[str] = field(default_factory=list)


def _is_self_sheet(grid: Grid) -> bool:
    return bool(grid.find(lambda s: s.startswith("一级指标") or s == "一级")) and bool(
        grid.find(lambda s: s.startswith("二级指标") or s == "二级")
    )


def import_workbook(path: Path | str) -> Imported:
    """Read the workbook at ``path`` into a report; :class:`LoadError` when it is not a 自评表 this
    can read (one Chinese sentence naming the file)."""
    path = Path(path)
    wb = open_workbook(path)
    try:
        grids = {ws.title: Grid(ws) for ws in wb.worksheets if ws.sheet_state == "visible"}
    finally:
        wb.close()
    if has_formulas(path):  # a formula whose result was never saved (written by a program) reads as empty
        formulas = open_workbook(path, data_only=False)
        for ws in formulas.worksheets:
            if ws.title in grids:
                grids[ws.title].note_formulas(ws)
        formulas.close()
    source = next((g for t, g in grids.items() if norm(t) == SELF_SHEET and _is_self_sheet(g)), None)
    source = source or next((g for g in grids.values() if _is_self_sheet(g)), None)
    if source is None:
        raise LoadError(
            f"无法导入 {path.name}：其中没有找到自评表（没有“一级指标、二级指标”表头的工作表），"
            "请确认这是填好的项目支出绩效自评表"
        )
    problems: list[str] = []
    report = Report(template="mof-self")
    printed = Printed()
    _read_self(source, report, printed, problems)
    for title, grid in grids.items():
        if grid is source:
            continue
        if norm(title) == "指标评分表":
            _read_scoring(grid, report, printed, problems)
        elif norm(title) == "资金明细":
            read_fund_details(grid, report, problems)
    own_export = any(norm(t) == "指标评分表" for t in grids)
    if own_export:  # a printed form's sheet before ours: which form the report is for
        for title, grid in grids.items():
            if norm(title) in FORM_SHEETS and grid is not source:
                report.form = FORM_SHEETS[norm(title)]
                _read_header(grid, report.project, only_empty=True)
                _read_grade(grid, Printed(), report.project)  # its ☑ boxes: 项目类型, 评价类型
                grid.reprint = True
                break
    _settle_template(report, own_export)
    if printed != Printed():
        report.printed = printed
        if not review_findings(report, compute_totals(report)):
            # The paper agrees with its rows: nothing for 复核 to show, and nothing to trip V01–V04
            # once the user goes on editing last year's table. A slip keeps the whole record.
            report.printed = None
    known = {norm(cell_text(v)) for g in grids.values() if not g.reprint for v in g.values.values()}
    for g in grids.values():
        if g.reprint:  # what a form's sheet prints that no other sheet holds is still listed
            g.used |= {rc for rc, v in g.values.items() if norm(cell_text(v)) in known}
    unplaced = problems + [x for g in grids.values() for x in g.unplaced()]
    return Imported(report, unplaced)


# --- the 自评表 sheet ------------------------------------------------------------------------------


def _read_self(g: Grid, report: Report, printed: Printed, problems: list[str]) -> None:
    p = report.project
    for r, c in g.find(lambda s: "自评表" in s or "评价表" in s or "自评报告" in s, range(1, 6)):
        g.take(r, c)
        if m := _YEAR.search(g.text(r, c)):
            p.year = int(m.group(1))
    for r, c in g.find(lambda s: bool(re.fullmatch(r"\(?(\d{4})年度?\)?", s)), range(1, 6)):
        g.take(r, c)
        p.year = int(_YEAR.search(g.text(r, c)).group(1))
    for r, c in g.find(lambda s: bool(re.fullmatch(r"\(?\s*年度\)?", s)), range(1, 6)):
        g.take(r, c)  # the blank year of a form: （　　年度）
    for r, c in g.find(lambda s: s.startswith("单位:") or s.startswith("(单位:")):
        g.take(r, c)
        if m := UNIT.search(g.text(r, c)):
            report.funds.unit = m.group(1)
    _read_header(g, p)
    read_funds(g, report, printed, problems)
    _read_goals(g, report)
    block = read_indicator_block(g, problems)
    if block is not None:
        report.indicators = block.nodes
        if not block.scored:
            report.template = "transfer"
        printed.level1 = block.level1
        _read_totals(g, block.end, block.columns, printed, problems)
        _read_notes(g, block.end, report)
    _read_grade(g, printed, report.project)
    _read_team(g, report)
    _read_preparer(g, report)


HEADER_LABELS = {
    "name": ("项目名称", "专项名称"),
    "supervisor": ("主管部门", "主管部门及代码", "地方主管部门"),
    "implementing_unit": ("实施单位", "项目实施单位", "项目单位"),
    "department": ("部门名称", "预算单位", "单位名称"),
    "leader": ("项目负责人",),
    "phone": ("联系电话",),
    "code": ("项目编码", "项目代码"),
    "address": ("项目地址",),
    "postcode": ("邮编", "邮政编码"),
}


def _read_header(g: Grid, p, only_empty: bool = False) -> None:
    """The project's header fields, each the value right of its label (or after its colon)."""
    all_labels = {norm(x) for names in HEADER_LABELS.values() for x in names}
    for attr, names in HEADER_LABELS.items():
        if only_empty and getattr(p, attr):
            continue
        hit = g.first(*names)
        if hit is None:
            hit = g.first(*[n + ":" for n in names], prefix=True)  # 项目名称：XX in one cell
            if hit is not None:
                g.take(*hit)
                setattr(p, attr, g.text(*hit).split("：", 1)[-1].split(":", 1)[-1].strip())
            continue
        g.take(*hit)
        value = g.right_of(*hit, stop_labels=all_labels)
        if value is not None:
            g.take(*value)
            setattr(p, attr, g.text(*value))


def _read_goals(g: Grid, report: Report) -> None:
    hit = g.first("年度总体目标", "总体目标", "年度总体目标完成情况", "总体目标完成情况")
    if hit is None:
        return
    g.take(*hit)
    r0 = hit[0]
    expected = g.first("预期目标", rows=range(r0, r0 + 3))
    actual = g.first("实际完成情况", "实际完成", "目标实际完成情况", rows=range(r0, r0 + 3))
    for head, attr in ((expected, "goal_expected"), (actual, "goal_actual")):
        if head is None:
            continue
        g.take(*head)
        below = head[0] + (g.span(*head)[2] - head[0]) + 1
        cell = g.origin(below, head[1])
        if cell in g.values:
            g.take(*cell)
            setattr(report.project, attr, g.text(*cell))


def _read_totals(g: Grid, end: int, columns: dict, printed: Printed, problems: list[str]) -> None:
    """The 总分 row under the indicator block: 分值 → printed.weight, 得分 → printed.score."""
    hit = g.first("总分", "合计", "总计", rows=range(end, end + 4))
    if hit is None:
        return
    r = hit[0]
    g.take(*hit)
    numbers = []
    for c in range(g.span(*hit)[3] + 1, g.max_col + 1):
        o = g.origin(r, c)
        if o[1] != c or o not in g.values:
            continue
        if g.label(*o).startswith("评价等级") or g.label(*o).startswith("评价等次"):
            continue
        numbers.append((c, g.amount(*o, "", problems)))
    by_col = dict(numbers)
    if "weight" in columns and "score" in columns:
        printed.weight = by_col.get(columns["weight"])
        printed.score = by_col.get(columns["score"])
        if printed.score is None and printed.weight is None and numbers:
            printed.score = numbers[-1][1]
    elif numbers:
        printed.score = numbers[-1][1]


def _read_grade(g: Grid, printed: Printed, project=None) -> None:
    """评价等级/等次 as printed (``评价等级：优``, ``☑良``), and the ticked 项目类型 box."""
    for (r, c), v in sorted(g.values.items()):
        text = str(v)
        if m := _GRADE_TEXT.search(norm(text).replace(":", "：")):
            printed.grade = m.group(1)
            g.take(r, c)
        elif m := _TYPE_TICK.search(text):
            if project is not None:
                project.project_type = _TYPES[m.group(1)]
                g.take(r, c)
                if (label := g.first("项目类型", rows=range(r, r + 1))) is not None:
                    g.take(*label)
        elif m := _EVALUATION_TICK.search(text):
            if project is not None:
                project.evaluation_type = "process" if m.group(1) == "实施过程" else "result"
                g.take(r, c)
        elif m := _TICK.search(text):
            printed.grade = m.group(1)[0]
            g.take(r, c)
        elif norm(text) in ("评价等级", "评价等次"):
            g.take(r, c)
            right = g.right_of(r, c)
            if right is not None and norm(g.text(*right)) in ("优", "良", "中", "差"):
                printed.grade = norm(g.text(*right))
                g.take(*right)


def _read_team(g: Grid, report: Report) -> None:
    hit = g.first("评价人员", "评价组成员", "评价小组成员", "评价人员名单")
    if hit is None:
        return
    hr = hit[0]
    heads = {"name": ("姓名",), "title": ("职务/职称", "职务", "职称"), "unit": ("所属单位/处室", "单位", "工作单位")}
    columns = {}
    for key, names in heads.items():
        h = g.first(*names, rows=range(hr, hr + 1))
        if h is not None:
            columns[key] = h[1]
            g.take(*h)
    if "name" not in columns:
        return
    g.take(*hit)
    sign = g.first("签字", "签名", rows=range(hr, hr + 1))
    if sign is not None:
        g.take(*sign)
    role_col = hit[1]
    multi = g.span(*hit)[2] > hr  # the label spans the member rows: no role column
    r = hr + 1
    while r <= g.max_row:
        cols = [columns[k] for k in ("name", "title", "unit") if k in columns] + ([] if multi else [role_col])
        texts = [g.text(r, c) for c in cols if g.origin(r, c)[0] == r]
        if not any(texts) or any(norm(t).startswith("填报人") for t in texts):
            break
        member = TeamMember(name=g.text(r, columns["name"]))
        g.take(r, columns["name"])
        for key in ("title", "unit"):
            if key in columns and g.origin(r, columns[key])[0] == r:
                setattr(member, key, g.text(r, columns[key]))
                g.take(r, columns[key])
        if not multi and g.origin(r, role_col) == (r, role_col) and g.text(r, role_col):
            member.role = g.text(r, role_col)
            g.take(r, role_col)
        report.team.append(member)
        r += 1


def _read_preparer(g: Grid, report: Report) -> None:
    for (r, c), v in sorted(g.values.items()):
        text = str(v)
        if not norm(text).startswith("填报人"):
            continue
        g.take(r, c)
        m = re.search(r"填报人[:：]\s*([^\s\u3000]*)", text)
        if m and m.group(1) and not m.group(1).startswith("联系电话"):
            report.project.preparer = m.group(1)
        elif norm(text) == "填报人" and (right := g.right_of(r, c)) is not None:
            report.project.preparer = g.text(*right)
            g.take(*right)
        m = re.search(r"联系电话[:：]\s*([0-9０-９\-－()（） ]*[0-9０-９])", text)
        if m:
            report.project.preparer_phone = m.group(1).strip()


# --- the other sheets of our own export ------------------------------------------------------------


def _read_scoring(g: Grid, report: Report, printed: Printed, problems: list[str]) -> None:
    """指标评分表: 指标解释 of each leaf, the 预算执行率 leaf where it stands, 一级 小计 as printed."""
    block = read_indicator_block(g, problems, subtotals=True)
    if block is None:
        return
    for r, c in g.find(lambda s: "指标体系" in s, range(1, 3)):
        g.take(r, c)
    leaves = [(path, n) for path, n in _leaves(block.nodes)]
    mine = [(path, n) for path, n in _leaves(report.indicators)]
    execution = report.extra.pop("_execution_leaf", None)
    others = [(p, n) for p, n in leaves if not (len(p) == 1 and is_execution_leaf(n))]
    if len(others) == len(mine):
        for (_, theirs), (_, ours) in zip(others, mine, strict=True):
            ours.explanation = theirs.explanation
            for key in ("weight", "score"):  # a 转移支付 自评表 prints neither; this sheet does
                if getattr(ours, key) is None:
                    setattr(ours, key, getattr(theirs, key))
    for i, node in enumerate(block.nodes):
        if node.is_leaf and is_execution_leaf(node) and not any(is_execution_leaf(n) for n in report.indicators):
            weight, score = execution or (node.weight, node.score)
            report.indicators.insert(
                min(i, len(report.indicators)),
                Indicator(name=node.name, weight=weight, score=score, explanation=node.explanation),
            )
    if block.level1 and not printed.level1:
        printed.level1 = block.level1
    _read_totals(g, block.end, block.columns, Printed(), problems)  # the same 总分 again
    _read_grade(g, Printed())
    _read_notes(g, block.end, report)


def _read_notes(g: Grid, end: int, report: Report) -> None:
    """The 评分标准 lines our exports print below a scoring table ending at row ``end``: the rule
    set when it is a preset (custom knobs stay listed), and what is derived again from the rows
    (the 执行率 cap, the leaves left out and the rescale)."""
    notes = {norm(note(name)): name for name in PRESETS}
    for (r, c), value in sorted(g.values.items()):
        if r < end:
            continue
        text = norm(str(value))
        if text in notes:
            report.rules = notes[text]
            g.take(r, c)
        elif text.startswith("执行率") and "按评分规则总分最高" in text:
            g.take(r, c)
        elif text.startswith(norm("不适用指标（不评分、不计入总分）")):
            g.take(r, c)


def _leaves(nodes, path=()):
    for i, n in enumerate(nodes):
        if n.is_leaf:
            yield path + (i,), n
        else:
            yield from _leaves(n.children, path + (i,))


def _settle_template(report: Report, own_export: bool) -> None:
    """The template the rows look like: 财政部自评表 with its 预算执行率 leaf, else 四类 when its
    一级 names are there, else blank (the tree as read); 转移支付 was settled by the columns. A
    form filled by hand is printed again as that form; our own export says nothing of the form."""
    execution = report.extra.pop("_execution_leaf", None)
    if execution is not None and not any(n.is_leaf and is_execution_leaf(n) for n in report.indicators):
        report.indicators.insert(0, Indicator(name="预算执行率", weight=execution[0], score=execution[1]))
    names = {norm(n.name) for n in report.indicators}
    if report.template == "transfer":
        pass
    elif names & {"决策", "过程", "项目决策", "项目过程", "项目管理"}:
        report.template = "framework"
    elif any(n.is_leaf and is_execution_leaf(n) for n in report.indicators):
        report.template = "mof-self"
    else:
        report.template = "blank"
    if not own_export:
        if report.template == "transfer":
            report.form = "transfer"
        elif report.template == "framework" or (report.printed and report.printed.level1):
            report.form = "evaluation-table"
        else:
            report.form = "mof-self"
