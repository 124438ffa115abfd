"""The window's ways to many reports (issue 21), offscreen: 文件 → 汇总… and 文件 → 以此为基础新建下一年度."""

from __future__ import annotations

import shutil

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QMessageBox, QPushButton

from core.store.storage_format import write_new_document
from tests.conftest import SEEDS, load_seed


def _menu_action(w, name):
    action = w.findChild(QAction, name)
    assert action is not None and any(action in m.actions() for m in w.menuBar().findChildren(QMenu))
    return action


def test_summary_from_the_menu_picks_a_folder_and_a_file_and_says_where(window, qtbot, tmp_path, monkeypatch):
    w = window
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(SEEDS["000"], folder / "甲.json")
    write_new_document(folder / "乙.jxzp", load_seed("001"))
    (folder / "坏.json").write_text("{", encoding="utf-8")
    out = tmp_path / "汇总表.xlsx"
    # The file dialogs (gui/file_dialogs.py, tested on their own) answer as a user would.
    monkeypatch.setattr("gui.summary_dialog.ask_folder", lambda *a, **k: folder)
    monkeypatch.setattr("gui.summary_dialog.ask_open_many", lambda *a, **k: [SEEDS["002"]])
    monkeypatch.setattr("gui.summary_dialog.ask_save", lambda *a, **k: tmp_path / "汇总表")

    _menu_action(w, "summary").trigger()
    dialog = w.summary_dialog
    assert dialog.isVisible()
    ok = dialog.box.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "生成汇总表"
    assert not ok.isEnabled()  # nothing picked yet
    qtbot.mouseClick(dialog.findChild(QPushButton, "summary.add_folder"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.findChild(QPushButton, "summary.add_files"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.findChild(QPushButton, "summary.browse"), Qt.MouseButton.LeftButton)
    assert dialog.paths() == [str(folder), str(SEEDS["002"])] and dialog.output() == out
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(w, "last_export", None) == out, timeout=30000)
    box = next(b for b in w.findChildren(QMessageBox) if b.isVisible())
    assert str(out) in box.text()
    assert "1 个文件无法读取" in box.informativeText() and "坏.json" in box.informativeText()
    assert str(out) in w.statusBar().currentMessage()
    box.close()
    wb = openpyxl.load_workbook(out)
    names = [wb["汇总表"].cell(row=r, column=2).value for r in (4, 5, 6)]
    assert names == [  # the folder's files by name (乙 before 甲), then the file picked
        "离休干部医疗统筹保障财政配套",
        "长期护理保险财政补助资金",
        "2023年城乡居民基本医疗保险县级财政补助经费",
    ]
    assert wb["无法读取"]["B3"].value == str(folder / "坏.json")


def test_next_year_from_the_menu_opens_a_new_document_with_the_plan(window, qtbot, tmp_path, monkeypatch):
    w = window
    old_path = w.session.file.path
    asked = []

    def save_name(parent, settings, kind, title, suggested, _filter):
        asked.append(suggested)
        return tmp_path / "下一年.jxzp"

    monkeypatch.setattr("gui.file_actions.ask_save", save_name)
    _menu_action(w, "next_year").trigger()
    assert asked and asked[0].endswith("报告-2024年度.jxzp")
    assert w.session.file.path == tmp_path / "下一年.jxzp"
    report = w.doc.report
    assert report.project.year == 2024 and report.project.name == "长期护理保险财政补助资金"
    assert report.funds.sources[0].spent is None and report.funds.sources[0].adjusted is not None
    assert report.extra["previous"] == {"year": 2023, "score": "96.00", "grade": "优", "execution_rate": "70.62"}
    from core.store.storage_format import read_document_report

    assert read_document_report(old_path).project.year == 2023  # this year's report is left as it was
