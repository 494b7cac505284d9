"""The article's table of contents: its headings as a tree (h1 above h2…). Choosing one jumps there;
as the reader scrolls, the heading of the section on screen becomes the current row."""

from __future__ import annotations

import math
from bisect import bisect_right

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

__all__ = ["ContentsPane", "POSITION_ROLE", "headings"]

POSITION_ROLE = Qt.ItemDataRole.UserRole + 1  # the heading's position in the laid out document
_MAX_TITLE = 80


def headings(document: QTextDocument) -> list[tuple[int, int, str]]:
    """(level 1–6, document position, text) of each heading block, in order."""
    found = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level and (text := " ".join(block.text().split())):
            found.append((level, block.position(), text[:_MAX_TITLE]))
        block = block.next()
    return found


class ContentsPane(QTreeView):
    heading_chosen = Signal(int)  # the user chose a heading: its document position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contents = QStandardItemModel(self)
        self.setModel(self.contents)
        self.setHeaderHidden(True)
        self.setObjectName("contentsPane")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setToolTip("The article's headings: choose one to go there")
        self._document: QTextDocument | None = None
        self._positions: list[int] = []
        self._items: list[QStandardItem] = []
        self.activated.connect(self._chosen)
        self.clicked.connect(self._chosen)

    def show_document(self, document: QTextDocument) -> None:
        """List `document`'s headings (after a new article or a new layout of it)."""
        self._document = document
        self.contents.clear()
        self._positions, self._items = [], []
        parents: list[tuple[int, QStandardItem]] = []  # the open headings, shallowest first
        for level, position, text in headings(document):
            item = QStandardItem(text)
            item.setData(position, POSITION_ROLE)
            item.setToolTip(text)
            while parents and parents[-1][0] >= level:
                parents.pop()
            (parents[-1][1] if parents else self.contents.invisibleRootItem()).appendRow(item)
            parents.append((level, item))
            self._positions.append(position)
            self._items.append(item)
        self.expandAll()

    def follow(self, scroll_top: int) -> None:
        """Make the heading of the section at the top of the reader (scrolled to `scroll_top`) current."""
        if self._document is None or not self._items:
            return
        layout = self._document.documentLayout()
        tops = []
        for position in self._positions:
            rect = layout.blockBoundingRect(self._document.findBlock(position))
            # Qt lays a long article out a piece at a time, in order: a heading not laid out yet is
            # further down than any that is (its empty rectangle says top 0).
            tops.append(rect.top() if rect.height() > 0 else math.inf)
        shown = bisect_right(tops, scroll_top + 4) - 1  # a heading just scrolled to counts as reached
        index = self._items[max(shown, 0)].index()
        if index != self.currentIndex():
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.scrollTo(index)

    def _chosen(self, index: QModelIndex) -> None:
        position = index.data(POSITION_ROLE)
        if position is not None:
            self.heading_chosen.emit(int(position))
