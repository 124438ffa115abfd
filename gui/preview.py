"""打印预览 and 打印: the PDF's own pages, rendered by PDFium, so what prints is exactly the PDF."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
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

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


BAND_BYTES = 24 * 1024 * 1024  # a page at 600 dpi is about 100 MB: print it in bands


def _image(bitmap) -> QImage:
    image = QImage(
        bitmap.buffer,
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888,
    )
    return image.copy()  # the bitmap's memory goes away with it


def render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page as an image at ``dpi`` (white background, no annotations)."""
    page = document[index]
    try:
        return _image(page.render(scale=dpi / 72, rev_byteorder=True, draw_annots=False))
    finally:
        page.close()


def render_bands(document: pdfium.PdfDocument, index: int, dpi: float):
    """The page at ``dpi`` as (y offset in pixels, image) bands, to keep memory small."""
    page = document[index]
    try:
        width_pt, height_pt = page.get_size()
        scale = dpi / 72
        band_px = max(64, int(BAND_BYTES / (width_pt * scale * 3)))
        total_px = int(round(height_pt * scale))
        y = 0
        while y < total_px:
            rows = min(band_px, total_px - y)
            top_pt, bottom_pt = y / scale, max(0.0, height_pt - (y + rows) / scale)
            bitmap = page.render(scale=scale, crop=(0, bottom_pt, 0, top_pt), rev_byteorder=True, draw_annots=False)
            yield y, _image(bitmap)
            y += rows
    finally:
        page.close()


def print_pdf(data: bytes, printer: QPrinter, first: int = 1, last: int = 0) -> int:
    """Print pages ``first``..``last`` (1-based, 0 = to the end) at the printer's resolution.
    Returns the number of pages sent."""
    document = pdfium.PdfDocument(data)
    count = len(document)
    last = count if last <= 0 else min(last, count)
    first = max(1, first)
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        return 0
    sent = 0
    try:
        dpi = printer.resolution()
        for number in range(first, last + 1):
            if sent:
                printer.newPage()
            # Same size as on paper (a PDF point is 1/72 inch), placed at the paper's corner.
            origin = (
                printer.pageLayout().fullRectPixels(dpi).topLeft() - printer.pageLayout().paintRectPixels(dpi).topLeft()
            )
            for y, band in render_bands(document, number - 1, dpi):
                painter.drawImage(origin.x(), origin.y() + y, band)
            sent += 1
    finally:
        painter.end()
        document.close()
    return sent


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
        print_with_dialog(self, self.data)

    def done(self, result):  # Qt override
        self.document.close()
        super().done(result)


def print_with_dialog(parent, data: bytes) -> None:
    """Choose the printer and the page range, then print."""
    count = len(pdfium.PdfDocument(data))
    printer = make_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, count)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        first, last = printer.fromPage(), printer.toPage()
    if not print_pdf(data, printer, first, last):
        QMessageBox.warning(parent, "无法打印", "无法连接打印机，请检查打印机是否已开机并连接。")
