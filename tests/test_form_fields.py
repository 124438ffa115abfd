"""The two things the printed forms have that the report used to lack (issue 22): the 转移支付
自评表's 资金管理情况 (``funds.management``) and the annex-3 cover's issuing finance bureau
(``project.issuing_bureau``). Typed in the window, kept in the JSON and the document file,
printed in the PDF and the workbook; old files without them open as before."""

from __future__ import annotations

import json
import re
import sqlite3

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from core.document import Document, InputError
from core.export.forms.workbook import export_form_xlsx
from core.export.pdf import export_pdf
from core.model.model import MANAGEMENT_ITEMS, ManagementRow, Report
from core.rules.next_year import next_year
from core.store.jsonio import ReportFormatError, dumps, loads, report_to_data
from core.store.storage import DocumentFile
from core.store.storage_format import read_document_report, write_new_document
from tests.conftest import FIXTURES, SEEDS, load_seed
from tests.helpers import pdf
from tests.test_window import key_text, type_cell

FULL = FIXTURES / "forms_full.json"


def full() -> Report:
    return loads(FULL.read_text(encoding="utf-8"))


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sheet_text(path, title: str) -> str:
    ws = openpyxl.load_workbook(path)[title]
    return compact("|".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None))


# --- printed ---------------------------------------------------------------------------------


def test_the_transfer_form_prints_each_management_row_beside_its_item(tmp_path):
    report = full()
    out = tmp_path / "t.pdf"
    assert export_pdf(report, out, forms=["transfer"]) == []
    text = pdf.compact(out)
    for row in report.funds.management[:4]:
        # each row's item, then its 情况说明, then its 存在问题和改进措施, in the order the form reads
        assert compact(row.item + row.explanation + row.problems) in text
    # placeholders are filled as in the other texts of the form
    assert "全年预算执行率{执行率}" not in text
    rate = re.search(r"全年预算执行率(\d+\.\d\d%)", text)
    assert rate is not None and rate.group(1) in text.replace(rate.group(0), "")
    xlsx = tmp_path / "t.xlsx"
    assert export_form_xlsx(report, xlsx, forms=["transfer"]) == []
    cells = sheet_text(xlsx, "转移支付自评表")
    for row in report.funds.management[:4]:
        assert f"{row.item}|{compact(row.explanation)}|{compact(row.problems)}" in cells
    assert f"执行准确性|全年预算执行率{rate.group(1)}|提高预算编制精准度" in cells


def test_without_management_text_the_five_rows_print_blank_and_other_rows_are_added(tmp_path):
    report = full()
    report.funds.management = []
    out = tmp_path / "blank.pdf"
    export_pdf(report, out, forms=["transfer"])
    text = pdf.compact(out)
    assert "资金管理情况情况说明存在问题和改进措施" + "".join(MANAGEMENT_ITEMS) in text  # rows with nothing in them
    # a row another form names, and a text for the third item only: the five in the form's order, then it
    report.funds.management = [
        ManagementRow(item="资金使用效益", explanation="带动社会资金投入"),
        ManagementRow(item="拨付合规性", problems="个别拨付凭证不全"),
    ]
    export_pdf(report, out, forms=["transfer"])
    text = pdf.compact(out)
    assert "分配科学性下达及时性拨付合规性个别拨付凭证不全使用规范性执行准确性资金使用效益带动社会资金投入" in text
    xlsx = tmp_path / "t.xlsx"
    export_form_xlsx(report, xlsx, forms=["transfer"])
    cells = sheet_text(xlsx, "转移支付自评表")
    assert "拨付合规性|个别拨付凭证不全" in cells and "资金使用效益|带动社会资金投入" in cells


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("博湖县财政局", "博湖县财政局（制）"),
        ("博湖县", "博湖县财政局（制）"),  # the clerk types the county: 财政局 is the form's
        ("湖南省财政厅（制）", "湖南省财政厅（制）"),  # typed with （制）: not printed twice
    ],
)
def test_the_annex3_cover_prints_the_issuing_bureau(tmp_path, typed, printed):
    report = full()
    report.project.issuing_bureau = typed
    out = tmp_path / "a.pdf"
    assert export_pdf(report, out, forms=["report-annex3"]) == []
    cover = compact(pdf.page_texts(out)[0])
    assert cover.endswith(printed) and "（制）（制）" not in cover
    xlsx = tmp_path / "a.xlsx"
    export_form_xlsx(report, xlsx, forms=["report-annex3"])
    assert printed in sheet_text(xlsx, "自评报告表")


