"""Parts several forms share: the header choices as boxes, the fund rows (a not-given amount
stays blank), the leaves of the indicator tree with their 一级/二级 nodes, the 评价人员 block and
the 评价等次 boxes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.export.forms.grid import Cell, Grid, Line, center, label, number, text
from core.export.rows import leaf_score, leaf_title
from core.model.choices import TICKED, UNTICKED, header_boxes
from core.model.limits import PRINTED_NAME_CHARS
from core.model.model import Indicator, Project, Report
from core.model.numbers import ratio_percent
from core.rules.placeholders import fill
from core.rules.scoring import actual_text, target_text
from core.rules.summary import score_notes
from core.rules.totals import Totals

EMPTY = UNTICKED
BLANK = "　　　　　　"  # room to write by hand
DATE_LINE = "　　年　　月　　日"


def short(name: str) -> str:
    """A name as a narrow cell holds it: cut at PRINTED_NAME_CHARS, as check P02 tells the user."""
    return name if len(name) <= PRINTED_NAME_CHARS else name[: PRINTED_NAME_CHARS - 1] + "…"


# --- header choices (DOMAIN §5) ----------------------------------------------------------------


def header_choices(project: Project) -> dict[str, list[tuple[str, bool]]]:
    """Each header choice of the forms as its boxes (label, ticked), by its caption: the boxes
    every exporter prints (core/model/choices.py)."""
    return dict(header_boxes(project))


def boxes_text(boxes: list[tuple[str, bool]]) -> str:
    return "　".join((TICKED if ticked else EMPTY) + name for name, ticked in boxes)


GRADE_BOXES = (
    ("优", "优（90分及以上）"),
    ("良", "良（80分（含）-90分）"),
    ("中", "中（60分（含）-80分）"),
    ("差", "差（60分以下）"),
)


def grade_text(grade: str | None) -> str:
    """The 评价等次 boxes with the band of each."""
    return boxes_text([(text, grade == name) for name, text in GRADE_BOXES])


# --- funds ------------------------------------------------------------------------------------


@dataclass
class FundLine:
    label: str
    initial: Decimal | None
    adjusted: Decimal | None
    received: Decimal | None
    spent: Decimal | None
    execution_rate: Decimal | None
    total: bool = False


_BASE = {"adjusted": "adjusted", "received": "received", "initial": "initial"}


def _given(value, *given) -> Decimal | None:
    # A 合计 column no source fills is not given either (core/rules/totals.py sums it as 0 today).
    return value if any(v is not None for v in given) else None


def fund_lines(report: Report, totals: Totals, first_prefix: str = "其中：") -> list[FundLine]:
    """The 合计 row (年度资金总额) then one row per source; amounts not given stay None."""
    funds = report.funds
    base = _BASE.get(funds.execution_base, "adjusted")
    ft = totals.funds
    sources = funds.sources
    lines = []
    for i, src in enumerate(sources):
        line = FundLine(
            ("" if i else first_prefix) + short(src.source or "资金来源"),
            src.initial,
            src.effective_adjusted,
            src.received,
            src.spent,
            None,
        )
        line.execution_rate = ratio_percent(line.spent, getattr(line, base)) if line.spent is not None else None
        lines.append(line)
    t = ft.total
    total = FundLine(
        "年度资金总额",
        _given(t.initial, *(s.initial for s in lines)),
        _given(t.adjusted, *(s.adjusted for s in lines)),
        _given(t.received, *(s.received for s in lines)),
        _given(t.spent, *(s.spent for s in lines)),
        None,
        total=True,
    )
    if total.spent is not None and getattr(total, base) is not None:
        total.execution_rate = t.execution_rate
    return [total, *lines]


# --- indicators -------------------------------------------------------------------------------


@dataclass
class LeafRow:
    top: Indicator  # the 一级 node
    mid: Indicator | None  # the 二级 node (None when the 一级 is itself a leaf)
    leaf: Indicator
    level3: str  # the 三级 cell: the leaf's name, deeper levels joined with “ / ”
    top_index: int


def leaf_rows(report: Report, skip=None) -> list[LeafRow]:
    """One row per leaf, depth first; ``skip(top)`` leaves out a 一级 node (the 预算执行率 leaf
    the 自评表 prints with the funds)."""
    rows = []
    for i, top in enumerate(report.indicators):
        if skip is not None and skip(top):
            continue
        if top.is_leaf:
            rows.append(LeafRow(top, None, top, "", i))
            continue
        for mid in top.children:
            if mid.is_leaf:
                rows.append(LeafRow(top, mid, mid, "", i))
                continue
            for names, leaf in _below(mid, []):
                rows.append(LeafRow(top, mid, leaf, " / ".join(names), i))
    return rows


def _below(node: Indicator, names: list[str]):
    for child in node.children:
        if child.is_leaf:
            yield names + [short(leaf_title(child))], child
        else:
            yield from _below(child, names + [short(child.name)])


def top_span(rows: list[LeafRow], i: int) -> int | None:
    """The rows the 一级 cell covers when row ``i`` is the first of its 一级, else None (the cell
    above covers it)."""
    row = rows[i]
    if i and rows[i - 1].top is row.top:
        return None
    return sum(1 for r in rows[i:] if r.top is row.top)


def mid_span(rows: list[LeafRow], i: int) -> int | None:
    """The rows the 二级 cell covers when row ``i`` is the first of its 二级 (a leaf with no 二级 has
    a cell of its own), else None."""
    row = rows[i]
    if i and rows[i - 1].top is row.top and rows[i - 1].mid is row.mid and row.mid is not None:
        return None
    if row.mid is None:
        return 1
    n = 0
    for r in rows[i:]:
        if r.top is not row.top or r.mid is not row.mid:
            break
        n += 1
    return n


def group_cells(rows: list[LeafRow], i: int, mid_column: bool = True) -> list[Cell]:
    """The 一级 (and 二级) cells of row ``i``: on the first row of its group, covering the group;
    nothing on the rows below it (the cell above covers them)."""
    row = rows[i]
    cells = []
    if (n := top_span(rows, i)) is not None:
        cells.append(center(short(row.top.name), rows=n))
    if mid_column and (n := mid_span(rows, i)) is not None:
        cells.append(center(short(row.mid.name) if row.mid is not None else "", rows=n))
    return cells


def score_cell(leaf: Indicator, totals: Totals) -> Cell:
    """A leaf's 得分 on a form: the score, or 不适用 for a leaf left out (DOMAIN §6)."""
    score = leaf_score(leaf, totals)
    return center(score) if isinstance(score, str) else number(score)


