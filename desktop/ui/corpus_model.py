"""The corpus tree (desktop.core.corpus_tree) as a Qt model. The tree is built on a worker as plain data
and handed over in one step; rows of a group are made the first time the view asks for them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.core.corpus_tree import CorpusTree, TreeNode, build_tree

__all__ = ["CorpusModel", "RELPATH_ROLE"]

RELPATH_ROLE = Qt.ItemDataRole.UserRole + 1
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # once: asked for every row laid out
_Index = QModelIndex | QPersistentModelIndex


class CorpusModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tree: CorpusTree = build_tree(())
        self._pending_font = QFont()
        self._pending_font.setItalic(True)

    def set_tree(self, tree: CorpusTree) -> None:
        """Show another tree (a newer listing, a filter): one reset, whatever its size."""
        self.beginResetModel()
        old, self.tree = self.tree, tree  # the old rows stay alive until the views have let go of them
        self.endResetModel()
        del old

    def index_of(self, node: TreeNode | None) -> QModelIndex:
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def find(self, relpath: str) -> QModelIndex:
        """The article's row under Folders."""
        return self.index_of(self.tree.locate(relpath))

    def find_path(self, path: tuple[str, ...]) -> QModelIndex:
        return self.index_of(self.tree.find(path))

    def first_article(self) -> str | None:
        return self.tree.first_article()

    def node(self, index: _Index) -> TreeNode:
        node: TreeNode = index.internalPointer() if index.isValid() else self.tree.root
        return node

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        children = self.node(parent).children
        if column != 0 or not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        return self.index_of(self.node(index).parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self.node(parent).children)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:
        # Asked for every visible row: answered without making the rows of a group nobody opened.
        return parent.column() <= 0 and self.node(parent).has_children

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node = self.node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.detail or None
        if role == RELPATH_ROLE:
            return node.relpath
        if role == Qt.ItemDataRole.FontRole and node.pending:
            return self._pending_font  # the title is still the file name
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS
