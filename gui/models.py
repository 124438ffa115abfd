"""Qt item models that only adapt the core's table objects (core/presenters/)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from core.document import InputError
from core.model.model import row_path
from core.presenters.pending import PENDING_LABEL
from core.presenters.tables import FlatTable
from core.presenters.tree_tables import TreeTable
from core.rules.checks import ERROR, SEVERITY_LABELS

ERROR_BG = QBrush(QColor("#f8d3d0"))
WARNING_BG = QBrush(QColor("#fdeebf"))
TOTAL_BG = QBrush(QColor("#eef1f5"))
MUTED = QBrush(QColor("#808080"))
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
#: The grey hint an empty cell shows (待填写), drawn by the grid's delegate, never copied.
PLACEHOLDER_ROLE = Qt.ItemDataRole.UserRole + 7
_BOLD = QFont()
_BOLD.setBold(True)
#: A cell's text as copied to the clipboard (the table's ``copy_text``: 指标值 as printed, ``≥95%``).
COPY_ROLE = Qt.ItemDataRole.UserRole + 8


def cell_data(table, key, col: int, role):
    """What a grid cell shows for ``role``, all of it asked of the core table (``key`` is a row
    number or a tree path)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return table.text(key, col)
    if role == Qt.ItemDataRole.EditRole:
        return table.edit_text(key, col)
    if role == COPY_ROLE:
        return table.copy_text(key, col)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return RIGHT if table.columns[col].numeric else LEFT
    if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
        findings = table.findings(key, col)
        if findings:
            if role == Qt.ItemDataRole.BackgroundRole:
                return ERROR_BG if any(f.severity == ERROR for f in findings) else WARNING_BG
            return "\n".join(f"{SEVERITY_LABELS[f.severity]} {f.code}：{f.message}" for f in findings)
        if role == Qt.ItemDataRole.ToolTipRole:
            pending = table.pending(key, col)  # a part nobody has started: 待填写, not an error
            if pending:
                return "\n".join(f"{PENDING_LABEL} {f.code}：{f.message}" for f in pending)
            column = table.columns[col]
            if not column.numeric and not column.choices:  # a long name cut by its column: in full
                return table.text(key, col) or table.hint(key, col) or None
            return table.hint(key, col) or None
        return TOTAL_BG if table.emphasis(key, col) == "total" else None
    if role == PLACEHOLDER_ROLE:
        return table.placeholder(key, col) or None
    if role == Qt.ItemDataRole.ForegroundRole:
        return MUTED if table.emphasis(key, col) == "muted" else None
    if role == Qt.ItemDataRole.FontRole:
        return _BOLD if table.emphasis(key, col) in ("total", "bold") else None
    return None


class FlatTableModel(QAbstractTableModel):
    """A grid over a :class:`core.presenters.tables.FlatTable`."""

    refused = Signal(str)  # a typed value was refused: the Chinese reason

    def __init__(self, table: FlatTable, parent=None):
        super().__init__(parent)
        self.table = table
        self._rows = table.row_count()

    def rowCount(self, parent=QModelIndex()):  # Qt API
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.table.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section].header if 0 <= section < len(self.table.columns) else None
        return "" if self.table.is_total(section) else str(section + 1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return cell_data(self.table, index.row(), index.column(), role)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.table.editable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            self.table.set_text(index.row(), index.column(), "" if value is None else str(value))
        except InputError as exc:
            self.refused.emit(str(exc))
            return False
        return True

    def set_text_quietly(self, index, text: str) -> bool:
        """What is being typed in a cell, given at a pause (the editor stays open): saved when it
        reads, and not a word said when it does not yet (leaving the cell says why)."""
        if not index.isValid() or text == (self.data(index, Qt.ItemDataRole.EditRole) or ""):
            return False
        try:
            return bool(self.table.set_text(index.row(), index.column(), text))
        except InputError:
            return False

    def refresh(self) -> None:
        """The document changed: redraw, or re-read the rows when their number changed."""
        rows = self.table.row_count()
        if rows != self._rows:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        elif rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, len(self.table.columns) - 1))


