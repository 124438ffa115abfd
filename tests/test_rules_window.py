"""The 评分规则 choice on 项目信息 and the rule set in the status bar (issue 17), in the real window."""

from __future__ import annotations


def test_choosing_a_rule_set_rescores_nothing_typed_and_undoes(window):
    w = window
    w.tabs.setCurrentWidget(w.project_tab)
    box = w.project_tab.rules_box
    rules_status = w.findChild(type(box.description), "status.rules")
    assert box.combo.currentText().startswith("全国通用") and "全国通用" in rules_status.text()
    assert "线性" in box.combo.toolTip() or "2 倍" in box.combo.toolTip()
    box.combo.setCurrentIndex(box.combo.findData("capped"))
    box.combo.activated.emit(box.combo.currentIndex())
    assert w.doc.report.rules == "capped"
    assert "执行率低于 80% 的，总分最高 89 分" in box.description.text()
    assert "综合得分 89.00" in rules_status.text() and w._status_labels["grade"].text() == "评价等级 良"
    assert w._status_labels["score"].text() == "总分 96.00"  # the typed scores still add up to 96
    assert w.undo_action.text().startswith("撤销 评分规则改为执行率限分")
    w.undo_action.trigger()
    assert w.doc.report.rules == "national" and box.combo.currentData() == "national"
    assert "全国通用" in rules_status.text() and w._status_labels["grade"].text() == "评价等级 优"


def test_custom_rules_typed_in_the_dialog_are_in_force_and_undo_in_one_step(window):
    """自定义…: every knob set by hand; a wrong entry is refused in the dialog with the knob named
    and nothing changes; the accepted set rescores suggestions only and undoes in one step."""
    from core.rules.rulesets import RuleSet

    w = window
    w.tabs.setCurrentWidget(w.project_tab)
    box = w.project_tab.rules_box
    dialog = box.custom_dialog()
    assert dialog.weight.text() == "10" and dialog.full.text() == "80" and dialog.partial.text() == "60"
    dialog.partial.setText("九十")
    dialog.accept()
    assert dialog.result_rules is None and "定性指标档次" in dialog.error.text()
    assert w.doc.report.rules == "national"
    dialog.full.setText("８０")  # full-width digits read as the number
    dialog.partial.setText("50%")
    dialog.reverse.setCurrentIndex(dialog.reverse.findData("ratio"))
    dialog._add_cap("80", "89")
    dialog._add_cap("", "")  # an empty limit row is left out
    dialog.accept()
    box.apply(dialog)
    rules = w.doc.report.rules
    assert isinstance(rules, RuleSet) and rules.reverse == "ratio"
    assert [str(x) for x in rules.qualitative_bands] == ["80", "50"]
    assert [(str(b), str(t)) for b, t in rules.score_caps] == [("80", "89")]
    assert box.combo.currentText() == "自定义" and "执行率低于 80% 的，总分最高 89 分" in box.description.text()
    assert w._status_labels["score"].text() == "总分 96.00"  # typed scores unchanged
    w.undo_action.trigger()
    assert w.doc.report.rules == "national" and box.combo.currentData() == "national"


def test_a_leaf_marked_not_applicable_in_the_grid_is_left_out_saved_and_undone(window):
    """不适用 (DOMAIN §6): chosen in 自定义… with its explanation, marked from the 绩效指标 grid's
    context menu; the grid shows 不适用 greyed, the total is scaled to 100, the mark is saved at
    once and undone in one step."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from core.store.storage_format import read_document_report

    w = window
    w.tabs.setCurrentWidget(w.project_tab)
    box = w.project_tab.rules_box
    dialog = box.custom_dialog()
    assert dialog.not_applicable.currentData() == "none"
    assert "其余指标得分合计 × 100 ÷ 其余指标分值合计" in dialog.findChild(QLabel, "not_applicable.help").text()
    dialog.not_applicable.setCurrentIndex(dialog.not_applicable.findData("rescale"))
    dialog.accept()
    box.apply(dialog)
    assert w.doc.report.rules.not_applicable == "rescale" and "不适用指标：对本项目不适用" in box.description.text()

    tab = w.indicator_tab
    w.tabs.setCurrentWidget(tab)
    leaf = ("indicators", 2, "children", 1, "children", 1)  # 对完善医疗保险制度的可持续影响: 10, scored 8.5
    tab.select(leaf)
    action = tab.not_applicable
    assert action in tab.view.actions() and tab.view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert action.isEnabled() and not action.isChecked()
    columns = [c.key for c in tab.table.columns]
    score = tab.model.index_of(leaf, tab.model.view_column(columns.index("score")))
    suggested = score.siblingAtColumn(tab.model.view_column(columns.index("suggested")))
    assert score.data() == "8.50"
    action.trigger()
    assert action.isChecked() and w.doc.get(leaf).applicable is False
    assert score.data() == "不适用" and suggested.data() == "不适用"
    assert score.data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert not score.flags() & Qt.ItemFlag.ItemIsEditable
    assert "不评分" in score.data(Qt.ItemDataRole.ToolTipRole)
    assert w._status_labels["score"].text() == "总分 97.22"  # 87.50 × 100 ÷ 90
    assert w.undo_action.text() == "撤销 标为不适用 对完善医疗保险制度的可持续影响"
    w.session.file.flush()
    assert read_document_report(w.session.file.path).indicators[2].children[1].children[1].applicable is False

    w.undo_action.trigger()
    assert w.doc.get(leaf).applicable is True and not action.isChecked()
    assert score.data() == "8.50" and w._status_labels["score"].text() == "总分 96.00"
    w.session.file.flush()
    assert read_document_report(w.session.file.path).indicators[2].children[1].children[1].applicable is True
