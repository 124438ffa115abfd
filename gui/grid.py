"""Spreadsheet habits for the grids: Enter moves down, Tab right, typing replaces, F2 edits,
Delete clears, Ctrl+C / Ctrl+V copy and paste tab-separated blocks (Excel, WPS)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QTreeView,
)

from core.presenters.tables import parse_clipboard, to_clipboard
from gui.bindings import TYPING_PAUSE_MS, typing_hub, watch_typing
from gui.models import COPY_ROLE, MUTED, PLACEHOLDER_ROLE

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


def focus_cell(view, index: QModelIndex) -> None:
    """Make ``index`` (or the first editable cell of its row) current and selected, with the
    keyboard in the grid: typing then fills it and Ctrl+V pastes there."""
    if not index.isValid():
        return
    model = index.model()
    for col in range(index.column(), model.columnCount(index.parent())):
        cell = index.siblingAtColumn(col)
        if cell.flags() & Qt.ItemFlag.ItemIsEditable:
            index = cell
            break
    view.setFocus(Qt.FocusReason.OtherFocusReason)
    view.selectionModel().setCurrentIndex(index, view.selectionModel().SelectionFlag.ClearAndSelect)
    view.scrollTo(index)


def insert_key_action(view, slot) -> QAction:
    """The Insert key in a grid: a new row above the selected one (添加 appends at the end)."""
    action = QAction("插入", view)
    action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    view.addAction(action)
    return action


class CellDelegate(QStyledItemDelegate):
    """Line edits for text and figures, drop-downs for choices; Enter commits and moves down."""

    def __init__(self, view, column_of):
        super().__init__(view)
        self.view = view
        self.column_of = column_of  # view index → core Column
        self._saving = None  # the editor whose own text is being saved at a pause

    def initStyleOption(self, option, index):  # Qt override: an empty cell's 待填写 hint, in grey
        super().initStyleOption(option, index)
        if not option.text:
            hint = index.data(PLACEHOLDER_ROLE)
            if hint:
                option.text = hint
                option.palette.setBrush(QPalette.ColorRole.Text, MUTED)

    def createEditor(self, parent, option, index):
        column = self.column_of(index)
        if column.choices:
            box = QComboBox(parent)
            for code, label in column.choices.items():
                box.addItem(label or "（无）", code)
            return box
        if column.suggestions:
            box = QComboBox(parent)
            box.setEditable(True)
            box.addItems(list(column.suggestions))
            return box
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if column.numeric:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._save_on_pause(editor, index)
        return editor

    def _save_on_pause(self, editor: QLineEdit, index) -> None:
        """Typing in an open cell reaches the document (and so the disk) after a pause, as in every
        other field; the editor stays open and its text is left as typed (gui/bindings.py)."""
        timer = QTimer(editor, singleShot=True, interval=TYPING_PAUSE_MS)
        persistent = QPersistentModelIndex(index)
        model = index.model()

        def pause() -> None:
            if persistent.isValid():
                self._saving = editor
                try:
                    model.set_text_quietly(
                        model.index(persistent.row(), persistent.column(), persistent.parent()), editor.text()
                    )
                finally:
                    self._saving = None

        timer.timeout.connect(pause)
        timer.timeout.connect(typing_hub().changed)
        editor.textEdited.connect(timer.start)
        editor.textEdited.connect(typing_hub().changed)
        watch_typing(timer)

    def setEditorData(self, editor, index):
        if editor is self._saving:
            # The document took the text being typed and redraws the grid: the editor keeps it, its
            # cursor and any pinyin being composed (setText would select all, so the next key
            # replaced what was typed, and reset the input method, dropping the composition).
            return
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                editor.setCurrentText(value)
            else:
                editor.setCurrentIndex(max(0, editor.findData(value)))
        else:
            editor.setText(value)
            editor.selectAll()

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            text = editor.currentText() if editor.isEditable() else editor.currentData()
        else:
            text = editor.text()
        if text != (index.data(Qt.ItemDataRole.EditRole) or ""):
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    MOVES = {Qt.Key.Key_Return: (1, 0), Qt.Key.Key_Enter: (1, 0), Qt.Key.Key_Tab: (0, 1), Qt.Key.Key_Backtab: (0, -1)}

    def eventFilter(self, editor, event):
        # Like a spreadsheet: Enter commits and moves down, Tab right (to the next cell, editable or not).
        if event.type() == QEvent.Type.KeyPress and event.key() in self.MOVES:
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.view.move_current(*self.MOVES[event.key()])
            return True
        return super().eventFilter(editor, event)


class GridMixin:
    """Keyboard and clipboard behaviour shared by the table and the tree grids.
    The concrete views declare ``message = Signal(str)`` (refused pasted values, for the status bar)."""

    frozen = None  # the overlay showing the first column, once freeze_first_column() made it

    def freeze_first_column(self) -> None:
        """Keep the first (name) column in view when the grid scrolls sideways (gui/frozen.py)."""
        from gui.frozen import make_frozen

        self.frozen = make_frozen(self, CellDelegate(self, self.column_of))
        self.horizontalHeader_().sectionResized.connect(self._frozen_width)
        self.model().modelReset.connect(self._frozen_columns)
        self.model().layoutChanged.connect(self._frozen_columns)
        self._frozen_columns()
        if isinstance(self, QTreeView):  # the rows the grid has open, open in the copy too
            stack = [QModelIndex()]
            while stack:
                parent = stack.pop()
                for row in range(self.model().rowCount(parent)):
                    index = self.model().index(row, 0, parent)
                    self.frozen.setExpanded(index, self.isExpanded(index))
                    stack.append(index)

    def horizontalHeader_(self):
        return self.header() if isinstance(self, QTreeView) else self.horizontalHeader()

    def _frozen_columns(self) -> None:
        frozen = self.frozen
        for col in range(self.model().columnCount()):
            frozen.setColumnHidden(col, col != 0)
        self._frozen_width()
        frozen.doItemsLayout()  # a tree copy made before its first show keeps rows of height -1

    def _frozen_width(self, *_args) -> None:
        if self.frozen is not None:
            self.frozen.setColumnWidth(0, self.columnWidth(0))
            self._place_frozen()

    def _place_frozen(self) -> None:
        frame = self.frameWidth()
        header = self.horizontalHeader_()
        left = frame + (0 if isinstance(self, QTreeView) else self.verticalHeader().width())
        top_height = 0 if header.isHidden() else header.height()
        self.frozen.setGeometry(left, frame, self.columnWidth(0), self.viewport().height() + top_height)

    def updateGeometries(self):  # Qt override: headers and viewport moved
        super().updateGeometries()
        if self.frozen is not None:
            self._place_frozen()

    def resizeEvent(self, event):  # Qt override
        super().resizeEvent(event)
        if self.frozen is not None:
            self._place_frozen()

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible):  # Qt override
        if self.frozen is None or not index.isValid():
            super().scrollTo(index, hint)
            return
        bar = self.horizontalScrollBar()
        sideways = bar.value()
        super().scrollTo(index, hint)
        if index.column() == 0:
            bar.setValue(sideways)  # the frozen copy shows it, wherever the grid is scrolled
            return
        left, covered = self.visualRect(index).left(), self.columnWidth(0)
        if left < covered:  # not under the frozen column
            bar.setValue(bar.value() + left - covered)

    def edit(self, index, trigger=QAbstractItemView.EditTrigger.AllEditTriggers, event=None):  # Qt override
        # The name column is edited in the frozen copy, which lies on top of the grid's own.
        if self.frozen is not None and index.isValid() and index.column() == 0:
            return self.frozen.edit(index, trigger, event)
        return super().edit(index, trigger, event)

    def setup_grid(self) -> None:
        self.setEditTriggers(EDIT_TRIGGERS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)

    def move_current(self, drow: int, dcol: int) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        target = self.neighbour(index, drow, dcol)
        if target.isValid():
            self.setCurrentIndex(target)

    def neighbour(self, index: QModelIndex, drow: int, dcol: int) -> QModelIndex:
        if drow:
            action = QAbstractItemView.CursorAction.MoveDown if drow > 0 else QAbstractItemView.CursorAction.MoveUp
            return self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        return index.siblingAtColumn(index.column() + dcol)

    def keyPressEvent(self, event):
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_current(1, 0)
                return
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.move_current(0, 1 if event.key() == Qt.Key.Key_Tab else -1)
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            ):
                self.clear_selection_cells()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_clipboard()
                return
        super().keyPressEvent(event)

    # selection as a rectangle of cells
    def selected_block(self) -> list[list[QModelIndex]]:
        indexes = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        rows: dict[tuple, dict[int, QModelIndex]] = {}
        order: list[tuple] = []
        for ix in indexes:
            key = self.row_key(ix)
            if key not in rows:
                rows[key] = {}
                order.append(key)
            rows[key][ix.column()] = ix
        order.sort(key=self.row_sort_key)
        return [[rows[k][c] for c in sorted(rows[k])] for k in order]

    def row_key(self, index: QModelIndex):
        return (index.row(),)

    def row_sort_key(self, key):
        return key

    def copy_selection(self) -> None:
        block = self.selected_block()
        if block:
            text = to_clipboard([[ix.data(COPY_ROLE) or "" for ix in row] for row in block])
            QGuiApplication.clipboard().setText(text)

    def paste_clipboard(self) -> None:
        grid = parse_clipboard(QGuiApplication.clipboard().text())
        if grid:
            self.paste_grid(grid)

    def paste_grid(self, grid: list[list[str]]) -> None:  # pragma: no cover - per view
        raise NotImplementedError

    def clear_selection_cells(self) -> None:
        block = self.selected_block()
        editable = [ix for row in block for ix in row if ix.flags() & Qt.ItemFlag.ItemIsEditable]
        if not editable:
            return
        model = self.model()
        doc = model.table.doc
        with doc.batch(f"清除 {len(editable)} 个单元格"):
            for ix in editable:
                model.setData(ix, "", Qt.ItemDataRole.EditRole)

    def select_pasted(self, firsts: list[QModelIndex], width: int) -> None:
        """Select what was pasted, as Excel does, with the first cell current."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        firsts = [ix for ix in firsts if ix.isValid()]
        if not firsts:
            return
        selection = QItemSelection()
        last_col = min(firsts[0].column() + width, self.model().columnCount(firsts[0].parent())) - 1
        for first in firsts:
            selection.select(first, first.siblingAtColumn(max(first.column(), last_col)))
        flags = QItemSelectionModel.SelectionFlag
        self.selectionModel().setCurrentIndex(firsts[0], flags.NoUpdate)
        self.selectionModel().select(selection, flags.ClearAndSelect)

    def report_errors(self, errors: list[str]) -> None:
        if errors:
            shown = "；".join(errors[:3]) + (f" 等 {len(errors)} 处" if len(errors) > 3 else "")
            self.message.emit(f"以下内容未粘贴：{shown}")


