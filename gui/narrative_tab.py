"""报告正文: the section tree, an editor for the selected section with placeholders, and a live
view of the text as it will print (placeholders filled by the core)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.document import ChangeSet, Document, InputError
from core.presenters.tree_tables import SectionTable
from core.rules.draft import draft
from core.rules.placeholders import NAMES, fill
from gui.bindings import Form
from gui.grid import GridTree
from gui.models import TreeTableModel
from gui.tree_actions import TreeActions


class NarrativeTab(TreeActions, QWidget):
    refused = Signal(str)  # the text refused (e.g. the document is read-only)

    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.table = SectionTable(doc)
        self.model = TreeTableModel(self.table, self)
        self.view = GridTree(self.model)
        self.view.setObjectName("narrative")
        self.view.setHeaderHidden(True)
        self.view.expandAll()
        self.view.selectionModel().currentChanged.connect(lambda *_: self._load())

        buttons = self.structure_buttons("narrative")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(buttons)
        ll.addWidget(self.view)

        self.editor = QPlainTextEdit()
        self.editor.setObjectName("narrative.text")
        self.editor.setPlaceholderText(
            "在此输入本节正文，每段一行。引用金额、执行率、得分时请用“插入占位符”，数字会自动取自报表。"
        )
        insert = QToolButton()
        insert.setText("插入占位符")
        insert.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(insert)
        for name in NAMES:
            menu.addAction(f"{{{name}}}", lambda n=name: self.editor.insertPlainText("{" + n + "}"))
        insert.setMenu(menu)
        self.draft_button = QToolButton()
        self.draft_button.setText("生成初稿")
        self.draft_button.setToolTip("按报表内容起草资金使用、评价结论、指标分析和存在的问题，只填空白章节")
        self.draft_button.clicked.connect(self.generate_draft)
        self.title = QLabel()
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.draft_button)
        head.addWidget(insert)
        self.preview = QTextBrowser()
        self.preview.setObjectName("narrative.preview")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(head)
        rl.addWidget(self.editor, 3)
        rl.addWidget(QLabel("打印效果预览（占位符已替换为报表中的数字）"))
        rl.addWidget(self.preview, 2)

        self.split = split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([360, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.form: Form | None = None
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._load()

    def generate_draft(self) -> None:
        """一键生成初稿: ask first when a target section has text; then fill only the empty ones,
        or overwrite them too if the user says so. One undo step."""
        parts = draft(self.doc.report, self.doc.totals)
        occupied = [p.title for p in parts if p.has_text]
        how = ask_overwrite(self, occupied) if occupied else "empty"
        if how is None:
            return
        try:
            self.doc.apply_draft(parts, overwrite=how == "overwrite")
        except InputError as exc:
            self.refused.emit(str(exc))

    def _load(self) -> None:
        if self.form is not None:
            self.form.clear()
            self.form.deleteLater()
            self.form = None
        path = self.current_path()
        self.editor.setEnabled(path is not None)
        if path is None:
            self.editor.blockSignals(True)
            self.editor.setPlainText("")
            self.editor.blockSignals(False)
            self.title.setText("（请先在左侧选择章节）")
        else:
            self.form = Form(self.doc, self)
            self.form.refused.connect(self.refused)
            self.form.bind(self.editor, path + ("text",))
            self.title.setText(self.table.node(path).title)
        self._preview()

    def _preview(self) -> None:
        path = self.current_path()
        if path is None:
            self.preview.setPlainText("")
            return
        text = fill(self.table.node(path).text, self.doc.report, self.doc.totals)
        self.preview.setPlainText(text)

    def refresh(self, changes: ChangeSet) -> None:
        self._refresh(changes.reshaped("narrative"), changes.value_paths)

    def refresh_structure(self, changes: ChangeSet) -> None:
        """Hidden: only what the item model must know at once (its rows and columns)."""
        if changes.reshaped("narrative"):
            self._refresh(True, changes.value_paths)

    def _refresh(self, structural: bool, paths=None) -> None:
        if structural:
            current = self.current_path()
            self.model.refresh(True)
            self.view.expandAll()
            index = self.model.index_of(current) if current else self.model.index(0, 0)
            self.view.setCurrentIndex(index if index.isValid() else self.model.index(0, 0))
            self._load()
            return
        self.model.refresh(False)
        if self.form is not None:
            self.form.refresh(paths)
            path = self.current_path()
            if path is not None:
                self.title.setText(self.table.node(path).title)
        self._preview()


def ask_overwrite(parent, titles: list[str]) -> str | None:
    """“empty” (fill only the empty sections), “overwrite”, or None (取消)."""
    box = QMessageBox(QMessageBox.Icon.Question, "生成初稿", "以下章节已有正文：\n" + "\n".join(titles), parent=parent)
    box.setInformativeText("默认只填写空白章节，已有正文保持不变；也可以用初稿覆盖这些章节（可撤销）。")
    empty = box.addButton("只填空白章节", QMessageBox.ButtonRole.AcceptRole)
    overwrite = box.addButton("覆盖已有正文", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(empty)
    box.exec()
    clicked = box.clickedButton()
    return "empty" if clicked is empty else "overwrite" if clicked is overwrite else None
