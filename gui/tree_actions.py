"""The structure buttons of a tree tab (添加, 插入, 添加下级, 删除, 上移, 下移, 升级, 降级), shared by
the 绩效指标 and 报告正文 tabs. The tab provides ``doc``, ``table`` (a core TreeTable), ``model`` and
``view``.

添加 appends at the end of the selected row's level and 添加下级 at the end of its children, as a
clerk used to Excel expects; 插入 (or the Insert key) puts the new row above the selected one. After
each the keyboard is in the new row's first editable cell."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from gui.grid import focus_cell, insert_key_action


class TreeActions:
    def current_path(self):
        return self.model.path(self.view.currentIndex())

    def select(self, path, table_col: int = 0) -> None:
        index = self.model.index_of(path, self.model.view_column(table_col))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def _current_column(self) -> int:
        index = self.view.currentIndex()
        return self.model.table_column(index.column()) if index.isValid() else 0

    def _focus_new(self, path) -> None:
        focus_cell(self.view, self.model.index_of(path, 0))

    def add_sibling(self):
        path = self.current_path()
        if path is not None:
            path = path[:-1] + (len(self.table.nodes(self.table.parent_of(path))) - 1,)  # the level's last
        self._focus_new(self.table.add_sibling(path))

    def insert_above(self):
        path = self.current_path()
        if path is None:
            self.add_sibling()
            return
        self.doc.insert(path[:-1], path[-1], self.table.factory(), f"插入{self.table.noun}")
        self._focus_new(path)

    def add_child(self):
        path = self.current_path()
        if path is not None:
            self._focus_new(self.table.add_child(path))

    def delete(self):
        path = self.current_path()
        if path is not None:
            self.table.delete(path)

    def move_up(self):
        self._move(-1)

    def move_down(self):
        self._move(1)

    def _move(self, delta: int):
        path = self.current_path()
        if path is not None:
            self.select(self.table.move(path, delta), self._current_column())

    def indent(self):
        path = self.current_path()
        if path is not None:
            self.select(self.table.indent(path))

    def outdent(self):
        path = self.current_path()
        if path is not None:
            self.select(self.table.outdent(path))

    def structure_buttons(self, prefix: str, first: str = "添加") -> QHBoxLayout:
        bar = QHBoxLayout()
        insert_key_action(self.view, self.insert_above)
        for text, slot in (
            (first, self.add_sibling),
            ("插入", self.insert_above),
            ("添加下级", self.add_child),
            ("删除", self.delete),
            ("上移", self.move_up),
            ("下移", self.move_down),
            ("升级", self.outdent),
            ("降级", self.indent),
        ):
            button = QPushButton(text)
            button.setObjectName(f"{prefix}-{text}")
            button.clicked.connect(slot)
            bar.addWidget(button)
        return bar
