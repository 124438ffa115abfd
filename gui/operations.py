"""Long work (exports) off the GUI thread, with a progress dialog, reporting back on it
(after anki's qt/aqt/operations)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], object], relay: _Relay):
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed back to the window, which decides
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_running: set[_Relay] = set()


def run_in_background(
    parent: QWidget,
    label: str,
    fn: Callable[[], object],
    on_done: Callable[[object], None],
    on_failed: Callable[[Exception], None],
) -> _Relay:
    """Run ``fn`` on a worker thread; show a busy dialog if it takes more than a moment; call
    ``on_done(result)`` or ``on_failed(exc)`` back on the GUI thread. ``fn`` must not touch Qt
    widgets or the live document (give it a copy). Cycles are collected on the GUI thread only
    (gui/gc_guard.py), so the worker never finalises Qt objects."""
    relay = _Relay()
    _running.add(relay)
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    progress.setWindowTitle("请稍候")

    def finish(callback, value):
        progress.reset()
        progress.deleteLater()
        _running.discard(relay)
        callback(value)

    relay.done.connect(lambda result: finish(on_done, result), Qt.ConnectionType.QueuedConnection)
    relay.failed.connect(lambda exc: finish(on_failed, exc), Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(_Job(fn, relay))
    return relay
