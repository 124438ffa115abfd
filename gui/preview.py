"""打印预览 and 打印: the PDF's own pages, rendered by PDFium, so what prints is exactly the PDF;
printing runs off the GUI thread (PrintJob)."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
)

from core.store.fileutil import describe_os_error
from gui.operations import run_in_background

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


BAND_BYTES = 24 * 1024 * 1024  # a page at 600 dpi is about 100 MB: print it in bands
#: At most this resolution goes to the printer: a laser printer's, and what text at 5号 needs.
#: (The PDF printer's 1200 dpi made a 12-page report 83 MB and took nearly two minutes.)
PRINT_DPI = 300
#: PDFium may be called from one thread at a time (pypdfium2), whichever document it is: the
#: preview on the GUI thread and a print run on a worker take turns.
PDFIUM = threading.RLock()


def _image(bitmap) -> QImage:
    if bitmap.n_channels == 1:
        fmt = QImage.Format.Format_Grayscale8
    else:
        fmt = QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt)
    return image.copy()  # the bitmap's memory goes away with it


def render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page as an image at ``dpi`` (white background, no annotations)."""
    with PDFIUM:
        page = document[index]
        try:
            return _image(page.render(scale=dpi / 72, rev_byteorder=True, draw_annots=False))
        finally:
            page.close()


def render_bands(document: pdfium.PdfDocument, index: int, dpi: float, grey: bool = False):
    """The page at ``dpi`` as (y offset in pixels, image) bands, to keep memory small."""
    with PDFIUM:
        page = document[index]
        width_pt, height_pt = page.get_size()
    try:
        scale = dpi / 72
        band_px = max(64, int(BAND_BYTES / (width_pt * scale * (1 if grey else 3))))
        total_px = int(round(height_pt * scale))
        y = 0
        while y < total_px:
            rows = min(band_px, total_px - y)
            top_pt, bottom_pt = y / scale, max(0.0, height_pt - (y + rows) / scale)
            with PDFIUM:
                bitmap = page.render(
                    scale=scale, crop=(0, bottom_pt, 0, top_pt), rev_byteorder=True, draw_annots=False, grayscale=grey
                )
                image = _image(bitmap)
            yield y, image
            y += rows
    finally:
        with PDFIUM:
            page.close()


def page_count(data: bytes) -> int:
    with PDFIUM:
        document = pdfium.PdfDocument(data)
        try:
            return len(document)
        finally:
            document.close()


def _paint_pages(data: bytes, printer: QPrinter, pages: list[int], steps=None) -> int:
    """Paint the PDF's pages (0-based ``pages``) onto the printer at most PRINT_DPI, grey when
    the printer is set to grey. Qt allows QPainter on a QPrinter in any one thread: a print run
    calls this on a worker. Stops between pages once ``steps`` says the user cancelled (then a
    real printer's job is aborted). Returns the pages painted."""
    with PDFIUM:
        document = pdfium.PdfDocument(data)
    painter = QPainter()
    if not painter.begin(printer):
        with PDFIUM:
            document.close()
        return 0
    sent = 0
    try:
        device_dpi = printer.resolution()
        dpi = min(PRINT_DPI, device_dpi)
        grey = printer.colorMode() == QPrinter.ColorMode.GrayScale
        scale = device_dpi / dpi
        layout = printer.pageLayout()
        # Same size as on paper (a PDF point is 1/72 inch), placed at the paper's corner.
        origin = layout.fullRectPixels(device_dpi).topLeft() - layout.paintRectPixels(device_dpi).topLeft()
        for index in pages:
            if steps is not None and steps.cancelled:
                if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
                    printer.abort()
                break
            if sent:
                printer.newPage()
            for y, band in render_bands(document, index, dpi, grey):
                target = QRectF(origin.x(), origin.y() + y * scale, band.width() * scale, band.height() * scale)
                painter.drawImage(target, band)
            sent += 1
            if steps is not None:
                steps.report(sent, len(pages))
    finally:
        if painter.isActive():
            painter.end()
        with PDFIUM:
            document.close()
    return sent


