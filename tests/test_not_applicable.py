"""Indicators not applicable to a project (DOMAIN §6, last bullet; issue 17): "left out and the
rest scaled to 100 (some provinces)". A leaf marked 不适用 under a rule set whose ``not_applicable``
knob is ``rescale`` gets no score and no suggestion; the 总分 is the others' scores × 100 ÷ their
weights (half-up, 2 places), the grade is given for it and the 执行率 cap comes after it. The
national rules leave nothing out: the mark changes no figure and check I11 says so. Cases written
from that rule text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.document import Document
from core.model.model import FundSource, Indicator, Report, Section, Target
from core.rules.rulesets import RuleSet
from core.store.jsonio import ReportFormatError, dumps, loads, report_to_data
from core.store.storage_format import read_document_report, write_new_document

D = Decimal
RESCALE = RuleSet(not_applicable="rescale")

# Four leaves under two 一级: weights 10, 20, 30, 40 (100 in all), typed scores 8, 15, 27, 36 (86).
WEIGHTS = {"A": "10", "B": "20", "C": "30", "D": "40"}
SCORES = {"A": "8", "B": "15", "C": "27", "D": "36"}


def _report(rules, left_out=(), scores=SCORES, spent="100") -> Report:
    def leaf(name):
        return Indicator(
            name=name,
            weight=D(WEIGHTS[name]),
            score=D(scores[name]) if scores.get(name) is not None else None,
            applicable=name not in left_out,
        )

    r = Report(template="blank", rules=rules)
    r.indicators = [
        Indicator(name="产出", children=[leaf("A"), leaf("B")]),
        Indicator(name="效益", children=[leaf("C"), leaf("D")]),
    ]
    r.funds.sources.append(FundSource(source="县级财政", initial=D(100), received=D(100), spent=D(spent)))
    return r


# left out → (counted weight, counted score, 总分, grade): 总分 = counted score × 100 ÷ counted weight.
RESCALE_CASES = [
    ((), "100.00", "86.00", "86.00", "良"),  # nothing left out: the plain sum
    (("A",), "90.00", "78.00", "86.67", "良"),  # 78 × 100 ÷ 90 = 86.666…
    (("D",), "60.00", "50.00", "83.33", "良"),  # 50 × 100 ÷ 60 = 83.333…
    (("A", "C"), "60.00", "51.00", "85.00", "良"),  # several left out
    (("B", "C"), "50.00", "44.00", "88.00", "良"),  # one from each 一级
    (("A", "B", "C"), "40.00", "36.00", "90.00", "优"),  # the rescale lifts the grade to 优
]


@pytest.mark.parametrize(("left_out", "weight", "score", "total", "grade"), RESCALE_CASES)
def test_rescale_leaves_out_the_marked_leaves_and_scales_the_rest_to_100(left_out, weight, score, total, grade):
    doc = Document(_report(RESCALE, left_out))
    t = doc.totals
    assert (str(t.counted_weight), str(t.counted_score), str(t.score), t.grade) == (weight, score, total, grade)
    assert t.capped_score == t.score and t.weight == 100  # the framework still weighs 100 (I03)
    assert [leaf.name for leaf in t.left_out] == list(left_out)
    for name in left_out:  # no suggested score, no 完成率, nothing summed
        node = next(n for top in doc.report.indicators for n in top.children if n.name == name)
        figs = t.nodes[node.uid]
        assert not figs.counted and figs.suggested is None and figs.completion is None and figs.score == 0
    assert not [f for f in doc.findings if f.code.startswith("I")]


def test_one_level_sums_say_what_was_left_out():
    t = Document(_report(RESCALE, ("A",))).totals
    produce, benefit = t.level1
    assert (produce.weight, produce.counted_weight, produce.score) == (D("30.00"), D("20.00"), D("15.00"))
    assert (benefit.weight, benefit.counted_weight, benefit.score) == (D("70.00"), D("70.00"), D("63.00"))


def test_rescale_rounds_half_up_to_two_places():
    # 34.21 × 100 ÷ 40 = 85.525: half-up gives 85.53 (banker's rounding would give 85.52).
    doc = Document(_report(RESCALE, ("B", "D"), scores={"A": "7.21", "B": "1", "C": "27", "D": "1"}))
    assert doc.totals.score == D("85.53")


def test_the_cap_applies_after_the_rescale():
    # 执行率 75 %: the set caps the total at 89. The counted leaves score 56 of 60 → 93.33, capped to 89.
    rules = RuleSet(not_applicable="rescale", score_caps=((D(80), D(89)),))
    scores = {"A": "9", "B": "19", "C": "28", "D": "0"}
    t = Document(_report(rules, ("D",), scores=scores, spent="75")).totals
    assert (t.score, t.score_cap, t.capped_score, t.grade) == (D("93.33"), D("89.00"), D("89.00"), "良")
    t = Document(_report(rules, ("D",), scores=scores, spent="100")).totals  # 执行率 100 %: no cap
    assert (t.score, t.capped_score, t.grade) == (D("93.33"), D("93.33"), "优")


def test_a_mark_on_a_parent_leaves_out_every_leaf_below_it():
    r = _report(RESCALE)
    r.indicators[0].applicable = False  # 产出 (A, B) does not apply
    t = Document(r).totals
    assert [leaf.name for leaf in t.left_out] == ["A", "B"]
    assert t.counted_weight == 70 and t.score == D("90.00")  # 63 × 100 ÷ 70


def test_every_leaf_left_out_is_a_finding_not_a_division_by_zero():
    doc = Document(_report(RESCALE, ("A", "B", "C", "D")))
    t = doc.totals
    assert t.score is None and t.capped_score is None and t.grade is None
    [finding] = [f for f in doc.findings if f.code == "I12"]
    assert finding.severity == "error" and finding.path_text == "indicators"
    assert "4 个末级指标均标为“不适用”" in finding.message and "无法折算总分" in finding.message


def test_national_rules_leave_nothing_out_and_say_so():
    doc = Document(_report("national", ("A",), scores={**SCORES, "A": None}))
    t = doc.totals
    assert t.left_out == [] and t.score == D("78.00")  # the sum of the typed scores, A not scored
    found = {f.code: f for f in doc.findings}
    assert found["I11"].path_text == "indicators[0].children[0]" and found["I11"].severity == "warning"
    assert "不允许剔除指标" in found["I11"].message and "全国通用" in found["I11"].message
    assert found["I07"].path_text == "indicators[0].children[0].score"  # still to be scored


def test_switching_rule_sets_keeps_typed_scores_and_marks():
    doc = Document(_report(RESCALE, ("A",)))
    typed = [(n.name, n.score, n.applicable) for top in doc.report.indicators for n in top.children]
    assert doc.totals.score == D("86.67")
    for rules in ("national", "hubei", RESCALE, "guangxi", RuleSet(not_applicable="rescale", reverse="ratio")):
        doc.set_rules(rules)
        assert [(n.name, n.score, n.applicable) for top in doc.report.indicators for n in top.children] == typed
    assert doc.totals.score == D("86.67")
    doc.set_rules("national")
    assert doc.totals.score == D("86.00") and "I11" in [f.code for f in doc.findings]
    doc.undo()
    assert doc.totals.score == D("86.67") and "I11" not in [f.code for f in doc.findings]


def test_marking_is_one_undo_step_and_suggestions_stop():
    r = _report(RESCALE)
    r.indicators[1].children[0].target = Target(op=">=", value=D(100), unit="人")
    r.indicators[1].children[0].actual = D(90)
    doc = Document(r)
    path = ("indicators", 1, "children", 0)
    assert doc.totals.nodes[r.indicators[1].children[0].uid].suggested == D("27.00")
    assert doc.set_applicable(path, False) and doc.undo_description() == "标为不适用 C"
    assert doc.totals.nodes[r.indicators[1].children[0].uid].suggested is None
    assert doc.totals.score == D("84.29")  # 59 × 100 ÷ 70
    assert doc.set_applicable(path, False) is False  # already marked
    doc.undo()
    assert doc.report.indicators[1].children[0].applicable and doc.totals.score == D("86.00")


# --- the JSON and the document file ------------------------------------------------------------


def test_applicable_and_the_knob_round_trip_through_json_and_the_document_file(tmp_path):
    report = _report(RESCALE, ("B",))
    data = report_to_data(report)
    assert data["rules"]["not_applicable"] == "rescale"
    leaves = [leaf for top in data["indicators"] for leaf in top["children"]]
    assert [leaf.get("applicable") for leaf in leaves] == [None, False, None, None]  # written only when false
    again = loads(dumps(report))
    assert again.rules == RESCALE
    assert [n.applicable for top in again.indicators for n in top.children] == [True, False, True, True]
    path = tmp_path / "r.jxzp"
    write_new_document(path, again)
    stored = read_document_report(path)
    assert stored.rules == RESCALE and Document(stored).totals.score == D("88.75")  # 71 × 100 ÷ 80
    assert report_to_data(stored) == data


def test_a_parent_mark_is_written_back():
    report = _report(RESCALE)
    report.indicators[1].applicable = False
    data = report_to_data(report)
    assert data["indicators"][1]["applicable"] is False and "applicable" not in data["indicators"][0]
    assert loads(dumps(report)).indicators[1].applicable is False


def _json(**extra) -> str:
    return json.dumps({"format": "jixiao-ziping", "version": 1, "template": "blank", **extra}, ensure_ascii=False)


def test_unknown_knob_value_is_a_clear_error_naming_it():
    with pytest.raises(ReportFormatError) as err:
        loads(_json(rules={"not_applicable": "drop"}))
    assert err.value.path == "rules.not_applicable"
    assert "“drop”不是可选值" in err.value.message and "rescale" in err.value.message


@pytest.mark.parametrize("value", ["false", 0, "否", [False]])
def test_applicable_must_be_true_or_false(value):
    with pytest.raises(ReportFormatError) as err:
        loads(_json(indicators=[{"name": "甲", "weight": "100", "applicable": value}]))
    assert err.value.path == "indicators[0].applicable" and "true 或 false" in err.value.message


def test_applicable_null_or_absent_means_applicable():
    report = loads(_json(indicators=[{"name": "甲", "applicable": None}, {"name": "乙"}]))
    assert [n.applicable for n in report.indicators] == [True, True]


# --- what is printed ------------------------------------------------------------------------------


def test_check_json_and_text_say_what_was_left_out(cli, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(dumps(_report(RESCALE, ("A",))), encoding="utf-8")
    r = cli("check", str(path), "--json")
    totals = json.loads(r.stdout)["totals"]
    assert (totals["score"], totals["grade"], totals["weight"]) == ("86.67", "良", "100.00")
    assert totals["applicable_weight"] == "90.00" and totals["applicable_score"] == "78.00"
    assert totals["not_applicable"] == [
        {"path": "indicators[0].children[0]", "name": "A", "weight": "10.00", "score": "不适用"}
    ]
    assert [x["applicable_weight"] for x in totals["level1"]] == ["20.00", "70.00"]
    text = cli("check", str(path)).stdout
    assert "不适用指标（不评分、不计入总分）：A" in text and "折算为百分制总分 86.67 分" in text
    path.write_text(dumps(_report(RESCALE, ("A", "B", "C", "D"))), encoding="utf-8")
    r = cli("check", str(path))
    assert r.returncode == 1 and "总分 无" in r.stdout and "I12" in r.stdout


def test_pdf_workbook_and_word_print_not_applicable(tmp_path):
    import docx
    import openpyxl

    from core.export.docx import export_docx
    from core.export.pdf import export_pdf
    from core.export.xlsx import export_xlsx
    from tests.helpers import pdf

    report = _report(RESCALE, ("A",))
    report.project.name = "不适用测试项目"
    report.narrative = [Section(title="一、评价结论", text="得分情况见评分表。")]  # the report with its tables
    export_pdf(report, tmp_path / "r.pdf")
    text = pdf.compact(tmp_path / "r.pdf")
    assert "10.00不适用" in text  # A's 分值 and, for its 得分, 不适用
    assert "综合得分86.67分，评价等级：良" in text and "不适用指标（不评分、不计入总分）：A" in text
    export_xlsx(report, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    rows = [list(row) for row in wb["指标评分表"].iter_rows(values_only=True)]
    assert ["产出", "A", None, None, 10, "不适用"] in rows and [None, "B", None, None, 20, 15] in rows
    assert ["产出 小计", None, None, None, 30, 15] in rows  # the 一级 sum: A's 10 counted as weight only
    assert ["总分", None, None, None, 100, 86.67] in rows
    assert any(isinstance(v, str) and v.startswith("不适用指标（不评分、不计入总分）：A") for row in rows for v in row)
    rows = [list(row) for row in wb["自评表"].iter_rows(values_only=True)]
    assert ["产出", "A", None, None, None, 10, "不适用", None] in rows
    export_docx(report, tmp_path / "r.docx")
    cells = [c.text for t in docx.Document(tmp_path / "r.docx").tables for row in t.rows for c in row.cells]
    assert "不适用" in cells


@pytest.mark.parametrize("form", ["mof-self", "evaluation-table", "report-annex3"])
def test_forms_print_not_applicable(tmp_path, form):
    import openpyxl

    from core.export.forms.workbook import export_form_xlsx

    export_form_xlsx(_report(RESCALE, ("A",)), tmp_path / "f.xlsx", forms=[form])
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row]
    assert "不适用" in values


def test_a_workbook_printing_not_applicable_imports_the_mark(tmp_path):
    from core.export.xlsx import export_xlsx
    from core.store.xlsx_import import import_workbook

    report = _report(RESCALE, ("A",))
    report.project.name = "不适用测试项目"
    export_xlsx(report, tmp_path / "r.xlsx")
    imported = import_workbook(tmp_path / "r.xlsx")
    leaves = [n for top in imported.report.indicators for n in top.children]
    assert [(n.name, n.applicable, n.score) for n in leaves] == [
        ("A", False, None),
        ("B", True, D(15)),
        ("C", True, D(27)),
        ("D", True, D(36)),
    ]
    assert not [p for p in imported.unplaced if "不适用" in p and "评分标准" not in p]  # read, not listed


def test_the_draft_counts_no_deduction_for_a_leaf_left_out():
    from core.rules.draft import conclusion_text, level1_text

    report = _report(RESCALE, ("A",))
    totals = Document(report).totals
    assert "产出15.00分（分值30.00分，其中不适用指标10.00分不计分）" in conclusion_text(report, totals)
    text = level1_text(report.indicators[0], report, totals)
    assert text.startswith("产出指标分值30.00分（其中不适用指标10.00分不计分），评价得分15.00分，扣5.00分。")
    assert "“A”" not in text and "“B”分值20.00分，得分15.00分，扣5.00分" in text


@pytest.mark.parametrize("form", ["mof-self", "evaluation-table", "report-annex3"])
def test_forms_say_under_the_scores_what_was_left_out(tmp_path, form):
    """The 评分标准 lines under a scored form, as under the report's own table: the leaves left out
    and the rescale, in the PDF and the workbook alike."""
    import openpyxl

    from core.export.forms.workbook import export_form_xlsx
    from core.export.pdf import export_pdf
    from tests.helpers import pdf

    report = _report(RESCALE, ("A",))
    export_pdf(report, tmp_path / "f.pdf", forms=[form])
    text = pdf.compact(tmp_path / "f.pdf")
    assert "不适用指标" in text and "折算为百分制总分86.67分" in text
    export_form_xlsx(report, tmp_path / "f.xlsx", forms=[form])
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").worksheets[0]
    values = "".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "不适用指标" in values and "折算为百分制总分 86.67 分" in values


def test_the_status_bar_says_what_was_left_out():
    from core.rules.summary import rules_status
    from core.rules.totals import compute_totals

    report = _report(RESCALE, ("A",))
    assert "1 项不适用，总分折算为 86.67" in rules_status(report, compute_totals(report))
    report = _report(RESCALE, ("A", "B", "C", "D"))
    assert "4 项不适用，无可计分指标" in rules_status(report, compute_totals(report))
    report = _report(RESCALE)
    assert "不适用" not in rules_status(report, compute_totals(report))
