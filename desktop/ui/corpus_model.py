"""The corpus as a tree: by folder, tag, category and date, plus the files that could not be read."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.core.model import CorpusEntry, CorpusScan

__all__ = ["CorpusModel", "RELPATH_ROLE"]

RELPATH_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


class _Node:
    __slots__ = ("label", "parent", "children", "relpath", "tooltip", "row")

    def __init__(self, label: str, parent: _Node | None = None, relpath: str | None = None,
                 tooltip: str = "") -> None:
        self.label = label
        self.parent = parent
        self.children: list[_Node] = []
        self.relpath = relpath
        self.tooltip = tooltip
        self.row = 0
        if parent is not None:
            self.row = len(parent.children)
            parent.children.append(self)

    def child(self, label: str) -> _Node:
        for child in self.children:
            if child.label == label and child.relpath is None:
                return child
        return _Node(label, self)

    def add_article(self, entry: CorpusEntry) -> None:
        tooltip = entry.relpath + "".join(f"\n⚠ {warning}" for warning in entry.warnings)
        _Node(entry.title, self, entry.relpath, tooltip)


def _counted(group: _Node) -> None:
    """Label groups with how many articles they hold, and sort their children."""
    for child in group.children:
        if child.relpath is None and child.children:
            _counted(child)
    articles = sum(1 for _ in _articles(group))
    if group.children and group.parent is not None and group.parent.parent is not None:
        group.label = f"{group.label} ({articles})"
    for row, child in enumerate(group.children):
        child.row = row


def _articles(node: _Node):  # type: ignore[no-untyped-def]
    for child in node.children:
        if child.relpath is not None:
            yield child
        else:
            yield from _articles(child)


def _sort_folders(folder: _Node) -> None:
    """Sub-folders first, then articles, each by name."""
    folder.children.sort(key=lambda node: (node.relpath is not None, node.label.casefold()))
    for child in folder.children:
        if child.relpath is None:
            _sort_folders(child)


def _build(scan: CorpusScan, missing: tuple[str, ...]) -> _Node:
    root = _Node("")
    folders, tags, categories, dates = (root.child(name) for name in ("Folders", "Tags", "Categories", "Dates"))
    entries = sorted(scan.entries, key=lambda entry: entry.relpath)
    for entry in entries:
        folder = folders
        for part in entry.relpath.split("/")[:-1]:
            folder = folder.child(part)
        folder.add_article(entry)
    for entry in sorted(entries, key=lambda entry: entry.title.casefold()):
        for tag in entry.tags:
            tags.child(tag).add_article(entry)
        for category in entry.categories:
            categories.child(category).add_article(entry)
    for entry in sorted(entries, key=lambda entry: entry.date or dt.date.min, reverse=True):
        if entry.date is None:
            dates.child("Undated").add_article(entry)
        else:
            dates.child(str(entry.date.year)).child(_MONTHS[entry.date.month - 1]).add_article(entry)
    _sort_folders(folders)
    for group in (tags, categories):
        group.children.sort(key=lambda node: node.label.casefold())
    problems = len(scan.skipped) + sum(len(entry.warnings) for entry in entries)
    if problems:
        group = root.child(f"Problems ({problems})")
        for skipped in scan.skipped:  # cannot be opened: listed with the reason
            _Node(f"{skipped.relpath}: {skipped.reason}", group, tooltip=skipped.reason)
        for entry in entries:  # opens, with something to say
            for warning in entry.warnings:
                _Node(f"{entry.relpath}: {warning}", group, entry.relpath, warning)
    if missing:
        gone = root.child(f"Notes of missing files ({len(missing)})")
        for relpath in missing:
            _Node(relpath, gone, relpath, "The file is gone; its notes are kept, and follow it if it comes back.")
    for group in root.children:
        _counted(group)
    return root


class CorpusModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("")

    def set_scan(self, scan: CorpusScan, missing: tuple[str, ...] = ()) -> None:
        """`missing`: annotated articles whose file is gone (listed so their notes stay reachable)."""
        self.beginResetModel()
        self._root = _build(scan, missing)
        self.endResetModel()

    def find(self, relpath: str) -> QModelIndex:
        """The article's place under Folders (its first appearance)."""
        folders = self._root.children[0] if self._root.children else None
        for node in _articles(folders) if folders else ():
            if node.relpath == relpath:
                return self.createIndex(node.row, 0, node)
        return QModelIndex()

    def first_article(self) -> str | None:
        folders = self._root.children[0] if self._root.children else None
        return next((node.relpath for node in _articles(folders)), None) if folders else None

    def _node(self, index: _Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root  # type: ignore[no-any-return]

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.tooltip or None
        if role == RELPATH_ROLE:
            return node.relpath
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
