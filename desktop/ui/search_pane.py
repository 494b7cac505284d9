"""Search as you type: the results of the toolbar's search field, in place of the corpus tree."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from desktop.library import SearchResult, SearchResults
from desktop.ui.search_results import RESULT_ROLE, RichTextDelegate, SearchResultsModel

__all__ = ["SearchPane"]

_TYPING_PAUSE_MS = 150


class SearchPane(QWidget):
    result_activated = Signal(object)  # a SearchResult the user chose
    searched = Signal(str)  # a one-line summary for the status bar

    def __init__(self, search: Callable[[str], SearchResults], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #52525b; padding: 4px;")
        self.model = SearchResultsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(RichTextDelegate(self.view))
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setWordWrap(True)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self._pending = ""
        self._line = ""  # what the last search found
        self._coverage = ""  # while a first index runs: how much of the corpus search covers
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_TYPING_PAUSE_MS)
        self._timer.timeout.connect(lambda: self.run(self._pending))

    def schedule(self, text: str) -> None:
        """Search once the user pauses typing."""
        self._pending = text
        self._timer.start()

    def run(self, text: str) -> SearchResults:
        self._timer.stop()
        found = self._search(text)
        self.model.set_results(found.results)
        articles = sum(1 for result in found.results if result.kind == "article")
        line = (f"{articles} articles, {len(found.results) - articles} highlights"
                f" ({found.elapsed_ms:.0f} ms)")
        if found.query.problems:
            line += " · not understood: " + ", ".join(found.query.problems)
        self._line = line
        self.summary.setText(line + self._coverage)
        self.searched.emit(line)
        return found

    def set_coverage(self, searchable: int | None, total: int | None) -> None:
        """Say that results are incomplete while the corpus is being indexed (None: it is complete)."""
        self._coverage = "" if searchable is None or total is None or searchable >= total else (
            f" · incomplete: {searchable:,} of {total:,} articles indexed so far")
        if self._line:
            self.summary.setText(self._line + self._coverage)

    def activate_first(self) -> None:
        if self._timer.isActive():  # Enter before the pause: the results must be this query's
            self.run(self._pending)
        if self.model.rowCount():
            self._activated(self.model.index(0))

    def _activated(self, index: QModelIndex) -> None:
        result: SearchResult = index.data(RESULT_ROLE)
        self.result_activated.emit(result)
