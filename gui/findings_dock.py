"""检查结果: the live findings, errors red and warnings amber, with counts; double-click jumps.

A message is never cut off: the list wraps it, and the pane below shows the selected finding in
full with its place in words (项目资金 › 批复金额), never the internal path."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
)

from core.document import Document
from core.presenters.pending import PENDING_LABEL, split
from core.presenters.places import PlaceWords
from core.rules.checks import CODES, ERROR, SEVERITY_LABELS

ERROR_FG = QBrush(QColor("#b3261e"))
WARNING_FG = QBrush(QColor("#8a5a00"))
PENDING_FG = QBrush(QColor("#808080"))
PLACE_ROLE = Qt.ItemDataRole.UserRole + 1
HINT = "选中一条可在此查看全文；双击跳转到对应位置。"


class FindingsDock(QDockWidget):
    jump = Signal(tuple)  # the path a finding points at

    def __init__(self, doc: Document, parent=None):
        super().__init__("检查结果", parent)
        self.setObjectName("findings")
        self.doc = doc
        self.list = QTreeWidget()
        self.list.setObjectName("findings.list")
        self.list.setHeaderLabels(["级别", "代码", "说明"])
        self.list.setRootIsDecorated(True)  # the 待填写 group opens and closes
        self.list.setWordWrap(True)  # long messages wrap instead of ending in “…”
        self.list.setUniformRowHeights(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.list.setColumnWidth(0, 44)
        self.list.setColumnWidth(1, 40)
        self.list.itemActivated.connect(self._activated)
        self.list.itemDoubleClicked.connect(self._activated)
        self.list.currentItemChanged.connect(lambda item, _old: self._show_detail(item))
        self.detail = QLabel(HINT)
        self.detail.setObjectName("findings.detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMargin(6)
        self.detail.setMinimumHeight(72)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        self.setWidget(split)
        self._shown: tuple = ([], [])
        self._places = PlaceWords()
        self.refresh()

    def counts(self) -> tuple[int, int]:
        """Errors and warnings as shown; a part nobody has started counts as 待填写 instead."""
        shown = split(self.doc).shown
        errors = sum(1 for f in shown if f.severity == ERROR)
        return errors, len(shown) - errors

    def refresh(self) -> None:
        found = split(self.doc)
        errors, warnings = self.counts()
        pending = f"，{PENDING_LABEL} {len(found.pending)}" if found.pending else ""
        title = f"检查结果（错误 {errors}，警告 {warnings}{pending}）"
        self.setWindowTitle(title if found.shown or found.pending else "检查结果（未发现问题）")
        if (found.shown, found.pending) == self._shown:
            return
        old_shown, old_pending = self._shown
        self._shown = (list(found.shown), list(found.pending))
        if _same_places(old_shown, found.shown) and _same_places(old_pending, found.pending):
            # The same findings in the same places, some worded anew (a figure in the message):
            # their texts change where they stand, rather than the list being built again.
            group = self._pending_group()
            items = [self.list.topLevelItem(i) for i in range(len(found.shown))]
            items += [group.child(i) for i in range(group.childCount())] if group is not None else []
            for item, f in zip(items, [*found.shown, *found.pending], strict=True):
                item.setText(2, f.message)
                self._set_place(item, f)
            self._show_detail(self.list.currentItem())
            return
        self.list.clear()
        for f in found.shown:
            brush = ERROR_FG if f.severity == ERROR else WARNING_FG
            self.list.addTopLevelItem(self._item(f, SEVERITY_LABELS[f.severity], brush))
        if found.pending:  # the template's own empty fields: one collapsed group, not a wall of errors
            group = QTreeWidgetItem([f"{PENDING_LABEL}（{len(found.pending)}）"])
            group.setToolTip(0, "新报告中尚未开始填写的部分；修改该部分后按错误、警告显示")
            self.list.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            group.addChildren([self._item(f, PENDING_LABEL, PENDING_FG) for f in found.pending])
        self._show_detail(self.list.currentItem())

    def _pending_group(self) -> QTreeWidgetItem | None:
        count = self.list.topLevelItemCount()
        last = self.list.topLevelItem(count - 1) if count else None
        return last if last is not None and last.data(0, Qt.ItemDataRole.UserRole) is None else None

    def _item(self, f, label: str, brush) -> QTreeWidgetItem:
        item = QTreeWidgetItem([label, f.code, f.message])
        for c in range(3):
            item.setForeground(c, brush)
        item.setToolTip(1, CODES[f.code][1])
        item.setData(0, Qt.ItemDataRole.UserRole, f.path)
        self._set_place(item, f)
        return item

    def _set_place(self, item: QTreeWidgetItem, f) -> None:
        place = self._places.words(f.path, self.doc.report)
        item.setToolTip(2, f"{f.message}\n位置：{place}（双击跳转）")
        item.setData(0, PLACE_ROLE, place)

    def _show_detail(self, item) -> None:
        if item is None or item.data(0, Qt.ItemDataRole.UserRole) is None:  # none, or the group
            self.detail.setText(HINT)
            return
        code = item.text(1)
        self.detail.setText(
            f"{item.text(0)} {code}（{CODES[code][1]}）\n{item.text(2)}\n位置：{item.data(0, PLACE_ROLE)}"
        )

    def _activated(self, item, _column=0) -> None:
        if item.data(0, Qt.ItemDataRole.UserRole) is None:
            return  # the 待填写 group: Qt opens and closes it
        self.jump.emit(tuple(item.data(0, Qt.ItemDataRole.UserRole)))


def _same_places(old: list, new: list) -> bool:
    return len(old) == len(new) and all(a.code == b.code and a.path == b.path for a, b in zip(old, new, strict=True))
