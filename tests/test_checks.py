"""Every check of DOMAIN §3: a report that triggers it (code and path) and one that does not."""

from decimal import Decimal

import pytest

from core.document import Document
from core.model.model import Balance, Expenditure, FundSource, Indicator, Report, Section, Target
from core.rules.checks import CODES


def codes(doc, code):
    return [(f.path_text, f.message) for f in doc.findings if f.code == code]


@pytest.fixture
def doc(seed):
    d = Document(seed("002"))
    assert d.findings == []  # the clean starting point every case below breaks once
    return d


LEAF = ("indicators", 2, "children", 0, "children", 0)  # 实际完成率: ≥36300 人, actual 35353


def test_f01_sources_do_not_add_up_to_approved_total(doc):
    doc.set_text(("funds", "approved_total"), "700")
    [(path, msg)] = codes(doc, "F01")
    assert path == "funds.approved_total" and "668.40" in msg and "700.00" in msg
    doc.set_text(("funds", "approved_total"), "668.4")
    assert not codes(doc, "F01")


def test_f02_spent_more_than_received(doc):
    doc.set_text(("funds", "sources", 0, "spent"), "668.41")
    assert [p for p, _ in codes(doc, "F02")] == ["funds.sources[0].spent"]
    doc.set_text(("funds", "sources", 0, "spent"), "668.404")  # equal after rounding to cents
    assert not codes(doc, "F02")


def test_f03_received_more_than_adjusted_budget(doc):
    doc.set_text(("funds", "sources", 0, "received"), "700")
    assert [p for p, _ in codes(doc, "F03")] == ["funds.sources[0].received"]
    doc.undo()
    assert not codes(doc, "F03")


def test_f04_expenditure_details_do_not_add_up(doc):
    doc.insert(("funds", "expenditures"), 0, Expenditure("参保补助", Decimal("600")), "添加支出明细")
    [(path, msg)] = codes(doc, "F04")
    assert path == "funds.expenditures" and "600.00" in msg
    doc.insert(("funds", "expenditures"), 1, Expenditure("补助2", Decimal("68.4")), "添加支出明细")
    assert not codes(doc, "F04")


def test_f05_balance_does_not_balance(seed):
    doc = Document(seed("001"))
    assert not codes(doc, "F05")
    doc.set_text(("funds", "balance", "closing"), "236.15")
    [(path, msg)] = codes(doc, "F05")
    assert path == "funds.balance.closing" and "236.14" in msg


def test_f06_negative_amount(doc):
    doc.set_text(("funds", "sources", 0, "initial"), "-5")
    assert [p for p, _ in codes(doc, "F06")] == ["funds.sources[0].initial"]
    doc.report.funds.balance = None
    doc.set_value(("funds", "balance"), Balance(Decimal("1"), Decimal("-2"), Decimal(0), Decimal(-1)))
    assert "funds.balance.income" in [p for p, _ in codes(doc, "F06")]
    doc.undo()
    doc.undo()
    assert not codes(doc, "F06")


def test_i01_score_out_of_range(doc):
    doc.set_text(LEAF + ("score",), "10.5")
    assert [p for p, _ in codes(doc, "I01")] == ["indicators[2].children[0].children[0].score"]
    doc.set_text(LEAF + ("score",), "-1")
    assert codes(doc, "I01")
    doc.set_text(LEAF + ("score",), "9.74")
    assert not codes(doc, "I01")


def test_i02_fixed_parent_weight_differs_from_children(doc):
    doc.set_text(("indicators", 0, "weight"), "40")
    [(path, msg)] = codes(doc, "I02")
    assert path == "indicators[0]"
    assert msg == "决策：下级分值合计 20.00，与设定分值 40.00 不符"
    doc.set_text(("indicators", 0, "weight"), "")  # derived: never differs
    assert not codes(doc, "I02")


def test_i03_leaf_weights_do_not_add_up_to_100(doc):
    doc.set_text(("indicators", 0, "children", 0, "children", 0, "weight"), "4")
    assert [p for p, _ in codes(doc, "I03")] == ["indicators"]
    doc.set_value(("template",), "transfer")  # unscored template: not checked
    assert not codes(doc, "I03")


