"""Printing from the window: off the GUI thread, with 第 n / N 页 and 取消, at a sensible resolution,
and never a half-written file. Offscreen there is no real printer: the printer is Qt's PDF file
printer (QPrinter.OutputFormat.PdfFormat), read back with pypdfium2."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QPushButton

from core.export.pdf import build_pdf
from gui.preview import PrintJob, make_printer, page_count
from tests.helpers import pdf

MB = 1024 * 1024


@pytest.fixture
def folder(tmp_path):
    """Where the prints go (tmp_path itself holds the window's document)."""
    path = tmp_path / "prints"
    path.mkdir()
    return path


def _file_printer(path) -> QPrinter:
    printer = make_printer()  # high resolution: 1200 dpi for the PDF printer
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def report_pdf(window) -> bytes:
    return build_pdf(window.doc.report)


def test_print_action_to_a_pdf_file_writes_the_reports_own_pages(window, qtbot, folder, monkeypatch):
    out = folder / "打印.pdf"
    chosen = []

    def choose(parent, count):  # what the user picks in Qt's print dialog
        chosen.append(count)
        return _file_printer(out), 1, count

    monkeypatch.setattr("gui.preview.choose_printer", choose)
    window.findChild(QAction, "print").trigger()
    qtbot.waitUntil(lambda: getattr(window, "print_job", None) is not None, timeout=30000)
    job = window.print_job
    qtbot.waitUntil(lambda: job.state != "printing", timeout=30000)
    assert job.state == "done" and job.sent == chosen[0] >= 8
    assert pdf.page_count(out) == chosen[0]
    assert all(pdf.is_a4(size) for size in pdf.page_sizes(out))
    assert out.stat().st_size < 2 * MB  # the PDF itself, not 80 MB of page images
    assert "项目支出绩效自评报告" in pdf.compact(out)
    assert sorted(p.name for p in folder.iterdir() if p.suffix in (".pdf", ".tmp")) == ["打印.pdf"]
    assert "已打印" in window.statusBar().currentMessage()


def test_raster_printing_runs_in_the_background_page_by_page(window, qtbot, folder, report_pdf):
    """What a real printer gets: each page rasterised at 300 dpi on a worker and painted there;
    the window's event loop keeps running (a timer fires between the pages)."""
    out = folder / "光栅.pdf"
    job = PrintJob(window, report_pdf, _file_printer(out), 1, 3, raster=True)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(job.sent))
    seen = []
    job.listeners.append(lambda done, total: seen.append((done, total, len(ticks))))
    timer.start(5)
    job.start()
    try:
        qtbot.waitUntil(lambda: job.state != "printing", timeout=60000)
    finally:
        timer.stop()
    assert job.state == "done" and [s[:2] for s in seen] == [(1, 3), (2, 3), (3, 3)]
    # the timer fired while pages were still to come
    assert any(sent < 3 for sent in ticks)
    assert pdf.page_count(out) == 3 and all(pdf.is_a4(size) for size in pdf.page_sizes(out))
    # 300 dpi, not the PDF printer's 1200: about 1 MB a page in colour, not 7
    assert 100_000 < out.stat().st_size < 3 * 1.5 * MB


def test_cancel_after_the_first_page_leaves_the_earlier_file_whole(window, qtbot, folder, report_pdf):
    out = folder / "打印.pdf"
    out.write_bytes(b"%PDF earlier print")
    job = PrintJob(window, report_pdf, _file_printer(out), 1, page_count(report_pdf), raster=True)

    def after_page(done, total):
        if done == 1:  # the user presses 取消 on the progress dialog
            dialogs = [d for d in window.findChildren(QProgressDialog) if d.labelText().startswith("正在打印")]
            assert dialogs and "第 1 / " in dialogs[-1].labelText()
            button = dialogs[-1].findChild(QPushButton)
            assert button.text() == "取消"
            button.click()

    job.listeners.append(after_page)
    job.start()
    qtbot.waitUntil(lambda: job.state != "printing", timeout=60000)
    assert job.state == "cancelled" and job.sent < page_count(report_pdf)
    assert out.read_bytes() == b"%PDF earlier print"
    assert [p.name for p in folder.iterdir()] == ["打印.pdf"]  # no temporary file left


def test_cancelled_print_to_a_new_file_leaves_no_file(window, qtbot, folder, report_pdf):
    out = folder / "新.pdf"
    job = PrintJob(window, report_pdf, _file_printer(out), 1, 4, raster=True)
    job.listeners.append(lambda done, total: done == 1 and job.cancel())
    job.start()
    qtbot.waitUntil(lambda: job.state != "printing", timeout=60000)
    assert job.state == "cancelled"
    assert list(folder.iterdir()) == []
    # the printer is left pointing at the file the user chose, for the next run
    assert job.printer.outputFileName() == str(out)


def test_closing_the_window_while_printing_stops_the_print_then_closes(window, qtbot, folder, report_pdf):
    """The user closes the window at page one of a long print: the print stops at the next page,
    leaves no half-written file, and the window closes on its own, its document saved."""
    out = folder / "关闭时.pdf"
    job = PrintJob(window, report_pdf, _file_printer(out), 1, page_count(report_pdf), raster=True)
    job.start()
    path = window.session.file.path
    window.doc.set_text(("project", "preparer"), "王会计")
    assert not window.close()  # refused for now: the job is asked to stop first
    assert window.closing and "完成后自动关闭" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60000)
    assert job.state == "cancelled" and job.sent < page_count(report_pdf)
    assert list(folder.iterdir()) == []
    assert window.session is None
    from core.store.storage import DocumentFile

    again = DocumentFile.open(path)  # closed cleanly: it opens again, with the last edit
    assert again.document.report.project.preparer == "王会计"
    again.close()
