"""Scoring rule sets of DOMAIN §6: the knobs a province turns, as data, and the named presets.

A report names its rule set (``Report.rules``): a preset name such as ``"hubei"``, or a
:class:`RuleSet` of custom knobs read from a file. Everything that scores or checks asks
:func:`ruleset_of` for the knobs and is handed them explicitly; nothing reads a global.

The 执行率 base. The report's own ``funds.execution_base`` stays the source of truth for the base
of 执行率 (so a file written before rule sets existed means what it meant, and the choice on the
项目资金 tab keeps working). The rule set's ``execution_base`` is the *default*: a new report takes
it (``core/model/templates.py`` ``new_report``), a report JSON without ``funds.execution_base``
takes it, and changing the rule set moves the base along only while the report still uses the old
rule set's default (``core/document.py`` ``Document.set_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.model.model import EXECUTION_BASES
from core.model.numbers import HUNDRED, NumberError, fmt_plain, parse_decimal

NATIONAL = "national"
CUSTOM = "custom"
CUSTOM_LABEL = "自定义"

#: 反向 (≤, <) scoring: name → Chinese label.
REVERSE = {"linear": "线性递减（2 倍指标值得 0 分）", "ratio": "分值 × 指标值 ÷ 实际值"}
#: When a 偏差原因 is needed: name → Chinese label.
DEVIATION = {
    "national": "未达到或超出 30% 以上",
    # DOMAIN §6: "a reason is needed past ±30 % (national notes), ≥ 130 % (广西)": under 广西 only a
    # quantitative leaf at 完成率 ≥ 130 % (and a qualitative one not 达成) needs one; a miss alone does not.
    "guangxi": "完成率达到 130% 及以上",
    "sichuan": "未达到或超出 30% 以上，执行率低于 90% 时预算执行率须说明",
}
#: What a leaf marked 不适用 does (DOMAIN §6, last bullet): name → Chinese label.
NOT_APPLICABLE = {
    "none": "不允许剔除（不适用的指标照常计分）",
    "rescale": "剔除不适用指标，其余指标得分折算为百分制",
}
#: Completion (in %) at or above which a quantitative leaf has exceeded its target.
EXCEED_LIMIT = Decimal(130)
#: 四川: an 执行率 (in %) below this needs a 偏差原因 on the 预算执行率 leaf.
LOW_EXECUTION = Decimal(90)


class RuleSetError(ValueError):
    """A rule set in a file is wrong. ``key`` is the knob ('' for the whole), ``message`` Chinese."""

    def __init__(self, key: str, message: str):
        self.key = key
        self.message = message
        super().__init__(f"{key}：{message}" if key else message)


@dataclass(frozen=True)
class RuleSet:
    """The knobs of DOMAIN §6. Percentages are of the weight (bands) or of the budget (执行率)."""

    #: The 预算执行率 (预算执行情况) leaf's weight in a template made with this rule set.
    execution_weight: Decimal = Decimal(10)
    #: Lower limits of 达成 and 部分达成, in % of the weight (未达成 runs from 0 to the second).
    qualitative_bands: tuple[Decimal, Decimal] = (Decimal(80), Decimal(60))
    #: 反向 scoring past the target: "linear" (national) or "ratio" (weight × target ÷ actual).
    reverse: str = "linear"
    #: When a 偏差原因 is needed: "national", "guangxi" or "sichuan" (see :data:`DEVIATION`).
    deviation: str = "national"
    #: The default 执行率 base for a new report: "adjusted", "received" or "initial".
    execution_base: str = "adjusted"
    #: (执行率 below, highest total score), e.g. ((80, 89), (70, 79), (60, 69)); empty: no cap.
    score_caps: tuple[tuple[Decimal, Decimal], ...] = ()
    #: Leaves marked 不适用: "none" (national: nothing may be left out; the mark changes no figure and
    #: check I11 says so) or "rescale" (left out, the rest's scores scaled to 100; DOMAIN §6).
    not_applicable: str = "none"


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    rules: RuleSet


def _d(*values: str | int) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        # 财预〔2020〕10号《项目支出绩效评价管理办法》附件1 项目支出绩效自评表 and its notes (DOMAIN §2).
        Preset(NATIONAL, "全国通用（财预〔2020〕10号）", RuleSet()),
        # 湖北 项目支出绩效自评表: 预算执行情况 20 + 年度绩效目标 80; its 填表说明 score 反向 indicators
        # as weight × target ÷ actual and band qualitative results 100–80 %, 80–50 %, 50–0 % (DOMAIN §6).
        Preset(
            "hubei",
            "湖北式（预算执行 20 分，定性 80/50）",
            RuleSet(execution_weight=Decimal(20), qualitative_bands=_d(80, 50), reverse="ratio"),
        ),
        # 四川 项目支出绩效自评表 填报说明: a reason is also asked when 执行率 is under 90 % (DOMAIN §6).
        Preset("sichuan", "四川式（执行率低于 90% 须说明）", RuleSet(deviation="sichuan")),
        # 广西 项目支出绩效自评表 填报说明: a reason at 完成率 ≥ 130 % (DOMAIN §6: "a reason is needed
        # past ±30 % (national notes), ≥ 130 % (广西)"); a missed target alone asks none.
        Preset("guangxi", "广西式（完成率 130% 以上须说明）", RuleSet(deviation="guangxi")),
        # Forms that cap the total score by 执行率: 70–80 % → at most 89, 60–70 % → 79, under 60 % → 69
        # (DOMAIN §6, "some places cap the total score by 执行率").
        Preset(
            "capped",
            "执行率限分（执行率低于 80% 限制总分）",
            RuleSet(score_caps=(_d(80, 89), _d(70, 79), _d(60, 69))),
        ),
    )
}
KNOBS = tuple(f.name for f in fields(RuleSet))
#: How the window names each knob.
KNOB_LABELS = {
    "execution_weight": "预算执行率分值",
    "qualitative_bands": "定性指标档次",
    "reverse": "反向指标计分",
    "deviation": "须说明偏差原因的情形",
    "execution_base": "执行率计算口径",
    "score_caps": "按执行率限制总分",
    "not_applicable": "不适用指标",
}


def ruleset_of(rules: str | RuleSet | None) -> RuleSet:
    """The knobs of a report's ``rules`` (a preset name, a custom set, or None for national)."""
    if isinstance(rules, RuleSet):
        return rules
    return PRESETS[rules or NATIONAL].rules


