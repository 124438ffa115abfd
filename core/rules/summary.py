"""Totals as the interchange JSON gives them (``check --json``)."""

from __future__ import annotations

from core.model.model import Report
from core.model.numbers import fmt2, fmt_rate
from core.rules.rulesets import NATIONAL, label_of, note
from core.rules.totals import Totals


def score_notes(report: Report, totals: Totals) -> list[str]:
    """The 评分标准 lines printed under a scoring table: the 执行率 cap when it lowered the total,
    and the rule set when it is not the national one. None for the national rules uncapped."""
    if not report.scored:
        return []
    out = [cap_text(totals) + "。"] if cap_text(totals) else []
    if totals.rules_name != NATIONAL:
        out.append(note(report.rules))
    return out


def rules_status(report: Report, totals: Totals) -> str:
    """What the window's status bar says of the rule set in force (and of its cap, when it bites)."""
    text = f"评分规则：{label_of(report.rules)}"
    if cap_text(totals):
        text += f"（按执行率限分，综合得分 {fmt2(totals.capped_score)}）"
    return text


def cap_text(totals: Totals) -> str:
    """One sentence when the rule set's 执行率 cap lowers the total (DOMAIN §6), else ''."""
    if totals.score is None or totals.capped_score is None or totals.capped_score >= totals.score:
        return ""
    return (
        f"执行率 {fmt_rate(totals.funds.total.execution_rate)}，按评分规则总分最高 {fmt2(totals.score_cap)} 分："
        f"各项得分合计 {fmt2(totals.score)} 分，综合得分 {fmt2(totals.capped_score)} 分"
    )


def totals_json(report: Report, totals: Totals) -> dict:
    """The ``totals`` of ``check --json``. A fund figure that cannot be derived because an amount
    is not given (INTERCHANGE "Not given") is ``null``, as is a rate whose base is 0."""
    f = totals.funds.total

    def given(value):
        return None if value is None else fmt2(value)

    return {
        "weight": fmt2(totals.weight),
        "score": given(totals.score),
        "grade": totals.grade,
        # Additions (issue 17): the total after the rule set's 执行率 cap, which the grade is given
        # for (equal to score when nothing caps it), the cap in force, and the rule set's name.
        "capped_score": given(totals.capped_score),
        "score_cap": given(totals.score_cap),
        "rules": totals.rules_name,
        "level1": [{"name": x.name, "weight": fmt2(x.weight), "score": given(x.score)} for x in totals.level1],
        "funds": {
            "initial": given(f.initial),
            "adjusted": given(f.adjusted),
            "received": given(f.received),
            "spent": given(f.spent),
            "remaining": given(f.remaining),
            "execution_rate": given(f.execution_rate),
            "arrival_rate": given(f.arrival_rate),
        },
    }
