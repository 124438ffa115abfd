"""A new report opens without a wall of red (issue 18, item 7): the template's empty required
fields show 待填写 in grey and are listed in a collapsed 待填写 group, until the part is edited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from core.model.templates import new_report
from core.rules.checks import ERROR
from core.store.settings import Settings
from core.store.storage import write_new_document
from gui.models import PLACEHOLDER_ROLE
from tests.conftest import load_seed

REQUIRED = (("project", "name"), ("project", "year"), ("project", "department"))


@pytest.fixture
def fresh(qtbot, user_dirs):
    from gui.main_window import MainWindow

    w = MainWindow(Settings())
    assert w._create(user_dirs / "新报告.jxzp", new_report("mof-self"))
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    w.deleteLater()


def top_items(w):
    return [w.dock.list.topLevelItem(i) for i in range(w.dock.list.topLevelItemCount())]


def pending_group(w):
    groups = [item for item in top_items(w) if item.text(0).startswith("待填写（")]
    return groups[0] if groups else None


def coloured_cells(model):
    out, stack = [], [QModelIndex()]
    while stack:
        parent = stack.pop()
        for r in range(model.rowCount(parent)):
            for c in range(model.columnCount(parent)):
                index = model.index(r, c, parent)
                if index.data(Qt.ItemDataRole.BackgroundRole) in (_bg("ERROR_BG"), _bg("WARNING_BG")):
                    out.append(index)
            stack.append(model.index(r, 0, parent))
    return out


def _bg(name):
    import gui.models

    return getattr(gui.models, name)


def test_a_new_report_shows_hints_not_errors(fresh):
    w = fresh
    assert w.doc.findings  # the checks still run
    assert top_items(w) == [pending_group(w)]  # no error or warning listed
    group = pending_group(w)
    assert group.text(0) == f"待填写（{len(w.doc.findings)}）" and not group.isExpanded()
    assert {group.child(i).text(1) for i in range(group.childCount())} >= {"P01", "I07", "I03"}
    assert w.dock.counts() == (0, 0) and "错误 0" in w.dock.windowTitle()
    for path in REQUIRED:
        field = w.project_tab.form.widget_for(path)
        assert field.styleSheet() == "" and field.placeholderText() == "待填写"
    assert coloured_cells(w.indicator_tab.model) == []
    # 预算执行率 is not scored yet (the empty 二级 rows of the form ask for nothing: empty_rows.py)
    leaf = w.indicator_tab.model.index_of(("indicators", 0), 0)
    score = next(
        i
        for i in range(w.indicator_tab.model.columnCount())
        if w.indicator_tab.model.headerData(i, Qt.Orientation.Horizontal) == "得分"
    )
    cell = leaf.siblingAtColumn(score)
    assert cell.data(Qt.ItemDataRole.DisplayRole) == ""  # nothing to copy
    assert cell.data(PLACEHOLDER_ROLE) == "待填写"
    w.dock._activated(group)  # the group itself jumps nowhere


def test_typing_a_project_name_shows_the_rest_of_the_project_as_today(fresh, qtbot):
    from tests.test_window import key_text

    w = fresh
    name = w.project_tab.form.widget_for(("project", "name"))
    name.setFocus()
    key_text(name, "城乡居民医保补助")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert w.doc.report.project.name == "城乡居民医保补助"
    year = w.project_tab.form.widget_for(("project", "year"))
    assert year.styleSheet() != "" and year.placeholderText() != "待填写"
    assert "P01" in year.toolTip()
    listed = [item.text(1) for item in top_items(w) if item is not pending_group(w)]
    assert listed.count("P01") == 4
    group = pending_group(w)  # the untouched 绩效指标 is still 待填写
    assert group is not None and all(group.child(i).text(1) != "P01" for i in range(group.childCount()))
    assert coloured_cells(w.indicator_tab.model) == []
    w.doc.set_text(("indicators", 1, "children", 0, "weight"), "20")
    w.tabs.setCurrentWidget(w.indicator_tab)
    assert coloured_cells(w.indicator_tab.model)
    assert pending_group(w) is None
    assert any(item.text(0) == "错误" for item in top_items(w))


@pytest.mark.parametrize("name", ["000", "001", "002"])
def test_the_seed_documents_show_everything_as_today(qtbot, user_dirs, name):
    from gui.main_window import MainWindow

    path = user_dirs / f"seed{name}.jxzp"
    write_new_document(path, load_seed(name))
    w = MainWindow(Settings())
    qtbot.addWidget(w)
    assert w.open_path(path)
    assert pending_group(w) is None
    findings = w.doc.findings
    assert len(top_items(w)) == len(findings)
    errors = sum(1 for f in findings if f.severity == ERROR)
    assert w.dock.counts() == (errors, len(findings) - errors)
    w.close()
