"""评分规则 on the 项目信息 tab: which rule set the report is scored by (DOMAIN §6), with what each
knob means. Choosing one calls Document.set_rules (one undoable step; no typed score changes)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from core.document import ChangeSet, Document, InputError
from core.rules.rulesets import CUSTOM, CUSTOM_LABEL, PRESETS, explanation_text, name_of, ruleset_of
from gui.rules_dialog import RulesDialog


class RulesBox(QGroupBox):
    def __init__(self, doc: Document, parent=None):
        super().__init__("评分规则", parent)
        self.doc = doc
        self.combo = QComboBox()
        self.combo.setObjectName("rules")
        for name, preset in PRESETS.items():
            self.combo.addItem(preset.label, name)
        self.description = QLabel()
        self.description.setObjectName("rules.description")
        self.description.setWordWrap(True)
        self.custom = QPushButton("自定义…")
        self.custom.setObjectName("rules.custom")
        self.custom.setToolTip("按本地表格的填表说明逐项设置评分规则")
        self.custom.clicked.connect(self.edit_custom)
        row = QHBoxLayout()
        row.addWidget(self.combo, 1)
        row.addWidget(self.custom)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.description)
        self.combo.activated.connect(self._chosen)
        self.load()

    def load(self) -> None:
        rules = self.doc.report.rules
        name = name_of(rules)
        custom = self.combo.findData(CUSTOM)
        if name == CUSTOM and custom < 0:  # a file's own knobs: shown, not offered for choosing
            self.combo.addItem(CUSTOM_LABEL, CUSTOM)
        elif name != CUSTOM and custom >= 0:
            self.combo.removeItem(custom)
        self.combo.setCurrentIndex(self.combo.findData(name))
        text = explanation_text(rules)
        self.combo.setToolTip(text)
        self.description.setText(text)

    def _chosen(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name == CUSTOM:
            return
        try:
            self.doc.set_rules(name)
        except InputError:  # read-only document: show what is in force
            self.load()

    def custom_dialog(self) -> RulesDialog:
        """The 自定义评分规则 dialog, filled with the knobs in force."""
        return RulesDialog(ruleset_of(self.doc.report.rules), self)

    def edit_custom(self) -> None:
        dialog = self.custom_dialog()
        if dialog.exec():
            self.apply(dialog)

    def apply(self, dialog: RulesDialog) -> None:
        """Put an accepted dialog's knobs in force (one undoable step)."""
        if dialog.result_rules is None:
            return
        try:
            self.doc.set_rules(dialog.result_rules)
        except InputError:  # read-only document: show what is in force
            self.load()

    def refresh(self, changes: ChangeSet) -> None:
        paths = changes.value_paths
        if paths is None or ("rules",) in paths:
            self.load()
