"""The open document as the window sees it: a Qt bridge for the core's change and save events."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.document import Change, Document
from core.store.storage import DocumentFile


class Session(QObject):
    """Re-emits the document's changes and the writer thread's save status as Qt signals
    (the status arrives from another thread; Qt queues it to the window's thread)."""

    changed = Signal(list, str)  # changes, "do" | "undo" | "redo"
    save_status = Signal(str)  # "saved" | "saving" | "error"

    def __init__(self, file: DocumentFile, parent=None):
        super().__init__(parent)
        self.file = file
        self.document: Document = file.document
        self.document.subscribe(self._on_change)
        file.on_status = self.save_status.emit

    @property
    def read_only(self) -> bool:
        return self.file.read_only

    def _on_change(self, changes: list[Change], how: str) -> None:
        self.changed.emit(changes, how)

    def close(self) -> None:
        self.document.unsubscribe(self._on_change)
        self.file.on_status = None
        self.file.close()
