"""One cell as printed (DOMAIN §5, issue 16): 指标值 and 实际完成值 written the way tables print
them, through the parser, the grid, paste, JSON, the document file and the exports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.model.cells import printed_target, read_actual, read_number, read_target
from core.model.model import Target

# Every pattern of DOMAIN §5 (and a few more), with the comparison, value and unit it must give.
TARGETS = [
    ("≥90%", ">=", Decimal(90), "%"),
    ("=100%", "=", Decimal(100), "%"),
    ("≤150元/人", "<=", Decimal(150), "元/人"),
    ("100%", ">=", Decimal(100), "%"),  # no sign: ≥ (see core/model/cells.py)
    ("≥120米", ">=", Decimal(120), "米"),
    ("不低于95%", ">=", Decimal(95), "%"),
    ("达到", "qualitative", "达到", ""),
    ("无", "qualitative", "无", ""),
    ("完成", "qualitative", "完成", ""),
    ("/", "qualitative", "/", ""),
    ("≥９５％", ">=", Decimal(95), "%"),  # full-width digits and sign
    ("1,000人", ">=", Decimal(1000), "人"),
    ("显著提升", "qualitative", "显著提升", ""),
]
MORE_TARGETS = [
    ("＞＝５", ">=", Decimal(5), ""),
    ("> 3 个", ">", Decimal(3), "个"),
    ("＜2次", "<", Decimal(2), "次"),
    ("＝0起", "=", Decimal(0), "起"),
    ("0起", "=", Decimal(0), "起"),  # a bare zero: "no accidents" is = 0, not ≥ 0
    ("不少于36,300人", ">=", Decimal(36300), "人"),
    ("不超过5天", "<=", Decimal(5), "天"),
    ("不高于150元/人", "<=", Decimal(150), "元/人"),
    ("至多3次", "<=", Decimal(3), "次"),
    ("高于90%", ">", Decimal(90), "%"),
    ("超过80%", ">", Decimal(80), "%"),
    ("低于5%", "<", Decimal(5), "%"),
    ("等于100%", "=", Decimal(100), "%"),
    ("达到95%", ">=", Decimal(95), "%"),  # 达到 a level: at least
    ("大于等于90%", ">=", Decimal(90), "%"),
    ("小于等于2%", "<=", Decimal(2), "%"),
    ("95%以上", ">=", Decimal(95), "%"),
    ("3天以内", "<=", Decimal(3), "天"),
    ("≥100㎡", ">=", Decimal(100), "㎡"),
    ("≥ 12.5 %", ">=", Decimal("12.5"), "%"),
    ("90%-95%", "qualitative", "90%-95%", ""),  # a range is not one number: kept as typed
    ("95%的群众满意", "qualitative", "95%的群众满意", ""),
    ("较上年有所提高", "qualitative", "较上年有所提高", ""),
]


@pytest.mark.parametrize(("text", "op", "value", "unit"), TARGETS + MORE_TARGETS)
def test_read_target_as_printed(text, op, value, unit):
    target = read_target(text)
    assert (target.op, target.value, target.unit) == (op, value, unit)
    assert type(target.value) is type(value)
    again = read_target(printed_target(target))  # the printed form reads back to the same target
    assert (again.op, again.value, again.unit) == (op, value, unit)


def test_printed_target_forms():
    assert printed_target(read_target("≥９５％")) == "≥95%"
    assert printed_target(read_target("1,000人")) == "≥1000人"
    assert printed_target(read_target("=100%")) == "＝100%"
    assert printed_target(read_target("无")) == "无"
    assert printed_target(Target(op=">=", value=Decimal("12.50"), unit="%")) == "≥12.50%"
    assert printed_target(Target(op=">=", value="约九成", unit="%")) == "约九成"  # I08 text, as typed
    assert printed_target(None) == printed_target(Target()) == ""
    assert read_target("") == read_target("  ") == Target()


ACTUALS = [
    ("≥120米", "≥100米", Decimal(120)),  # repeats the sign and the unit: the number
    ("120米", "≥100米", Decimal(120)),
    ("96%", "≥95%", Decimal(96)),
    ("９６％", "≥95%", Decimal(96)),
    ("≤140元/人", "≤150元/人", Decimal(140)),
    ("1,020人", "1,000人", Decimal(1020)),
    ("100", "=100%", Decimal(100)),
    ("98%", "≥95", Decimal(98)),  # the target has no unit: any unit written is taken
    ("无", "≥95%", "无"),  # no number: kept as typed (check I08)
    ("完成", "≥95%", "完成"),
    ("/", "≥95%", "/"),
    ("120公里", "≥100米", "120公里"),  # another unit: kept, never converted
    ("达成目标", "达到", "达成目标"),  # a 定性 leaf's actual is words
    ("100%", "完成", "100%"),  # ... even when they are figures
    ("", "≥95%", None),
]


@pytest.mark.parametrize(("text", "target", "value"), ACTUALS)
def test_read_actual_as_printed(text, target, value):
    got = read_actual(text, read_target(target))
    assert got == value and type(got) is type(value)


def test_read_number_never_raises():
    for text in ("abc", "1e400", "9" * 80, "≥", "%", "-", "（5）", "≥1,00", "\x00≥5"):
        read_number(text, "%")
        read_target(text)
    assert read_number("≥5", "%") == Decimal(5)
