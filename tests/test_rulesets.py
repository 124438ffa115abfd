"""Scoring rules by province (DOMAIN §6, issue 17): each preset's cases written from the rule text,
a report switched between presets, and the rule set in the JSON, the document file and the CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.document import Document, InputError
from core.model.model import TEMPLATES, FundSource, Indicator, Report, Target, walk_indicators
from core.model.templates import TEMPLATE_RULES, new_report
from core.rules.rulesets import PRESETS, RuleSet, explain, ruleset_of
from core.rules.scoring import band_range, is_execution_leaf, suggested_score
from core.store.jsonio import ReportFormatError, dumps, loads, report_to_data
from core.store.storage_format import read_document_report, write_new_document

D = Decimal
LINEAR = ("national", "sichuan", "guangxi", "capped")

# (op, target, actual) → suggested score for a weight of 10, under the linear 反向 rule (national,
# DOMAIN §2) and under weight × target ÷ actual (湖北 notes, DOMAIN §6). 正向 and ＝ are the same in
# every preset.
SCORE_CASES = [
    # op, target, actual, linear, ratio
    (">=", "100", "100", "10", "10"),  # actual = target
    (">=", "100", "90", "9.00", "9.00"),
    (">=", "100", "200", "10", "10"),  # = 2 × target
    (">=", "0", "5", "10", "10"),  # target 0
    (">=", "100", "-5", "0.00", "0.00"),  # a negative actual counts as 0
    ("=", "0", "0", "10", "10"),
    ("=", "0", "3", "0", "0"),
    ("<=", "100", "100", "10", "10"),  # actual = target
    ("<=", "100", "150", "5.00", "6.67"),
    ("<=", "100", "200", "0", "5.00"),  # = 2 × target: zero only under the linear rule
    ("<=", "100", "250", "0", "4.00"),
    ("<", "80", "100", "7.50", "8.00"),
    ("<=", "0", "0", "10", "10"),  # target 0, met
    ("<=", "0", "5", "0", "0"),  # target 0, exceeded
    ("<=", "100", "-5", "10", "10"),  # negative actual: 0, within the target
]


def leaf(op, target, actual, weight="10", score=None, band="", name="指标") -> Indicator:
    value = D(target) if op != "qualitative" else target
    act = D(actual) if op != "qualitative" else actual
    return Indicator(
        name=name,
        weight=D(weight),
        score=None if score is None else D(score),
        target=Target(op=op, value=value, unit="人"),
        actual=act,
        band=band,
    )


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize(("op", "target", "actual", "linear", "ratio"), SCORE_CASES)
def test_suggested_score_follows_the_preset(preset, op, target, actual, linear, ratio):
    rules = ruleset_of(preset)
    expected = ratio if preset == "hubei" else linear
    assert suggested_score(leaf(op, target, actual), None, rules) == D(expected)


# Band limits for a weight of 10: (达成, 部分达成, 未达成) as score ranges.
BANDS = {
    "national": ((8, 10), (6, 8), (0, 6)),
    "sichuan": ((8, 10), (6, 8), (0, 6)),
    "guangxi": ((8, 10), (6, 8), (0, 6)),
    "capped": ((8, 10), (6, 8), (0, 6)),
    "hubei": ((8, 10), (5, 8), (0, 5)),  # 湖北 notes: 100–80 %, 80–50 %, 50–0 %
}


@pytest.mark.parametrize("preset", list(PRESETS))
def test_band_limits_follow_the_preset(preset):
    rules = ruleset_of(preset)
    got = tuple(band_range(leaf("qualitative", "有效", "达成", band=b), rules) for b in ("full", "partial", "none"))
    assert got == tuple((D(lo).quantize(D("0.01")), D(hi).quantize(D("0.01"))) for lo, hi in BANDS[preset])


def _report(preset, leaves, spent="100", budget="100") -> Report:
    """A scored report: a 10-point 预算执行率 leaf over the funds, then the given leaves."""
    execution = Indicator(name="预算执行率", weight=D(10), score=D(10))
    r = Report(template="blank", rules=preset, indicators=[execution, *leaves])
    r.funds.sources.append(FundSource(source="县级财政", initial=D(budget), received=D(budget), spent=D(spent)))
    return r


def _codes(report, code):
    doc = Document(report)
    return [f.path_text for f in doc.findings if f.code == code]


# (preset, op, target, actual, 执行率 %) → does I05 fire on the quantitative leaf / on 预算执行率?
DEVIATION_CASES = [
    ("national", ">=", "100", "99", "100", True, False),  # missed
    ("national", ">=", "100", "100", "100", False, False),  # actual = target
    ("national", ">=", "100", "129.99", "100", False, False),
    ("national", ">=", "100", "130", "100", True, False),  # exceeded by 30 %
    ("national", ">=", "100", "100", "85", False, False),  # low 执行率 needs nothing nationally
    # 广西 (DOMAIN §6: "a reason is needed past ±30 % (national notes), ≥ 130 % (广西)"): a reason at
    # 完成率 ≥ 130 % only; a missed target alone asks none (the national rules ask one, above).
    ("guangxi", ">=", "100", "100", "100", False, False),  # actual = target
    ("guangxi", ">=", "100", "70", "100", False, False),  # 完成率 70 %: no reason under 广西
    ("national", ">=", "100", "70", "100", True, False),  # … and one under the national rules
    ("guangxi", ">=", "100", "99", "100", False, False),  # below target
    ("guangxi", ">=", "100", "129.99", "100", False, False),
    ("guangxi", ">=", "100", "130", "100", True, False),  # 完成率 130 %
    ("guangxi", ">=", "100", "200", "100", True, False),  # 完成率 200 %
    ("guangxi", "<=", "100", "200", "100", False, False),  # 反向 完成率 50 %: a miss, no reason
    ("guangxi", "<=", "100", "50", "100", True, False),  # 反向 完成率 200 %
    ("sichuan", ">=", "100", "100", "89.99", False, True),  # 执行率 < 90 %
    ("sichuan", ">=", "100", "100", "90", False, False),
    ("sichuan", ">=", "100", "99", "100", True, False),
    ("hubei", "<=", "100", "200", "100", True, False),  # 反向: 完成率 50 %, a miss
    ("capped", ">=", "100", "-5", "100", True, False),  # negative actual: a miss
]


@pytest.mark.parametrize(("preset", "op", "target", "actual", "rate", "on_leaf", "on_execution"), DEVIATION_CASES)
def test_deviation_reason_follows_the_preset(preset, op, target, actual, rate, on_leaf, on_execution):
    r = _report(preset, [leaf(op, target, actual, weight="90", score="90")], spent=rate)
    found = _codes(r, "I05")
    assert ("indicators[1].deviation" in found) == on_leaf
    assert ("indicators[0].deviation" in found) == on_execution


def test_i09_follows_the_bands():
    partial = leaf("qualitative", "有效减轻", "部分达成", weight="90", score="50", band="partial")
    assert _codes(_report("national", [partial]), "I09") == ["indicators[1].score"]  # 54–72
    partial.score = D(46)  # 湖北: 45–72
    assert _codes(_report("hubei", [partial]), "I09") == []
    assert _codes(_report("national", [partial]), "I09") == ["indicators[1].score"]


def test_i04_follows_the_reverse_rule():
    reverse = leaf("<=", "100", "150", weight="90", score="45")  # linear: 45.00; ratio: 60.00
    assert _codes(_report("national", [reverse]), "I04") == []
    assert _codes(_report("hubei", [reverse]), "I04") == ["indicators[1].score"]


@pytest.mark.parametrize(
    ("preset", "spent", "score", "capped", "cap", "grade"),
    [
        ("capped", "75", "95", "89.00", "89.00", "良"),  # a total above the cap
        ("capped", "65", "95", "79.00", "79.00", "中"),
        ("capped", "55", "95", "69.00", "69.00", "中"),
        ("capped", "55", "60", "60.00", "69.00", "中"),  # below the cap: unchanged
        ("capped", "80", "95", "95.00", None, "优"),  # 执行率 = 80 %: not under 80
        ("capped", "0", "95", "69.00", "69.00", "中"),  # 执行率 0 %: under every limit
        ("national", "55", "95", "95.00", None, "优"),  # national: no cap
    ],
)
def test_total_cap_by_execution_rate(preset, spent, score, capped, cap, grade):
    r = _report(preset, [leaf(">=", "1", "1", weight="90", score=score)], spent=spent)
    r.indicators[0].score = D(0)  # the 预算执行率 leaf scores nothing, the other carries the total
    doc = Document(r)
    t = doc.totals
    assert t.score == D(score).quantize(D("0.01"))  # the sum of leaf scores stays the sum
    assert str(t.capped_score) == capped and (None if t.score_cap is None else str(t.score_cap)) == cap
    assert t.grade == grade


def test_no_cap_without_an_execution_rate():
    r = _report("capped", [leaf(">=", "1", "1", weight="90", score="90")], budget="0", spent="0")
    t = Document(r).totals
    assert t.funds.total.execution_rate is None and t.score_cap is None and t.grade == "优"


def test_switching_presets_keeps_typed_scores_and_undo_restores(seed):
    report = seed("002")
    reverse = leaf("<=", "100", "150", weight="15", score="7.5", name="人均费用")  # linear 7.50, ratio 10.00
    reverse.deviation = "原因"
    qualitative = leaf("qualitative", "有效", "部分达成", weight="15", score="8", band="partial", name="满意度")
    qualitative.deviation = "原因"  # 部分达成: national 9–12, 湖北 7.5–12
    report.indicators[3].children[0].children[:] = [reverse, qualitative]
    doc = Document(report)
    scores = [n.score for _p, n, _d in walk_indicators(report.indicators) if n.is_leaf]

    def state():
        figs = doc.totals.nodes
        return (
            [figs[n.uid].suggested for _p, n, _d in walk_indicators(report.indicators) if n.is_leaf],
            [(f.code, f.path_text) for f in doc.findings],
            doc.totals.rules_name,
        )

    national = state()
    assert ("I09", "indicators[3].children[0].children[1].score") in national[1]
    assert doc.set_rules("hubei") is True
    hubei = state()
    assert hubei != national and hubei[2] == "hubei"
    assert ("I09", "indicators[3].children[0].children[1].score") not in hubei[1]
    assert ("I04", "indicators[3].children[0].children[0].score") in hubei[1]  # typed 7.5, suggested 10
    assert [n.score for _p, n, _d in walk_indicators(report.indicators) if n.is_leaf] == scores
    assert doc.undo_description().startswith("评分规则改为湖北式")
    doc.set_rules("capped")
    assert [n.score for _p, n, _d in walk_indicators(report.indicators) if n.is_leaf] == scores
    doc.undo()
    assert state() == hubei
    doc.undo()
    assert state() == national and report.rules == "national"
    doc.redo()
    assert state() == hubei
    assert doc.set_rules("hubei") is False
    with pytest.raises(InputError, match="未知的评分规则"):
        doc.set_rules("nowhere")


def _json(**extra) -> str:
    return json.dumps({"format": "jixiao-ziping", "version": 1, "template": "blank", **extra}, ensure_ascii=False)


def test_unknown_preset_name_is_a_clear_error():
    with pytest.raises(ReportFormatError) as err:
        loads(_json(rules="yunnan"))
    assert err.value.path == "rules"
    assert "yunnan" in err.value.message
    for name in PRESETS:
        assert name in err.value.message


@pytest.mark.parametrize(
    ("rules", "path"),
    [
        ({"reverse": "square"}, "rules.reverse"),
        ({"qualitative_bands": ["50", "80"]}, "rules.qualitative_bands"),
        ({"score_caps": [["80", "abc"]]}, "rules.score_caps[0][1]"),
        (12, "rules"),
    ],
)
def test_bad_custom_rules_name_the_knob(rules, path):
    with pytest.raises(ReportFormatError) as err:
        loads(_json(rules=rules))
    assert err.value.path == path


def test_absent_rules_mean_national_and_old_files_stay_the_same(seed):
    report = seed("002")
    assert report.rules == "national" and "rules" not in report.extra
    assert "rules" not in report_to_data(report)  # written as before
    assert loads(_json(rules=None)).rules == "national"


CUSTOM = {
    "execution_weight": "20",
    "qualitative_bands": ["85", "55"],
    "reverse": "ratio",
    "deviation": "sichuan",
    "execution_base": "received",
    "score_caps": [["80", "89"], ["60", "69"]],
    "not_applicable": "rescale",
}


@pytest.mark.parametrize("rules", ["hubei", "capped", CUSTOM])
def test_rules_round_trip_through_json_and_the_document_file(seed, tmp_path, rules):
    data = json.loads(dumps(seed("002")))
    data["rules"] = rules
    report = loads(json.dumps(data, ensure_ascii=False))
    assert isinstance(report.rules, RuleSet if isinstance(rules, dict) else str)
    assert report_to_data(report)["rules"] == rules
    assert loads(dumps(report)).rules == report.rules
    path = tmp_path / "r.jxzp"
    write_new_document(path, report)
    again = read_document_report(path)
    assert again.rules == report.rules
    assert report_to_data(again)["rules"] == rules


def test_custom_rules_knobs_take_effect_and_default_the_base():
    r = loads(_json(rules={"reverse": "ratio"}, funds={"sources": []}))
    assert r.rules == RuleSet(reverse="ratio") and r.funds.execution_base == "adjusted"
    r = loads(_json(rules=CUSTOM, funds={"sources": []}))  # no funds.execution_base: the rule set's
    assert r.funds.execution_base == "received"
    r = loads(_json(rules=CUSTOM, funds={"execution_base": "adjusted"}))  # the report's own wins
    assert r.funds.execution_base == "adjusted"


def test_initial_budget_base():
    r = _report("national", [], spent="50")
    r.funds.sources[0].adjusted = D(200)
    r.funds.execution_base = "initial"  # 部门整体 tables divide by 年初预算数
    assert Document(r).totals.funds.total.execution_rate == D("50.00")


def test_check_json_reports_the_rule_set(cli, tmp_path, seed):
    data = json.loads(dumps(seed("000")))
    r = cli("check", str(_write(tmp_path / "n.json", data)), "--json")
    totals = json.loads(r.stdout)["totals"]
    assert totals["rules"] == "national" and totals["capped_score"] == totals["score"] == "96.00"
    assert totals["score_cap"] is None
    data["rules"] = "capped"  # 执行率 70.62 %: at most 89
    totals = json.loads(cli("check", str(_write(tmp_path / "c.json", data)), "--json").stdout)["totals"]
    assert totals["rules"] == "capped" and totals["score"] == "96.00"
    assert totals["capped_score"] == "89.00" and totals["score_cap"] == "89.00" and totals["grade"] == "良"
    text = cli("check", str(tmp_path / "c.json")).stdout
    assert "评分规则：执行率限分" in text and "综合得分 89.00 分" in text
    data["rules"] = CUSTOM
    totals = json.loads(cli("check", str(_write(tmp_path / "x.json", data)), "--json").stdout)["totals"]
    assert totals["rules"] == "custom"


def _write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_twenty_point_template():
    report = new_report("mof-self-20")
    assert "mof-self-20" in TEMPLATES and report.rules == "hubei"
    execution, goals = report.indicators
    assert is_execution_leaf(execution) and execution.weight == ruleset_of("hubei").execution_weight == 20
    assert goals.weight == 80 and [c.name for c in goals.children] == ["产出指标", "效益指标", "满意度指标"]
    again = loads(dumps(report))
    assert again.template == "mof-self-20" and again.rules == "hubei"


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_templates_start_with_their_rule_set_defaults(template):
    report = new_report(template)
    rules = ruleset_of(report.rules)
    assert report.rules == TEMPLATE_RULES.get(template, "national")
    assert report.funds.execution_base == rules.execution_base
    for node in report.indicators:
        if node.is_leaf and is_execution_leaf(node):
            assert node.weight == rules.execution_weight


def test_every_preset_explains_every_knob():
    for preset in PRESETS.values():
        knobs = explain(preset.rules)
        assert len(knobs) == 7 and all(text for _label, text in knobs)
        assert preset.label


def test_exports_print_the_rule_set_and_the_capped_total(tmp_path, seed):
    import openpyxl

    from core.export.pdf import export_pdf
    from core.export.xlsx import export_xlsx
    from tests.helpers import pdf

    report = seed("000")  # 执行率 70.62 %, total 96.00
    report.rules = "capped"
    export_pdf(report, tmp_path / "r.pdf")
    text = pdf.compact(tmp_path / "r.pdf")
    assert "综合得分89.00分，评价等级：良" in text
    assert "各项得分合计96.00分" in text and "评分标准：执行率限分" in text
    export_xlsx(report, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["指标评分表"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("评分标准：执行率限分") for v in values)
    assert any("综合得分 89.00 分" in v for v in values)
    report.rules = "national"  # the national rules, uncapped: nothing added under the tables
    export_xlsx(report, tmp_path / "n.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "n.xlsx")["指标评分表"]
    assert not [c.value for row in ws.iter_rows() for c in row if str(c.value or "").startswith("评分标准")]


def test_a_rule_set_change_is_saved_in_the_open_document(tmp_path, seed):
    from core.store.storage import DocumentFile

    path = tmp_path / "r.jxzp"
    write_new_document(path, seed("000"))
    f = DocumentFile.open(path)
    f.document.set_rules(RuleSet(reverse="ratio"))
    f.close()
    assert read_document_report(path).rules == RuleSet(reverse="ratio")
    f = DocumentFile.open(path)
    f.document.set_rules("hubei")
    f.document.undo()
    f.close()
    assert read_document_report(path).rules == RuleSet(reverse="ratio")
