"""绩效指标: the scoring grid as a tree, with structure actions and a roomy editor for long texts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.document import ChangeSet, Document, InputError
from core.presenters.tree_tables import IndicatorTable
from gui.bindings import Form
from gui.grid import GridTree
from gui.models import TreeTableModel
from gui.tree_actions import TreeActions

DETAILS = (("explanation", "指标解释"), ("deviation", "偏差原因分析及改进措施"), ("override_reason", "调整得分理由"))


class IndicatorTab(TreeActions, QWidget):
    refused = Signal(str)  # a long text refused (e.g. the document is read-only)

    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.table = IndicatorTable(doc)
        self.model = TreeTableModel(self.table, self)
        self.view = GridTree(self.model)
        self.view.setObjectName("indicators")
        metrics = self.view.fontMetrics().horizontalAdvance("中")
        self._widths = [max(50, c.width * metrics + 12) for c in self.table.columns]
        self._apply_widths()
        self.view.expandAll()
        self.view.fit_first_column(26)
        self.view.freeze_first_column()

        bar = self.structure_buttons("indicators", first="添加同级")
        # 不适用 (DOMAIN §6): in the grid's context menu, beside 插入; what it does is the rule set's.
        self.not_applicable = QAction("不适用（不评分）", self.view)
        self.not_applicable.setObjectName("indicators-not-applicable")
        self.not_applicable.setCheckable(True)
        self.not_applicable.setToolTip("标为不适用：按评分规则剔除该指标，其余指标得分折算为百分制；再点一次取消")
        self.not_applicable.triggered.connect(self.mark_not_applicable)
        self.view.addAction(self.not_applicable)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in (("采用建议得分", self.apply_suggested), ("全部采用建议得分", self.apply_all)):
            button = QPushButton(text)
            button.setObjectName(f"indicators-{text}")
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)

        self.details = QGroupBox("所选指标的说明文字")
        form = QFormLayout(self.details)
        self.detail_edits: dict[str, QPlainTextEdit] = {}
        self.detail_form: Form | None = None
        for key, label in DETAILS:
            edit = QPlainTextEdit()
            edit.setObjectName(f"detail.{key}")
            edit.setMinimumHeight(48)
            edit.setMaximumHeight(110)
            self.detail_edits[key] = edit
            form.addRow(label, edit)
        self.hint = QLabel("选择一个末级指标后可在此编辑较长的文字。")
        form.addRow(self.hint)

        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._load_details())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._load_mark())
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._load_details()
        self._load_mark()

    def _apply_widths(self) -> None:
        for view_col in range(self.model.columnCount()):
            self.view.setColumnWidth(view_col, self._widths[self.model.table_column(view_col)])

    def _load_details(self) -> None:
        path = self.current_path()
        node = self.table.node(path) if path else None
        if self.detail_form is not None:
            # Typing was committed when focus left the field; the old paths may be stale now.
            self.detail_form.clear()
            self.detail_form.deleteLater()
            self.detail_form = None
        leaf = node is not None and node.is_leaf
        for key, edit in self.detail_edits.items():
            edit.setEnabled(node is not None and (leaf or key == "explanation"))
            if node is None:
                edit.blockSignals(True)
                edit.setPlainText("")
                edit.blockSignals(False)
        if node is not None:
            self.detail_form = Form(self.doc, self)
            self.detail_form.refused.connect(self.refused)
            for key, edit in self.detail_edits.items():
                self.detail_form.bind(edit, path + (key,))
            self.details.setTitle(f"所选指标：{node.label()}")
        else:
            self.details.setTitle("所选指标的说明文字")

    def _selected_paths(self) -> list:
        paths = {self.model.path(ix) for ix in self.view.selectedIndexes()} or {self.current_path()}
        return [p for p in paths if p is not None]

    def _load_mark(self) -> None:
        path = self.current_path()
        self.not_applicable.setEnabled(path is not None)
        self.not_applicable.setChecked(path is not None and self.table.marked(path))

    def mark_not_applicable(self, checked: bool) -> None:
        """标为不适用 (checked) or 取消不适用 on the selected rows, one undo step."""
        try:
            self.table.set_applicable(self._selected_paths(), not checked)
        except InputError as exc:  # read-only document
            self.refused.emit(str(exc))
        self._load_mark()

    def apply_suggested(self):
        self.table.apply_suggested(self._selected_paths())

    def apply_all(self):
        self.table.apply_suggested([])

    def refresh(self, changes: ChangeSet) -> None:
        self._refresh(changes.reshaped("indicators"), changes.value_paths)
        self._load_mark()

    def refresh_structure(self, changes: ChangeSet) -> None:
        """Hidden: only what the item model must know at once (its rows and columns)."""
        if changes.reshaped("indicators"):
            self._refresh(True, changes.value_paths)

    def _refresh(self, structural: bool, paths=None) -> None:
        current = self.current_path()
        column = self.view.currentIndex().column()
        if structural:
            self.model.refresh(True)
            self._apply_widths()
            self.view.expandAll()
            self.view.fit_first_column(26)
            if current is not None:
                index = self.model.index_of(current, max(0, column))
                if not index.isValid():
                    index = self.model.index(0, 0)
                self.view.setCurrentIndex(index)
            self._load_details()
        else:
            self.model.refresh(False, paths)
            if self.detail_form is not None:
                self.detail_form.refresh(paths)
                path = self.current_path()  # a paste or an edit may have renamed it
                if path is not None:
                    self.details.setTitle(f"所选指标：{self.table.node(path).label()}")