def test_i04_score_differs_from_suggested_without_reason(doc):
    doc.set_text(LEAF + ("score",), "10")
    [(path, msg)] = codes(doc, "I04")
    assert path.endswith("children[0].score") and "9.74" in msg
    doc.set_text(LEAF + ("override_reason",), "按照省厅口径，外出务工人员不计入")
    assert not codes(doc, "I04")


def test_i05_missed_target_without_reason(doc):
    doc.set_text(LEAF + ("deviation",), "")
    [(path, msg)] = codes(doc, "I05")
    assert path.endswith(".deviation") and "97.39%" in msg
    doc.set_text(LEAF + ("deviation",), "外出务工人员增加")
    assert not codes(doc, "I05")


def test_i05_exceeding_by_30_percent_needs_a_reason(doc):
    timely = ("indicators", 2, "children", 2, "children", 0)
    doc.set_text(timely + ("deviation",), "")
    assert not codes(doc, "I05")  # 111.11 %: within 30 %
    doc.set_text(timely + ("target", "value"), "70")  # 100 ÷ 70 = 142.86 %
    [(path, msg)] = codes(doc, "I05")
    assert "超出" in msg and "142.86%" in msg


def test_i05_qualitative_partial_band(doc):
    q = ("indicators", 3, "children", 0, "children", 0)
    doc.set_value(q + ("band",), "partial")
    doc.set_text(q + ("score",), "10")
    assert [p for p, _ in codes(doc, "I05")] == ["indicators[3].children[0].children[0].deviation"]


def test_i06_execution_rate_leaf_does_not_match_funds(doc):
    doc.set_text(("funds", "sources", 0, "spent"), "534.72")  # 80.00 %
    [(path, msg)] = codes(doc, "I06")
    assert path == "indicators[1].children[0].children[1].score" and "3.20" in msg
    doc.set_text(("indicators", 1, "children", 0, "children", 1, "score"), "3.2")
    assert not codes(doc, "I06")


def test_i07_leaf_without_weight_or_score(doc):
    doc.set_text(LEAF + ("weight",), "")
    assert LEAF_PATH + ".weight" in [p for p, _ in codes(doc, "I07")]
    doc.undo()
    doc.set_text(LEAF + ("score",), "")
    assert [p for p, _ in codes(doc, "I07")] == [LEAF_PATH + ".score"]
    doc.undo()
    doc.set_text(LEAF + ("weight",), "-10")
    assert any("负数" in m for _, m in codes(doc, "I07"))
    doc.undo()
    assert not codes(doc, "I07")


LEAF_PATH = "indicators[2].children[0].children[0]"


def test_i08_quantitative_figure_that_is_not_a_number(doc):
    doc.set_op(LEAF, "qualitative")
    doc.set_text(LEAF + ("actual",), "约三万余人")
    doc.set_op(LEAF, ">=")
    [(path, msg)] = codes(doc, "I08")
    assert path == LEAF_PATH + ".actual" and "实际完成值" in msg


def test_i09_qualitative_score_outside_its_band(doc):
    q = ("indicators", 3, "children", 0, "children", 0)
    doc.set_text(q + ("score",), "11")  # 达成: 12–15
    assert [p for p, _ in codes(doc, "I09")] == ["indicators[3].children[0].children[0].score"]
    doc.set_text(q + ("score",), "12")
    assert not codes(doc, "I09")


def test_p01_required_project_field(doc):
    doc.set_text(("project", "supervisor"), "  ")
    [(path, msg)] = codes(doc, "P01")
    assert path == "project.supervisor" and msg == "主管部门未填写"
    doc.set_text(("project", "year"), "")
    assert "project.year" in [p for p, _ in codes(doc, "P01")]


def test_i10_output_and_benefit_below_60(doc):
    assert not codes(doc, "I10")  # 30 + 30
    doc.set_text(("indicators", 2, "children", 0, "children", 0, "weight"), "0.5")  # 产出 20.5
    [(path, msg)] = codes(doc, "I10")
    assert path == "indicators" and "50.50" in msg