class TreeTableModel(QAbstractItemModel):
    """A tree grid over a :class:`core.presenters.tree_tables.TreeTable`. Indexes carry the node's uid."""

    refused = Signal(str)
    #: Every cell may show something new: the views redraw what they show (GridTree connects it).
    redraw = Signal()

    def __init__(self, table: TreeTable, parent=None):
        super().__init__(parent)
        self.table = table
        self._cols: list[int] = []
        self._path: dict[int, tuple] = {}
        self._parent: dict[int, int] = {}
        self._rebuild()

    # the uid ↔ path map, rebuilt when the tree's shape changes
    def _rebuild(self) -> None:
        self._cols = self.table.visible_columns()
        self._path.clear()
        self._parent.clear()
        stack = [(None, 0)]
        while stack:
            parent_path, parent_uid = stack.pop()
            for i, node in enumerate(self.table.nodes(parent_path)):
                path = self.table.child_path(parent_path, i)
                self._path[node.uid] = path
                self._parent[node.uid] = parent_uid
                if node.children:
                    stack.append((path, node.uid))

    def path(self, index: QModelIndex) -> tuple | None:
        return self._path.get(index.internalId()) if index.isValid() else None

    def index_of(self, path: tuple, column: int = 0) -> QModelIndex:
        try:
            node = self.table.node(path)
        except (IndexError, AttributeError):
            return QModelIndex()
        return self.createIndex(path[-1], column, node.uid) if node.uid in self._path else QModelIndex()

    def table_column(self, column: int) -> int:
        return self._cols[column]

    def view_column(self, table_col: int) -> int:
        return self._cols.index(table_col) if table_col in self._cols else 0

    def index(self, row, column, parent=QModelIndex()):
        if column < 0 or column >= len(self._cols) or row < 0:
            return QModelIndex()
        parent_path = self.path(parent) if parent.isValid() else None
        if parent.isValid() and (parent_path is None or parent.column() != 0):
            return QModelIndex()
        nodes = self.table.nodes(parent_path)
        if row >= len(nodes):
            return QModelIndex()
        return self.createIndex(row, column, nodes[row].uid)

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        parent_uid = self._parent.get(index.internalId(), 0)
        if not parent_uid:
            return QModelIndex()
        path = self._path[parent_uid]
        return self.createIndex(path[-1], 0, parent_uid)

    def rowCount(self, parent=QModelIndex()):  # Qt API
        if not parent.isValid():
            return len(self.table.nodes(None))
        if parent.column() != 0:
            return 0
        path = self.path(parent)
        return len(self.table.node(path).children) if path is not None else 0

    def columnCount(self, parent=QModelIndex()):
        return len(self._cols)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._cols)
        ):
            return self.table.columns[self._cols[section]].header
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        path = self.path(index)
        if path is None:
            return None
        return cell_data(self.table, path, self._cols[index.column()], role)

    def flags(self, index):
        path = self.path(index)
        if path is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.table.editable(path, self._cols[index.column()]):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        path = self.path(index)
        if path is None or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            self.table.set_text(path, self._cols[index.column()], "" if value is None else str(value))
        except InputError as exc:
            self.refused.emit(str(exc))
            return False
        return True

    def set_text_quietly(self, index, text: str) -> bool:
        """As :meth:`FlatTableModel.set_text_quietly`, for a tree grid."""
        path = self.path(index)
        if path is None or text == (self.data(index, Qt.ItemDataRole.EditRole) or ""):
            return False
        try:
            return bool(self.table.set_text(path, self._cols[index.column()], text))
        except InputError:
            return False

    def refresh(self, structural: bool, paths: set[tuple] | None = None) -> None:
        """Redraw after a change; ``paths``: the fields whose value changed (None: any)."""
        if structural or self._cols != self.table.visible_columns():
            self.beginResetModel()
            self._rebuild()
            self.endResetModel()
            return
        last = len(self._cols) - 1
        rows = _rows_above(self.table.root, paths)
        if rows is None:
            # Anything may have changed (the funds' 执行率 changes suggested scores everywhere):
            # each top-level row is signalled, and the views redraw all they show (a signal over a
            # row redraws that row only). Not one signal over all the top-level rows: for a range
            # QTreeView asks every row shown between its ends (all the expanded leaves) whether it
            # has children, in each of its two views (the grid and its frozen column).
            for row in range(len(self.table.nodes(None))):
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            self.redraw.emit()
            return
        # The rows of the changed fields and the rows above them, whose subtotals include them:
        # one row each (a signal over one row costs no more than its row).
        for path in sorted(rows):
            index = self.index_of(path)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(last))


def _rows_above(root: tuple, paths: set[tuple] | None) -> set[tuple] | None:
    """The paths of the rows of the tree at ``root`` that hold the changed ``paths`` and of every
    row above them; None when some change is not a field of a row of that tree."""
    if paths is None:
        return None
    depth = len(root)
    rows = set()
    for path in paths:
        row = row_path(path)
        if row[:depth] != root or len(row) <= depth:
            return None
        while len(row) > depth:
            rows.add(row)
            row = row[:-2]  # its parent: (…, i, "children", j) → (…, i)
    return rows
