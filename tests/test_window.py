"""The real window, offscreen, driven as a user drives it (pytest-qt). Qt warnings fail these."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from core.store.settings import Settings
from core.store.storage_format import read_document_report, write_new_document
from tests.conftest import load_seed
from tests.helpers import pdf


def key_text(widget, text):
    """Type characters, Chinese and full-width ones included (QTest only knows ASCII keys)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def open_window(qtbot, path):
    """A new window on a document file, shown, as after a double-click on the file."""
    from gui.main_window import MainWindow

    w = MainWindow(Settings())
    qtbot.addWidget(w)
    assert w.open_path(path)
    w.show()
    qtbot.waitExposed(w)
    return w


def type_cell(qtbot, view, index, text):
    """Select a cell and type over it, then press Enter, as a user does."""
    view.setFocus()
    view.setCurrentIndex(index)
    key_text(view, text[0])  # typing replaces: the first key opens the editor
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "typing did not open an editor"
    editor = editors[0]
    key_text(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def status(w, key):
    return w._status_labels[key].text()


def codes(w):
    return [w.dock.list.topLevelItem(i).text(1) for i in range(w.dock.list.topLevelItemCount())]


def test_typing_funds_updates_totals_status_and_findings_then_undo_redo(window, qtbot):
    w = window
    w.tabs.setCurrentWidget(w.fund_tab)
    view, model = w.fund_tab.sources_view, w.fund_tab.sources_model
    spent = model.index(0, 4)
    assert model.index(1, 5).data() == "70.62%" and status(w, "rate") == "执行率 70.62%"
    type_cell(qtbot, view, spent, "６５０")  # full-width digits, as typed with a Chinese IME
    assert view.currentIndex().row() == 1  # Enter moved down
    assert model.index(1, 4).data() == "650.00"  # the 合计 row
    assert model.index(1, 5).data() == "108.33%"
    assert status(w, "rate") == "执行率 108.33%"
    assert "F02" in codes(w)  # spent more than received
    assert model.index(0, 4).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "F02" in model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
    type_cell(qtbot, view, spent, "500")
    assert "F02" not in codes(w) and model.index(1, 5).data() == "83.33%"
    assert w.undo_action.text() == "撤销 修改 区级财政 实际支出数"
    w.undo_action.trigger()
    assert "F02" in codes(w) and status(w, "rate") == "执行率 108.33%"
    w.undo_action.trigger()
    assert model.index(1, 4).data() == "423.69" and status(w, "rate") == "执行率 70.62%"
    w.redo_action.trigger()
    assert model.index(1, 4).data() == "650.00"


def test_refused_value_says_why_and_keeps_the_old_one(window, qtbot):
    w = window
    w.tabs.setCurrentWidget(w.fund_tab)
    view, model = w.fund_tab.sources_view, w.fund_tab.sources_model
    type_cell(qtbot, view, model.index(0, 3), "6oo")
    assert "不是数字" in w.statusBar().currentMessage()
    assert model.index(0, 3).data() == "600.00"


def test_paste_rows_into_indicator_grid_with_one_bad_value(window, qtbot):
    w = window
    w.tabs.setCurrentWidget(w.indicator_tab)
    tab = w.indicator_tab
    table = tab.table
    output = ("indicators", 2, "children", 0)  # 项目产出: three leaves
    first = output + ("children", 0)
    tab.select(first, 1)  # 分值 column
    clip = "10\t9\n10\t九\n10\t10\n"  # the second score is not a number
    QGuiApplication.clipboard().setText(clip)
    qtbot.keyClick(tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    leaves = table.node(output).children
    assert [str(n.score) for n in leaves] == ["9", "10", "10"]  # the bad one kept its old score
    message = w.statusBar().currentMessage()
    assert "第 2 行" in message and "“九”不是数字" in message
    assert w.undo_action.text() == "撤销 粘贴 6 个单元格"
    w.undo_action.trigger()
    assert [str(n.score) for n in leaves] == ["10", "10", "10"]


def test_copy_gives_tab_separated_cells(window, qtbot):
    w = window
    view, model = w.fund_tab.sources_view, w.fund_tab.sources_model
    w.tabs.setCurrentWidget(w.fund_tab)
    view.setCurrentIndex(model.index(0, 1))
    view.selectionModel().select(model.index(0, 4), view.selectionModel().SelectionFlag.Select)
    for c in (2, 3):
        view.selectionModel().select(model.index(0, c), view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "600.00\t600.00\t600.00\t423.69\r\n"


def test_delete_clears_and_fund_rows_paste(window, qtbot):
    w = window
    view, model = w.fund_tab.sources_view, w.fund_tab.sources_model
    w.tabs.setCurrentWidget(w.fund_tab)
    view.setCurrentIndex(model.index(0, 2))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert w.doc.report.funds.sources[0].adjusted is None
    assert model.index(0, 2).data() == "600.00"  # empty 全年预算数 = unchanged 年初预算数
    view.setCurrentIndex(model.index(1, 0))  # paste on the 合计 row: new rows are added
    QGuiApplication.clipboard().setText("中央财政\t100\t100\t1,000\t90\n省级财政\t50万元\t\t50\t40\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [s.source for s in w.doc.report.funds.sources] == ["区级财政", "中央财政", "省级财政"]
    assert model.index(3, 1).data() == "750.00"
    assert "F03" in codes(w)  # 中央财政 received 1,000 of a 100 budget


def test_findings_double_click_jumps_to_the_cell(window, qtbot):
    w = window
    w.doc.set_text(("funds", "sources", 0, "spent"), "700")
    item = next(
        w.dock.list.topLevelItem(i)
        for i in range(w.dock.list.topLevelItemCount())
        if w.dock.list.topLevelItem(i).text(1) == "F02"
    )
    w.dock._activated(item)
    assert w.tabs.currentWidget() is w.fund_tab
    index = w.fund_tab.sources_view.currentIndex()
    assert (index.row(), index.column()) == (0, 4)
    w.doc.set_text(("project", "supervisor"), "")
    item = next(
        w.dock.list.topLevelItem(i)
        for i in range(w.dock.list.topLevelItemCount())
        if w.dock.list.topLevelItem(i).text(1) == "P01"
    )
    w.dock._activated(item)
    assert w.tabs.currentWidget() is w.project_tab
    # I03 points at the leaf weights as a whole: the jump lands on the first 一级's 分值 cell.
    first = ("indicators", 0, "children", 0, "children", 0)
    w.doc.set_text(first + ("weight",), "99")
    item = next(
        w.dock.list.topLevelItem(i)
        for i in range(w.dock.list.topLevelItemCount())
        if w.dock.list.topLevelItem(i).text(1) == "I03"
    )
    w.dock._activated(item)
    assert w.tabs.currentWidget() is w.indicator_tab
    index = w.indicator_tab.view.currentIndex()
    table = w.indicator_tab.table
    assert w.indicator_tab.model.path(index) == ("indicators", 0)
    assert table.columns[w.indicator_tab.model.table_column(index.column())].key == "weight"


def test_project_form_and_indicator_structure(window, qtbot):
    w = window
    w.tabs.setCurrentWidget(w.project_tab)
    name = w.project_tab.form.widget_for(("project", "name"))
    name.setFocus()
    name.selectAll()
    key_text(name, "新项目名称")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert w.doc.report.project.name == "新项目名称"
    year = w.project_tab.form.widget_for(("project", "year"))
    year.setFocus()
    year.selectAll()
    key_text(year, "二〇二三")
    qtbot.keyClick(year, Qt.Key.Key_Return)
    assert w.doc.report.project.year == 2023 and "年度" in w.statusBar().currentMessage()
    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    tab.select(("indicators", 0))
    before = tab.model.rowCount()
    tab.add_sibling()  # at the end of the level, not below the selection
    assert tab.model.rowCount() == before + 1 and tab.current_path() == ("indicators", before)
    above = len(tab.table.node(("indicators", before - 1)).children)
    tab.indent()
    assert tab.current_path() == ("indicators", before - 1, "children", above)
    tab.delete()
    assert "I03" not in codes(w)
    w.undo_action.trigger()
    w.undo_action.trigger()
    w.undo_action.trigger()
    assert tab.model.rowCount() == before


def test_narrative_editor_fills_placeholders(window, qtbot):
    w = window
    tab = w.narrative_tab
    w.tabs.setCurrentWidget(tab)
    tab.select(("narrative", 0, "children", 1))
    tab.editor.setFocus()
    tab.editor.selectAll()
    key_text(tab.editor, "执行率为{执行率}，得分{总得分}。")
    tab.view.setFocus()  # leaving the editor commits
    assert w.doc.report.narrative[0].children[1].text == "执行率为{执行率}，得分{总得分}。"
    assert tab.preview.toPlainText() == "执行率为70.62%，得分96.00。"


def test_close_and_reopen_keeps_everything(qtbot, user_dirs):
    from gui.main_window import MainWindow

    path = user_dirs / "关闭再开.jxzp"
    write_new_document(path, load_seed("002"))
    w = open_window(qtbot, path)
    view, model = w.fund_tab.sources_view, w.fund_tab.sources_model
    w.tabs.setCurrentWidget(w.fund_tab)
    type_cell(qtbot, view, model.index(0, 4), "600")
    w.doc.set_text(("indicators", 0, "children", 0, "children", 0, "score"), "2.5")
    w.close()
    assert read_document_report(path).funds.sources[0].spent == 600
    again = MainWindow(Settings())
    qtbot.addWidget(again)
    again.start([])  # reopens the last document
    assert again.session.file.path == path
    assert again.fund_tab.sources_model.index(1, 5).data() == "89.77%"
    assert again._status_labels["score"].text() == "总分 98.24"
    again.close()


def test_first_start_opens_the_built_in_example(qtbot, user_dirs):
    from gui.main_window import MainWindow

    w = MainWindow(Settings())
    qtbot.addWidget(w)
    w.start([])
    assert w.doc.report.project.name.startswith("2023年城乡居民基本医疗保险")
    assert (user_dirs / "documents" / "绩效自评").exists()
    assert w._status_labels["score"].text() == "总分 98.74"
    w.close()


def test_bad_file_on_command_line_says_why_and_shows_the_start_page(qtbot, user_dirs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    bad = user_dirs / "坏.jxzp"
    bad.write_bytes(b"garbage" * 100)
    w = MainWindow(Settings())
    qtbot.addWidget(w)
    w.start([str(bad)])
    assert shown and "不是绩效自评文档" in shown[0]
    assert w.session is None and w.tabs.tabText(0) == "开始"  # not the example in its place
    w.close()


def test_a_document_open_in_another_window_is_refused_without_the_example(window, qtbot, user_dirs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    # Offered read-only (what the other window has saved); the user declines here.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: shown.append(a[2]) or QMessageBox.StandardButton.No)
    second = MainWindow(Settings())  # remembers the document the first window has open
    qtbot.addWidget(second)
    second.start([])
    assert shown and "已在另一个窗口" in shown[0] and len(shown) == 1
    assert second.session is None and second.tabs.tabText(0) == "开始"
    assert not list((user_dirs / "documents").rglob("示例报告*"))
    second.start([str(window.session.file.path)])  # a double-click on the same file: the same
    assert second.session is None and len(shown) == 2
    second.close()


MODELS = {
    "team": lambda w: w.project_tab.team_model,
    "sources": lambda w: w.fund_tab.sources_model,
    "expenditures": lambda w: w.fund_tab.expenditures_model,
    "management": lambda w: w.fund_tab.management_model,
    "indicators": lambda w: w.indicator_tab.model,
    "narrative": lambda w: w.narrative_tab.model,
}


@pytest.mark.parametrize("name", list(MODELS))
def test_item_models_pass_qt_model_tester(window, qtmodeltester, name):
    """Each model checked alone (one tester watches one model), then through edits of every kind."""
    from core.model.model import Expenditure, Indicator, Section, TeamMember

    w = window
    model = MODELS[name](w)
    qtmodeltester.check(model, force_py=True)
    doc = w.doc
    doc.set_text(("funds", "sources", 0, "spent"), "500")
    doc.insert(("funds", "expenditures"), 0, Expenditure("a"), "添加")
    doc.insert(("team",), 0, TeamMember(name="新"), "添加")
    doc.insert(("indicators", 0, "children"), 0, Indicator(name="新"), "添加")
    doc.insert(("narrative",), 0, Section(title="新"), "添加")
    doc.remove(("indicators",), 1, "删除")
    doc.set_value(("template",), "transfer")  # hides the score columns
    while doc.can_undo():
        doc.undo()
    qtmodeltester.check(model, force_py=True)


def test_export_excel_from_the_window_off_the_gui_thread(window, qtbot, tmp_path):
    import openpyxl

    from core.export.xlsx import export_xlsx

    target = tmp_path / "导出.xlsx"
    window.doc.set_text(("funds", "sources", 0, "spent"), "480")
    window.export_to(target, "正在导出 Excel…", export_xlsx)
    qtbot.waitUntil(lambda: window.last_export == target, timeout=15000)
    ws = openpyxl.load_workbook(target)["自评表"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "长期护理保险财政补助资金" in values and 480 in values
    assert any(v.reason == "export" for v in window.session.file.versions())
    assert "已导出" in window.statusBar().currentMessage()


def test_print_preview_and_printing_exactly_the_pdf(window, qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from core.export.pdf import build_pdf
    from gui.preview import PreviewDialog, make_printer, print_pdf

    data = build_pdf(window.doc.report)
    dialog = PreviewDialog(data, "预览", window)
    qtbot.addWidget(dialog)
    assert dialog.count >= 8 and not dialog.image.pixmap().isNull()
    width = dialog.image.pixmap().width()
    dialog.step_zoom(1)
    assert dialog.image.pixmap().width() > width
    dialog.page.setValue(3)
    assert dialog.page.value() == 3
    # Print pages 2–4 to a file through Qt's print system, at the printer's resolution.
    printer = make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(300)  # a laser printer's; the 1200 dpi default makes this test slow
    assert print_pdf(data, printer, 2, 4) == 3
    sizes = pdf.page_sizes(out)
    assert len(sizes) == 3 and all(pdf.is_a4(size) for size in sizes), sizes
    dialog.close()


def test_export_pdf_from_the_window(window, qtbot, tmp_path):
    from core.export.pdf import export_pdf

    target = tmp_path / "报告.pdf"
    window.export_to(target, "正在生成 PDF…", export_pdf)
    qtbot.waitUntil(lambda: window.last_export == target, timeout=20000)
    assert target.read_bytes().startswith(b"%PDF")


def test_closing_the_window_during_an_export_lets_it_finish_then_closes(window, qtbot, tmp_path):
    """Closed the moment 导出 PDF was clicked: the PDF is still written whole, no 导出完成 box pops
    up over a closing window, and the window then closes by itself."""
    from PySide6.QtWidgets import QMessageBox

    from core.export.pdf import export_pdf

    target = tmp_path / "关闭时导出.pdf"
    window.export_to(target, "正在生成 PDF…", export_pdf)
    assert not window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    assert window.last_export == target and window.session is None
    assert pdf.page_count(target) >= 8
    assert not [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_read_only_document_refuses_edits_with_a_message(qtbot, user_dirs, monkeypatch):
    from core.document import READ_ONLY_MESSAGE, InputError
    from gui.main_window import MainWindow

    path = user_dirs / "只读.jxzp"
    write_new_document(path, load_seed("000"))
    monkeypatch.setattr("core.store.storage.os.access", lambda p, mode: False)  # as for a read-only file
    w = MainWindow(Settings())
    qtbot.addWidget(w)
    assert w.open_path(path)
    assert w.session.read_only and "只读" in w.banner.text()
    assert "（只读）" in w.windowTitle()
    model = w.fund_tab.sources_model
    assert not model.setData(model.index(0, 4), "1")
    assert READ_ONLY_MESSAGE in w.statusBar().currentMessage()
    with pytest.raises(InputError):
        w.fund_tab.sources_model.table.insert_row(0)
    w.statusBar().clearMessage()
    w.narrative_tab.select(("narrative", 1, "children", 0))
    w.narrative_tab.editor.setPlainText("改不了的正文")
    w.commit_typing()
    assert READ_ONLY_MESSAGE in w.statusBar().currentMessage()
    assert w.narrative_tab.editor.toPlainText() != "改不了的正文"  # back to what the file holds
    w.close()


def test_versions_dialog_lists_previews_and_restores(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from gui.dialogs import VersionsDialog

    w = window
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("报送财政局前", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog = VersionsDialog(w.session.file, w)
    qtbot.addWidget(dialog)
    dialog.save_named()
    assert dialog.table.item(0, 1).text() == "报送财政局前" and dialog.table.item(0, 2).text() == "96.00"
    w.doc.set_text(("funds", "sources", 0, "spent"), "300")
    dialog.table.selectRow(0)
    assert "423.69" in dialog.detail.text()
    dialog.restore()
    assert w.fund_tab.sources_model.index(1, 4).data() == "423.69"
    assert w.undo_action.text().startswith("撤销 恢复历史版本")
    dialog.close()


def test_unexpected_error_dialog_keeps_the_application_running(window, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from gui.dialogs import show_error

    try:
        raise RuntimeError("测试用的意外错误")
    except RuntimeError as exc:
        show_error(window, type(exc), exc, exc.__traceback__)
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "已自动保存" in boxes[-1].text() and "测试用的意外错误" in boxes[-1].detailedText()
    boxes[-1].close()
    window.doc.set_text(("funds", "sources", 0, "spent"), "400")  # still working
    assert window.fund_tab.sources_model.index(1, 4).data() == "400.00"


def test_tab_moves_right_and_bands_and_suggested_scores(window, qtbot):
    w = window
    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    model, view = tab.model, tab.view
    leaf = ("indicators", 2, "children", 0, "children", 1)  # 补助资金上划准确率: = 100 %, actual 100
    tab.select(leaf, 2)  # 得分
    view.setFocus()
    key_text(view, "8")
    editor = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()][0]
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # commits and moves right, like a spreadsheet
    assert tab.table.node(leaf).score == 8
    assert model.table_column(view.currentIndex().column()) == 3
    assert "I04" in codes(w)  # differs from the suggested 10 with no reason
    tab.select(leaf, 2)
    tab.apply_suggested()
    assert tab.table.node(leaf).score == 10 and "I04" not in codes(w)
    assert w.undo_action.text() == "撤销 采用 补助资金上划准确率 建议得分"
    qual = ("indicators", 2, "children", 1, "children", 0)  # 补助资金上划及时性: 定性
    band = model.index_of(qual, model.view_column(10))
    assert band.flags() & Qt.ItemFlag.ItemIsEditable
    assert model.setData(band, "partial")
    assert tab.table.node(qual).band == "partial" and "I09" in codes(w)  # 10 of 10 is above the band


def test_text_being_typed_is_saved_when_the_window_closes(qtbot, user_dirs):

    path = user_dirs / "正在输入.jxzp"
    write_new_document(path, load_seed("000"))
    w = open_window(qtbot, path)
    tab = w.narrative_tab
    w.tabs.setCurrentWidget(tab)
    tab.select(("narrative", 1, "children", 0))
    tab.editor.setFocus()
    tab.editor.moveCursor(tab.editor.textCursor().MoveOperation.End)
    key_text(tab.editor, "刚刚输入的一句话。")
    w.close()  # at once: no pause, no leaving the field
    assert read_document_report(path).narrative[1].children[0].text.endswith("刚刚输入的一句话。")


def test_old_or_versionless_files_are_refused_and_migrations_cover_every_version(tmp_path):
    import sqlite3

    from core.store.storage import DocumentFile
    from core.store.storage_format import MIGRATIONS, SCHEMA_VERSION, OpenError

    assert set(MIGRATIONS) == set(range(1, SCHEMA_VERSION))  # each earlier version has its step
    path = tmp_path / "v0.jxzp"
    write_new_document(path, load_seed("000"))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    with pytest.raises(OpenError, match="没有版本信息"):
        DocumentFile.open(path)


def test_opening_the_open_document_again_is_harmless(window):
    path = window.session.file.path
    before = window.session
    assert window.open_path(path) and window.session is before


def test_text_no_font_can_print_is_named_before_a_pdf(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    assert window.printable()
    window.doc.set_text(("team", 0, "name"), "刘\U000f0001")
    assert not window.printable()
    assert "team" not in asked[0] and "刘" in asked[0] and "没有字形" in asked[0]


def test_changing_the_unit_asks_whether_to_convert(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    chosen = {}

    def exec_(box):
        chosen["text"] = box.text()
        box.clickedButton = lambda: next(b for b in box.buttons() if b.text() == "换算金额")
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    tab = window.fund_tab
    window.tabs.setCurrentWidget(tab)  # as the user is, to reach the unit box
    tab.unit_box.setCurrentIndex(tab.unit_box.findData("元"))
    tab._unit_chosen()
    assert "是否一并换算" in chosen["text"]
    assert tab.sources_model.index(1, 4).data() == "4236900.00"
    window.undo_action.trigger()
    assert tab.unit_box.currentData() == "万元" and tab.sources_model.index(1, 4).data() == "423.69"


def test_hidden_tabs_catch_up_when_shown(window):
    """Only the visible tab redraws on an edit; a hidden one shows the change when it is shown."""
    w = window
    w.tabs.setCurrentWidget(w.indicator_tab)
    w.doc.set_text(("project", "name"), "改过的项目名称")
    w.doc.set_text(("funds", "sources", 0, "spent"), "500")
    name = w.project_tab.form.widget_for(("project", "name"))
    assert name.text() != "改过的项目名称"  # hidden: not redrawn yet
    w.tabs.setCurrentWidget(w.project_tab)
    assert name.text() == "改过的项目名称"
    w.tabs.setCurrentWidget(w.fund_tab)
    assert w.fund_tab.sources_model.index(0, 4).data() == "500.00"
    w.doc.undo()  # undone while the tab shows: redrawn at once
    assert w.fund_tab.sources_model.index(0, 4).data() != "500.00"


def test_print_preview_fits_the_screen_with_the_whole_page_in_view(window, qtbot):
    from core.export.pdf import build_pdf
    from gui.preview import PreviewDialog

    dialog = PreviewDialog(build_pdf(window.doc.report), "预览", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    free = window.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= free.height() and dialog.width() <= free.width()
    page = dialog.image.pixmap()
    assert page.height() <= dialog.scroll.viewport().height()  # the page's bottom is visible
    dialog.close()


def test_ctrl_y_redoes_like_ctrl_shift_z(window, qtbot):
    from PySide6.QtGui import QKeySequence

    w = window
    keys = [s.toString() for s in w.redo_action.shortcuts()]
    assert "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys
    w.doc.set_text(("funds", "sources", 0, "spent"), "500")
    w.undo_action.trigger()
    assert w.fund_tab.sources_model.index(1, 4).data() == "423.69"
    w.activateWindow()
    qtbot.waitActive(w)
    w.tabs.setCurrentWidget(w.fund_tab)
    w.fund_tab.sources_view.setFocus()
    qtbot.keyClick(w.fund_tab.sources_view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert w.fund_tab.sources_model.index(1, 4).data() == "500.00"
    w.undo_action.trigger()
    qtbot.keySequence(w.fund_tab.sources_view, QKeySequence("Ctrl+Shift+Z"))
    assert w.fund_tab.sources_model.index(1, 4).data() == "500.00"


def test_toolbar_has_the_five_commands_with_icons(window):
    actions = [a for a in window.toolbar.actions() if not a.isSeparator()]
    assert [a.objectName() for a in actions] == ["new", "open", "export_xlsx", "export_pdf", "print"]
    assert [a.iconText() for a in actions] == ["新建", "打开", "导出 Excel", "导出 PDF", "打印"]
    assert all(not a.icon().isNull() for a in actions)


def typed_into_focus(qtbot, text):
    """Type as a user does into whatever has the keyboard, then Enter: the grid opens its editor."""
    focus = QApplication.focusWidget()
    key_text(focus, text[0])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), f"typing went to {focus!r}, not into a cell"
    key_text(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_after_add_typing_and_paste_land_in_the_new_row(window, qtbot):
    w = window
    w.activateWindow()
    qtbot.waitActive(w)
    w.tabs.setCurrentWidget(w.fund_tab)
    view = w.fund_tab.sources_view
    view.setCurrentIndex(w.fund_tab.sources_model.index(0, 2))  # a filled row is selected
    qtbot.mouseClick(w.findChild(QPushButton, "资金来源-添加"), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is view
    typed_into_focus(qtbot, "中央财政")
    sources = w.doc.report.funds.sources
    assert [s.source for s in sources] == ["区级财政", "中央财政"]  # appended, the filled row untouched
    # Insert puts a row above the selected one; Ctrl+V then fills it from the first cell.
    view.setCurrentIndex(w.fund_tab.sources_model.index(1, 3))
    qtbot.keyClick(view, Qt.Key.Key_Insert)
    QGuiApplication.clipboard().setText("省级财政\t50\n")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [(s.source, s.initial) for s in sources][1][0] == "省级财政" and str(sources[1].initial) == "50"
    assert [s.source for s in sources] == ["区级财政", "省级财政", "中央财政"]
    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    tab.select(("indicators", 0))
    qtbot.mouseClick(w.findChild(QPushButton, "indicators-添加下级"), Qt.MouseButton.LeftButton)
    typed_into_focus(qtbot, "新的指标")
    children = w.doc.report.indicators[0].children
    assert children[-1].name == "新的指标"
    tab.select(("indicators", 0, "children", 0))  # Enter moved down: back to a row of that level
    qtbot.mouseClick(w.findChild(QPushButton, "indicators-添加同级"), Qt.MouseButton.LeftButton)
    typed_into_focus(qtbot, "同级指标")
    assert children[-1].name == "同级指标" and children[-2].name == "新的指标"


def test_file_dialogs_speak_chinese_and_start_in_the_last_folder(window, qtbot, user_dirs):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog, QLabel

    from gui.app import install_translations

    translator = install_translations(QApplication.instance())
    assert translator is not None
    elsewhere = user_dirs / "上报材料"
    elsewhere.mkdir()
    other = elsewhere / "另一份.jxzp"
    write_new_document(other, load_seed("001"))
    seen = []

    def answer(choose=None):
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, lambda: answer(choose))
            return
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, translated
        labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
        seen.append((dialog.windowTitle(), dialog.directory().absolutePath(), labels))
        if choose is None:
            dialog.reject()
        else:
            dialog.selectFile(str(choose))
            dialog.accept()

    try:
        QTimer.singleShot(0, lambda: answer(other))
        window.open_dialog()
        assert window.session.file.path == other
        QTimer.singleShot(0, answer)
        window.open_dialog()  # again: it starts where the last file was opened from
        QTimer.singleShot(0, answer)
        window.export_xlsx()  # an export has its own folder: still the documents folder
    finally:
        QApplication.instance().removeTranslator(translator)
    (title, folder, labels), (_, again, _), (export_title, export_folder, _) = seen
    assert title == "打开" and labels["lookInLabel"] == "查找范围(&L)：" and labels["fileTypeLabel"] == "文件类型(&T)："
    english = [t for t in labels.values() if re.search("[A-Za-z]", re.sub(r"\(&[A-Z]\)", "", t))]
    assert not english, labels
    assert again == str(elsewhere) and folder != str(elsewhere)
    assert export_title == "导出 Excel" and export_folder == str(user_dirs / "documents" / "绩效自评")
    assert window.settings.last_folder("open") == elsewhere


def test_empty_date_fields_do_not_look_filled_in(window):
    from gui.bindings import MonthEdit

    w = window
    w.doc.set_text(("project", "report_date"), "")
    edit = w.project_tab.form.widget_for(("project", "report_date"))
    assert isinstance(edit, MonthEdit) and edit.text() == ""
    assert not any(ch.isdigit() for ch in edit.line.placeholderText())


def all_tooltips(w):
    """Every tooltip the window can show: widgets, the 检查结果 list, every cell of every grid."""
    from PySide6.QtWidgets import QWidget

    tips = [x.toolTip() for x in w.findChildren(QWidget)]
    items = [w.dock.list.topLevelItem(i) for i in range(w.dock.list.topLevelItemCount())]
    tips += [item.toolTip(c) for item in items for c in range(3)]
    for model in (m(w) for m in MODELS.values()):
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for r in range(model.rowCount(parent)):
                for c in range(model.columnCount(parent)):
                    tips.append(model.index(r, c, parent).data(Qt.ItemDataRole.ToolTipRole) or "")
                stack.append(model.index(r, 0, parent))
    return [t for t in tips if t]


def test_findings_name_their_place_in_words_never_an_internal_path(window, qtbot):
    w = window
    w.doc.set_text(("funds", "approved_total"), "900")  # F01 on 批复金额
    w.doc.set_text(("funds", "sources", 0, "spent"), "700")  # F02
    w.doc.set_text(("indicators", 2, "children", 0, "children", 1, "score"), "8")  # I04
    w.doc.set_text(("project", "supervisor"), "")  # P01
    tips = all_tooltips(w)
    assert any("项目资金 › 批复金额" in t for t in tips)
    assert any("绩效指标 › 项目绩效 › 项目产出 › 补助资金上划准确率 › 得分" in t for t in tips)
    assert [t for t in tips if "funds." in t or "indicators[" in t or "位置：funds" in t] == []
    item = next(
        w.dock.list.topLevelItem(i)
        for i in range(w.dock.list.topLevelItemCount())
        if w.dock.list.topLevelItem(i).text(1) == "F01"
    )
    w.dock.list.setCurrentItem(item)
    detail = w.dock.detail.text()
    assert item.text(2) in detail and "位置：项目资金 › 批复金额" in detail  # the whole message
    assert w.dock.list.wordWrap()


def test_a_paste_selects_what_it_filled_and_its_errors_leave_the_status_bar(window, qtbot):
    from gui.main_window import REFUSAL_MS

    w = window
    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    first = ("indicators", 2, "children", 0, "children", 0)
    tab.select(first, 0)
    QGuiApplication.clipboard().setText("新名称\t10\t九\n")
    qtbot.keyClick(tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert tab.details.title() == "所选指标：新名称"  # the pane follows what was pasted
    assert len(tab.view.selectionModel().selectedIndexes()) == 3
    assert "未粘贴" in w.statusBar().currentMessage() and REFUSAL_MS <= 6000
    w.doc.set_text(("funds", "sources", 0, "spent"), "500")  # the next edit: the old error goes
    assert w.statusBar().currentMessage() == ""


def test_name_column_stays_in_view_and_is_edited_when_the_grid_scrolls_sideways(window, qtbot):
    w = window
    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    view, model = tab.view, tab.model
    leaf = ("indicators", 2, "children", 0, "children", 1)
    tab.select(leaf, 11)  # 偏差原因分析及改进措施, far right
    assert view.horizontalScrollBar().value() > 0
    frozen = view.frozen
    index = model.index_of(leaf, 0)
    assert frozen.isVisible() and frozen.visualRect(index).height() > 0
    assert frozen.x() <= view.frameWidth() and frozen.width() == view.columnWidth(0)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "补助资金上划准确率"  # a cut name in full
    w.activateWindow()
    qtbot.waitActive(w)
    tab.select(leaf, 0)
    view.setFocus()
    typed_into_focus(qtbot, "改过的名称")
    assert tab.table.node(leaf).name == "改过的名称"
    assert view.horizontalScrollBar().value() > 0  # typing in the name did not scroll back


def test_a_finding_worded_anew_is_updated_where_it_stands_and_a_renamed_row_renames_its_place(window, qtbot):
    """The findings list is not built again when the same findings only change their wording
    (typing a figure): the item stays, its text, tooltip and the pane below follow."""
    w = window
    w.doc.set_text(("funds", "sources", 0, "spent"), "700")  # F02: spent more than received
    items = [w.dock.list.topLevelItem(i) for i in range(w.dock.list.topLevelItemCount())]
    [item] = [x for x in items if x.text(1) == "F02"]
    item.setData(1, Qt.ItemDataRole.UserRole + 7, "the same item")
    w.dock.list.setCurrentItem(item)
    before = item.text(2)
    w.doc.set_text(("funds", "sources", 0, "spent"), "710")
    [f02] = [f for f in w.doc.findings if f.code == "F02"]
    assert f02.message != before
    items = [w.dock.list.topLevelItem(i) for i in range(w.dock.list.topLevelItemCount())]
    [item] = [x for x in items if x.text(1) == "F02"]
    assert item.data(1, Qt.ItemDataRole.UserRole + 7) == "the same item"
    assert item.text(2) == f02.message and item.toolTip(2).startswith(f02.message)
    assert f02.message in w.dock.detail.text()
    assert codes(w) == [f.code for f in w.doc.findings]
    old_name = w.doc.report.funds.sources[0].source
    w.doc.set_text(("funds", "sources", 0, "source"), "改名的资金")
    [item] = [
        x for x in (w.dock.list.topLevelItem(i) for i in range(w.dock.list.topLevelItemCount())) if x.text(1) == "F02"
    ]
    assert "改名的资金" in item.toolTip(2) and old_name not in item.toolTip(2)
    assert "改名的资金" in w.dock.detail.text()


def test_an_edit_redraws_the_rows_whose_figures_it_changes(window, qtbot):
    """A score changed (here as by a paste, with no editor to redraw its cell) is redrawn on the
    screen in its own row and in the 二级 and 一级 rows whose 得分 it changes."""
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QRegion

    w = window
    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    model, view = tab.model, tab.view
    leaf = ("indicators", 2, "children", 0, "children", 1)
    score = model.view_column(2)  # 得分
    view.scrollTo(model.index_of(leaf, score))
    qtbot.wait(100)  # everything on the screen drawn once

    painted = [QRegion()]

    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                painted[0] = painted[0].united(event.region())
            return False

    watch = Watch()
    view.viewport().installEventFilter(watch)
    w.doc.set_text(leaf + ("score",), "7")
    qtbot.waitUntil(lambda: not painted[0].isEmpty())
    qtbot.wait(50)
    for path in (leaf, leaf[:-2], leaf[:-4]):
        cell = view.visualRect(model.index_of(path, score))
        assert cell.isValid() and painted[0].contains(cell), path

    # A change of the funds changes the 执行率 and with it suggested scores anywhere: all is redrawn.
    painted[0] = QRegion()
    w.doc.set_text(("funds", "sources", 0, "spent"), "1")
    qtbot.waitUntil(lambda: not painted[0].isEmpty())
    qtbot.wait(50)
    view.viewport().removeEventFilter(watch)
    assert painted[0].contains(view.viewport().rect())