def test_without_a_bureau_the_cover_keeps_a_blank_line_to_write_it_on(tmp_path):
    report = full()
    report.project.issuing_bureau = ""
    out = tmp_path / "a.pdf"
    export_pdf(report, out, forms=["report-annex3"])
    cover = pdf.page_texts(out)[0]
    assert compact(cover).endswith("报告日期：2024年5月财政局（制）")
    xlsx = tmp_path / "a.xlsx"
    export_form_xlsx(report, xlsx, forms=["report-annex3"])
    ws = openpyxl.load_workbook(xlsx)["自评报告表"]
    [line] = [c.value for row in ws.iter_rows() for c in row if "财政局（制）" in str(c.value or "")]
    assert line.startswith("　") and line.strip("　") == "财政局（制）"


# --- report JSON -----------------------------------------------------------------------------


def test_json_round_trip_keeps_both_and_unknown_keys_inside_the_rows():
    data = json.loads(FULL.read_text(encoding="utf-8"))
    data["funds"]["management"][0]["score_note"] = {"kept": True}  # a key another program added
    report = loads(json.dumps(data, ensure_ascii=False))
    assert report.project.issuing_bureau == "博湖县财政局"
    assert [r.item for r in report.funds.management] == list(MANAGEMENT_ITEMS)
    again = report_to_data(loads(dumps(report)))
    assert again["project"]["issuing_bureau"] == "博湖县财政局"
    assert again["funds"]["management"] == data["funds"]["management"]
    assert list(again["funds"])[-1] == "management"  # after the keys every reader knows
    assert loads(dumps(report)) == report


