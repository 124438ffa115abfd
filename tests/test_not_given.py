"""Not given ≠ 0 (INTERCHANGE "Additions → Not given", DOMAIN §5) and the empty rows of a form.

A form with only 全年预算数 and 全年执行数 (no 实际到位数, no 年初预算数) must never print an invented
实际到位 0.00, 到位率 0.00% or 结余 −18.50; a 二级 with no 三级, a `……` or `指标2：` row is an empty row
of the form, not an error. Both are driven the way a user meets them: the real command line, the
grids' presenters, the real window, real .jxzp files, and the exports read back.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import openpyxl
import pytest

from core.document import Document
from core.export.pdf import export_pdf
from core.export.summary_xlsx import export_summary, summarize
from core.export.xlsx import export_xlsx
from core.model.model import Balance, Expenditure, FundSource, Indicator, Report
from core.model.templates import new_report
from core.presenters.tables import PARTIAL_HINT, PARTIAL_SUM_HINT, ExpendituresTable, SourcesTable
from core.presenters.tree_tables import IndicatorTable
from core.rules.draft import draft
from core.rules.empty_rows import is_placeholder_name
from core.rules.placeholders import fill
from core.store.jsonio import loads
from core.store.storage_format import read_document_report, write_new_document
from tests.helpers import pdf as pdf_text

# A 财政部 自评表 as many units print it: 全年预算数 and 全年执行数 only, and the form's empty rows
# (质量指标 and 经济效益指标 with nothing under them, a `……` row and an `指标2：` row).
FORM = {
    "format": "jixiao-ziping",
    "version": 1,
    "template": "mof-self",
    "project": {
        "name": "农村饮水安全工程维修养护",
        "year": 2024,
        "department": "某县水务局",
        "implementing_unit": "某县水务局",
        "supervisor": "某县水务局",
    },
    "funds": {"unit": "万元", "sources": [{"source": "县级财政", "adjusted": "20.00", "spent": "18.50"}]},
    "indicators": [
        {"name": "预算执行率", "weight": "10", "score": "9.25"},
        {
            "name": "产出指标",
            "weight": "50",
            "children": [
                {
                    "name": "数量指标",
                    "children": [
                        {"name": "维修供水工程", "weight": "50", "score": "50", "target": "≥12处", "actual": "12处"},
                        {"name": "……"},
                    ],
                },
                {"name": "质量指标"},
            ],
        },
        {
            "name": "效益指标",
            "weight": "30",
            "children": [
                {"name": "经济效益指标"},
                {
                    "name": "社会效益指标",
                    "children": [
                        {
                            "name": "保障群众饮水安全",
                            "weight": "30",
                            "score": "30",
                            "target": {"op": "qualitative", "value": "有效保障"},
                            "actual": "有效保障",
                            "band": "full",
                        },
                        {"name": "指标2："},
                    ],
                },
            ],
        },
        {
            "name": "满意度指标",
            "weight": "10",
            "children": [
                {
                    "name": "服务对象满意度指标",
                    "children": [
                        {"name": "受益群众满意度", "weight": "10", "score": "10", "target": "≥90%", "actual": "95%"}
                    ],
                }
            ],
        },
    ],
    "narrative": [{"title": "一、基本情况", "text": "全年预算数{全年预算数}万元，预算执行率{执行率}。"}],
}
EMPTY_ROWS = {
    "indicators[1].children[0].children[1]": "……",
    "indicators[1].children[1]": "质量指标",
    "indicators[2].children[0]": "经济效益指标",
    "indicators[2].children[1].children[1]": "指标2：",
}


def form(**funds) -> Report:
    data = copy.deepcopy(FORM)
    data["funds"].update(funds)
    return loads(json.dumps(data, ensure_ascii=False))


def source(**amounts) -> FundSource:
    return FundSource(source=amounts.pop("source", "来源"), **{k: Decimal(v) for k, v in amounts.items()})


def _on(path: str, findings) -> list:
    return [f for f in findings if f.path_text == path or f.path_text.startswith(path + ".")]


# --- the command line -----------------------------------------------------------------------


def test_check_json_gives_null_for_what_the_form_does_not_give(cli, tmp_path):
    path = tmp_path / "自评表.json"
    path.write_text(json.dumps(FORM, ensure_ascii=False), encoding="utf-8")
    result = cli("check", str(path), "--json")
    assert result.returncode == 0, result.stderr  # no error: neither for the funds nor the empty rows
    out = json.loads(result.stdout)
    assert out["totals"]["funds"] == {
        "initial": None,
        "adjusted": "20.00",
        "received": None,
        "spent": "18.50",
        "remaining": None,
        "execution_rate": "92.50",
        "arrival_rate": None,
    }
    assert out["totals"]["weight"] == "100.00" and out["totals"]["score"] == "99.25"
    assert [i["code"] for i in out["issues"] if i["code"].startswith("F")] == []
    text = cli("check", str(path))
    assert text.returncode == 0
    assert "全年预算数 20.00  实际到位数 无  实际支出数 18.50  结余 无" in text.stdout
    assert "0.00" not in text.stdout.replace("100.00", "").replace("20.00", "")


# --- the totals: the rule for a column some rows leave blank -------------------------------------


def test_a_partly_filled_column_sums_what_is_given_and_derives_no_rate_from_it():
    report = new_report("mof-self")
    report.funds.sources = [
        source(source="中央财政", adjusted="100", received="100", spent="80"),
        source(source="县级财政", adjusted="50", received="50"),  # 实际支出数 left blank
        FundSource(source="其他资金"),  # the form's empty row: counts for nothing
    ]
    report.indicators[0].score = Decimal("8")
    doc = Document(report)
    funds = doc.totals.funds
    assert funds.partial == {"spent"}
    total = funds.total
    assert (total.adjusted, total.received, total.spent) == (Decimal(150), Decimal(150), Decimal(80))
    assert total.initial is None  # no row gives it
    assert total.execution_rate is None and total.remaining is None  # they would count the blank as 0
    assert total.arrival_rate == Decimal("100.00")  # both its columns are complete
    assert funds.execution_ratio is None
    assert [r.execution_rate for r in funds.rows] == [Decimal("80.00"), None, None]
    assert [r.remaining for r in funds.rows] == [Decimal(20), None, None]
    # the 预算执行率 leaf gets no suggested score, so I06 does not compare its score with anything
    assert doc.totals.nodes[report.indicators[0].uid].suggested is None
    assert not [f for f in doc.findings if f.code == "I06"]
    table = SourcesTable(doc)
    total_row = table.row_count() - 1
    assert [table.text(total_row, c) for c in range(len(table.columns))] == [
        "合计",
        "",
        "150.00",
        "150.00",
        "80.00",
        "无",
        "100.00%",
        "",
    ]
    assert table.hint(total_row, 4) == PARTIAL_SUM_HINT and table.hint(total_row, 5) == PARTIAL_HINT
    # once the blank is filled, everything is derived again
    doc.set_text(("funds", "sources", 1, "spent"), "40")
    assert doc.totals.funds.total.execution_rate == Decimal("80.00")
    assert doc.totals.nodes[report.indicators[0].uid].suggested == Decimal("8.00")
    assert doc.totals.funds.total.remaining == Decimal(30)


def test_no_funds_at_all_derive_nothing():
    doc = Document(Report(template="mof-self"))
    total = doc.totals.funds.total
    assert (total.initial, total.adjusted, total.received, total.spent, total.remaining) == (None,) * 5
    assert total.execution_rate is None and total.arrival_rate is None


# --- the checks ---------------------------------------------------------------------------------


def codes(doc: Document) -> list[str]:
    return [f.code for f in doc.findings]


def test_fund_checks_do_not_fire_on_what_is_not_given_but_do_on_what_is():
    report = Report(template="mof-self")
    report.funds.sources = [source(adjusted="100", spent="90"), source(adjusted="50")]
    report.funds.approved_total = Decimal("200")
    report.funds.expenditures = [Expenditure(content="维修", amount=Decimal("50"))]
    report.funds.balance = Balance(income=Decimal("150"), spent=Decimal("90"), closing=Decimal("70"))
    doc = Document(report)
    # 全年预算数 is given in every row: F01 compares it; 实际支出数 is partial: F04 does not; the
    # 结转结余 has no 上年结转结余: F05 does not invent a 0 for it.
    assert [c for c in codes(doc) if c.startswith("F")] == ["F01"]
    doc.set_text(("funds", "sources", 1, "spent"), "0")  # given as 0: now it is a figure
    assert "F04" in codes(doc)
    doc.set_text(("funds", "balance", "opening"), "0")
    assert "F05" in codes(doc)  # 0 + 150 − 90 = 60 ≠ 70
    f05 = next(f for f in doc.findings if f.code == "F05")
    assert "0.00 + 150.00 − 90.00 = 60.00" in f05.message
    doc.set_text(("funds", "sources", 0, "adjusted"), "")
    doc.set_text(("funds", "sources", 1, "adjusted"), "")
    assert "F01" not in codes(doc)  # no 全年预算数 (nor 年初预算数) at all: nothing to compare


# --- placeholders and the draft ----------------------------------------------------------------


def test_placeholders_never_state_an_invented_figure():
    report = form()
    report.narrative[0].text = "实际到位{实际到位数}万元，到位率{到位率}，结余{结余}；执行率{执行率}。"
    doc = Document(report)
    text = fill(report.narrative[0].text, report, doc.totals)
    assert text == "实际到位{实际到位数}万元，到位率{到位率}，结余{结余}；执行率92.50%。"
    [n01] = [f for f in doc.findings if f.code == "N01"]
    assert n01.path_text == "narrative[0].text"
    assert "{实际到位数}、{到位率}、{结余}" in n01.message and "未填写" in n01.message
    doc.set_text(("funds", "sources", 0, "received"), "20")
    assert fill(report.narrative[0].text, report, doc.totals) == (
        "实际到位20.00万元，到位率100.00%，结余1.50；执行率92.50%。"
    )
    assert "N01" not in codes(doc)


def test_the_draft_leaves_out_what_is_not_given():
    report = form()
    doc = Document(report)
    [funds] = [p for p in draft(report, doc.totals) if "资金" in p.title]
    filled = fill(funds.text, report, doc.totals)
    assert filled == (
        "2024年度农村饮水安全工程维修养护全年预算数20.00万元；实际支出18.50万元，预算执行率92.50%。"
        "资金未能全部按计划支出，预算执行进度有待加快。"
    )
    assert "{" not in filled
    report.funds.sources[0].spent = None
    doc = Document(report)
    parts = {p.title: fill(p.text, report, doc.totals) for p in draft(report, doc.totals)}
    [funds_text] = [t for title, t in parts.items() if "资金" in title]
    assert funds_text == "2024年度农村饮水安全工程维修养护全年预算数20.00万元。"
    assert not any("执行率为" in t or "执行情况" in t or "{" in t or "0.00%" in t for t in parts.values())


# --- the grid and the window ----------------------------------------------------------------------


def test_the_grid_shows_blank_cells_and_clearing_a_cell_makes_it_not_given_again():
    doc = Document(form())
    table = SourcesTable(doc)
    row = [table.text(0, c) for c in range(len(table.columns))]
    assert row == ["县级财政", "", "20.00", "", "18.50", "92.50%", "无", ""]
    assert [table.text(1, c) for c in range(1, len(table.columns))] == row[1:]
    table.set_text(0, 3, "20")
    assert [table.text(1, c) for c in (3, 6, 7)] == ["20.00", "100.00%", "1.50"]
    table.set_text(0, 3, "")  # cleared: not given again, not 0
    assert doc.report.funds.sources[0].received is None
    assert [table.text(1, c) for c in (3, 6, 7)] == ["", "无", ""]
    doc.undo()
    assert [table.text(1, c) for c in (3, 6, 7)] == ["20.00", "100.00%", "1.50"]
    doc.redo()
    assert doc.report.funds.sources[0].received is None


def test_the_expenditure_total_is_blank_until_an_amount_is_given():
    doc = Document(form())
    table = ExpendituresTable(doc)
    table.insert_row(0)
    assert table.text(1, 0) == "合计" and table.text(1, 1) == ""  # not 0.00
    table.set_text(0, 1, "18.5")
    assert table.text(1, 1) == "18.50"


def test_in_the_window_delete_clears_an_amount_to_not_given_and_undo_brings_it_back(window, qtbot):
    from PySide6.QtCore import Qt

    w = window
    view, model = w.fund_tab.sources_view, w.fund_tab.sources_model
    w.tabs.setCurrentWidget(w.fund_tab)
    received_before = model.index(0, 3).data()
    assert received_before not in ("", None)
    view.setCurrentIndex(model.index(0, 3))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert w.doc.report.funds.sources[0].received is None
    total = model.rowCount() - 1
    assert [model.index(r, c).data() for r in (0, total) for c in (3, 6, 7)] == ["", "无", ""] * 2
    w.undo_action.trigger()
    assert model.index(0, 3).data() == received_before
    assert model.index(total, 7).data() not in ("", "无")


def test_in_the_window_the_balance_formula_waits_for_its_three_amounts(window, qtbot):
    from gui.fund_tab import BALANCE_NOT_GIVEN

    tab = window.fund_tab
    window.tabs.setCurrentWidget(tab)
    tab.balance_box.setChecked(True)  # 结转结余 added, nothing in it yet
    assert window.doc.report.funds.balance is not None
    assert tab.balance_formula.text() == BALANCE_NOT_GIVEN  # not “0.00 万元”
    window.doc.set_text(("funds", "balance", "income"), "150")
    window.doc.set_text(("funds", "balance", "spent"), "90")
    assert tab.balance_formula.text() == BALANCE_NOT_GIVEN  # 上年结转结余 still blank
    window.doc.set_text(("funds", "balance", "opening"), "0")
    assert tab.balance_formula.text() == f"60.00 {window.doc.report.funds.unit}"


# --- the exports --------------------------------------------------------------------------------


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_excel_leaves_what_is_not_given_blank(tmp_path):
    out = tmp_path / "自评表.xlsx"
    assert export_xlsx(form(), out) == []
    wb = openpyxl.load_workbook(out)
    detail = _rows(wb["资金明细"])
    assert detail[1] == ("资金来源", "年初预算数", "全年预算数", "实际到位数", "实际支出数", "执行率", "到位率", "结余")
    for label in ("县级财政", "合计"):
        [row] = [r for r in detail if r[0] == label]
        assert row[1] is None and row[3] is None and row[7] is None  # 年初预算数, 实际到位数, 结余: blank
        assert row[2] == 20 and row[4] == 18.5 and row[5] == pytest.approx(0.925) and row[6] == "无"
    table = _rows(wb["自评表"])
    [total] = [r for r in table if r[1] == "年度资金总额"]
    assert total[2] is None and total[3:5] == (20, 18.5)  # 年初预算数 blank, never 0


def test_pdf_leaves_what_is_not_given_blank(tmp_path):
    report = form()
    report.narrative[0].text += "实际到位{实际到位数}万元。"
    out = tmp_path / "报告.pdf"
    export_pdf(report, out)
    text = pdf_text.text(out)
    # The attached 财政部 自评表 (#22): 年初预算数 not given is a blank cell, not 0.00.
    assert "年度资金总额 20.00 18.50 10.00 92.50% 9.25" in text
    assert "其中：县级财政 20.00 18.50 92.50%" in text
    assert "0.00%" not in text and "-18.50" not in text and "−18.50" not in text
    assert "全年预算数20.00万元，预算执行率92.50%。实际到位{实际到位数}万元。" in pdf_text.compact(out)


# --- the 汇总表 over many reports -----------------------------------------------------------------


def test_the_summary_treats_not_given_the_same_way(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    full = copy.deepcopy(FORM)
    full["funds"]["sources"] = [{"source": "县级财政", "adjusted": "100.00", "received": "100", "spent": "90.00"}]
    (folder / "a.json").write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    no_spent = copy.deepcopy(FORM)
    no_spent["funds"]["sources"] = [{"source": "县级财政", "adjusted": "50.00"}]
    (folder / "b.json").write_text(json.dumps(no_spent, ensure_ascii=False), encoding="utf-8")
    agg = summarize([folder])
    by_file = {r.file.rsplit("/", 1)[-1]: r for r in agg.rows}
    assert by_file["b.json"].spent is None and by_file["b.json"].execution_rate is None
    assert agg.adjusted == Decimal("150.00") and agg.spent == Decimal("90.00")  # the sums of what is given
    assert agg.execution_rate is None  # 90 ÷ 150 would count b's blank 实际支出数 as 0
    assert agg.mean_execution_rate == Decimal("90.00")
    out = tmp_path / "汇总.xlsx"
    export_summary(agg, out)
    ws = openpyxl.load_workbook(out)["汇总表"]
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "序号")
    spent_col, rate_col = header.index("实际支出数"), header.index("执行率")
    [b_row] = [r for r in ws.iter_rows(values_only=True) if r and r[-1] and str(r[-1]).endswith("b.json")]
    assert b_row[spent_col] is None and b_row[rate_col] == "无"


# --- empty rows of the form ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "……", "…", "...", "指标2：", "指标 3:", "指标", "/", "——"])
def test_placeholder_names(name):
    assert is_placeholder_name(name)


@pytest.mark.parametrize("name", ["经济效益指标", "指标完成率", "指标2：受益人数"])
def test_real_names_are_not_placeholders(name):
    assert not is_placeholder_name(name)


def test_empty_form_rows_load_show_save_reopen_check_clean_and_print(tmp_path):
    path = tmp_path / "自评表.jxzp"
    write_new_document(path, form())
    report = read_document_report(path)
    doc = Document(report)
    assert not [f for f in doc.findings if f.severity == "error"]
    for where in EMPTY_ROWS:
        assert _on(where, doc.findings) == []
    # the grid shows them, with empty cells
    table = IndicatorTable(doc)
    names = {c.key: i for i, c in enumerate(table.columns)}
    for where, name in EMPTY_ROWS.items():
        path_ = tuple(int(p) if p.isdigit() else p for p in where.replace("[", ".").replace("]", "").split("."))
        assert table.text(path_, names["name"]) == name
        assert table.text(path_, names["weight"]) == "" and table.text(path_, names["score"]) == ""
    # Excel: each empty row is a row of the printed table, with nothing in it but its name
    out = tmp_path / "自评表.xlsx"
    assert export_xlsx(report, out) == []
    rows = _rows(openpyxl.load_workbook(out)["自评表"])
    for name in ("质量指标", "经济效益指标"):
        [row] = [r for r in rows if r[1] == name]
        assert row[2:] == (None,) * 6
    for name in ("……", "指标2："):
        [row] = [r for r in rows if r[2] == name]
        assert row[3:] == (None,) * 5
    # PDF: the rows are printed, and nothing for them is invented
    pdf = tmp_path / "报告.pdf"
    export_pdf(report, pdf)
    compact = pdf_text.compact(pdf)
    for name in ("质量指标", "经济效益指标", "……", "指标2："):
        assert name in compact


def test_a_named_leaf_with_nothing_filled_still_asks_for_its_weight():
    report = form()
    report.indicators[1].children[0].children.append(Indicator(name="维修管网长度"))
    doc = Document(report)
    [i07] = [f for f in doc.findings if f.code == "I07"]
    assert i07.path_text == "indicators[1].children[0].children[2].weight"
    # an empty 二级 row that is given a weight is no longer empty: it is a leaf to be scored
    doc.set_text(("indicators", 2, "children", 0, "weight"), "5")
    assert "indicators[2].children[0].score" in [f.path_text for f in doc.findings if f.code == "I07"]
