"""检查结果: the live findings, errors red and warnings amber, with counts; double-click jumps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDockWidget, QTreeWidget, QTreeWidgetItem

from core.document import Document
from core.rules.checks import ERROR, SEVERITY_LABELS

ERROR_FG = QBrush(QColor("#b3261e"))
WARNING_FG = QBrush(QColor("#8a5a00"))


class FindingsDock(QDockWidget):
    jump = Signal(tuple)  # the path a finding points at

    def __init__(self, doc: Document, parent=None):
        super().__init__("检查结果", parent)
        self.setObjectName("findings")
        self.doc = doc
        self.list = QTreeWidget()
        self.list.setObjectName("findings.list")
        self.list.setHeaderLabels(["级别", "代码", "说明"])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 56)
        self.list.setColumnWidth(1, 48)
        self.list.itemActivated.connect(self._activated)
        self.list.itemDoubleClicked.connect(self._activated)
        self.setWidget(self.list)
        self._shown: list = []
        self.refresh()

    def counts(self) -> tuple[int, int]:
        errors = sum(1 for f in self.doc.findings if f.severity == ERROR)
        return errors, len(self.doc.findings) - errors

    def refresh(self) -> None:
        findings = self.doc.findings
        errors, warnings = self.counts()
        self.setWindowTitle(f"检查结果（错误 {errors}，警告 {warnings}）" if findings else "检查结果（未发现问题）")
        if findings == self._shown:
            return
        self._shown = list(findings)
        self.list.clear()
        items = []
        for f in findings:
            item = QTreeWidgetItem([SEVERITY_LABELS[f.severity], f.code, f.message])
            brush = ERROR_FG if f.severity == ERROR else WARNING_FG
            for c in range(3):
                item.setForeground(c, brush)
            item.setToolTip(2, f"{f.message}\n位置：{f.path_text}（双击跳转）")
            item.setData(0, Qt.ItemDataRole.UserRole, f.path)
            items.append(item)
        self.list.addTopLevelItems(items)

    def _activated(self, item, _column=0) -> None:
        self.jump.emit(tuple(item.data(0, Qt.ItemDataRole.UserRole)))