def test_n01_unknown_placeholder_and_n02_double_percent(doc):
    path = ("narrative", 2, "text")
    doc.set_text(path, "执行率{执行率}，得分{总得份}，另见70.62%%")
    assert [p for p, _ in codes(doc, "N01")] == ["narrative[2].text"]
    assert "{总得份}" in codes(doc, "N01")[0][1]
    assert [p for p, _ in codes(doc, "N02")] == ["narrative[2].text"]
    doc.set_text(path, "执行率{执行率}，得分{总得分}")
    assert not codes(doc, "N01") and not codes(doc, "N02")


def test_n03_placeholders_filled_past_the_limit_and_p02_names_too_long_to_print(doc):
    from core.model.limits import FILLED_CHARS, PRINTED_NAME_CHARS

    doc.set_text(("project", "name"), "名" * 500)
    doc.set_text(("narrative", 2, "text"), "{项目名称}" * (FILLED_CHARS // 500 + 1))
    assert [p for p, _ in codes(doc, "N03")] == ["narrative[2].text"]
    assert [p for p, _ in codes(doc, "P02")] == ["project.name"]
    doc.set_text(("indicators", 0, "name"), "决" * (PRINTED_NAME_CHARS + 1))
    assert [p for p, _ in codes(doc, "P02")] == ["project.name", "indicators[0].name"]
    doc.set_text(("project", "name"), "名" * PRINTED_NAME_CHARS)
    doc.set_text(("narrative", 2, "text"), "{项目名称}" * 10)
    assert not codes(doc, "N03") and [p for p, _ in codes(doc, "P02")] == ["indicators[0].name"]


def test_i11_marked_not_applicable_under_rules_that_leave_nothing_out(doc):
    from core.rules.rulesets import RuleSet

    doc.set_applicable(LEAF, False)  # seed 002 is scored by the national rules
    [(path, msg)] = codes(doc, "I11")
    assert path == "indicators[2].children[0].children[0]" and "不允许剔除指标" in msg
    assert doc.totals.score == Decimal("98.74")  # nothing left out: the mark changes no figure
    doc.set_rules(RuleSet(not_applicable="rescale"))
    assert not codes(doc, "I11") and doc.totals.score == Decimal("98.89")  # 89.00 × 100 ÷ 90


def test_i12_every_leaf_left_out(doc):
    from core.model.model import walk_indicators
    from core.rules.rulesets import RuleSet

    doc.set_rules(RuleSet(not_applicable="rescale"))
    leaves = [p for p, n, _d in walk_indicators(doc.report.indicators) if n.is_leaf]
    with doc.batch("标为不适用"):
        for path in leaves[1:]:
            doc.set_applicable(path, False)
    assert not codes(doc, "I12") and doc.totals.score == Decimal("100.00")  # 3 of 3
    doc.set_applicable(leaves[0], False)
    [(path, msg)] = codes(doc, "I12")
    assert path == "indicators" and "17 个末级指标" in msg and doc.totals.score is None
    assert not [f for f in doc.findings if f.code in ("I01", "I04", "I05", "I07", "I09")]  # nothing asked of them


def test_every_code_has_a_test():
    names = " ".join(name for name in globals() if name.startswith("test_"))
    assert [code for code in CODES if f"_{code.lower()}_" not in names] == []


def test_edge_reports_are_handled_not_crashed():
    empty = Document(Report(template="mof-self"))
    assert empty.totals.funds.total.execution_rate is None  # shown as 无
    assert [f.code for f in empty.findings if f.code == "I03"] == ["I03"]
    zero = Document(Report(template="blank"))
    zero.insert(
        ("funds", "sources"), 0, FundSource("中央财政", Decimal(0), None, Decimal(0), Decimal(5)), "添加资金来源"
    )
    assert zero.totals.funds.total.execution_rate is None
    assert zero.totals.funds.total.arrival_rate is None
    assert [f.code for f in zero.findings if f.code == "F02"] == ["F02"]
    qual = Indicator(name="定性", weight=Decimal(10), target=Target("qualitative", "有效"), actual="有效")
    blank = Document(Report(template="blank", indicators=[qual], narrative=[Section("一、", "x" * 200_000)]))
    assert blank.totals.weight == Decimal("10.00") and blank.findings


def test_t01_characters_no_pdf_font_can_print(seed):
    from core.export.fonts import load_fonts
    from core.export.glyphs import unprintable

    covered = load_fonts().covered()
    report = seed("000")
    assert unprintable(report, covered) == []
    report.team[0].name = "刘䶮"  # rare, but the shipped fallback font has it
    assert unprintable(report, covered) == []
    report.team[1].name = "娄\U000f0001"
    [finding] = unprintable(report, covered)
    assert finding.code == "T01" and finding.path_text == "team[1].name" and finding.severity == "warning"


def test_t01_coverage_is_the_pdf_fonts_own_and_the_shipped_table_is_current(tmp_path, monkeypatch):
    """check T01 reads font coverage from a table instead of parsing the fonts each run: the table
    must say exactly what the fonts the PDF uses can print."""
    import json

    from core.export import coverage
    from core.export.fonts import load_fonts

    shipped = json.loads(coverage.SHIPPED_COVERAGE.read_text(encoding="utf-8"))
    for file in sorted(p for p in coverage.SHIPPED.iterdir() if p.suffix.lower() in (".ttf", ".ttc")):
        key = coverage.shipped_key(file.name, 0, file.stat().st_size)
        assert shipped.get(key) == coverage.measure(str(file), 0), f"run python -m core.export.coverage ({key})"
    monkeypatch.setenv("JXZP_CONFIG_DIR", str(tmp_path))  # the PC's fonts are measured once, then kept
    coverage._coverage.cache_clear()
    coverage.covered.cache_clear()
    assert coverage.covered() == frozenset(load_fonts().covered())
    coverage._coverage.cache_clear()
    coverage.covered.cache_clear()


def test_t01_asks_the_pcs_fonts_only_for_characters_the_shipped_fallbacks_lack(seed):
    """check T01 answers from the shipped fallback fonts' ranges first (they end every font chain),
    so `check` of an ordinary report neither runs fontconfig nor builds the full coverage; a
    character they lack is still looked up in every font of the chain."""
    from core.export import coverage, fontfiles
    from core.export.glyphs import check_glyphs

    coverage.covered.cache_clear()
    coverage.printable.cache_clear()
    fontfiles._fontconfig.cache_clear()
    report = seed("000")
    report.team[0].name = "刘䶮"
    assert check_glyphs(report) == []
    assert fontfiles._fontconfig.cache_info().currsize == 0 and coverage.covered.cache_info().currsize == 0
    report.team[1].name = "娄\U000f0001"
    assert [f.path_text for f in check_glyphs(report)] == ["team[1].name"]
    assert coverage.covered.cache_info().currsize == 1  # asked the whole chain for that one

    printable, full = coverage.Printable(), coverage.covered()
    assert printable._starts  # the shipped table was read
    for start, end in zip(printable._starts, printable._ends, strict=True):
        assert all(code in full for code in range(start, end + 1))  # the shortcut never says yes wrongly
    assert {code for code in range(0x30000) if code in printable} == {code for code in full if code < 0x30000}


# V01–V04 (复核, DOMAIN §5): one case each here; the slips as printed are in tests/test_review.py.


def test_v01_printed_total_differs_from_the_leaves(doc):
    doc.start_review()
    doc.set_printed_text(("printed", "score"), "100")
    assert codes(doc, "V01") == [("printed.score", "表上总分 100.00，按指标得分合计为 98.74")]
    doc.set_printed_text(("printed", "score"), "98.74")
    assert not codes(doc, "V01")


def test_v02_printed_level1_differs_from_its_leaves(doc):
    doc.start_review()
    doc.set_printed_text(("printed", "level1", 2, "score"), "30")
    assert codes(doc, "V02") == [("printed.level1[2].score", "产出：表上得分 30.00，按其下末级指标得分合计为 29.74")]


def test_v03_printed_funds_total_differs_from_the_sources(doc):
    doc.start_review()
    doc.set_printed_text(("printed", "funds", "adjusted"), "660")
    assert [p for p, _ in codes(doc, "V03")] == ["printed.funds.adjusted"]


def test_v04_printed_grade_differs_from_the_total(doc):
    doc.start_review()
    doc.set_printed_text(("printed", "grade"), "良")
    assert codes(doc, "V04") == [("printed.grade", "表上评价等级“良”，按总分 98.74 应为“优”")]
