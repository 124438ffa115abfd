"""项目信息: every field of DOMAIN §1.1, the header choices of §5, the two goal texts and the 评价小组 table."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.document import ChangeSet, Document
from core.model.model import CHOICE, MONTH, PROJECT_ATTRIBUTES, PROJECT_CATEGORIES, TEXT, Project, field_meta
from core.presenters.tables import TeamTable
from gui.bindings import Form, MonthEdit, choice_box
from gui.grid import GridTable, focus_cell, insert_key_action
from gui.models import FlatTableModel
from gui.rules_box import RulesBox

#: The form, in two columns: (left, right) field names; None leaves a gap.
LAYOUT = [
    ("name", "year"),
    ("code", "project_type"),
    ("department", "implementing_unit"),
    ("supervisor", "leader"),
    ("phone", "leader_phone"),
    ("address", "postcode"),
    ("category", "attribute"),
    ("evaluation_type", "issuing_bureau"),
    ("period_start", "period_end"),
    ("evaluation_method", "evaluation_body"),
    ("evaluation_date", "report_date"),
    ("preparer", "preparer_phone"),
    ("author", "evaluation_lead"),
]
LONG = ("goal_expected", "goal_actual")
REQUIRED = {"name", "year", "department", "implementing_unit", "supervisor"}
#: Header choices stored as the printed box's text (DOMAIN §5): offered, other text allowed.
SUGGESTED = {"category": PROJECT_CATEGORIES, "attribute": PROJECT_ATTRIBUTES}
#: The grey hint and the tooltip of a field whose use is not obvious from its name.
HINTS = {"issuing_bureau": ("如：博湖县财政局（印在附件3式报告封面）", "印在附件3式自评报告封面“××财政局（制）”处")}


class EditableChoice(QLineEdit):
    """An editable combo for a field stored as text: an arrow at the end offers the form's boxes,
    and anything else a form prints can be typed. A choice is committed at once (as Enter would)."""

    def __init__(self, choices: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.menu = QMenu(self)
        for text in choices:
            self.menu.addAction(text, lambda t=text: self.choose(t))
        self.setPlaceholderText("可选择，也可直接填写")
        drop = QAction(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown), "选择", self)
        drop.setToolTip("从表上的选项中选择")
        drop.triggered.connect(lambda: self.menu.popup(self.mapToGlobal(self.rect().bottomLeft())))
        self.addAction(drop, QLineEdit.ActionPosition.TrailingPosition)

    def choose(self, text: str) -> None:
        self.setText(text)
        self.editingFinished.emit()


def _widget(name: str) -> QWidget:
    meta = field_meta(Project, name)
    kind = meta["kind"]
    if kind == CHOICE:
        return choice_box(meta["choices"])
    if name in SUGGESTED:
        return EditableChoice(SUGGESTED[name])
    if kind == MONTH:
        return MonthEdit()
    if kind == TEXT:
        edit = QPlainTextEdit()
        edit.setMinimumHeight(90)
        return edit
    edit = QLineEdit()
    if name in HINTS:
        hint, tip = HINTS[name]
        edit.setPlaceholderText(hint)
        edit.setToolTip(tip)
    return edit


def _label(name: str) -> str:
    label = field_meta(Project, name)["label"]
    return f"{label} *" if name in REQUIRED else label


class ProjectTab(QWidget):
    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.form = Form(doc, self)
        inner = QWidget()
        grid = QGridLayout()
        for row, pair in enumerate(LAYOUT):
            for side, name in enumerate(pair):
                if name is None:
                    continue
                widget = self.form.bind(_widget(name), ("project", name))
                widget.setObjectName(f"project.{name}")
                grid.addWidget(_caption(_label(name)), row, side * 2)
                grid.addWidget(widget, row, side * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        info = QGroupBox("项目基本信息（* 为必填）")
        info.setLayout(grid)
        goals = QGroupBox("年度总体目标")
        goals_form = QFormLayout(goals)
        for name in LONG:
            widget = self.form.bind(_widget(name), ("project", name))
            widget.setObjectName(f"project.{name}")
            goals_form.addRow(field_meta(Project, name)["label"].replace("年度总体目标", ""), widget)
        self.team_model = FlatTableModel(TeamTable(doc), self)
        self.team_view = GridTable(self.team_model)
        self.team_view.setObjectName("team")
        self.team_view.setMinimumHeight(180)
        team = QGroupBox("评价小组（打印时另有空白“签字”栏）")
        team_layout = QVBoxLayout(team)
        team_layout.addLayout(_row_buttons(self.team_view, self.team_model.table))
        team_layout.addWidget(self.team_view)
        layout = QVBoxLayout(inner)
        layout.addWidget(info)
        self.rules_box = RulesBox(doc)  # 评分规则 (issue 17)
        layout.addWidget(self.rules_box)
        layout.addWidget(goals)
        layout.addWidget(team)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def refresh(self, changes: ChangeSet) -> None:
        self.form.refresh(changes.value_paths)
        self.team_model.refresh()
        self.rules_box.refresh(changes)

    def refresh_structure(self, changes: ChangeSet) -> None:
        """Hidden: only what the item model must know at once (its rows)."""
        if changes.reshaped("team"):
            self.team_model.refresh()


def _caption(text: str):
    from PySide6.QtWidgets import QLabel

    return QLabel(text)


def _row_buttons(view: GridTable, table) -> QHBoxLayout:
    """添加 (at the end, as a clerk expects) / 插入 (above the selected row; also the Insert key) /
    删除 / 上移 / 下移 for a flat grid. After an add the keyboard is in the new row's first cell, so
    typing or Ctrl+V fills it."""
    row = QHBoxLayout()

    def current() -> int:
        index = view.currentIndex()
        return index.row() if index.isValid() else -1

    def add():
        focus_cell(view, view.model().index(table.insert_row(len(table.items)), 0))

    def insert():
        r = current()
        at = r if 0 <= r < len(table.items) else len(table.items)
        focus_cell(view, view.model().index(table.insert_row(at), 0))

    def remove():
        rows = sorted({ix.row() for ix in view.selectedIndexes()} or {current()})
        table.remove_rows(rows)

    def move(delta):
        r = current()
        if r >= 0:
            to = table.move_row(r, delta)
            view.setCurrentIndex(view.model().index(to, max(0, view.currentIndex().column())))

    insert_key_action(view, insert)
    for text, slot in (
        ("添加", add),
        ("插入", insert),
        ("删除", remove),
        ("上移", lambda: move(-1)),
        ("下移", lambda: move(1)),
    ):
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setObjectName(f"{table.noun}-{text}")
        row.addWidget(button)
    row.addStretch(1)
    return row