def print_pdf(data: bytes, printer: QPrinter, first: int = 1, last: int = 0) -> int:
    """Print pages ``first``..``last`` (1-based, 0 = to the end) here and now, at most PRINT_DPI.
    Returns the number of pages sent. The window prints with PrintJob, off the GUI thread."""
    count = page_count(data)
    last = count if last <= 0 else min(last, count)
    return _paint_pages(data, printer, list(range(max(1, first) - 1, last)))


def _copy_pages(data: bytes, pages: list[int], out: Path) -> int:
    """The PDF's own pages, as they are (text, fonts and all), written to ``out``."""
    with PDFIUM:
        source = pdfium.PdfDocument(data)
        try:
            if pages == list(range(len(source))):
                out.write_bytes(data)
                return len(pages)
            copy = pdfium.PdfDocument.new()
            try:
                copy.import_pages(source, pages)
                copy.save(out)
            finally:
                copy.close()
        finally:
            source.close()
    return len(pages)


class PrintError(Exception):
    pass


class PrintJob:
    """One print run off the GUI thread, with 第 n / N 页 and a 取消 button (gui/operations.py).

    To a printer: each page rasterised by PDFium and painted at PRINT_DPI on a worker; 取消 stops
    between pages and aborts the printer's job. To a PDF file (Qt's “打印到文件”): the PDF's own
    pages are written, exact and small, unless ``raster`` asks for what a printer gets. Either way
    a file is written beside the target and renamed over it only when the run ended without 取消,
    on the GUI thread: a cancelled or failed run leaves no file, or the earlier one whole.

    ``state``: "ready", "printing" once started, then "done", "cancelled" or "failed"."""

    _alive: set[PrintJob] = set()

    def __init__(self, parent, data: bytes, printer: QPrinter, first: int, last: int, raster: bool = False):
        self.parent = parent
        self.data = data
        self.printer = printer
        self.pages = list(range(first - 1, last))
        self.raster = raster
        self.sent = 0
        self.state = "ready"
        #: Called with (pages done, pages in all) on the GUI thread after each page.
        self.listeners: list = []
        name = printer.outputFileName() if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat else ""
        self.target = Path(name) if name else None
        self.temp: Path | None = None
        self.relay = None

    def start(self) -> PrintJob:
        self.state = "printing"
        if self.target is not None:
            try:
                fd, temp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
            except OSError as exc:
                self.state = "failed"
                QMessageBox.warning(self.parent, "无法打印", describe_os_error(exc, self.target))
                return self
            os.close(fd)
            self.temp = Path(temp)
        data, printer, pages, temp = self.data, self.printer, self.pages, self.temp
        if self.target is not None and not self.raster:

            def work(steps):
                return _copy_pages(data, pages, temp)

        else:
            if temp is not None:
                printer.setOutputFileName(str(temp))

            def work(steps):
                sent = _paint_pages(data, printer, pages, steps)
                if not sent and not steps.cancelled:
                    raise PrintError("无法连接打印机，请检查打印机是否已开机并连接。")
                return sent

        PrintJob._alive.add(self)
        self.relay = run_in_background(
            self.parent,
            "正在打印…",
            work,
            self._done,
            self._failed,
            on_cancelled=self._cancelled,
            on_progress=self._progress,
            steps_label="正在打印 第 {done} / {total} 页",
        )
        return self

    def _progress(self, done: int, total: int) -> None:
        self.sent = done
        for listener in self.listeners:
            listener(done, total)

    def cancel(self) -> None:
        """What the 取消 button does."""
        self.relay.steps.cancel()

    def _end(self, state: str) -> None:
        if self.target is not None:
            self.printer.setOutputFileName(str(self.target))
            if self.temp is not None and self.temp.exists() and state != "done":
                self.temp.unlink()
        self.state = state
        PrintJob._alive.discard(self)

    def _done(self, sent: int) -> None:
        self.sent = sent
        if self.target is not None:
            try:
                os.replace(self.temp, self.target)
            except OSError as exc:
                self._failed(PrintError(describe_os_error(exc, self.target)))
                return
        self._end("done")
        where = f"到 {self.target}" if self.target is not None else ""
        status = getattr(self.parent, "statusBar", None)
        if status is not None:
            status().showMessage(f"已打印 {sent} 页{where}", 8000)

    def _cancelled(self, sent) -> None:
        self.sent = sent or 0
        self._end("cancelled")

    def _failed(self, exc: Exception) -> None:
        self._end("failed")
        QMessageBox.warning(self.parent, "无法打印", str(exc))


