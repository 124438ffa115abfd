"""复核: what a handed-in table prints for its totals, side by side with what its rows give.

Shown while the report records printed figures (``Report.printed``). Everything it shows is asked
of ``core/presenters/review.py``; a differing row is drawn in the error colour and says “✗ 不符”.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.document import ChangeSet, Document
from core.presenters.review import HINT, ReviewTable
from gui.grid import GridTable
from gui.models import FlatTableModel

INTRO = (
    "复核他人报送的自评表时，把纸质表上印的合计数字（总分、各一级指标分值和得分、年度资金总额、执行率、"
    "评价等级）记在这里，与按明细计算的结果逐项对照。" + HINT
)


class ReviewTab(QWidget):
    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.table = ReviewTable(doc)
        self.model = FlatTableModel(self.table, self)
        self.view = GridTable(self.model)
        self.view.setObjectName("review")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.stop_button = QPushButton("停止复核（删除表上数字）")
        self.stop_button.setObjectName("review.stop")
        # clicked: connected by the window, which says why when the document refuses it
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def refresh(self, changes: ChangeSet) -> None:
        self.model.refresh()

    def refresh_structure(self, changes: ChangeSet) -> None:
        # Its rows follow the printed figures and the 一级 (a value change can add or remove
        # them), so the item model is told at once even while the tab is hidden.
        self.model.refresh()

    def select(self, path: tuple) -> None:
        """Make the row a finding points at current (its 表上 cell, ready for typing)."""
        row = self.table.row_for(path)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, ReviewTable.PRINTED))
        self.view.setFocus()