class GridTable(GridMixin, QTableView):
    message = Signal(str)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setup_grid()
        self.column_of = lambda ix: model.table.columns[ix.column()]
        self.setItemDelegate(CellDelegate(self, self.column_of))
        self.verticalHeader().setDefaultSectionSize(26)
        metrics = self.fontMetrics().horizontalAdvance("中")
        for i, c in enumerate(model.table.columns):
            self.setColumnWidth(i, max(60, c.width * metrics + 16))
        self.horizontalHeader().setStretchLastSection(True)

    def paste_grid(self, grid: list[list[str]]) -> None:
        index = self.currentIndex()
        row, col = (index.row(), index.column()) if index.isValid() else (0, 0)
        errors = self.model().table.paste(row, col, grid)
        model = self.model()
        self.select_pasted([model.index(row + i, col) for i in range(len(grid))], len(max(grid, key=len)))
        self.report_errors(errors)


class GridTree(GridMixin, QTreeView):
    message = Signal(str)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setup_grid()
        self.column_of = lambda ix: model.table.columns[model.table_column(ix.column())]
        self.setItemDelegate(CellDelegate(self, self.column_of))
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setExpandsOnDoubleClick(False)
        model.redraw.connect(self._redraw)

    def _redraw(self) -> None:
        self.viewport().update()
        if self.frozen is not None:
            self.frozen.viewport().update()

    def expandAll(self):  # the frozen copy's rows must match the grid's
        super().expandAll()
        if self.frozen is not None:
            self.frozen.expandAll()

    def fit_first_column(self, most_chars: int) -> None:
        """Wide enough for the longest name shown, up to ``most_chars`` characters (the tooltip
        has the rest)."""
        most = self.fontMetrics().horizontalAdvance("中") * most_chars
        self.setColumnWidth(0, min(most, max(self.columnWidth(0), self.sizeHintForColumn(0) + 8)))

    def row_key(self, index: QModelIndex):
        return self.model().path(index)

    def row_sort_key(self, key):
        # Visible order of rows: compare the visual rectangles' tops.
        index = self.model().index_of(key)
        return self.visualRect(index).top() if index.isValid() else 0

    def visible_paths_from(self, start: QModelIndex, count: int) -> list[tuple]:
        paths = []
        index = start.siblingAtColumn(0)
        while index.isValid() and len(paths) < count:
            paths.append(self.model().path(index))
            index = self.indexBelow(index)
        return paths

    def paste_grid(self, grid: list[list[str]]) -> None:
        model = self.model()
        index = self.currentIndex()
        rows = self.visible_paths_from(index, len(grid)) if index.isValid() else []
        col = model.table_column(index.column()) if index.isValid() else 0
        errors = model.table.paste(rows, col, grid)
        view_col = max(0, index.column())
        self.select_pasted([model.index_of(p, view_col) for p in rows], len(max(grid, key=len)))
        self.report_errors(errors)
