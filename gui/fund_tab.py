"""项目资金: the source grid with its derived columns and 合计 row, 支出明细, 结转结余, and the
转移支付 自评表's 资金管理情况 in a group that folds away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.document import ChangeSet, Document, InputError
from core.model.model import EXECUTION_BASES, FUND_UNITS, Balance
from core.model.numbers import fmt2
from core.presenters.tables import ExpendituresTable, ManagementTable, SourcesTable
from gui.bindings import Form, choice_box
from gui.grid import GridTable
from gui.models import FlatTableModel
from gui.project_tab import _row_buttons

#: What 按公式计算 says until 上年结转结余, 本年收入 and 本年支出 are all given (not given is not 0).
BALANCE_NOT_GIVEN = "无（上年结转结余、本年收入、本年支出填齐后计算）"
MANAGEMENT_TITLE = "资金管理情况（转移支付自评表：情况说明、存在问题和改进措施）"
BALANCE_FIELDS = (
    ("opening", "上年结转结余"),
    ("income", "本年收入"),
    ("spent", "本年支出"),
    ("closing", "年末结转结余"),
)


class FundTab(QWidget):
    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.form = Form(doc, self)
        head = QHBoxLayout()
        unit = self.unit_box = choice_box(FUND_UNITS)
        unit.setObjectName("funds.unit")
        unit.activated.connect(lambda _i: self._unit_chosen())
        base = self.form.bind(choice_box(EXECUTION_BASES), ("funds", "execution_base"))
        approved = self.form.bind(QLineEdit(), ("funds", "approved_total"))
        approved.setObjectName("funds.approved_total")
        approved.setPlaceholderText("预算批复文件中的金额（可不填）")
        for label, widget in (("金额单位", unit), ("执行率 = 实际支出数 ÷", base), ("批复金额", approved)):
            head.addWidget(QLabel(label))
            head.addWidget(widget)
        head.addStretch(1)

        self.sources_model = FlatTableModel(SourcesTable(doc), self)
        self.sources_view = GridTable(self.sources_model)
        self.sources_view.setObjectName("funds.sources")
        self.sources_view.freeze_first_column()
        sources = QGroupBox("资金来源（执行率、到位率、结余和合计行自动计算）")
        sl = QVBoxLayout(sources)
        sl.addLayout(_row_buttons(self.sources_view, self.sources_model.table))
        sl.addWidget(self.sources_view)

        self.expenditures_model = FlatTableModel(ExpendituresTable(doc), self)
        self.expenditures_view = GridTable(self.expenditures_model)
        self.expenditures_view.setObjectName("funds.expenditures")
        self.expenditures_view.freeze_first_column()
        expenditures = QGroupBox("项目支出明细（可选；合计应等于实际支出数）")
        el = QVBoxLayout(expenditures)
        el.addLayout(_row_buttons(self.expenditures_view, self.expenditures_model.table))
        el.addWidget(self.expenditures_view)

        self.balance_box = QGroupBox("结转结余（多年度资金，可选）")
        self.balance_box.setCheckable(True)
        self.balance_box.toggled.connect(self._toggle_balance)
        self.balance_form = Form(doc, self)
        bl = QFormLayout(self.balance_box)
        self.balance_edits = {}
        for key, label in BALANCE_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"funds.balance.{key}")
            self.balance_edits[key] = edit
            bl.addRow(label, edit)
        self.balance_formula = QLabel()
        bl.addRow("按公式计算", self.balance_formula)

        self.management_model = FlatTableModel(ManagementTable(doc), self)
        self.management_view = GridTable(self.management_model)
        self.management_view.setObjectName("funds.management")
        view = self.management_view
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the last column stretches
        rows = 26 * self.management_model.rowCount()  # every row in sight: the form has five
        view.setMinimumHeight(view.horizontalHeader().sizeHint().height() + rows + 2 * view.frameWidth() + 2)
        self.management_toggle = QToolButton()
        self.management_toggle.setObjectName("funds.management.toggle")
        self.management_toggle.setText(MANAGEMENT_TITLE)
        self.management_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.management_toggle.setCheckable(True)
        self.management_toggle.setAutoRaise(True)
        self.management_toggle.toggled.connect(self._fold_management)
        report = doc.report
        self.management_toggle.setChecked("transfer" in (report.form, report.template) or bool(report.funds.management))
        self._fold_management(self.management_toggle.isChecked())

        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(expenditures, 3)
        rl.addWidget(self.balance_box, 2)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(row, 1)
        ll.addWidget(self.management_toggle)
        ll.addWidget(self.management_view)
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(sources)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split)
        self._sync_balance()
        self._sync_unit()

    def _fold_management(self, shown: bool) -> None:
        """Open or fold away 资金管理情况 (open from the start for a 转移支付 report or one that
        has such text)."""
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.management_toggle.setArrowType(arrow)
        self.management_view.setVisible(shown)

    def _unit_chosen(self) -> None:
        """万元 ↔ 元: ask whether the figures already typed are to be converted, so that a change
        of unit never silently turns 600 万元 into 600 元."""
        unit = self.unit_box.currentData()
        old = self.doc.report.funds.unit
        if unit == old:
            return
        convert = False
        if self.doc.amount_paths():
            box = QMessageBox(self)
            box.setWindowTitle("更改金额单位")
            box.setText(f"金额单位由“{old}”改为“{unit}”。已填写的金额是否一并换算？")
            box.setInformativeText(
                "换算：600.00 万元 变为 6000000.00 元。只改单位：数字不变，仅单位改变"
                "（适用于金额本来就是按新单位填写的情况）。"
            )
            yes = box.addButton("换算金额", QMessageBox.ButtonRole.YesRole)
            box.addButton("只改单位", QMessageBox.ButtonRole.NoRole)
            cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is cancel:
                self._sync_unit()
                return
            convert = box.clickedButton() is yes
        try:
            self.doc.set_funds_unit(unit, convert)
        except InputError as exc:  # a read-only document
            self.form.refused.emit(str(exc))
            self._sync_unit()

    def _sync_unit(self) -> None:
        self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(self.doc.report.funds.unit)))

    def _toggle_balance(self, on: bool) -> None:
        has = self.doc.report.funds.balance is not None
        try:
            if on and not has:
                self.doc.set_value(("funds", "balance"), Balance(), "添加结转结余")
            elif not on and has:
                self.doc.set_value(("funds", "balance"), None, "删除结转结余")
        except InputError as exc:  # a read-only document: say so, and show what the document has
            self.form.refused.emit(str(exc))
            self._sync_balance()

    def _sync_balance(self) -> None:
        balance = self.doc.report.funds.balance
        self.balance_box.blockSignals(True)
        self.balance_box.setChecked(balance is not None)
        self.balance_box.blockSignals(False)
        if balance is None:
            self.balance_form.clear()
            for edit in self.balance_edits.values():
                edit.clear()
            self.balance_formula.setText("")
            return
        if not self.balance_form.bindings:
            for key, edit in self.balance_edits.items():
                self.balance_form.bind(edit, ("funds", "balance", key))
        closing = self.doc.totals.funds.balance_closing
        if closing is None:  # an amount it needs is not given: no invented 0.00
            self.balance_formula.setText(BALANCE_NOT_GIVEN)
        else:
            self.balance_formula.setText(f"{fmt2(closing)} {self.doc.report.funds.unit}")

    def refresh(self, changes: ChangeSet) -> None:
        paths = changes.value_paths
        self.form.refresh(paths)
        self._sync_unit()
        self._sync_balance()
        self.balance_form.refresh(paths)
        self.sources_model.refresh()
        self.expenditures_model.refresh()
        self.management_model.refresh()

    def refresh_structure(self, changes: ChangeSet) -> None:
        """Hidden: only what the item models must know at once (their rows)."""
        if changes.reshaped("funds"):
            self.sources_model.refresh()
            self.expenditures_model.refresh()
            self.management_model.refresh()
