"""The one number parser and the formatting of figures.

Everything a user types or a JSON file holds as a figure passes through :func:`parse_decimal`,
so ``1,234.50``, ``１２３．４５``, ``600万元`` and `` 70.62% `` mean the same everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.model.limits import AMOUNT_LIMIT, FIGURE_DIGITS
from core.model.textutil import CONTROL

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
LIMIT = AMOUNT_LIMIT  # larger than any budget a county could state: a typo, not a figure
MAX_LENGTH = FIGURE_DIGITS

# Full-width and look-alike characters that mean the ASCII ones in a figure.
_TRANSLATE = str.maketrans(
    {
        "．": ".",
        "。": ".",
        "，": ",",
        "、": ",",
        "－": "-",
        "−": "-",
        "—": "-",
        "–": "-",
        "＋": "+",
        "％": "%",
        "（": "(",
        "）": ")",
        "﹣": "-",
        "﹐": ",",
        "﹒": ".",
    }
)
_UNITS_AMOUNT = {"万元": Decimal(10000), "元": Decimal(1)}
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


class NumberError(ValueError):
    """A figure the user typed cannot be read. ``str()`` is a short Chinese reason."""


def _normalise(text: str) -> str:
    text = CONTROL.sub("", unicodedata.normalize("NFKC", text)).translate(_TRANSLATE)
    return "".join(text.split())


def parse_decimal(
    text: str | int | Decimal | None,
    *,
    unit: str | None = None,
    suffixes: tuple[str, ...] = (),
    allow_negative: bool = True,
) -> Decimal | None:
    """Read a figure; ``None`` for an empty entry.

    ``unit`` is the table's money unit (万元 or 元): a trailing 万元/元 is converted to it, so
    ``600万元`` in a 元 table is 6,000,000. A trailing ``%`` is dropped (the figure stays a
    percentage number: ``70.62%`` → 70.62), as is any of ``suffixes`` (an indicator's unit).
    Raises :class:`NumberError` with a short Chinese reason.
    """
    if text is None:
        return None
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise NumberError("不是数字")
    if isinstance(text, Decimal):
        value = text
    else:
        value = _read_text(str(text), unit, suffixes)
        if value is None:
            return None
    _check_limits(value, allow_negative)
    return abs(value) if value == 0 else value  # no "-0.00"


def _read_text(text: str, unit: str | None, suffixes: tuple[str, ...]) -> Decimal | None:
    """A typed figure: normalised, its unit or % taken off, then the digits read."""
    if len(text) > 200:
        raise NumberError("内容过长，不是数字")
    s = _normalise(text)
    if not s:
        return None
    s, factor = _strip_unit(s, unit, suffixes)
    negative = s.startswith("(") and s.endswith(")")  # accounting style (5.00)
    if negative:
        s = s[1:-1]
    value = _read_digits(s) * factor
    return -value if negative else value


def _strip_unit(s: str, unit: str | None, suffixes: tuple[str, ...]) -> tuple[str, Decimal]:
    """``s`` without its trailing unit, and the factor that unit asks for: the first of
    ``suffixes`` (longest first) that ends it, else 万元/元 (converted to the table's ``unit``),
    else a ``%``. A unit alone is not a figure and is left for the digits to refuse."""
    for suffix in sorted(suffixes, key=len, reverse=True):
        norm = _normalise(suffix)
        if norm and s.endswith(norm) and len(s) > len(norm):
            return s[: -len(norm)], Decimal(1)
    for name, scale in _UNITS_AMOUNT.items():
        if s.endswith(name) and len(s) > len(name):
            factor = scale / _UNITS_AMOUNT[unit] if unit in _UNITS_AMOUNT else Decimal(1)
            return s[: -len(name)], factor
    if s.endswith("%") and len(s) > 1:
        return s[:-1], Decimal(1)
    return s, Decimal(1)


def _read_digits(s: str) -> Decimal:
    """Plain digits with an optional sign, decimal point and correctly placed thousands commas."""
    if len(s) > MAX_LENGTH:
        raise NumberError("位数过多")
    if s.count(".") > 1:
        raise NumberError("有多个小数点")
    if "," in s:
        if not _GROUPED.match(s):
            raise NumberError("千位分隔符位置不对")
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        raise NumberError("不是数字")
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise NumberError("不是数字") from None


def _check_limits(value: Decimal, allow_negative: bool) -> None:
    if not value.is_finite():
        raise NumberError("不是有限的数字")
    if abs(value) >= LIMIT:
        raise NumberError("数值过大")
    if len(f"{value:f}") > MAX_LENGTH:  # 1e-400 from JSON: written out in full, it could not be read back
        raise NumberError("位数过多")
    if value < 0 and not allow_negative:
        raise NumberError("不能为负数")


def parse_figure(text: str | int | Decimal | None, unit: str = "") -> Decimal | None:
    """A target value or actual of a quantitative indicator, typed with or without the indicator's
    unit (``95%``, ``12个``), wherever it comes from: the grid, a JSON file, the scoring."""
    return parse_decimal(text, suffixes=(unit,) if unit else ())


def read_figure(value: str | Decimal | int, unit: str = "") -> Decimal | str | None:
    """A quantitative leaf's target or actual as given: the number when it reads as one (with its
    unit, if repeated), else the text as typed, kept for the user to see and for check I08. The
    document (changing 比较), the JSON reader and the document-file reader all read figures through
    this, so what one accepts the others can read back."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    try:
        return parse_figure(value, unit)
    except NumberError:
        return value


def round2(value: Decimal) -> Decimal:
    """四舍五入 to 2 decimals, negatives away from zero (Excel's ROUND)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt2(value: Decimal | None, empty: str = "") -> str:
    """``Decimal('600')`` → ``'600.00'``; ``None`` → ``empty``."""
    if value is None:
        return empty
    return f"{round2(value):f}"


def fmt_rate(value: Decimal | None, empty: str = "无") -> str:
    """A percentage figure with its sign: ``70.62%``; an undefined rate reads 无."""
    if value is None:
        return empty
    return f"{round2(value):f}%"


def fmt_plain(value: Decimal | None) -> str:
    """The shortest plain notation (no exponent): ``Decimal('1E+2')`` → ``'100'``."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text


def equal2(a: Decimal, b: Decimal) -> bool:
    """Two amounts are equal when they agree after rounding both to 2 decimals."""
    return round2(a) == round2(b)


def ratio_percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part ÷ whole`` as a percentage rounded to 2 decimals; ``None`` when undefined."""
    if part is None or whole is None or whole == 0:
        return None
    return round2(part * HUNDRED / whole)
