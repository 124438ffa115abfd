"""Totals as the interchange JSON gives them (``check --json``)."""

from __future__ import annotations

from core.model.model import Report, path_str, walk_indicators
from core.model.numbers import ZERO, fmt2, fmt_rate, round2
from core.rules.rulesets import NATIONAL, label_of, note
from core.rules.totals import LEFT_OUT, Totals


def score_notes(report: Report, totals: Totals) -> list[str]:
    """The 评分标准 lines printed under a scoring table: the leaves left out as 不适用 and the
    rescale, the 执行率 cap when it lowered the total, and the rule set when it is not the
    national one. None for the national rules uncapped."""
    if not report.scored:
        return []
    out = [left_out_text(totals) + "。"] if totals.left_out else []
    out += [cap_text(totals) + "。"] if cap_text(totals) else []
    if totals.rules_name != NATIONAL:
        out.append(note(report.rules))
    return out


def rules_status(report: Report, totals: Totals) -> str:
    """What the window's status bar says of the rule set in force (and of the leaves it leaves out
    as 不适用, and of its cap when it bites)."""
    text = f"评分规则：{label_of(report.rules)}"
    if totals.left_out:
        scaled = f"总分折算为 {fmt2(totals.score)}" if totals.score is not None else "无可计分指标"
        text += f"（{len(totals.left_out)} 项不适用，{scaled}）"
    if cap_text(totals):
        text += f"（按执行率限分，综合得分 {fmt2(totals.capped_score)}）"
    return text


def left_out_text(totals: Totals) -> str:
    """One sentence naming the leaves left out as 不适用, what each 一级 keeps and the 总分 they
    were scaled to (DOMAIN §6), else ''."""
    if not totals.left_out:
        return ""
    names = "、".join(leaf.label() for leaf in totals.left_out)
    left = round2(sum((leaf.weight or ZERO for leaf in totals.left_out), ZERO))
    text = f"不适用指标（不评分、不计入总分）：{names}，分值合计 {fmt2(left)} 分"
    parts = [f"{x.name or '一级指标'} {fmt2(x.counted_weight)}/{fmt2(x.weight)}" for x in totals.level1]
    if any(x.counted_weight != x.weight for x in totals.level1):
        text += f"；各一级指标参与计分的分值：{'，'.join(parts)}"
    if totals.score is None:
        return text + "；没有可计分的指标，无法折算总分"
    return (
        f"{text}；其余指标分值合计 {fmt2(totals.counted_weight)} 分、得分合计 {fmt2(totals.counted_score)} 分，"
        f"折算为百分制总分 {fmt2(totals.score)} 分（得分合计 × 100 ÷ {fmt2(totals.counted_weight)}）"
    )


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
        "level1": [
            {"name": x.name, "weight": fmt2(x.weight), "score": given(x.score)}
            # …with the weights that count when leaves are left out as 不适用 (issue 17)
            | ({"applicable_weight": fmt2(x.counted_weight)} if totals.left_out else {})
            for x in totals.level1
        ],
        # Additions (issue 17): the leaves left out as 不适用 under a rule set that rescales, the
        # weights that count, and the sum of their scores before the rescale to 100.
        "applicable_weight": fmt2(totals.counted_weight),
        "applicable_score": given(totals.counted_score) if report.scored else None,
        "not_applicable": [
            {"path": path_str(path), "name": node.name, "weight": given(node.weight), "score": LEFT_OUT}
            for path, node, _depth in walk_indicators(report.indicators)
            if node.is_leaf and not totals.counts(node)
        ],
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
