"""Forms bound declaratively: one table of (widget, field path) instead of a slot per field
(after moneyguru's qt/controller/panel.py). Text goes to the document; a refused entry is shown
and the field returns to the saved value."""

from __future__ import annotations

import weakref

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from core.document import Document, InputError
from core.model.model import NodePath, resolve
from core.model.numbers import fmt_plain
from core.presenters.pending import PENDING_LABEL, PLACEHOLDER, split
from core.store.storage import TYPING_PAUSE_SECONDS

TYPING_PAUSE_MS = round(TYPING_PAUSE_SECONDS * 1000)  # named, with its reason, in core/store/storage.py

ERROR_STYLE = "background: #f8d3d0;"


class _TypingHub(QObject):
    """Tells the window that some field started or stopped waiting for a pause in typing, so that
    已保存 is never shown while typed text has not reached the document."""

    changed = Signal()


_hub: _TypingHub | None = None


def typing_hub() -> _TypingHub:
    global _hub
    if _hub is None:
        _hub = _TypingHub()
    return _hub


_cell_timers: weakref.WeakSet = weakref.WeakSet()  # the open grid cells' pause timers


def watch_typing(timer: QTimer) -> None:
    """A grid cell editor's pause timer, counted by :func:`typing_pending` while it runs."""
    _cell_timers.add(timer)


def typing_pending(forms) -> bool:
    for timer in list(_cell_timers):
        try:
            if timer.isActive():
                return True
        except RuntimeError:  # its cell editor is gone, and the timer with it
            _cell_timers.discard(timer)
    return any(binding.pending for form in forms for binding in form.bindings.values())


WARNING_STYLE = "background: #fdeebf;"


class MonthEdit(QWidget):
    """A date field (2024-05) with a calendar to pick from."""

    editingFinished = Signal()  # mirrors QLineEdit

    def __init__(self, parent=None):
        super().__init__(parent)
        self.line = QLineEdit(self)
        # A hint that cannot pass for a date already filled in (a grey “2024-05” did).
        self.line.setPlaceholderText("年-月")
        self.line.editingFinished.connect(self.editingFinished)
        button = QToolButton(self)
        button.setText("…")
        button.setToolTip("从日历中选择")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = QCalendarWidget(menu)
        self.calendar.setGridVisible(True)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        button.setMenu(menu)
        self.calendar.clicked.connect(lambda date: (menu.close(), self._picked(date)))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(button)
        self.setFocusProxy(self.line)

    def _picked(self, date: QDate) -> None:
        self.line.setText(date.toString("yyyy-MM"))
        self.editingFinished.emit()

    def text(self) -> str:
        return self.line.text()

    def setText(self, text: str) -> None:
        self.line.setText(text)
        date = QDate.fromString(text[:7], "yyyy-MM")
        if date.isValid():
            self.calendar.setSelectedDate(date)

    def setStyleSheet(self, style: str) -> None:
        self.line.setStyleSheet(style)

    def setToolTip(self, tip: str) -> None:
        self.line.setToolTip(tip)


