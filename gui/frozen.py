"""A frozen first column for the wide grids, as in Qt's “Frozen Column” example: a second view of
the same model and selection, showing only the name column, laid over the grid's left edge. The
grid scrolls sideways underneath it, so 结余 or 偏差原因 are never read without the row's name.

The copy takes no keyboard focus of its own (the grid keeps it); clicking in it selects the cell in
the grid, and editing the name column, by mouse or by typing in the grid, happens in the copy,
which is the one on top."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView


def make_frozen(view, delegate) -> QAbstractItemView:
    tree = isinstance(view, QTreeView)
    frozen = QTreeView(view) if tree else QTableView(view)
    frozen.setObjectName("frozen")
    frozen.setModel(view.model())
    frozen.setSelectionModel(view.selectionModel())
    frozen.setItemDelegate(delegate)
    frozen.setFocusProxy(view)
    frozen.setEditTriggers(view.editTriggers())
    frozen.setSelectionBehavior(view.selectionBehavior())
    frozen.setSelectionMode(view.selectionMode())
    frozen.setAlternatingRowColors(view.alternatingRowColors())
    frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    frozen.setVerticalScrollMode(view.verticalScrollMode())
    frozen.setFrameShape(QTableView.Shape.NoFrame)
    # A thin line where the grid slides under, as Excel draws at frozen panes.
    frozen.setStyleSheet("QAbstractItemView#frozen { border-right: 1px solid #9aa4b2; }")
    if tree:
        frozen.setUniformRowHeights(view.uniformRowHeights())
        frozen.setRootIsDecorated(view.rootIsDecorated())
        frozen.setIndentation(view.indentation())
        frozen.setExpandsOnDoubleClick(False)
        frozen.setHeaderHidden(view.isHeaderHidden())
        frozen.header().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.expanded.connect(frozen.expand)
        view.collapsed.connect(frozen.collapse)
        frozen.expanded.connect(view.expand)
        frozen.collapsed.connect(view.collapse)
    else:
        frozen.verticalHeader().hide()
        frozen.verticalHeader().setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.viewport().stackUnder(frozen)
    view.verticalScrollBar().valueChanged.connect(frozen.verticalScrollBar().setValue)
    frozen.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    frozen.show()
    return frozen