def test_an_old_json_without_them_reads_and_writes_as_before():
    text = SEEDS["000"].read_text(encoding="utf-8")
    old = json.loads(text)
    assert "management" not in old["funds"] and "issuing_bureau" not in old["project"]
    report = loads(text)
    assert report.funds.management == [] and report.project.issuing_bureau == ""
    data = report_to_data(report)
    assert "management" not in data["funds"]  # an empty list is not written: the funds are as they were
    assert data["project"]["issuing_bureau"] == ""
    assert loads(dumps(report)) == report


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda d: d["funds"].update(management="分配科学性"), "funds.management", "应为列表"),
        (lambda d: d["funds"].update(management=[["分配科学性"]]), "funds.management[0]", "应为对象"),
        (
            lambda d: d["funds"]["management"][1].update(problems="长" * 100_001),
            "funds.management[1].problems",
            "存在问题和改进措施内容过长（100,001 字，最多 100,000 字）",
        ),
        (
            lambda d: d["project"].update(issuing_bureau="局" * 501),
            "project.issuing_bureau",
            "制表单位（财政局）内容过长（501 字，最多 500 字）",
        ),
        (
            lambda d: d["funds"].update(management=[{"item": "x"}] * 10_001),
            "funds.management",
            "资金管理情况过多（10,001 个，最多 10,000 个）",
        ),
        (lambda d: d["project"].update(issuing_bureau=["博湖县"]), "project.issuing_bureau", "应为文本"),
    ],
)
def test_bad_json_is_refused_with_its_path(change, path, words):
    data = json.loads(FULL.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(ReportFormatError) as err:
        loads(json.dumps(data, ensure_ascii=False))
    assert err.value.path == path and words in err.value.message


def test_control_characters_are_dropped_on_the_way_in():
    data = json.loads(FULL.read_text(encoding="utf-8"))
    data["funds"]["management"][0]["explanation"] = "依据\x00充分\x07\r\n第二行\u200b"
    data["project"]["issuing_bureau"] = "博湖县\n财政局\x1b"
    report = loads(json.dumps(data, ensure_ascii=False))
    assert report.funds.management[0].explanation == "依据充分\n第二行"
    assert report.project.issuing_bureau == "博湖县 财政局"


def test_next_year_keeps_the_bureau_and_clears_the_management_texts():
    new = next_year(full())
    assert new.project.issuing_bureau == "博湖县财政局" and new.funds.management == []


# --- the document ----------------------------------------------------------------------------


def test_typing_a_row_of_the_form_adds_it_in_the_forms_order_in_one_undo_step():
    doc = Document(load_seed("000"))
    doc.set_management_text("使用规范性", None, "problems", "加强对账")
    doc.set_management_text("分配科学性", None, "explanation", "依据充分")
    assert [(r.item, r.explanation, r.problems) for r in doc.report.funds.management] == [
        ("分配科学性", "依据充分", ""),
        ("使用规范性", "", "加强对账"),
    ]
    assert doc.undo_description() == "修改 分配科学性 情况说明"
    assert doc.set_management_text("下达及时性", None, "explanation", "  ") is False  # blank adds nothing
    doc.set_management_text("分配科学性", 0, "explanation", "依据充分，结果合理")
    assert doc.undo_description() == "修改 分配科学性 情况说明"
    doc.undo()
    doc.undo()
    assert [r.item for r in doc.report.funds.management] == ["使用规范性"]
    with pytest.raises(InputError) as err:
        doc.set_management_text("执行准确性", None, "explanation", "长" * 100_001)
    assert str(err.value) == "执行准确性 情况说明内容过长（100,001 字，最多 100,000 字）"
    with pytest.raises(InputError) as err:
        doc.set_text(("project", "issuing_bureau"), "局" * 501)
    assert "制表单位（财政局）内容过长（501 字，最多 500 字）" in str(err.value)
    assert doc.set_management_text("执行准确性", None, "explanation", "按\x00时") is True
    assert doc.report.funds.management[-1].explanation == "按时"


def test_document_file_round_trip_across_close_and_reopen(tmp_path):
    path = tmp_path / "报告.jxzp"
    f = DocumentFile.create(path, load_seed("000"))
    doc = f.document
    doc.set_text(("project", "issuing_bureau"), "盘龙区财政局")
    doc.set_management_text("下达及时性", None, "explanation", "按时下达\n第二段")
    doc.set_management_text("下达及时性", 0, "problems", "无")
    f.close()
    again = read_document_report(path)
    assert again.project.issuing_bureau == "盘龙区财政局"
    assert again.funds.management == [ManagementRow("下达及时性", "按时下达\n第二段", "无")]
    f = DocumentFile.open(path)
    f.document.undo()  # a new session has no history: the text stays
    assert f.document.report.funds.management[0].problems == "无"
    f.document.set_management_text("下达及时性", 0, "problems", "")
    f.close()
    assert read_document_report(path).funds.management == [ManagementRow("下达及时性", "按时下达\n第二段", "")]


def test_an_old_document_without_them_opens_unchanged(tmp_path):
    path = tmp_path / "旧.jxzp"
    write_new_document(path, load_seed("000"))
    conn = sqlite3.connect(path)  # as a document written before the two fields existed
    with conn:
        for kind in ("project", "funds"):
            [data] = conn.execute("SELECT data FROM parts WHERE kind = ?", (kind,)).fetchone()
            part = json.loads(data)
            part.pop("issuing_bureau", None)
            part.pop("management", None)
            conn.execute("UPDATE parts SET data = ? WHERE kind = ?", (json.dumps(part, ensure_ascii=False), kind))
    conn.close()
    assert read_document_report(path) == load_seed("000")
    f = DocumentFile.open(path)
    assert f.document.report == load_seed("000")
    f.close()


# --- the window ------------------------------------------------------------------------------


def _saved(w, qtbot):
    label = w._status_labels["saved"]
    qtbot.waitUntil(lambda: label.text() == "已保存", timeout=5000)


def test_typed_in_the_window_saved_at_once_and_undone(window, qtbot):
    w = window
    path = w.session.file.path
    w.tabs.setCurrentWidget(w.project_tab)
    bureau = w.findChild(QLineEdit, "project.issuing_bureau")
    assert "财政局" in bureau.placeholderText()
    bureau.setFocus()
    key_text(bureau, "盘龙区财政局")
    bureau.editingFinished.emit()
    _saved(w, qtbot)
    assert read_document_report(path).project.issuing_bureau == "盘龙区财政局"

    w.tabs.setCurrentWidget(w.fund_tab)
    tab = w.fund_tab
    toggle, view, model = tab.management_toggle, tab.management_view, tab.management_model
    assert not view.isVisible()  # seed 000 is no 转移支付 report: folded away, one line
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert view.isVisible()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == list(MANAGEMENT_ITEMS)
    type_cell(qtbot, view, model.index(1, 1), "资金按时下达")
    assert view.currentIndex().row() == 2  # Enter moved down, as in every grid
    type_cell(qtbot, view, model.index(1, 2), "无")
    _saved(w, qtbot)
    saved = read_document_report(path).funds.management
    assert saved == [ManagementRow("下达及时性", "资金按时下达", "无")]
    assert model.index(1, 1).data() == "资金按时下达"

    assert w.undo_action.text() == "撤销 修改 下达及时性 存在问题和改进措施"
    w.undo_action.trigger()
    w.undo_action.trigger()
    assert model.index(1, 1).data() == ""
    w.undo_action.trigger()
    assert w.doc.report.project.issuing_bureau == ""
    w.tabs.setCurrentWidget(w.project_tab)  # a hidden tab shows the document when it is shown
    assert bureau.text() == ""
    _saved(w, qtbot)
    again = read_document_report(path)
    assert again.funds.management == [] and again.project.issuing_bureau == ""


def test_a_transfer_report_opens_with_the_management_rows_shown(qtbot, user_dirs):
    from tests.test_window import open_window

    path = user_dirs / "转移支付.jxzp"
    report = full()
    report.form = "transfer"
    report.funds.management = []
    write_new_document(path, report)
    w = open_window(qtbot, path)
    w.tabs.setCurrentWidget(w.fund_tab)
    assert w.fund_tab.management_view.isVisible()
    w.close()