def name_of(rules: str | RuleSet | None) -> str:
    """The preset name, or ``"custom"`` for a set of custom knobs (``check --json`` totals.rules)."""
    return CUSTOM if isinstance(rules, RuleSet) else (rules or NATIONAL)


def label_of(rules: str | RuleSet | None) -> str:
    return CUSTOM_LABEL if isinstance(rules, RuleSet) else PRESETS[rules or NATIONAL].label


@lru_cache(maxsize=64)
def band_limits(rules: RuleSet) -> dict[str, tuple[Decimal, Decimal]]:
    """Qualitative bands as fractions of the weight: band → (lowest, highest). Cached (a rule set
    is frozen): asked for every qualitative leaf on every recheck; do not change the dict."""
    full, partial = (x / HUNDRED for x in rules.qualitative_bands)
    return {"full": (full, Decimal(1)), "partial": (partial, full), "none": (Decimal(0), partial)}


def score_cap(rules: RuleSet, execution_rate: Decimal | None) -> Decimal | None:
    """The highest total score the 执行率 (in %, as shown: 2 decimals) allows; None: no cap. A
    report without an 执行率 (the base is 0) is not capped."""
    if execution_rate is None:
        return None
    caps = [top for below, top in rules.score_caps if execution_rate < below]
    return min(caps) if caps else None


# --- explanations for the window and the printed 评分标准 line ---------------------------------


def _pct(value: Decimal) -> str:
    return fmt_plain(value.normalize()) if value == value.to_integral() else fmt_plain(value)


