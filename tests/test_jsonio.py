"""Report JSON (INTERCHANGE.md): exact round trips, and errors that name the JSON path."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model.model import (
    Balance,
    Expenditure,
    Funds,
    FundSource,
    Indicator,
    Project,
    Report,
    Section,
    Target,
    TeamMember,
)
from core.store.jsonio import ReportFormatError, dumps, loads, report_to_data


def test_seeds_round_trip(seed):
    for name in ("000", "001", "002"):
        report = seed(name)
        assert loads(dumps(report)) == report


def test_written_figures_are_plain_decimal_strings(seed):
    data = report_to_data(seed("002"))
    src = data["funds"]["sources"][0]
    assert src == {
        "source": "县级财政",
        "initial": "660.00",
        "adjusted": "668.40",
        "received": "668.40",
        "spent": "668.40",
    }
    leaf = data["indicators"][2]["children"][0]["children"][0]
    assert leaf["score"] == "9.74" and leaf["target"] == {"op": ">=", "value": "36300", "unit": "人"}
    assert data["indicators"][0]["weight"] == "20" and "score" not in data["indicators"][0]


def test_json_numbers_are_read_exactly():
    r = loads('{"format":"jixiao-ziping","version":1,"funds":{"sources":[{"source":"a","initial":0.1,"spent":7}]}}')
    assert r.funds.sources[0].initial == Decimal("0.1") and r.funds.sources[0].spent == Decimal(7)
    assert r.funds.sources[0].effective_adjusted == Decimal("0.1")


def test_unknown_keys_survive_a_round_trip():
    text = (
        '{"format":"jixiao-ziping","version":1,"future":{"a":1},'
        '"project":{"name":"x","new_field":"y"},"indicators":[{"name":"a","weight":"5","tag":"t"}]}'
    )
    again = json.loads(dumps(loads(text)))
    assert again["future"] == {"a": 1} and again["project"]["new_field"] == "y"
    assert again["indicators"][0]["tag"] == "t"


def test_defaults_for_missing_keys():
    r = loads('{"format":"jixiao-ziping","version":1}')
    assert r.template == "blank" and r.funds.unit == "万元" and r.funds.execution_base == "adjusted"
    assert r.project.evaluation_method == "部门（单位）绩效自评"


@pytest.mark.parametrize(
    "patch, path, words",
    [
        ({"funds": {"sources": [{}, {}, {"spent": "abc"}]}}, "funds.sources[2].spent", "不是数字"),
        ({"funds": {"sources": {"a": 1}}}, "funds.sources", "应为列表"),
        ({"project": {"year": "二〇二三"}}, "project.year", "年度"),
        ({"project": {"name": ["x"]}}, "project.name", "应为文本"),
        ({"template": "mof"}, "template", "可选值"),
        (
            {"indicators": [{"name": "a", "children": [{"name": "b", "weight": "NaN"}]}]},
            "indicators[0].children[0].weight",
            "不是数字",
        ),
        ({"indicators": [{"name": "a", "children": "b"}]}, "indicators[0].children", "应为列表"),
        (
            {"indicators": [{"name": "a", "target": {"op": ">=", "value": ["很多"]}}]},
            "indicators[0].target.value",
            "应为文本或数字",
        ),
        ({"indicators": [{"name": "a", "target": {"op": "≈"}}]}, "indicators[0].target.op", "比较方式"),
        ({"narrative": [{"title": "一", "children": [7]}]}, "narrative[0].children[0]", "应为对象"),
        ({"funds": {"balance": {"closing": "1e400"}}}, "funds.balance.closing", "不是数字"),
        ({"version": 2}, "version", "更新版本"),
        ({"format": "other"}, "format", "不是绩效自评报告"),
    ],
)
def test_errors_name_the_json_path(patch, path, words):
    data = {"format": "jixiao-ziping", "version": 1, **patch}
    with pytest.raises(ReportFormatError) as info:
        loads(json.dumps(data, ensure_ascii=False))
    assert info.value.path == path
    assert words in info.value.message


def test_too_deep_and_not_json():
    deep: dict = {"name": "x"}
    for _ in range(20):
        deep = {"name": "x", "children": [deep]}
    with pytest.raises(ReportFormatError, match="层级过深"):
        loads(json.dumps({"format": "jixiao-ziping", "version": 1, "indicators": [deep]}))
    with pytest.raises(ReportFormatError, match="不是有效的 JSON"):
        loads("{not json")
    with pytest.raises(ReportFormatError, match="嵌套层级过深"):
        loads("[" * 100000)
    # valid JSON nested deeper than any report: named as such, not "不是有效的 JSON" (issue 23)
    for depth in (101, 995):
        with pytest.raises(ReportFormatError, match="嵌套层级过深"):
            loads('{"format": "jixiao-ziping", "version": 1, "x": ' + "[" * depth + "]" * depth + "}")


# --- property: any report the model can hold survives write → read ---------------------------

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), max_size=12
).map(lambda s: " ".join(s.split()))
multiline = st.lists(texts.filter(bool), max_size=3).map("\n".join)
amounts = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False).map(
        lambda d: d + 0
    ),
)
weights = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2).map(lambda d: d + 0))


@st.composite
def leaves(draw):
    op = draw(st.sampled_from(["", ">=", ">", "<=", "<", "=", "qualitative"]))
    target = None
    actual = None
    if op in ("", "qualitative"):
        if op:
            target = Target(op=op, value=draw(texts) or None, unit="")
            actual = draw(texts) or None
    else:
        target = Target(op=op, value=draw(amounts), unit=draw(st.sampled_from(["", "%", "人", "元/人·年"])))
        actual = draw(amounts)
    return Indicator(
        name=draw(texts),
        explanation=draw(multiline),
        weight=draw(weights),
        score=draw(weights),
        metric=draw(texts),
        target=target,
        actual=actual,
        band=draw(st.sampled_from(["", "full", "partial", "none"])),
        deviation=draw(multiline),
        override_reason=draw(multiline),
    )


indicator_trees = st.recursive(
    leaves(),
    lambda kids: st.builds(
        lambda name, weight, children: Indicator(name=name, weight=weight, children=children),
        texts,
        weights,
        st.lists(kids, min_size=1, max_size=3),
    ),
    max_leaves=12,
)
section_trees = st.recursive(
    st.builds(Section, title=texts, text=multiline),
    lambda kids: st.builds(
        lambda title, text, children: Section(title=title, text=text, children=children),
        texts,
        multiline,
        st.lists(kids, min_size=1, max_size=3),
    ),
    max_leaves=8,
)


@st.composite
def reports(draw):
    funds = Funds(
        unit=draw(st.sampled_from(["万元", "元"])),
        execution_base=draw(st.sampled_from(["adjusted", "received"])),
        approved_total=draw(amounts),
        sources=draw(
            st.lists(
                st.builds(FundSource, source=texts, initial=amounts, adjusted=amounts, received=amounts, spent=amounts),
                max_size=4,
            )
        ),
        expenditures=draw(
            st.lists(st.builds(Expenditure, content=texts, amount=amounts, voucher=texts, note=texts), max_size=3)
        ),
        balance=draw(st.one_of(st.none(), st.builds(Balance, amounts, amounts, amounts, amounts))),
    )
    project = Project(
        name=draw(texts),
        year=draw(st.one_of(st.none(), st.integers(1990, 2100))),
        project_type=draw(st.sampled_from(["", "recurring", "one_off"])),
        goal_expected=draw(multiline),
        department=draw(texts),
    )
    return Report(
        template=draw(st.sampled_from(["mof-self", "framework", "transfer", "blank"])),
        project=project,
        funds=funds,
        team=draw(st.lists(st.builds(TeamMember, role=texts, name=texts, title=texts, unit=texts), max_size=3)),
        indicators=draw(st.lists(indicator_trees, max_size=4)),
        narrative=draw(st.lists(section_trees, max_size=3)),
    )


@settings(max_examples=150, deadline=None)
@given(reports())
def test_any_report_round_trips(report):
    text = dumps(report)
    again = loads(text)
    assert again == report
    assert dumps(again) == text


def test_a_figure_that_is_not_a_number_loads_as_written_and_is_flagged():
    """INTERCHANGE Additions: a target or actual that holds no number never makes a file unreadable."""
    from core.rules.checks import run_checks
    from core.rules.totals import compute_totals

    data = {
        "format": "jixiao-ziping",
        "version": 1,
        "template": "blank",
        "indicators": [
            {"name": "a", "weight": "100", "target": {"op": ">=", "value": "显著提升", "unit": "%"}, "actual": "无"}
        ],
    }
    report = loads(json.dumps(data, ensure_ascii=False))
    leaf = report.indicators[0]
    assert leaf.target.value == "显著提升" and leaf.actual == "无"
    assert [f.code for f in run_checks(report, compute_totals(report)) if f.code == "I08"] == ["I08"]
    again = loads(dumps(report))
    assert again.indicators[0].target.value == "显著提升" and again.indicators[0].actual == "无"


def test_form_printed_and_header_choices_round_trip_and_old_files_mean_what_they_meant():
    """INTERCHANGE Additions: ``form``, ``printed`` and the header choices are read and written
    back; a file without them reads as before (narrative form, nothing printed)."""
    data = json.loads(Path("resources/example.json").read_text(encoding="utf-8"))
    plain = loads(json.dumps(data, ensure_ascii=False))
    assert plain.form == "narrative" and plain.printed is None
    assert "form" not in json.loads(dumps(plain)) and "printed" not in json.loads(dumps(plain))
    data["form"] = "mof-self"
    data["project"].update(category="专项资金", attribute="持续性项目", leader_phone="0710-1234567")
    data["printed"] = {
        "weight": "100",
        "score": "98.5",
        "grade": "优",
        "level1": [{"name": "决策", "weight": "20", "score": "18"}],
        "funds": {"initial": "600", "spent": "423.69", "execution_rate": "70.62"},
    }
    report = loads(json.dumps(data, ensure_ascii=False))
    assert report.form == "mof-self" and report.project.category == "专项资金"
    assert report.printed.score == Decimal("98.5") and report.printed.level1[0].name == "决策"
    assert report.printed.funds.received is None and report.printed.funds.execution_rate == Decimal("70.62")
    assert loads(dumps(report)) == report
    data["form"] = "poster"
    with pytest.raises(ReportFormatError) as err:
        loads(json.dumps(data, ensure_ascii=False))
    assert err.value.path == "form"
