"""The article's table of contents: its headings as a tree (h1 above h2…). Choosing one jumps there;
as the reader scrolls, the heading of the section on screen becomes the current row."""

from __future__ import annotations

import math
from bisect import bisect_right

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

__all__ = ["ContentsPane", "POSITION_ROLE"]

POSITION_ROLE = Qt.ItemDataRole.UserRole + 1  # the heading's position in the laid out document
_MAX_TITLE = 80


class _Headings(QAbstractItemModel):
    """The headings as a tree of plain data, each heading's number its index's internal id. (A
    QStandardItemModel of items made in Python took 1.4 s to clear 2,700 headings.)"""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.positions: list[int] = []
        self._titles: list[str] = []
        self._parents: list[int] = []  # each heading's parent heading, -1 at the top
        self._rows: list[int] = []  # each heading's row under its parent
        self._children: dict[int, list[int]] = {-1: []}

    def set_headings(self, found: list[tuple[int, int, str]]) -> None:
        self.beginResetModel()
        self.positions, self._titles, self._parents, self._rows = [], [], [], []
        self._children = {-1: []}
        open_headings: list[tuple[int, int]] = []  # (level, number) of the headings still open, shallowest first
        for number, (level, position, text) in enumerate(found):
            while open_headings and open_headings[-1][0] >= level:
                open_headings.pop()
            parent = open_headings[-1][1] if open_headings else -1
            siblings = self._children.setdefault(parent, [])
            self.positions.append(position)
            self._titles.append(text[:_MAX_TITLE])
            self._parents.append(parent)
            self._rows.append(len(siblings))
            siblings.append(number)
            open_headings.append((level, number))
        self.endResetModel()

    def index_of(self, number: int) -> QModelIndex:
        return self.createIndex(self._rows[number], 0, number)

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        children = self._children.get(parent.internalId() if parent.isValid() else -1, [])
        if column != 0 or not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or (parent := self._parents[index.internalId()]) < 0:
            return QModelIndex()
        return self.index_of(parent)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else -1, []))

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._titles[index.internalId()]
        if role == POSITION_ROLE:
            return self.positions[index.internalId()]
        return None


class ContentsPane(QTreeView):
    heading_chosen = Signal(int)  # the user chose a heading: its document position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contents = _Headings(self)
        self.setModel(self.contents)
        self.setHeaderHidden(True)
        self.setObjectName("contentsPane")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setToolTip("The article's headings: choose one to go there")
        self._document: QTextDocument | None = None
        self.activated.connect(self._chosen)
        self.clicked.connect(self._chosen)

    def show_headings(self, document: QTextDocument, found: list[tuple[int, int, str]]) -> None:
        """List the headings `found` in `document` (level, position, words), after a new article or a new
        layout of it."""
        self._document = document
        self.contents.set_headings(found)
        self.expandAll()

    def follow(self, scroll_top: int) -> None:
        """Make the heading of the section at the top of the reader (scrolled to `scroll_top`) current."""
        positions = self.contents.positions
        if self._document is None or not positions:
            return
        document = self._document
        layout = document.documentLayout()

        def top(number: int) -> float:
            rect = layout.blockBoundingRect(document.findBlock(positions[number]))
            # Qt lays a long article out a piece at a time, in order: a heading not laid out yet is
            # further down than any that is (its empty rectangle says top 0).
            return rect.top() if rect.height() > 0 else math.inf

        # The headings come in order down the page: a dozen rectangles asked of Qt, not thousands per scroll.
        shown = bisect_right(range(len(positions)), scroll_top + 4.0, key=top) - 1  # a heading just reached counts
        index = self.contents.index_of(max(shown, 0))
        if index != self.currentIndex():
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.scrollTo(index)

    def _chosen(self, index: QModelIndex) -> None:
        position = index.data(POSITION_ROLE)
        if position is not None:
            self.heading_chosen.emit(int(position))