def explain(rules: RuleSet) -> list[tuple[str, str]]:
    """(knob label, one Chinese paragraph) for every knob, in the order of :data:`KNOBS`."""
    full, partial = (_pct(x) for x in rules.qualitative_bands)
    weight = _pct(rules.execution_weight)
    if rules.reverse == "ratio":
        reverse = "反向指标（≤、＜）：实际值不超过指标值的得满分；超过的，得分 = 分值 × 指标值 ÷ 实际值。"
    else:
        reverse = (
            "反向指标（≤、＜）：实际值不超过指标值的得满分；超过的，得分 = 分值 × (1 − (实际值 − 指标值) ÷ 指标值)，"
            "达到指标值 2 倍及以上的得 0 分。"
        )
    deviation = {
        "national": "定量指标完成率低于 100%（未达到年度指标值）或达到 130% 及以上（超出 30% 以上），"
        "以及定性指标为“部分达成”“未达成”的，须填写偏差原因分析及改进措施。",
        "guangxi": "定量指标完成率达到 130% 及以上，以及定性指标为“部分达成”“未达成”的，"
        "须填写偏差原因分析及改进措施；只是未达到年度指标值的，不要求说明。",
        "sichuan": "定量指标完成率低于 100% 或达到 130% 及以上，以及定性指标为“部分达成”“未达成”的，"
        f"须填写偏差原因分析及改进措施；资金执行率低于 {_pct(LOW_EXECUTION)}% 的，预算执行率指标也须说明原因。",
    }[rules.deviation]
    base = EXECUTION_BASES[rules.execution_base]
    if rules.score_caps:
        caps = "；".join(f"执行率低于 {_pct(b)}% 的，总分最高 {_pct(t)} 分" for b, t in rules.score_caps)
        cap = f"按资金执行率限制总分：{caps}。评价等级按限制后的总分确定。"
    else:
        cap = "总分不因执行率设上限，评价等级按各项得分合计确定。"
    if rules.not_applicable == "rescale":
        not_applicable = (
            "对本项目不适用的末级指标可标为“不适用”：该指标不评分、不计入总分，"
            "总分 = 其余指标得分合计 × 100 ÷ 其余指标分值合计（四舍五入保留两位小数），评价等级按折算后的总分确定。"
        )
    else:
        not_applicable = (
            "不允许剔除指标：标为“不适用”的指标仍须按分值评分并计入总分（检查结果会提示）；"
            "如本地填表说明允许剔除后折算，请在“自定义…”中选择折算。"
        )
    return [
        (KNOB_LABELS["execution_weight"], f"预算执行率指标 {weight} 分，得分 = 分值 × 执行率，不超过分值。"),
        (
            KNOB_LABELS["qualitative_bands"],
            f"定性指标按占分值的比例分三档：达成年度指标 {full}%～100%，部分达成并具有一定效果 {partial}%～{full}%，"
            f"未达成且效果较差 0～{partial}%；得分须在所选档次内。",
        ),
        (KNOB_LABELS["reverse"], reverse),
        (KNOB_LABELS["deviation"], deviation),
        (
            KNOB_LABELS["execution_base"],
            f"执行率 = 实际支出数 ÷ {base}。新建报告按此口径，之后以“项目资金”页的选择为准。",
        ),
        (KNOB_LABELS["score_caps"], cap),
        (KNOB_LABELS["not_applicable"], not_applicable),
    ]


def explanation_text(rules: str | RuleSet | None) -> str:
    """The rule set's label and every knob's paragraph, one per line (the window's tooltip)."""
    lines = [f"评分规则：{label_of(rules)}"]
    lines += [f"{label}：{text}" for label, text in explain(ruleset_of(rules))]
    return "\n".join(lines)


def note(rules: str | RuleSet | None) -> str:
    """The 评分标准 line printed under a scoring table when the rules are not the national ones
    (the national rules are what a reader of the form expects; anything else is said)."""
    r = ruleset_of(rules)
    full, partial = (_pct(x) for x in r.qualitative_bands)
    parts = [f"定性指标档次 {full}%/{partial}%", f"反向指标 {REVERSE[r.reverse]}"]
    if r.deviation == "sichuan":
        parts.append(f"执行率低于 {_pct(LOW_EXECUTION)}% 须说明原因")
    if r.deviation == "guangxi":
        parts.append("完成率达到 130% 及以上须说明偏差原因")
    if r.not_applicable == "rescale":
        parts.append("不适用指标不计分，其余指标得分折算为百分制")
    if r.score_caps:
        parts.append("、".join(f"执行率低于 {_pct(b)}% 总分最高 {_pct(t)} 分" for b, t in r.score_caps))
    return f"评分标准：{label_of(rules)}；" + "；".join(parts) + "。"


