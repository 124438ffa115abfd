"""Long work (exports, printing) off the GUI thread, with a progress dialog, reporting back on it
(after anki's qt/aqt/operations)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)  # steps done, steps in all


class Steps:
    """What a cancellable job's worker is handed: it says how far it is (``report``) and asks
    between two steps whether the user cancelled (``cancelled``)."""

    def __init__(self, relay: _Relay):
        self._relay = relay
        self._stop = threading.Event()

    def report(self, done: int, total: int) -> None:
        self._relay.progress.emit(done, total)

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def cancel(self) -> None:
        self._stop.set()


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
_when_idle: list[Callable[[], None]] = []


def busy() -> bool:
    """Whether an export, import or print job is still running."""
    return bool(_running)


def cancel_all() -> None:
    """Ask every cancellable job (printing) to stop between two steps; the others run to their end,
    which is quick and leaves a whole file (exports write a temporary file, then rename it)."""
    for relay in list(_running):
        if relay.cancellable:
            relay.steps.cancel()


def when_idle(callback: Callable[[], None]) -> None:
    """Call ``callback`` on the GUI thread once no job runs (at once when none does), after the
    last job's own ending (``on_done``, ``on_failed`` or ``on_cancelled``) has run."""
    if _running:
        _when_idle.append(callback)
    else:
        callback()


def run_in_background(
    parent: QWidget,
    label: str,
    fn: Callable[..., object],
    on_done: Callable[[object], None],
    on_failed: Callable[[Exception], None],
    *,
    on_cancelled: Callable[[object], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    steps_label: str = "",
) -> _Relay:
    """Run ``fn`` on a worker thread; show a busy dialog if it takes more than a moment; call
    ``on_done(result)`` or ``on_failed(exc)`` back on the GUI thread. ``fn`` must not touch Qt
    widgets or the live document (give it a copy). Cycles are collected on the GUI thread only
    (gui/gc_guard.py), so the worker never finalises Qt objects.

    With ``on_cancelled`` the job can be cancelled: ``fn(steps)`` gets a ``Steps`` (the relay's
    ``steps``) to report its progress with, shown as ``steps_label.format(done=…, total=…)``, and
    to stop at between two steps; the dialog has a 取消 button. A cancelled job ends in
    ``on_cancelled(result)`` instead of ``on_done``, on the GUI thread, so whatever the job was to
    commit at the end (a file renamed into place) is decided there, after the user's last word.
    ``on_progress(done, total)`` hears each step on the GUI thread too."""
    relay = _Relay()
    _running.add(relay)
    cancellable = on_cancelled is not None
    progress = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    if not cancellable:
        progress.setCancelButton(None)
    progress.setAutoReset(False)
    progress.setAutoClose(False)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    progress.setWindowTitle("请稍候")
    relay.steps = steps = Steps(relay)
    relay.cancellable = cancellable

    def finish(callback, value):
        progress.reset()
        progress.deleteLater()
        _running.discard(relay)
        callback(value)
        while not _running and _when_idle:
            _when_idle.pop(0)()

    def advanced(done: int, total: int) -> None:
        if steps.cancelled:
            return
        progress.setMaximum(total)
        progress.setValue(done)
        progress.setLabelText(steps_label.format(done=done, total=total) if steps_label else label)

    def cancelled() -> None:
        steps.cancel()
        progress.setLabelText("正在取消…")

    def succeeded(result) -> None:
        finish(on_cancelled if steps.cancelled else on_done, result)

    relay.done.connect(succeeded, Qt.ConnectionType.QueuedConnection)
    relay.failed.connect(lambda exc: finish(on_failed, exc), Qt.ConnectionType.QueuedConnection)
    relay.progress.connect(advanced, Qt.ConnectionType.QueuedConnection)
    if on_progress is not None:
        relay.progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    if cancellable:
        progress.canceled.connect(cancelled)
        QThreadPool.globalInstance().start(_Job(lambda: fn(steps), relay))
    else:
        QThreadPool.globalInstance().start(_Job(fn, relay))
    return relay