def make_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    return printer


class PreviewDialog(QDialog):
    def __init__(self, data: bytes, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 - {title}")
        # As tall as the screen allows (a laptop's 768 pixels cut a 1000-pixel dialog off).
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        free = screen.availableGeometry()
        self.resize(min(900, free.width() - 40), min(1000, free.height() - 60))
        self._fitted = False
        self.data = data
        with PDFIUM:
            self.document = pdfium.PdfDocument(data)
            self.count = len(self.document)
        self.zoom = 1.0
        self.page = QSpinBox()
        self.page.setObjectName("preview.page")
        self.page.setRange(1, max(1, self.count))
        self.page.setSuffix(f" / {self.count} 页")
        self.page.valueChanged.connect(lambda _v: self.show_page())
        self.image = QLabel()
        self.image.setObjectName("preview.image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("background:#808080;")
        bar = QHBoxLayout()
        for text, slot in (
            ("上一页", lambda: self.page.setValue(self.page.value() - 1)),
            ("下一页", lambda: self.page.setValue(self.page.value() + 1)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.page)
        for text, step in (("缩小", -1), ("放大", 1)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=step: self.step_zoom(s))
            bar.addWidget(button)
        self.zoom_label = QLabel()
        bar.addWidget(self.zoom_label)
        bar.addStretch(1)
        print_button = QPushButton("打印…")
        print_button.clicked.connect(self.print_dialog)
        bar.addWidget(print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll)
        self.show_page()

    def showEvent(self, event):  # Qt override
        super().showEvent(event)
        if not self._fitted:  # first shown: the whole page, its bottom included
            self._fitted = True
            self.zoom = self.fit_zoom()
            self.show_page()

    def fit_zoom(self) -> float:
        """The zoom (at most 100%) at which a whole page fits the visible area."""
        with PDFIUM:
            page = self.document[self.page.value() - 1]
            try:
                width_pt, height_pt = page.get_size()
            finally:
                page.close()
        room = self.scroll.viewport().size()
        fit = min((room.height() - 8) / (height_pt * 96 / 72), (room.width() - 8) / (width_pt * 96 / 72))
        return max(0.25, min(1.0, fit))

    def step_zoom(self, step: int) -> None:
        i = min(range(len(ZOOMS)), key=lambda k: abs(ZOOMS[k] - self.zoom))
        self.zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, i + step))]
        self.show_page()

    def show_page(self) -> None:
        dpi = 96 * self.zoom * self.devicePixelRatioF()
        image = render_page(self.document, self.page.value() - 1, dpi)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pixmap)
        self.zoom_label.setText(f"{round(self.zoom * 100)}%")

    def print_dialog(self) -> None:
        self.print_job = print_with_dialog(self, self.data)

    def done(self, result):  # Qt override
        with PDFIUM:
            self.document.close()
        super().done(result)


def choose_printer(parent, count: int) -> tuple[QPrinter, int, int] | None:
    """The printer and the pages (1-based, first and last) the user picks in Qt's print dialog."""
    printer = make_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, count)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        first, last = printer.fromPage(), printer.toPage()
    return printer, first, last


def print_with_dialog(parent, data: bytes) -> PrintJob | None:
    """Choose the printer and the page range, then print in the background."""
    chosen = choose_printer(parent, page_count(data))
    if chosen is None:
        return None
    printer, first, last = chosen
    return PrintJob(parent, data, printer, first, last).start()
