"""自定义评分规则: every knob of DOMAIN §6 set by hand, for a form no preset matches.

The dialog only gathers what was typed; reading it (numbers, ranges, bands in order) is the
rule-set reader's job (core/rules/rulesets.py ``from_data``), so a custom set typed here and one
read from a JSON file are checked the same way and refused with the same message.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.model.model import EXECUTION_BASES
from core.rules.rulesets import (
    DEVIATION,
    KNOB_LABELS,
    NOT_APPLICABLE,
    REVERSE,
    RuleSet,
    RuleSetError,
    from_data,
    to_data,
)

#: What 不适用指标 means, in the words of a clerk's 填表说明 (DOMAIN §6, last bullet).
NOT_APPLICABLE_HELP = (
    "有的地方的填表说明允许把对本项目不适用的指标剔除：在“绩效指标”页右键该指标选“不适用”，"
    "它就不评分、不计入总分，总分按其余指标折算为百分制（其余指标得分合计 × 100 ÷ 其余指标分值合计）。"
    "选“不允许剔除”时，标为不适用的指标仍要评分并计入总分，检查结果会提醒。"
)

#: How a knob's fault is named in the dialog (the reader names the JSON key).
_KNOB_OF_KEY = {key: label for key, label in KNOB_LABELS.items()}


def _combo(choices: dict[str, str], current: str, name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for code, label in choices.items():
        combo.addItem(label, code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class RulesDialog(QDialog):
    """Edit a copy of ``rules``; :attr:`result_rules` is the custom set once accepted."""

    def __init__(self, rules: RuleSet, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("自定义评分规则")
        self.result_rules: RuleSet | None = None
        data = to_data(rules)
        self.weight = QLineEdit(data["execution_weight"])
        self.weight.setObjectName("execution_weight")
        self.full = QLineEdit(data["qualitative_bands"][0])
        self.full.setObjectName("band_full")
        self.partial = QLineEdit(data["qualitative_bands"][1])
        self.partial.setObjectName("band_partial")
        bands = QHBoxLayout()
        bands.addWidget(QLabel("达成不低于"))
        bands.addWidget(self.full)
        bands.addWidget(QLabel("%，部分达成不低于"))
        bands.addWidget(self.partial)
        bands.addWidget(QLabel("%（占分值）"))
        self.reverse = _combo(REVERSE, rules.reverse, "reverse")
        self.deviation = _combo(DEVIATION, rules.deviation, "deviation")
        self.base = _combo(EXECUTION_BASES, rules.execution_base, "execution_base")
        self.not_applicable = _combo(NOT_APPLICABLE, rules.not_applicable, "not_applicable")
        self.not_applicable.setToolTip(NOT_APPLICABLE_HELP)
        not_applicable_help = QLabel(NOT_APPLICABLE_HELP)
        not_applicable_help.setObjectName("not_applicable.help")
        not_applicable_help.setWordWrap(True)
        self.caps = QTableWidget(0, 2)
        self.caps.setObjectName("score_caps")
        self.caps.setHorizontalHeaderLabels(["执行率低于（%）", "总分最高"])
        self.caps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for below, top in data["score_caps"]:
            self._add_cap(below, top)
        add, remove = QPushButton("添加一档"), QPushButton("删除所选")
        add.clicked.connect(lambda: self._add_cap("", ""))
        remove.clicked.connect(self._remove_caps)
        cap_buttons = QHBoxLayout()
        cap_buttons.addWidget(add)
        cap_buttons.addWidget(remove)
        cap_buttons.addStretch()

        form = QFormLayout()
        form.addRow(KNOB_LABELS["execution_weight"] + "（分）", self.weight)
        form.addRow(KNOB_LABELS["qualitative_bands"], bands)
        form.addRow(KNOB_LABELS["reverse"], self.reverse)
        form.addRow(KNOB_LABELS["deviation"], self.deviation)
        form.addRow(KNOB_LABELS["execution_base"], self.base)
        form.addRow(KNOB_LABELS["score_caps"], self.caps)
        form.addRow("", cap_buttons)
        form.addRow(KNOB_LABELS["not_applicable"], self.not_applicable)
        form.addRow("", not_applicable_help)
        self.error = QLabel()
        self.error.setObjectName("rules.error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("按本地表格的填表说明设置各项规则；不填的限分档不起作用。"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _add_cap(self, below: str, top: str) -> None:
        row = self.caps.rowCount()
        self.caps.insertRow(row)
        self.caps.setItem(row, 0, QTableWidgetItem(below))
        self.caps.setItem(row, 1, QTableWidgetItem(top))

    def _remove_caps(self) -> None:
        for row in sorted({ix.row() for ix in self.caps.selectedIndexes()}, reverse=True):
            self.caps.removeRow(row)

    def typed(self) -> dict:
        """What the dialog holds, as the JSON ``rules`` object; empty limit rows are left out."""
        caps = []
        for row in range(self.caps.rowCount()):
            cells = [(self.caps.item(row, c).text() if self.caps.item(row, c) else "").strip() for c in (0, 1)]
            if any(cells):
                caps.append(cells)
        return {
            "execution_weight": self.weight.text().strip(),
            "qualitative_bands": [self.full.text().strip(), self.partial.text().strip()],
            "reverse": self.reverse.currentData(),
            "deviation": self.deviation.currentData(),
            "execution_base": self.base.currentData(),
            "score_caps": caps,
            "not_applicable": self.not_applicable.currentData(),
        }

    def accept(self) -> None:
        try:
            rules = from_data(self.typed())
        except RuleSetError as exc:
            knob = _KNOB_OF_KEY.get(exc.key.split("[")[0], "")
            self.error.setText(f"{knob}：{exc.message}" if knob else exc.message)
            return
        assert isinstance(rules, RuleSet)
        self.result_rules = rules
        super().accept()
