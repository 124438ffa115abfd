"""Totals derived from a report: fund sums and rates, indicator subtotals, total score, grade.

Nothing here is stored: every figure is derived from the source rows and the leaves, so the 合计
row and the total score can never disagree with what they sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.model.model import Funds, Indicator, Report
from core.model.numbers import HUNDRED, ZERO, ratio_percent, round2
from core.rules.leaf_memo import LeafMemo
from core.rules.rulesets import RuleSet, name_of, ruleset_of, score_cap
from core.rules.scoring import completion_rate, grade, suggested_score, target_and_actual

#: What the score of a leaf left out as 不适用 reads, in the window and in every printout.
LEFT_OUT = "不适用"


@dataclass
class FundRow:
    """The figures of one source row (or of the 合计 row), derived columns included.

    ``None`` is *not given* (INTERCHANGE "Additions → Not given"), never 0: a form without a
    实际到位数 column has no 到位率 and no 结余, and nothing here invents them.
    """

    initial: Decimal | None
    adjusted: Decimal | None  # 全年预算数; 年初预算数 when only it is given
    received: Decimal | None
    spent: Decimal | None
    remaining: Decimal | None  # 结余 = 实际到位 − 实际支出; None unless both are given
    execution_rate: Decimal | None  # %, 2 decimals; None when an input is not given or the base is 0 (无)
    arrival_rate: Decimal | None


@dataclass
class FundTotals:
    rows: list[FundRow]
    total: FundRow
    execution_ratio: Decimal | None  # exact spent ÷ base, for scoring 预算执行率; None when underivable
    expenditure_total: Decimal | None  # sum of the 支出明细 amounts given, None when none is given
    balance_closing: Decimal | None  # opening + income − spent, None unless all three are given
    #: The amount columns (initial, adjusted, received, spent) that some row gives and another row
    #: with figures leaves blank: their 合计 is only the sum of what is given (see fund_totals).
    partial: frozenset[str] = frozenset()
    base: str = "adjusted"  # the 执行率 base these were derived with (``Funds.execution_base``)

    def given(self, column: str) -> bool:
        """Whether the 合计 row's ``column`` can be stated. An amount can when some row gives it
        (its 合计 is the sum of what is given); 结余 and the rates can when every row with figures
        gives the amounts they need. A rate whose base is 0 is still given: it reads 无 because
        it is undefined, not because something is missing."""
        if column in _AMOUNTS:
            return getattr(self.total, column) is not None
        needs = ("spent", self.base) if column == "execution_rate" else _NEEDS[column]
        return all(getattr(self.total, n) is not None and n not in self.partial for n in needs)


@dataclass
class NodeFigures:
    """Derived figures of one indicator node (leaf or parent)."""

    weight: Decimal  # sum of the leaf weights below (a leaf: its own), left-out leaves included
    score: Decimal  # sum of the scores of the leaves below that count (a left-out leaf: 0)
    suggested: Decimal | None = None  # leaves only
    completion: Decimal | None = None  # leaves only, in %
    #: False: left out of the scoring (marked 不适用, itself or above, under a rule set that allows
    #: it: ``not_applicable == "rescale"``). Under the national rules every node counts.
    counted: bool = True
    #: The weights of the leaves below that count (a leaf: its own, or 0 when left out).
    counted_weight: Decimal = ZERO


@dataclass
class Level1:
    name: str
    weight: Decimal
    score: Decimal | None
    index: int
    #: The weights of the leaves under it that count (= weight unless some are left out as 不适用).
    counted_weight: Decimal = ZERO


@dataclass
class Totals:
    funds: FundTotals
    weight: Decimal
    #: The 总分: the sum of the leaf scores (INTERCHANGE totals.score); when leaves are left out as
    #: 不适用 (rule set ``not_applicable == "rescale"``, DOMAIN §6), the sum of the others' scores ×
    #: 100 ÷ their weights. None for a template without scores, or when every leaf is left out.
    score: Decimal | None
    grade: str | None  # of capped_score
    level1: list[Level1]
    nodes: dict[int, NodeFigures] = field(default_factory=dict)  # by Indicator.uid
    rules: RuleSet = field(default_factory=RuleSet)  # the knobs everything here was derived with
    rules_name: str = "national"  # the preset's name, or "custom"
    #: The highest total the rule set allows at this 执行率 (DOMAIN §6), None when nothing caps it.
    score_cap: Decimal | None = None
    #: The total score after the cap (= score when no cap applies): what the grade is given for.
    capped_score: Decimal | None = None
    #: The leaves left out as 不适用 (in report order; empty under a rule set that allows none).
    left_out: list[Indicator] = field(default_factory=list)
    #: Sum of the weights and of the scores of the leaves that count (the rescale's parts).
    counted_weight: Decimal = ZERO
    counted_score: Decimal = ZERO

    def counts(self, node: Indicator) -> bool:
        """Whether ``node`` is scored: False for a leaf left out as 不适用 (printed 不适用)."""
        figs = self.nodes.get(node.uid)
        return figs is None or figs.counted


_AMOUNTS = ("initial", "adjusted", "received", "spent")
#: What each derived column of the funds table needs (the 执行率 base is chosen per report).
_NEEDS = {"remaining": ("received", "spent"), "arrival_rate": ("received", "adjusted")}


def _difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _row(initial, adjusted, received, spent, base: str) -> FundRow:
    amounts = dict(zip(_AMOUNTS, (initial, adjusted, received, spent), strict=True))
    return FundRow(
        initial=initial,
        adjusted=adjusted,
        received=received,
        spent=spent,
        remaining=_difference(received, spent),
        execution_rate=ratio_percent(spent, amounts[base]),
        arrival_rate=ratio_percent(received, adjusted),
    )


def _sum(values: list[Decimal | None]) -> Decimal | None:
    given = [v for v in values if v is not None]
    return sum(given, ZERO) if given else None


def fund_totals(funds: Funds) -> FundTotals:
    """The funds table's figures, each source row and the 合计 row.

    A blank amount is *not given*, not 0 (DOMAIN §5 "Columns the form does not have"):

    - a source row derives 结余, 执行率 and 到位率 only from amounts it gives;
    - the 合计 of an amount column is the sum of the amounts given in it, as a person adds the
      column on paper, and ``None`` when no row gives it. A row that gives no amount at all (an
      empty 其他资金 row of the form) counts for nothing;
    - a column that some rows give and another row with figures leaves blank is *partial*: its
      合计 is still the sum of what is given, but no 合计 结余 or rate is derived from it (it would
      count the blank as 0), so those read ``None`` (无), and the 预算执行率 leaf gets no suggested
      score from them.

    ``adjusted`` is 年初预算数 where only that is given (:attr:`FundSource.effective_adjusted`).
    """
    by = funds.execution_base
    rows = []
    columns: list[list[Decimal | None]] = [[], [], [], []]
    for src in funds.sources:
        values = (src.initial, src.effective_adjusted, src.received, src.spent)
        rows.append(_row(*values, by))
        if any(v is not None for v in values):
            for column, value in zip(columns, values, strict=True):
                column.append(value)
    sums = [_sum(column) for column in columns]
    partial = frozenset(
        name
        for name, column in zip(_AMOUNTS, columns, strict=True)
        if any(v is None for v in column) and any(v is not None for v in column)
    )
    total = _row(*sums, by)
    # No 合计 figure is derived from a partial column: blank it out of the derived columns.
    if partial & {"received", "spent"}:
        total.remaining = None
    if partial & {"spent", by}:
        total.execution_rate = None
    if partial & {"received", "adjusted"}:
        total.arrival_rate = None
    spent, base = sums[3], sums[_AMOUNTS.index(by)]
    ratio = spent / base if total.execution_rate is not None and base else None
    expenditure_total = _sum([e.amount for e in funds.expenditures]) if funds.expenditures else None
    closing = None
    b = funds.balance
    if b is not None and None not in (b.opening, b.income, b.spent):
        closing = b.opening + b.income - b.spent
    return FundTotals(rows, total, ratio, expenditure_total, closing, partial, by)


def _node(
    node: Indicator,
    ratio: Decimal | None,
    rules: RuleSet,
    nodes: dict[int, NodeFigures],
    left_out: list[Indicator],
    memo: LeafMemo | None,
    counted: bool = True,
) -> NodeFigures:
    """The figures of ``node`` and of every node below it into ``nodes``. ``counted`` is False
    under a parent left out as 不适用; a leaf left out collects into ``left_out``. A leaf's
    figures come from ``memo`` when it holds them (core/rules/leaf_memo.py)."""
    counted = counted and (node.applicable or rules.not_applicable != "rescale")
    if node.is_leaf:
        kept = memo.figures.get(node.uid) if memo is not None else None
        if kept is not None and kept[0] == counted:
            figs = kept[1]
            if not counted:
                left_out.append(node)
            nodes[node.uid] = figs
            return figs
        weight = node.weight or ZERO
        if counted:
            pair = target_and_actual(node)  # read the figures once for both rules
            figs = NodeFigures(
                weight=weight,
                score=node.score or ZERO,
                suggested=suggested_score(node, ratio, rules, pair),
                completion=completion_rate(node, pair),
                counted_weight=weight,
            )
        else:  # 不适用: no suggested score, no 完成率, nothing summed
            figs = NodeFigures(weight=weight, score=ZERO, counted=False)
            left_out.append(node)
        if memo is not None:
            memo.figures[node.uid] = (counted, figs)
    else:
        weight = score = counted_weight = ZERO
        for child in node.children:
            sub = _node(child, ratio, rules, nodes, left_out, memo, counted)
            weight += sub.weight
            score += sub.score
            counted_weight += sub.counted_weight
        figs = NodeFigures(weight, score, counted=counted, counted_weight=counted_weight)
    nodes[node.uid] = figs
    return figs


def rescaled(score: Decimal, weight: Decimal) -> Decimal | None:
    """The 总分 when leaves are left out (DOMAIN §6): the others' scores × 100 ÷ their weights,
    half-up to 2 places; None when no weight is left to divide by."""
    return round2(score * HUNDRED / weight) if weight > 0 else None


def compute_totals(report: Report, memo: LeafMemo | None = None) -> Totals:
    """Every derived figure of ``report`` under its own rule set (``report.rules``). With a
    ``memo`` (a document's, kept between edits), leaves it holds are not derived again."""
    rules = ruleset_of(report.rules)
    funds = fund_totals(report.funds)
    if memo is not None:
        memo.start(report, funds)
    nodes: dict[int, NodeFigures] = {}
    left_out: list[Indicator] = []
    weight = score = counted_weight = ZERO
    level1 = []
    scored = report.scored
    for i, node in enumerate(report.indicators):
        figs = _node(node, funds.execution_ratio, rules, nodes, left_out, memo)
        weight += figs.weight
        score += figs.score
        counted_weight += figs.counted_weight
        level1.append(
            Level1(
                node.name,
                round2(figs.weight),
                round2(figs.score) if scored else None,
                i,
                round2(figs.counted_weight),
            )
        )
    if not scored:
        total_score = None
    elif left_out:
        total_score = rescaled(score, counted_weight)
    else:
        total_score = round2(score)
    if memo is not None:
        memo.trim(nodes)
    cap = score_cap(rules, funds.total.execution_rate) if total_score is not None else None
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
        left_out=left_out,
        counted_weight=round2(counted_weight),
        counted_score=round2(score),
    )