def leaf_cells(rows: list[LeafRow], i: int) -> list[Cell]:
    """Row ``i``'s 一级/二级 cells, then its 三级 name, 指标值 and 实际完成值: how the forms begin
    an indicator row."""
    row = rows[i]
    return [
        *group_cells(rows, i),
        text(row.level3),
        center(target_text(row.leaf)),
        center(actual_text(row.leaf)),
    ]


def note_lines(report: Report, totals: Totals) -> list[Line]:
    """The 评分标准 lines under a form's scoring block, as under the report's own table: leaves
    left out as 不适用 and the rescale, the 执行率 cap when it lowered the total, the rule set when
    it is not the national one (core/rules/summary.py). None for national rules uncapped."""
    notes = score_notes(report, totals)
    return [Line(f"注：{line}" if i == 0 else line, space_before=2 if i == 0 else 0) for i, line in enumerate(notes)]


def goal_grid(
    report: Report,
    totals: Totals,
    warnings: list[str],
    widths: list[float],
    captions: tuple[str, str, str] = ("年度总体目标", "预期目标", "实际完成情况"),
) -> Grid:
    """The 年度总体目标 block: its caption over two rows, then 预期 | 实际 with the report's texts."""
    p = report.project
    goals = Grid(widths)
    goals.add(label(captions[0], rows=2), label(captions[1]), label(captions[2]))
    goals.add(
        text(fill(p.goal_expected, report, totals, warnings)), text(fill(p.goal_actual, report, totals, warnings))
    )
    return goals


# --- people -----------------------------------------------------------------------------------


def team_grid(report: Report, widths: list[float], unit_label: str = "单位") -> Grid:
    """评价人员: 姓名, 职务/职称, 单位 and an empty 签字 column (four columns of ``widths``)."""
    g = Grid(widths, head=1)
    g.add(label("姓名"), label("职务/职称"), label(unit_label), label("签字"))
    for m in report.team:
        g.add(center(short(m.name)), center(short(m.title)), center(short(m.unit)), center(""), height=10)
    if not report.team:
        g.add(center(""), center(""), center(""), center(""), height=10)
    return g


def group_leader(report: Report) -> str:
    return next((m.name for m in report.team if m.role == "组长" and m.name), "")


def period_text(project: Project) -> str:
    start, end = month_text(project.period_start), month_text(project.period_end)
    if not start and not end:
        return ""
    return f"{start or '　　年　　月'}至{end or '　　年　　月'}"


def month_text(text: str) -> str:
    """A stored month or date as printed: ``2024-05`` → 2024年5月, ``2024-05-06`` → 2024年5月6日;
    other text as it is; "" when empty (each printout says what stands in for it)."""
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$", text or "")
    if not m:
        return text or ""
    return f"{m.group(1)}年{int(m.group(2))}月" + (f"{int(m.group(3))}日" if m.group(3) else "")


def date_text(text: str) -> str:
    """A 报告日期 as printed (2024年5月), or 年 月 日 to fill by hand."""
    return month_text(text) or DATE_LINE


def year_line(project: Project) -> str:
    return f"（{project.year}年度）" if project.year else "（　　年度）"


def name_grid(project: Project, widths: list[float], unit_label: str = "实施单位") -> Grid:
    """A form's head: 项目名称 across, then 主管部门 and the implementing unit; a form with more
    header rows adds them to the grid."""
    head = Grid(widths)
    head.add(label("项目名称"), text(project.name, span=3))
    head.add(label("主管部门"), text(project.supervisor), label(unit_label), text(project.implementing_unit))
    return head
