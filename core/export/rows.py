"""The indicator tree flattened into printed rows (一级 | 二级 | 三级 …) with their merge spans,
shared by the Excel and PDF exporters so both print the same table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.model.model import Indicator, Report
from core.model.numbers import fmt2
from core.rules.scoring import actual_text, is_execution_leaf, target_text
from core.rules.totals import LEFT_OUT, Totals


@dataclass
class IndicatorRow:
    level1: str
    level2: str
    level3: str
    leaf: Indicator
    level1_index: int
    span1: int = 0  # rows this row's 一级 cell covers (on the first row of the span; 0 below it)
    span2: int = 0


def leaf_title(leaf: Indicator) -> str:
    """A leaf's printed name: “实际完成率（城乡居民参保补助人数）” when it names what is counted."""
    if leaf.metric and leaf.metric != leaf.name:
        return f"{leaf.name}（{leaf.metric}）" if leaf.name else leaf.metric
    return leaf.name


def leaf_score(leaf: Indicator, totals: Totals) -> Decimal | str | None:
    """A leaf's 得分 as printed: its score, or 不适用 when the rule set leaves it out (DOMAIN §6)."""
    return leaf.score if totals.counts(leaf) else LEFT_OUT


def score_text(leaf: Indicator, totals: Totals) -> str:
    """:func:`leaf_score` as text: ``45.00``, ``不适用`` or blank."""
    score = leaf_score(leaf, totals)
    return score if isinstance(score, str) else fmt2(score)


def leaf_detail(leaf: Indicator, filled: Callable[[str], str]) -> str:
    """The 指标解释及完成情况 cell of the narrative report's scoring table (PDF and Word): the
    explanation, the target and actual, the 偏差原因, one per line; ``filled`` fills placeholders."""
    detail = [filled(leaf.explanation)] if leaf.explanation else []
    target, actual = target_text(leaf), actual_text(leaf)
    if target or actual:
        detail.append(f"年度指标值：{target or '—'}；实际完成值：{actual or '—'}")
    if leaf.deviation:
        detail.append(f"偏差原因：{filled(leaf.deviation)}")
    return "\n".join(detail)


def _leaves(node: Indicator, names: list[str]):
    if node.is_leaf:
        yield names + [leaf_title(node)], node
        return
    for child in node.children:
        yield from _leaves(child, names + [node.name])


def indicator_rows(report: Report, skip_top_execution: bool = False) -> list[IndicatorRow]:
    """One row per leaf. Deeper levels than 三级 are joined into the 三级 cell (“子项 / 四级”).
    ``skip_top_execution`` leaves out a 一级 预算执行率 leaf (the 自评表 shows it with the funds)."""
    rows: list[IndicatorRow] = []
    for i, top in enumerate(report.indicators):
        if skip_top_execution and top.is_leaf and is_execution_leaf(top):
            continue
        for names, leaf in _leaves(top, []):
            level3 = " / ".join(names[2:])
            rows.append(IndicatorRow(names[0], names[1] if len(names) > 1 else "", level3, leaf, i))
    # merge spans: consecutive rows under the same 一级 node, and the same 二级 name within it
    start = 0
    while start < len(rows):
        end = start
        while end + 1 < len(rows) and rows[end + 1].level1_index == rows[start].level1_index:
            end += 1
        rows[start].span1 = end - start + 1
        s2 = start
        while s2 <= end:
            e2 = s2
            while e2 + 1 <= end and rows[e2 + 1].level2 == rows[s2].level2 and rows[s2].level2:
                e2 += 1
            rows[s2].span2 = e2 - s2 + 1
            s2 = e2 + 1
        start = end + 1
    return rows


def execution_leaf(report: Report) -> Indicator | None:
    """The 一级 预算执行率 leaf of a 财政部自评表, if the report has one."""
    return next((n for n in report.indicators if n.is_leaf and is_execution_leaf(n)), None)
