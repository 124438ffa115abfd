"""Nothing a user types is lost, and every document they saved opens again (issue: reliability).

Real processes, real files, SIGKILL where durability is the point."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.document import InputError
from core.rules.checks import run_checks
from core.rules.totals import compute_totals
from core.store.storage import DocumentFile
from core.store.storage_format import OpenError, read_document_report, write_new_document
from tests.conftest import ROOT, load_seed

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and POSIX locks")


def _env(tmp_path: Path) -> dict:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONIOENCODING="utf-8",
        JXZP_CONFIG_DIR=str(tmp_path / "config"),
        JXZP_DOCUMENTS_DIR=str(tmp_path / "documents"),
    )


@posix_only
def test_typing_in_a_one_line_field_survives_a_kill_without_leaving_the_field(tmp_path):
    path = tmp_path / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.typing_window", str(path), "code", "XM-2023-017"],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("TYPED 已保存 focus=1"), (line, proc.stderr.read() if proc.poll() is not None else "")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert read_document_report(path).project.code == "XM-2023-017"


def test_status_says_typing_until_the_pause_has_saved_it(window, qtbot):
    from PySide6.QtWidgets import QLineEdit

    w = window
    edit = w.findChild(QLineEdit, "project.code")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "1,000 ")
    label = w._status_labels["saved"]
    assert label.text() == "正在输入…"
    qtbot.waitUntil(lambda: label.text() == "已保存", timeout=3000)
    assert w.doc.report.project.code == "1,000"  # saved, as typed so far
    assert edit.text() == "1,000 " and edit.hasFocus()  # nothing reformatted under the cursor
    w.close()


def test_a_leaf_whose_comparison_changed_on_text_saves_and_opens_again(tmp_path):
    """定性 target “显著提升”, then 比较 → ≥: the text stays (I08), and the file opens again."""
    path = tmp_path / "报告.jxzp"
    file = DocumentFile.create(path, load_seed("002"))
    doc = file.document
    leaf = next(p for p, n in _leaves(doc.report) if n.target is not None and not n.target.quantitative)
    doc.set_op(leaf, ">=")
    assert any(f.code == "I08" for f in doc.findings)
    file.close()
    again = DocumentFile.open(path)
    node = again.document.get(leaf)
    assert node.target.op == ">=" and isinstance(node.target.value, str)
    assert any(f.code == "I08" for f in run_checks(again.document.report, compute_totals(again.document.report)))
    again.close()


def _leaves(report):
    def walk(nodes, path):
        for i, node in enumerate(nodes):
            p = path + (i,)
            if node.children:
                yield from walk(node.children, p + ("children",))
            else:
                yield p, node

    return list(walk(report.indicators, ("indicators",)))


@posix_only
def test_one_writer_per_document_even_after_this_process_touched_the_file(tmp_path):
    """A file dialog peeking at the open document, or a refused open of a damaged file, must not
    let a second program open it for writing (POSIX drops record locks on any close)."""
    path = tmp_path / "报告.jxzp"
    file = DocumentFile.create(path, load_seed("000"))
    damaged = tmp_path / "坏.jxzp"
    write_new_document(damaged, load_seed("001"))
    damaged.write_bytes(damaged.read_bytes()[:3000])
    with pytest.raises(OpenError):
        DocumentFile.open(damaged)
    path.read_bytes()  # what a file dialog guessing the type does
    code = (
        "import sys\nfrom core.store.storage import DocumentFile\nfrom core.store.storage_format import OpenError\n"
        "try:\n    DocumentFile.open(sys.argv[1]); print('OPENED')\n"
        "except OpenError as e:\n    print('REFUSED', e)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert r.stdout.startswith("REFUSED") and str(path) in r.stdout and "已在另一个窗口或程序中打开" in r.stdout, r
    file.close()
    r = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert r.stdout.startswith("OPENED"), r


def test_a_refused_file_is_left_as_it_was_found(tmp_path):
    damaged = tmp_path / "坏.jxzp"
    write_new_document(damaged, load_seed("001"))
    damaged.write_bytes(damaged.read_bytes()[:3000])
    before = damaged.read_bytes()
    with pytest.raises(OpenError):
        DocumentFile.open(damaged)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏.jxzp"]  # no -wal, no -shm
    assert damaged.read_bytes() == before


def test_read_only_document_refuses_the_balance_box_and_unticks_it(qtbot, tmp_path, monkeypatch):
    from core.document import READ_ONLY_MESSAGE
    from core.store.settings import Settings
    from gui.main_window import MainWindow

    monkeypatch.setenv("JXZP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JXZP_DOCUMENTS_DIR", str(tmp_path / "documents"))
    path = tmp_path / "只读.jxzp"
    write_new_document(path, load_seed("000"))  # seed 000 has no 结转结余
    monkeypatch.setattr("core.store.storage.os.access", lambda p, mode: False)
    w = MainWindow(Settings())
    qtbot.addWidget(w)
    assert w.open_path(path) and w.session.read_only
    box = w.fund_tab.balance_box
    assert not box.isChecked()
    box.setChecked(True)  # no exception reaches the top
    assert not box.isChecked() and w.doc.report.funds.balance is None
    assert READ_ONLY_MESSAGE in w.statusBar().currentMessage()
    w.close()


def test_refused_typing_never_changes_the_document(tmp_path):
    file = DocumentFile.create(tmp_path / "a.jxzp", load_seed("000"))
    with pytest.raises(InputError):
        file.document.set_text(("funds", "sources", 0, "spent"), "四百")
    file.close()
    assert read_document_report(tmp_path / "a.jxzp").funds.sources[0].spent == load_seed("000").funds.sources[0].spent


def _hold_open(path: Path) -> subprocess.Popen:
    """Another program (a second window) editing the document: it types, saves, and keeps it."""
    code = (
        "import sys, time\nfrom core.store.storage import DocumentFile\n"
        "f = DocumentFile.open(sys.argv[1])\nf.document.set_text(('project', 'code'), '另一窗口改的')\n"
        "f.flush()\nprint('READY', flush=True)\nsys.stdin.read()\nf.close()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout.readline().strip() == "READY"
    return proc


@posix_only
def test_a_document_open_elsewhere_is_refused_for_writing_and_readable_as_saved(tmp_path, cli):
    from core.document import BUSY_MESSAGE
    from core.store.storage_format import DocumentBusy

    path = tmp_path / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    other = _hold_open(path)
    try:
        with pytest.raises(DocumentBusy, match="已在另一个窗口或程序中打开"):
            DocumentFile.open(path)
        assert read_document_report(path).project.code == "另一窗口改的"  # check/export read what it saved
        r = cli("check", str(path), "--json")
        assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
        view = DocumentFile.open_snapshot(path)
        assert view.read_only and view.document.report.project.code == "另一窗口改的"
        with pytest.raises(InputError) as refused:
            view.document.set_text(("project", "name"), "改不了")
        assert str(refused.value) == BUSY_MESSAGE
        view.save_copy(tmp_path / "副本.jxzp")  # 另存为 works from what was saved
        assert read_document_report(tmp_path / "副本.jxzp").project.code == "另一窗口改的"
        view.close()
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("报告.jxzp")) == ["副本.jxzp"]
    finally:
        other.stdin.close()
        other.wait(timeout=30)
    assert read_document_report(path).project.code == "另一窗口改的"


@posix_only
def test_the_window_offers_a_busy_document_read_only(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from core.store.settings import Settings
    from gui.main_window import MainWindow

    monkeypatch.setenv("JXZP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JXZP_DOCUMENTS_DIR", str(tmp_path / "documents"))
    path = tmp_path / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    other = _hold_open(path)
    try:
        asked = []
        monkeypatch.setattr(
            QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes
        )
        w = MainWindow(Settings())
        qtbot.addWidget(w)
        assert w.open_path(path)
        assert "已在另一个窗口或程序中打开" in asked[0]
        assert w.session.read_only and "正在另一个窗口或程序中编辑" in w.banner.text()
        assert w.doc.report.project.code == "另一窗口改的"
        w.close()
    finally:
        other.stdin.close()
        other.wait(timeout=30)


@posix_only
def test_a_document_left_by_a_crash_is_read_and_opened_without_files_beside_it(tmp_path):
    path = tmp_path / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_writer", str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    committed = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.jxzp", "报告.jxzp-wal"]
    assert int(read_document_report(path).project.code) >= committed  # check/export read the log too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.jxzp", "报告.jxzp-wal"]  # and leave no -shm
    file = DocumentFile.open(path)
    assert int(file.document.report.project.code) >= committed
    file.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.jxzp"]


@posix_only
def test_an_intact_document_opens_on_a_full_disk(tmp_path):
    """Editing needs room to start saving; on a full disk the document still opens, to be read,
    and says why it cannot be edited."""
    path = tmp_path / "报告.jxzp"
    write_new_document(path, load_seed("000"))
    code = (
        "import resource, signal, sys\nfrom core.store.storage import DocumentFile\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))  # no file may grow past 1 KB: 'full'\n"
        "f = DocumentFile.open(sys.argv[1])\nprint('OPENED', f.document.report.project.name)\n"
        "print(f.read_only, f.document.read_only_message)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert r.stdout.startswith("OPENED 长期护理保险财政补助资金"), r.stderr[-2000:]
    assert "磁盘空间已满" in r.stdout  # read-only, and it says why
    assert read_document_report(path).project.name == "长期护理保险财政补助资金"


def test_typing_in_an_open_grid_cell_is_saved_at_a_pause(window, qtbot):
    from PySide6.QtWidgets import QLineEdit

    w = window
    path = w.session.file.path
    w.activateWindow()
    qtbot.waitActive(w)
    w.tabs.setCurrentWidget(w.fund_tab)
    view = w.fund_tab.sources_view
    index = view.model().index(0, 4)  # 实际支出数 of the first source
    view.setCurrentIndex(index)
    view.edit(index)
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, editors
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, "512.5")
    assert w._status_labels["saved"].text() == "正在输入…"
    qtbot.waitUntil(lambda: w._status_labels["saved"].text() == "已保存", timeout=3000)
    assert editor.isVisible() and editor.text() == "512.5"  # still open, as typed
    w.session.file.flush()
    assert str(read_document_report(path).funds.sources[0].spent) == "512.5"
    qtbot.keyClicks(editor, "x")  # typing on adds to the text (the pause selected nothing)…
    assert editor.text() == "512.5x"
    # …and half-typed nonsense is not refused while typing
    qtbot.wait(1200)
    assert "不是数字" not in w.statusBar().currentMessage()
    w.close()
