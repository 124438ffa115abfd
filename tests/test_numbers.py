"""The one number parser: what users type in Chinese offices, and what it must refuse."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.model.numbers import LIMIT, NumberError, fmt2, fmt_rate, parse_decimal, ratio_percent, round2


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,234.50", "1234.50"),
        ("１２３．４５", "123.45"),
        ("600万元", "600"),
        (" 70.62% ", "70.62"),
        ("70.62％", "70.62"),
        ("－5", "-5"),
        ("−5", "-5"),
        ("(5.00)", "-5.00"),
        ("1 234.5", "1234.5"),
        ("\t42\r\n", "42"),
        ("4\x0b2", "42"),  # a control character pasted from Word
        ("0", "0"),
        ("-0", "0"),
        (".5", "0.5"),
        ("１，２３４．５", "1234.5"),
        ("12345678901234", "12345678901234"),
    ],
)
def test_reads_what_users_type(text, expected):
    assert parse_decimal(text) == Decimal(expected)


def test_units_convert_between_wan_and_yuan():
    assert parse_decimal("600万元", unit="元") == Decimal("6000000")
    assert parse_decimal("12,345元", unit="万元") == Decimal("1.2345")
    assert parse_decimal("600万元", unit="万元") == Decimal("600")


def test_indicator_unit_suffix_is_dropped():
    assert parse_decimal("184.13元/人·年", suffixes=("元/人·年",)) == Decimal("184.13")
    assert parse_decimal("35353人", suffixes=("人",)) == Decimal("35353")


@pytest.mark.parametrize("text", ["", "   ", None, "\u3000"])
def test_empty_is_none(text):
    assert parse_decimal(text) is None


@pytest.mark.parametrize(
    "text, reason",
    [
        ("abc", "不是数字"),
        ("1.2.3", "多个小数点"),
        ("NaN", "不是数字"),
        ("Infinity", "不是数字"),
        ("inf", "不是数字"),
        ("1e5", "不是数字"),
        ("1,23.4", "千位分隔符"),
        ("9" * 20, "数值过大"),
        ("1" * 100, "位数过多"),
        ("x" * 500, "内容过长"),
        ("%", "不是数字"),
        ("万元", "不是数字"),
    ],
)
def test_refuses_with_a_chinese_reason(text, reason):
    with pytest.raises(NumberError) as info:
        parse_decimal(text)
    assert reason in str(info.value)


def test_negative_can_be_refused():
    with pytest.raises(NumberError, match="负数"):
        parse_decimal("-1", allow_negative=False)


def test_rounding_is_half_up_like_excel():
    assert round2(Decimal("0.125")) == Decimal("0.13")
    assert round2(Decimal("-0.125")) == Decimal("-0.13")
    assert round2(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert fmt2(Decimal("600")) == "600.00"
    assert ratio_percent(Decimal("423.69"), Decimal("600")) == Decimal("70.62")
    assert ratio_percent(Decimal("1"), Decimal("0")) is None
    assert fmt_rate(None) == "无"


amounts = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts)
def test_plain_text_round_trips(value):
    assert parse_decimal(f"{value:f}") == value


@given(amounts)
def test_thousands_separators_and_full_width_round_trip(value):
    grouped = f"{value:,f}"
    assert parse_decimal(grouped) == value
    full = grouped.translate(str.maketrans("0123456789.,-", "０１２３４５６７８９．，－"))
    assert parse_decimal(full) == value
    assert parse_decimal(f" {value:f}% ") == value


@given(st.text(max_size=30))
def test_never_crashes_and_never_returns_nonsense(text):
    try:
        value = parse_decimal(text)
    except NumberError as exc:
        assert str(exc)  # a reason is always given
        return
    assert value is None or (value.is_finite() and abs(value) < LIMIT)