# --- the JSON form (INTERCHANGE "Additions": rules) --------------------------------------------


def _number(value: Any, key: str) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise RuleSetError(key, "应为数字")
    try:
        number = parse_decimal(value, allow_negative=True)
    except NumberError as exc:
        raise RuleSetError(key, f"“{value}”{exc}") from None
    if number is None or not 0 <= number <= HUNDRED:
        raise RuleSetError(key, f"“{value}”应为 0～100 之间的数")
    return number


def _choice(value: Any, key: str, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        allowed = "、".join(choices)
        raise RuleSetError(key, f"“{value}”不是可选值（可选：{allowed}）")
    return value


def _pairs(value: Any, key: str) -> list:
    if not isinstance(value, list):
        raise RuleSetError(key, "应为列表")
    return value


def from_data(value: Any) -> str | RuleSet:
    """``rules`` as the JSON holds it: absent/null → national, a preset name, or an object of knobs
    (a knob left out takes the national value; unknown keys are ignored)."""
    if value is None:
        return NATIONAL
    if isinstance(value, str):
        if value not in PRESETS:
            known = "、".join(PRESETS)
            raise RuleSetError("", f"未知的评分规则“{value}”（可选：{known}，或写成各项规则组成的对象）")
        return value
    if not isinstance(value, dict):
        raise RuleSetError("", "应为评分规则名称或对象")
    knobs: dict[str, Any] = {}
    if "execution_weight" in value:
        knobs["execution_weight"] = _number(value["execution_weight"], "execution_weight")
    if "qualitative_bands" in value:
        bands = _pairs(value["qualitative_bands"], "qualitative_bands")
        if len(bands) != 2:
            raise RuleSetError("qualitative_bands", "应为两个数：达成、部分达成的下限（占分值的百分比）")
        full, partial = (_number(x, f"qualitative_bands[{i}]") for i, x in enumerate(bands))
        if partial > full:
            raise RuleSetError("qualitative_bands", "部分达成的下限不能高于达成的下限")
        knobs["qualitative_bands"] = (full, partial)
    if "reverse" in value:
        knobs["reverse"] = _choice(value["reverse"], "reverse", REVERSE)
    if "deviation" in value:
        knobs["deviation"] = _choice(value["deviation"], "deviation", DEVIATION)
    if "execution_base" in value:
        knobs["execution_base"] = _choice(value["execution_base"], "execution_base", EXECUTION_BASES)
    if "score_caps" in value:
        caps = []
        for i, pair in enumerate(_pairs(value["score_caps"], "score_caps")):
            key = f"score_caps[{i}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise RuleSetError(key, "应为两个数：执行率低于（%）、总分最高")
            caps.append((_number(pair[0], key + "[0]"), _number(pair[1], key + "[1]")))
        knobs["score_caps"] = tuple(caps)
    if "not_applicable" in value:
        knobs["not_applicable"] = _choice(value["not_applicable"], "not_applicable", NOT_APPLICABLE)
    return RuleSet(**knobs)


def to_data(rules: str | RuleSet | None) -> str | dict:
    """A preset by its name; custom knobs as an object with every knob (numbers as plain text)."""
    if not isinstance(rules, RuleSet):
        return rules or NATIONAL
    return {
        "execution_weight": fmt_plain(rules.execution_weight),
        "qualitative_bands": [fmt_plain(x) for x in rules.qualitative_bands],
        "reverse": rules.reverse,
        "deviation": rules.deviation,
        "execution_base": rules.execution_base,
        "score_caps": [[fmt_plain(b), fmt_plain(t)] for b, t in rules.score_caps],
        "not_applicable": rules.not_applicable,
    }
