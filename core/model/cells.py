"""One cell as printed (DOMAIN §5): a 指标值 or 实际完成值 written the way tables print it.

A target cell is read the way a person reads it: a sign, then a number (through the one number
parser, :func:`core.model.numbers.parse_decimal`: full-width digits, thousands separators), then the
unit as the rest: ``≥95%`` is ≥ 95 %, ``不低于95%`` the same, ``≤150元/人`` is ≤ 150 元/人,
``1,000人`` is 1000 人, ``≥９５％`` is ≥ 95 %. A cell with no number at its head (``达到``, ``无``,
``完成``, ``/``, ``显著提升``) is qualitative text, kept as typed.

The signs, and what each means (the words are matched at the head of the cell, longest first):

* ``≥ ⩾ ≧ >= ＞＝`` and 不低于, 不少于, 不小于, 大于等于, 大于或等于, 至少, 最少, 达到 → ``>=``.
  达到 ("达到95%", reach 95 %) is read as *at least*, not *exactly*: in these tables it states a
  level to be reached, and scoring an actual above it as a miss would be wrong.
* ``> ＞`` and 高于, 大于, 多于, 超过, 超出 → ``>``.
* ``≤ ⩽ ≦ <= ＜＝`` and 不高于, 不超过, 不大于, 不多于, 小于等于, 小于或等于, 至多, 最多 → ``<=``.
* ``< ＜`` and 低于, 小于, 少于 → ``<``.
* ``= ＝`` and 等于 → ``=``.
* After the number and unit, 以上 / 及以上 mean ``>=`` and 以下 / 及以下 / 以内 mean ``<=`` (``95%以上``,
  ``3天以内``) when no sign stands in front.

A number with no sign (``100%``, ``36300人``) is read as ``>=``: these tables print 正向 targets
(数量, 覆盖率, 满意度) bare far more often than anything else, ``≥`` is what the grid has always
made of a bare number, and for a target above zero ``≥`` and ``=`` score the same (DOMAIN §2). The
one exception is a bare zero (``0``, ``0起``): "no accidents, no complaints" is ``=`` 0, since
≥ 0 would be met by any actual.

The unit is what follows the number, when it looks like a unit: short (at most 10 characters),
no spaces or sentence punctuation, no 的, no digits (except a trailing 2 or 3 after letters,
``m2``), and ``%`` only alone.
Anything else after the number (``90%-95%``, ``95%的群众满意``) makes the whole cell text.

An actual (:func:`read_actual`) is a number when it reads as one, also when it repeats the
target's sign or unit (``≥120米`` against ``≥100米``, ``96%``); anything else stays text as typed
(check I08 points at it). Nothing here raises: a cell is always understood or kept.
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.model.model import OPS, Target
from core.model.numbers import NumberError, parse_decimal, parse_figure
from core.model.textutil import CONTROL

# Signs at the head of a cell, as (written, op). Matched longest first.
_SIGNS: dict[str, str] = {
    "≥": ">=",
    "⩾": ">=",
    "≧": ">=",
    ">=": ">=",
    "=>": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "不小于": ">=",
    "大于等于": ">=",
    "大于或等于": ">=",
    "至少": ">=",
    "最少": ">=",
    "达到": ">=",
    ">": ">",
    "高于": ">",
    "大于": ">",
    "多于": ">",
    "超过": ">",
    "超出": ">",
    "≤": "<=",
    "⩽": "<=",
    "≦": "<=",
    "<=": "<=",
    "=<": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "不大于": "<=",
    "不多于": "<=",
    "小于等于": "<=",
    "小于或等于": "<=",
    "至多": "<=",
    "最多": "<=",
    "<": "<",
    "低于": "<",
    "小于": "<",
    "少于": "<",
    "=": "=",
    "等于": "=",
}
_SIGN_ORDER = sorted(_SIGNS, key=len, reverse=True)
# Words after the number and unit that give the sign.
_AFTER: dict[str, str] = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<="}
_AFTER_ORDER = sorted(_AFTER, key=len, reverse=True)
# The number at the head of what is left once the sign is taken: digits with optional
# thousands separators and decimals (full-width forms are folded before).
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|[+-]?\.\d+")
_UNIT_BAD = re.compile(r"[\s,;:!?，。；：！？、()（）\[\]【】\"'“”‘’+\-<>=≥≤～~]")
_UNIT_DIGITS = re.compile(r"^[^\d]*[A-Za-z][23]$")
UNIT_LENGTH = 10


def _fold(text: str) -> str:
    """Full-width ASCII (``９５％``, ``＞＝``) and the ideographic space as their ASCII forms, and
    control characters gone; every other character (``㎡``, ``元/人``) as written."""
    out = []
    for ch in CONTROL.sub("", text):
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        elif ch == "\u3000":
            ch = " "
        elif ch in "．":
            ch = "."
        out.append(ch)
    return "".join(out).strip()


def _is_unit(text: str) -> bool:
    if text == "":
        return True
    if len(text) > UNIT_LENGTH or _UNIT_BAD.search(text) or "的" in text:
        return False
    if "%" in text or "‰" in text:
        return text in ("%", "‰")
    return not any(c.isdigit() for c in text) or bool(_UNIT_DIGITS.match(text))


def split_cell(text: str) -> tuple[str, Decimal, str] | None:
    """``(op, number, unit)`` of a cell that holds a number as printed, ``op`` being ``""`` when
    no sign is written; ``None`` when the cell is not a number with sign and unit (text)."""
    s = _fold(text or "")
    op = ""
    for sign in _SIGN_ORDER:
        if s.startswith(sign):
            op, s = _SIGNS[sign], s[len(sign) :].lstrip()
            break
    m = _NUMBER.match(s)
    if not m:
        return None
    try:
        number = parse_decimal(m.group(0))
    except NumberError:
        return None
    if number is None:  # pragma: no cover - the pattern holds a digit
        return None
    rest = s[m.end() :].strip()
    for word in _AFTER_ORDER:
        if rest.endswith(word):
            if not op:
                op = _AFTER[word]
            rest = rest[: -len(word)].rstrip()
            break
    if not _is_unit(rest):
        return None
    return op, number, rest


def read_target(text: str) -> Target:
    """A target cell as printed → :class:`Target`. Empty → no comparison and no value; a number
    (with or without sign and unit) → that comparison, number and unit; anything else →
    ``定性`` (``qualitative``) with the text as typed. See the module notes for the signs."""
    s = CONTROL.sub("", text or "").strip()
    if not s:
        return Target()
    cell = split_cell(s)
    if cell is None:
        return Target(op="qualitative", value=s)
    op, number, unit = cell
    if not op:
        op = "=" if number == 0 else ">="
    return Target(op=op, value=number, unit=unit)


def read_number(text: str, unit: str = "") -> Decimal | str | None:
    """A quantitative figure as printed: the number when the cell holds one, with or without a
    sign, and with the indicator's ``unit`` or none (or any unit when the indicator has none);
    else the text as typed. ``None`` for an empty cell."""
    s = CONTROL.sub("", text or "").strip()
    if not s:
        return None
    try:
        return parse_figure(s, unit)
    except NumberError:
        pass
    cell = split_cell(s)
    if cell is None:
        return s
    _op, number, written = cell
    if written in ("", _fold(unit)) or not unit.strip():
        return number
    return s  # another unit (万元 against 元, 公里 against 米): kept, flagged, never converted


def read_actual(text: str, target: Target | None) -> Decimal | str | None:
    """An 实际完成值 as printed, against the leaf's target: a number (``≥120米`` against ``≥100米``,
    ``96%``) on a quantitative leaf, else the text as typed (check I08 flags it on a quantitative
    leaf; a 定性 leaf's actual is words anyway)."""
    if target is None or not target.quantitative:
        s = CONTROL.sub("", text or "").strip()
        return s or None
    return read_number(text, target.unit)


def printed_target(target: Target | None) -> str:
    """The target as one printed cell: ``≥95%``, ``=0起``, ``达到``; the inverse of
    :func:`read_target` for every target it gives."""
    if target is None or target.value is None or target.value == "":
        return ""
    value = target.value
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    else:
        text = value
    if not target.quantitative:
        return text
    if isinstance(value, str):
        return text  # a quantitative target holding text (I08): as typed
    return f"{OPS[target.op]}{text}{target.unit}"
