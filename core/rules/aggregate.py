"""The 汇总表's figures over many reports (issue 21): a row per report, sums where sums mean
something, funding-weighted 执行率 and score beside the plain means, the grade count.

Amounts are brought to one unit, 万元: a report kept in 元 is divided by 10,000 and each row's
amount rounded half-up to 2 decimals, as the row shows it; the sums add the rows as shown, and the
weighted figures are taken from those sums, so a person checking the printed table by hand gets
the same figures.

A report whose 全年预算数 or 实际支出数 is not given (INTERCHANGE "Not given") shows a blank cell,
never 0.00. The foot follows the funds table's rule (core/rules/totals.py ``fund_totals``): a
column's 合计 is the sum of the amounts given, blank when no report gives it; the weighted 执行率
and score are blank when a report that counts in them leaves an amount they need blank, since
they would otherwise count it as 0 (the plain means stay, over the reports that have the figure).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from core.model.model import Report
from core.model.numbers import ZERO, ratio_percent, round2
from core.model.places import place_words
from core.rules.checks import ERROR, WARNING, Finding
from core.rules.scoring import GRADES
from core.rules.totals import Totals

#: The unit every amount of the 汇总表 is given in, and how many of a report's unit make one.
SUMMARY_UNIT = "万元"
_PER_SUMMARY_UNIT = {"万元": Decimal(1), "元": Decimal(10000)}
GRADE_NAMES = tuple(name for name, _ in GRADES)  # 优 良 中 差


@dataclass
class Problem:
    """One open finding of one report, with its place in words."""

    finding: Finding
    place: str


@dataclass
class SummaryRow:
    file: str
    name: str
    unit_name: str  # 单位: the 项目单位, else the 部门名称
    supervisor: str
    year: int | None
    amount_unit: str  # the unit the report itself is kept in
    adjusted: Decimal | None  # 全年预算数, in SUMMARY_UNIT, 2 decimals; None: not given
    spent: Decimal | None  # 实际支出数, likewise
    execution_rate: Decimal | None  # the report's own 执行率 (its own base), %
    score: Decimal | None  # None for 转移支付
    grade: str | None
    errors: dict[str, int]  # code → count, by code
    warnings: dict[str, int]
    problems: list[Problem] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def warning_count(self) -> int:
        return sum(self.warnings.values())


@dataclass
class Unreadable:
    file: str
    reason: str


@dataclass
class Aggregate:
    rows: list[SummaryRow]
    unreadable: list[Unreadable]
    adjusted: Decimal | None  # Σ 全年预算数 given, 万元; None when no report gives it
    spent: Decimal | None  # Σ 实际支出数 given, 万元
    execution_rate: Decimal | None  # Σspent ÷ Σadjusted, %; None when a report gives one and not the other
    mean_execution_rate: Decimal | None  # plain mean of the rows' 执行率
    weighted_score: Decimal | None  # Σ(score × adjusted) ÷ Σadjusted over the scored rows
    mean_score: Decimal | None
    grades: dict[str, int]  # 优 良 中 差 → how many reports
    unscored: int  # reports without a score (转移支付)
    errors: int
    warnings: int


def to_summary_unit(amount: Decimal | None, unit: str) -> Decimal | None:
    """An amount in ``unit`` (万元 or 元) in 万元, rounded half-up to 2 decimals (None: not given)."""
    if amount is None:
        return None
    return round2(amount / _PER_SUMMARY_UNIT.get(unit, Decimal(1)))


def counted(findings: list[Finding], severity: str) -> dict[str, int]:
    return dict(sorted(Counter(f.code for f in findings if f.severity == severity).items()))


def codes_text(counts: dict[str, int]) -> str:
    """``{"I02": 1, "I07": 3}`` → ``I02×1、I07×3``."""
    return "、".join(f"{code}×{n}" for code, n in counts.items())


def summary_row(file: str, report: Report, totals: Totals, findings: list[Finding]) -> SummaryRow:
    """One report's row: its figures, and its open findings with their places in words (taken now,
    so the report itself need not be kept)."""
    p = report.project
    unit = report.funds.unit
    total = totals.funds.total
    return SummaryRow(
        file=file,
        name=p.name,
        unit_name=p.implementing_unit or p.department,
        supervisor=p.supervisor,
        year=p.year,
        amount_unit=unit,
        adjusted=to_summary_unit(total.adjusted, unit),
        spent=to_summary_unit(total.spent, unit),
        execution_rate=total.execution_rate,
        score=totals.score,
        grade=totals.grade,
        errors=counted(findings, ERROR),
        warnings=counted(findings, WARNING),
        problems=[Problem(f, place_words(f.path, report)) for f in findings],
    )


def _mean(values: list[Decimal]) -> Decimal | None:
    return round2(sum(values, ZERO) / len(values)) if values else None


def _sum(values: list[Decimal | None]) -> Decimal | None:
    given = [v for v in values if v is not None]
    return sum(given, ZERO) if given else None


def aggregate(rows: list[SummaryRow], unreadable: list[Unreadable]) -> Aggregate:
    adjusted = _sum([r.adjusted for r in rows])
    spent = _sum([r.spent for r in rows])
    # The weighted 执行率 over the reports that give any amount: each of them must give both.
    with_funds = [r for r in rows if r.adjusted is not None or r.spent is not None]
    execution_rate = None
    if all(r.adjusted is not None and r.spent is not None for r in with_funds):
        execution_rate = ratio_percent(spent, adjusted)
    scored = [r for r in rows if r.score is not None]
    weighted = None
    if all(r.adjusted is not None for r in scored):
        scored_base = sum((r.adjusted for r in scored), ZERO)
        if scored_base:
            weighted = round2(sum((r.score * r.adjusted for r in scored), ZERO) / scored_base)
    grades = {name: sum(1 for r in rows if r.grade == name) for name in GRADE_NAMES}
    return Aggregate(
        rows=rows,
        unreadable=unreadable,
        adjusted=adjusted,
        spent=spent,
        execution_rate=execution_rate,
        mean_execution_rate=_mean([r.execution_rate for r in rows if r.execution_rate is not None]),
        weighted_score=weighted,
        mean_score=_mean([r.score for r in scored]),
        grades=grades,
        unscored=len(rows) - len(scored),
        errors=sum(r.error_count for r in rows),
        warnings=sum(r.warning_count for r in rows),
    )
