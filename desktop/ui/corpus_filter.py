"""Narrowing the corpus tree: by a tag (the article's own or the user's) and to annotated articles."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from desktop.ui.corpus_model import RELPATH_ROLE

__all__ = ["CorpusFilterModel", "CorpusFilterBar", "ALL_TAGS"]

ALL_TAGS = "All tags"


class CorpusFilterModel(QSortFilterProxyModel):
    """Shows the articles in `allowed` (all when None) and the groups that still hold one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._allowed: set[str] | None = None

    def set_allowed(self, allowed: set[str] | None) -> None:
        self.beginFilterChange()
        self._allowed = allowed
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._allowed is None:
            return True
        relpath = self.sourceModel().index(row, 0, parent).data(RELPATH_ROLE)
        return relpath is not None and relpath in self._allowed  # groups show through their articles


class CorpusFilterBar(QWidget):
    filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tags = QComboBox()
        self.tags.setToolTip("Show only articles with this tag")
        self.annotated = QCheckBox("Annotated")
        self.annotated.setToolTip("Show only articles with highlights or tags of yours")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tags, 1)
        layout.addWidget(self.annotated)
        self.tags.currentIndexChanged.connect(self.filter_changed)
        self.annotated.toggled.connect(self.filter_changed)
        self.set_tags([])

    def set_tags(self, names: list[str]) -> None:
        current = self.tags.currentText()
        self.tags.blockSignals(True)
        self.tags.clear()
        self.tags.addItems([ALL_TAGS, *names])
        self.tags.setCurrentIndex(max(0, self.tags.findText(current)))
        self.tags.blockSignals(False)

    def chosen_tag(self) -> str | None:
        return None if self.tags.currentIndex() <= 0 else self.tags.currentText()
