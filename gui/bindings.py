"""Forms bound declaratively: one table of (widget, field path) instead of a slot per field
(after moneyguru's qt/controller/panel.py). Text goes to the document; a refused entry is shown
and the field returns to the saved value."""

from __future__ import annotations

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
from core.store.storage import TYPING_PAUSE_SECONDS

ERROR_STYLE = "background: #f8d3d0;"
WARNING_STYLE = "background: #fdeebf;"


class MonthEdit(QWidget):
    """A date field (2024-05) with a calendar to pick from."""

    editingFinished = Signal()  # mirrors QLineEdit

    def __init__(self, parent=None):
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("2024-05")
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
        self._marked = ("", "")
        self._timer: QTimer | None = None
        if isinstance(widget, QComboBox):
            self._signal = widget.activated
        elif isinstance(widget, QPlainTextEdit):
            # Long text is committed after a pause in typing and when the field is left.
            self._timer = QTimer(self, singleShot=True, interval=round(TYPING_PAUSE_SECONDS * 1000))
            self._timer.timeout.connect(self.commit)
            self._signal = widget.textChanged
            widget.installEventFilter(self)
        else:
            self._signal = widget.editingFinished
        self._signal.connect(self._edited)

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        if self._timer is not None:
            self._timer.start()
        else:
            self.commit()

    def detach(self) -> None:
        """Stop listening to the widget (its field is about to be something else)."""
        self._signal.disconnect(self._edited)
        if self._timer is not None:
            self._timer.stop()
            self.widget.removeEventFilter(self)
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
        text = self.current_text()
        if text == self.value_text():
            return
        try:
            self.doc.set_text(self.path, text)
        except InputError as exc:
            self.refused.emit(str(exc))
            self.load()
        if self._timer is not None:
            self._timer.stop()

    def mark(self, findings) -> None:
        """Colour the field and explain it in its tooltip when the checks point at it."""
        from core.rules.checks import ERROR

        if not findings:
            style, tip = "", ""
        else:
            style = ERROR_STYLE if any(f.severity == ERROR for f in findings) else WARNING_STYLE
            tip = "\n".join(f"{f.code}：{f.message}" for f in findings)
        if (style, tip) != self._marked:  # restyling a widget is not free: only when it changes
            self._marked = (style, tip)
            self.widget.setStyleSheet(style)
            self.widget.setToolTip(tip)


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
        return widget

    def refresh(self, paths: set[NodePath] | None = None) -> None:
        index = self.doc.finding_index
        for path, binding in self.bindings.items():
            if paths is None or path in paths:
                binding.load()
            binding.mark(index.get(path, []))

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
