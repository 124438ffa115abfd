"""Python's cyclic garbage collector, run only on the GUI thread.

The collector runs in whichever thread happens to allocate: the autosave writer, an export
worker. Run there, it may finalise Qt objects that belong to the GUI thread and crash the program
(seen here as a segfault while a PDF was being built in the background). So automatic collection
is switched off and the same generational thresholds are checked on a timer in the GUI thread.
Reference counting still frees everything that is not in a cycle, at once, in any thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

INTERVAL_MS = 500


class _Collector(QObject):
    def __init__(self, parent):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    @staticmethod
    def check() -> None:
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                break


def install() -> None:
    """Once per application: collect cycles on the GUI thread only."""
    app = QApplication.instance()
    if app is None or app.property("jxzp_gc_guard"):
        return
    gc.disable()
    app.setProperty("jxzp_gc_guard", True)
    _Collector(app)
