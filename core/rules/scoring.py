"""Scoring rules of DOMAIN §2 and §6: suggested scores, completion rates, bands and grades.

Every rule that a province may turn is read from the :class:`RuleSet` handed in by the caller
(``core/rules/rulesets.py``); the grade bands 90/80/60 are the same everywhere."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from core.model.model import OPS, Indicator
from core.model.numbers import HUNDRED, ZERO, NumberError, fmt_plain, parse_figure, round2
from core.rules.rulesets import EXCEED_LIMIT, LOW_EXECUTION, RuleSet, band_limits

GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal("-Infinity")))
POSITIVE_OPS = (">=", ">", "=")


def grade(score: Decimal | None) -> str | None:
    if score is None:
        return None
    score = round2(score)
    for name, floor in GRADES:
        if score >= floor:
            return name
    return "差"  # pragma: no cover


@lru_cache(maxsize=65536)
def _figure(text: str, unit: str) -> Decimal | None:
    try:
        return parse_figure(text, unit)
    except NumberError:
        return None


def figure(value: Decimal | str | None, unit: str = "") -> Decimal | None:
    """A target value or actual as a number, or ``None`` when it is empty or not a number."""
    if value is None or isinstance(value, Decimal):
        return value
    return _figure(value, unit)


def is_execution_leaf(leaf: Indicator) -> bool:
    """The 预算执行率 leaf, scored from the funds (weight × 执行率, capped at the weight)."""
    return "预算执行率" in leaf.name or "预算执行率" in leaf.metric


def target_and_actual(leaf: Indicator) -> tuple[Decimal, Decimal] | None:
    if not leaf.quantitative:
        return None
    unit = leaf.target.unit
    target = figure(leaf.target.value, unit)
    actual = figure(leaf.actual, unit)
    if target is None or actual is None:
        return None
    return target, actual


_UNSET = object()


def suggested_score(leaf: Indicator, execution_ratio: Decimal | None, rules: RuleSet, pair=_UNSET) -> Decimal | None:
    """What the rules of DOMAIN §2 (with the knobs of ``rules``, §6) give for a leaf; ``None`` where
    they give nothing. ``pair`` is :func:`target_and_actual` of the leaf when the caller has it."""
    weight = leaf.weight
    if weight is None or not leaf.is_leaf:
        return None
    if is_execution_leaf(leaf):
        if execution_ratio is None:
            return None
        return round2(min(weight * max(execution_ratio, ZERO), weight))
    if leaf.qualitative:
        return weight if leaf.band == "full" else None
    if pair is _UNSET:
        pair = target_and_actual(leaf)
    if pair is None:
        return None
    target, actual = pair
    actual = max(actual, ZERO)  # a negative actual counts as 0
    op = leaf.target.op
    if op == "=" and target == 0:
        return weight if actual <= 0 else ZERO
    if op in POSITIVE_OPS:
        if actual >= target:
            return weight
        return round2(weight * actual / target)
    # 反向 (≤, <)
    if actual <= target:
        return weight
    if target <= 0:  # a target of 0 or less, exceeded
        return ZERO
    if rules.reverse == "ratio":  # 湖北 notes: weight × target ÷ actual
        return round2(weight * target / actual)
    if actual >= 2 * target:
        return ZERO
    return round2(weight * (1 - (actual - target) / target))


def completion_rate(leaf: Indicator, pair=_UNSET) -> Decimal | None:
    """完成率 in %: actual ÷ target (正向) or target ÷ actual (反向); 100 for a 达成 band."""
    if leaf.qualitative:
        return HUNDRED if leaf.band == "full" else None
    if pair is _UNSET:
        pair = target_and_actual(leaf)
    if pair is None:
        return None
    target, actual = pair
    if leaf.target.op in POSITIVE_OPS:
        if target == 0:
            return HUNDRED if actual <= 0 or leaf.target.op != "=" else ZERO
        return round2(actual * HUNDRED / target)
    if actual == 0:
        return None if target != 0 else HUNDRED
    return round2(target * HUNDRED / actual)


def needs_deviation(
    leaf: Indicator, completion: Decimal | None, rules: RuleSet, execution_rate: Decimal | None = None
) -> str | None:
    """``"missed"``, ``"exceeded"`` or ``"low_execution"`` when the leaf needs a 偏差原因, else None.

    ``execution_rate`` is the funds' 执行率 in % (2 decimals). National (§2): below the target or
    at completion ≥ 130 %. 广西 (§6: "a reason is needed past ±30 % (national notes), ≥ 130 %
    (广西)"): only at completion ≥ 130 %; a missed target alone needs none. The 四川 notes also ask
    for one on the 预算执行率 leaf when the 执行率 is under 90 %. A qualitative leaf not 达成 needs
    one under every rule set."""
    if (
        rules.deviation == "sichuan"
        and execution_rate is not None
        and execution_rate < LOW_EXECUTION
        and is_execution_leaf(leaf)
    ):
        return "low_execution"
    if leaf.qualitative:
        return "missed" if leaf.band in ("partial", "none") else None
    if completion is None:
        return None
    if completion < HUNDRED:
        return None if rules.deviation == "guangxi" else "missed"
    if completion >= EXCEED_LIMIT:
        return "exceeded"
    return None


def band_range(leaf: Indicator, rules: RuleSet) -> tuple[Decimal, Decimal] | None:
    """The score range a qualitative leaf's band allows under ``rules``."""
    if not leaf.qualitative or leaf.weight is None:
        return None
    limits = band_limits(rules)
    if leaf.band not in limits:
        return None
    low, high = limits[leaf.band]
    return round2(leaf.weight * low), round2(leaf.weight * high)


def figure_text(value: Decimal | str | None, unit: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        text = fmt_plain(value.normalize()) if value == value.to_integral() else fmt_plain(value)
    else:
        text = value
    return f"{text}{unit}"


def target_text(leaf: Indicator) -> str:
    t = leaf.target
    if t is None or (t.op == "" and t.value in (None, "")):
        return ""
    if t.op in ("", "qualitative"):
        return figure_text(t.value)
    return f"{OPS[t.op]}{figure_text(t.value, t.unit)}"


def actual_text(leaf: Indicator) -> str:
    unit = leaf.target.unit if leaf.quantitative else ""
    return figure_text(leaf.actual, unit if isinstance(leaf.actual, Decimal) else "")