class Binding(QObject):
    """One widget bound to one field of the report."""

    refused = Signal(str)

    def __init__(self, doc: Document, widget: QWidget, path: NodePath, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.widget = widget
        self.path = path
        self._loading = False
        self._marked = ("", "", None)
        self._placeholder: str | None = None  # the widget's own placeholder, while 待填写 shows
        self._timer: QTimer | None = None
        self._typing = False  # a commit made during a pause in typing, not on leaving the field
        if isinstance(widget, QComboBox):
            self._signal = widget.activated
        elif isinstance(widget, QPlainTextEdit):
            # Long text is committed after a pause in typing and when the field is left.
            self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
            self._timer.timeout.connect(self._pause)
            self._signal = widget.textChanged
            self._timer.timeout.connect(typing_hub().changed)
            widget.installEventFilter(self)
        else:
            # One-line fields: committed after a pause in typing too (so a crash or power cut
            # loses at most that pause), and on Enter or leaving the field, where a refused
            # entry is explained and the saved value comes back.
            line = widget.line if isinstance(widget, MonthEdit) else widget
            self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
            self._timer.timeout.connect(self._pause)
            line.textEdited.connect(self._timer.start)
            line.textEdited.connect(typing_hub().changed)
            self._timer.timeout.connect(typing_hub().changed)
            self._signal = widget.editingFinished
        self._signal.connect(self._edited)

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        if isinstance(self.widget, QPlainTextEdit):
            self._timer.start()
            typing_hub().changed.emit()
        else:
            self.commit()

    def _pause(self) -> None:
        """The user paused typing: save what is there if it reads, quietly. The text stays as it
        is being typed (no reformatting under the cursor, no message for a half-typed number):
        that waits for Enter or leaving the field."""
        if self._loading:
            return
        if isinstance(self.widget, QPlainTextEdit):
            self.commit()
            return
        text = self.current_text()
        if text == self.value_text():
            return
        self._typing = True
        try:
            self.doc.set_text(self.path, text)
        except InputError:
            pass
        finally:
            self._typing = False

    @property
    def pending(self) -> bool:
        """Typed text not yet given to the document (a pause or leaving the field will)."""
        return self._timer is not None and self._timer.isActive()

    def detach(self) -> None:
        """Stop listening to the widget (its field is about to be something else)."""
        self._signal.disconnect(self._edited)
        if self._timer is not None:
            self._timer.stop()
            if isinstance(self.widget, QPlainTextEdit):
                self.widget.removeEventFilter(self)
            else:
                line = self.widget.line if isinstance(self.widget, MonthEdit) else self.widget
                line.textEdited.disconnect(self._timer.start)
                line.textEdited.disconnect(typing_hub().changed)
        self.deleteLater()

    def eventFilter(self, obj, event):  # commit long text when leaving the field
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FocusOut:
            self.commit()
        return False

    def value_text(self) -> str:
        value = resolve(self.doc.report, self.path)
        if value is None:
            return ""
        if not isinstance(value, str):
            return fmt_plain(value) if hasattr(value, "as_tuple") else str(value)
        return value

    def load(self) -> None:
        if self._typing:
            return  # the user's own text, mid-typing: leave it (and the cursor) alone
        w = self.widget
        self._loading = True
        try:
            text = self.value_text()
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(text)))
            elif isinstance(w, QPlainTextEdit):
                if w.toPlainText() != text:
                    w.setPlainText(text)
            elif w.text() != text:
                w.setText(text)
        finally:
            self._loading = False

    def current_text(self) -> str:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData() or ""
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        return w.text()

    def commit(self) -> None:
        if self._loading:
            return
        if self._timer is not None and self._timer.isActive():
            self._timer.stop()
            typing_hub().changed.emit()
        text = self.current_text()
        if text == self.value_text():
            return
        try:
            self.doc.set_text(self.path, text)
        except InputError as exc:
            self.refused.emit(str(exc))
            self.load()
            return
        if not isinstance(self.widget, QPlainTextEdit):
            self.load()  # show the value as read (1,000 → 1000), now that typing is over

    def mark(self, findings, pending=()) -> None:
        """Colour the field and explain it in its tooltip when the checks point at it; in a part
        nobody has started (``pending``: core/presenters/pending.py), no colour but a grey 待填写."""
        from core.rules.checks import ERROR

        if findings:
            style = ERROR_STYLE if any(f.severity == ERROR for f in findings) else WARNING_STYLE
            tip = "\n".join(f"{f.code}：{f.message}" for f in findings)
        else:
            style, tip = "", "\n".join(f"{PENDING_LABEL} {f.code}：{f.message}" for f in pending)
        hint = PLACEHOLDER if pending and not findings else None
        if (style, tip, hint) != self._marked:  # restyling a widget is not free: only when it changes
            self._marked = (style, tip, hint)
            self.widget.setStyleSheet(style)
            self.widget.setToolTip(tip)
            line = self.widget.line if isinstance(self.widget, MonthEdit) else self.widget
            if isinstance(line, QLineEdit):
                if self._placeholder is None:
                    self._placeholder = line.placeholderText()  # its own hint (年-月), put back later
                line.setPlaceholderText(hint or self._placeholder)


class Form(QObject):
    """A set of bindings refreshed together when the document changes."""

    refused = Signal(str)

    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.bindings: dict[NodePath, Binding] = {}

    def bind(self, widget: QWidget, path: NodePath) -> QWidget:
        binding = Binding(self.doc, widget, path, self)
        binding.refused.connect(self.refused)
        self.bindings[path] = binding
        binding.load()
        found = split(self.doc)  # marked from the start, not only after the first change
        binding.mark(found.index.get(path, []), found.pending_index.get(path, ()))
        return widget

    def refresh(self, paths: set[NodePath] | None = None) -> None:
        found = split(self.doc)
        for path, binding in self.bindings.items():
            if paths is None or path in paths:
                binding.load()
            binding.mark(found.index.get(path, []), found.pending_index.get(path, ()))

    def clear(self) -> None:
        for binding in self.bindings.values():
            binding.detach()
        self.bindings.clear()

    def widget_for(self, path: NodePath) -> QWidget | None:
        binding = self.bindings.get(path)
        return binding.widget if binding else None


def choice_box(choices: dict[str, str], parent=None) -> QComboBox:
    box = QComboBox(parent)
    for code, label in choices.items():
        box.addItem(label or "（未选择）", code)
    box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return box
