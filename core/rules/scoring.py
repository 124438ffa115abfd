"""Scoring rules of DOMAIN §2: suggested scores, completion rates, bands and grades."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from core.model.model import OPS, Indicator
from core.model.numbers import HUNDRED, ZERO, NumberError, fmt_plain, parse_figure, round2

GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal("-Infinity")))
#: Qualitative bands as fractions of the weight: (lowest, highest).
BAND_LIMITS = {
    "full": (Decimal("0.8"), Decimal(1)),
    "partial": (Decimal("0.6"), Decimal("0.8")),
    "none": (Decimal(0), Decimal("0.6")),
}
#: Completion at or above this (in %) counts as exceeding the target and needs a reason.
EXCEED_LIMIT = Decimal(130)
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


def suggested_score(leaf: Indicator, execution_ratio: Decimal | None, pair=_UNSET) -> Decimal | None:
    """What the rules of DOMAIN §2 give for a leaf; ``None`` where they give nothing.
    ``pair`` is :func:`target_and_actual` of the leaf when the caller has it already."""
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
    if target <= 0 or actual >= 2 * target:
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


def needs_deviation(leaf: Indicator, completion: Decimal | None) -> str | None:
    """``"missed"`` or ``"exceeded"`` when the leaf needs a 偏差原因, else ``None``."""
    if leaf.qualitative:
        return "missed" if leaf.band in ("partial", "none") else None
    if completion is None:
        return None
    if completion < HUNDRED:
        return "missed"
    if completion >= EXCEED_LIMIT:
        return "exceeded"
    return None


def band_range(leaf: Indicator) -> tuple[Decimal, Decimal] | None:
    """The score range a qualitative leaf's band allows."""
    if not leaf.qualitative or leaf.band not in BAND_LIMITS or leaf.weight is None:
        return None
    low, high = BAND_LIMITS[leaf.band]
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
