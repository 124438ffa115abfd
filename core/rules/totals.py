"""Totals derived from a report: fund sums and rates, indicator subtotals, total score, grade.

Nothing here is stored: every figure is derived from the source rows and the leaves, so the 合计
row and the total score can never disagree with what they sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.model.model import Funds, Indicator, Report
from core.model.numbers import ZERO, ratio_percent, round2
from core.rules.rulesets import RuleSet, name_of, ruleset_of, score_cap
from core.rules.scoring import completion_rate, grade, suggested_score, target_and_actual


@dataclass
class FundRow:
    """The derived columns of one source row (or of the 合计 row)."""

    initial: Decimal
    adjusted: Decimal
    received: Decimal
    spent: Decimal
    remaining: Decimal  # 结余 = 实际到位 − 实际支出
    execution_rate: Decimal | None  # %, 2 decimals; None when the base is 0 (shown as 无)
    arrival_rate: Decimal | None


@dataclass
class FundTotals:
    rows: list[FundRow]
    total: FundRow
    execution_ratio: Decimal | None  # exact spent ÷ base, for scoring 预算执行率
    expenditure_total: Decimal | None  # sum of 支出明细, None when there are none
    balance_closing: Decimal | None  # opening + income − spent, None without a 结转结余 block


@dataclass
class NodeFigures:
    """Derived figures of one indicator node (leaf or parent)."""

    weight: Decimal  # sum of the leaf weights below (a leaf: its own)
    score: Decimal
    suggested: Decimal | None = None  # leaves only
    completion: Decimal | None = None  # leaves only, in %


@dataclass
class Level1:
    name: str
    weight: Decimal
    score: Decimal | None
    index: int


@dataclass
class Totals:
    funds: FundTotals
    weight: Decimal
    score: Decimal | None  # the sum of the leaf scores, always (INTERCHANGE totals.score)
    grade: str | None  # of capped_score
    level1: list[Level1]
    nodes: dict[int, NodeFigures] = field(default_factory=dict)  # by Indicator.uid
    rules: RuleSet = field(default_factory=RuleSet)  # the knobs everything here was derived with
    rules_name: str = "national"  # the preset's name, or "custom"
    #: The highest total the rule set allows at this 执行率 (DOMAIN §6), None when nothing caps it.
    score_cap: Decimal | None = None
    #: The total score after the cap (= score when no cap applies): what the grade is given for.
    capped_score: Decimal | None = None


_BASES = {"initial": 0, "adjusted": 1, "received": 2}  # the 执行率 base among (initial, adjusted, received)


def _row(initial, adjusted, received, spent, base: str) -> FundRow:
    base = (initial, adjusted, received)[_BASES[base]]
    return FundRow(
        initial=initial,
        adjusted=adjusted,
        received=received,
        spent=spent,
        remaining=received - spent,
        execution_rate=ratio_percent(spent, base),
        arrival_rate=ratio_percent(received, adjusted),
    )


def fund_totals(funds: Funds) -> FundTotals:
    by = funds.execution_base
    rows = []
    sums = [ZERO, ZERO, ZERO, ZERO]
    for src in funds.sources:
        values = (src.initial or ZERO, src.effective_adjusted or ZERO, src.received or ZERO, src.spent or ZERO)
        rows.append(_row(*values, by))
        sums = [a + b for a, b in zip(sums, values, strict=True)]
    total = _row(*sums, by)
    base = sums[_BASES[by]]
    ratio = sums[3] / base if base else None
    expenditure_total = None
    if funds.expenditures:
        expenditure_total = sum((e.amount or ZERO for e in funds.expenditures), ZERO)
    closing = None
    b = funds.balance
    if b is not None:
        closing = (b.opening or ZERO) + (b.income or ZERO) - (b.spent or ZERO)
    return FundTotals(rows, total, ratio, expenditure_total, closing)


def _node(node: Indicator, ratio: Decimal | None, rules: RuleSet, nodes: dict[int, NodeFigures]) -> NodeFigures:
    if node.is_leaf:
        pair = target_and_actual(node)  # read the figures once for both rules
        figs = NodeFigures(
            weight=node.weight or ZERO,
            score=node.score or ZERO,
            suggested=suggested_score(node, ratio, rules, pair),
            completion=completion_rate(node, pair),
        )
    else:
        weight = score = ZERO
        for child in node.children:
            sub = _node(child, ratio, rules, nodes)
            weight += sub.weight
            score += sub.score
        figs = NodeFigures(weight, score)
    nodes[node.uid] = figs
    return figs


def compute_totals(report: Report) -> Totals:
    """Every derived figure of ``report`` under its own rule set (``report.rules``)."""
    rules = ruleset_of(report.rules)
    funds = fund_totals(report.funds)
    nodes: dict[int, NodeFigures] = {}
    weight = score = ZERO
    level1 = []
    scored = report.scored
    for i, node in enumerate(report.indicators):
        figs = _node(node, funds.execution_ratio, rules, nodes)
        weight += figs.weight
        score += figs.score
        level1.append(Level1(node.name, round2(figs.weight), round2(figs.score) if scored else None, i))
    total_score = round2(score) if scored else None
    cap = score_cap(rules, funds.total.execution_rate) if scored else None
    cap = None if cap is None else round2(cap)
    capped = total_score if cap is None or total_score is None else min(total_score, cap)
    return Totals(
        funds,
        round2(weight),
        total_score,
        grade(capped),
        level1,
        nodes,
        rules=rules,
        rules_name=name_of(report.rules),
        score_cap=cap,
        capped_score=capped,
    )
