"""Search as you type: the results of the toolbar's search field, in place of the corpus tree. The
searching itself is done on a thread of its own (desktop.ui.searcher)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from desktop.library import SearchResult, SearchResults
from desktop.ui.messages import describe
from desktop.ui.search_results import RESULT_ROLE, RichTextDelegate, SearchResultsModel
from desktop.ui.searcher import Searcher

__all__ = ["SearchPane"]

_TYPING_PAUSE_MS = 150


class SearchPane(QWidget):
    result_activated = Signal(object)  # a SearchResult the user chose
    searched = Signal(str, object)  # a one-line summary for the status bar, and the SearchResults shown

    def __init__(self, searcher: Searcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._searcher = searcher
        searcher.found.connect(self._found)
        searcher.failed.connect(self._failed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(placeholder-text); padding: 4px;")
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
        self._asked: str | None = None  # the query whose results are awaited
        self._open_first = False  # Enter was pressed before they came: open the first one then
        self._line = ""  # what the last search found
        self._coverage = ""  # while a first index runs: how much of the corpus search covers
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_TYPING_PAUSE_MS)
        self._timer.timeout.connect(lambda: self.search(self._pending))

    def schedule(self, text: str) -> None:
        """Search once the user pauses typing."""
        self._pending = text
        self._timer.start()

    def search(self, text: str) -> None:
        """Search now: the results replace the list when they come (`searched`)."""
        self._timer.stop()
        self._asked = text
        self._searcher.ask(text)

    def clear(self) -> None:
        """Nothing searched (another corpus): results still on their way are dropped."""
        self._timer.stop()
        self._asked, self._open_first, self._line = None, False, ""
        self.model.set_results([])
        self.summary.setText("")

    def _found(self, text: str, found: SearchResults) -> None:
        if text != self._asked:  # overtaken by a newer query
            return
        self._asked = None
        self.model.set_results(found.results)
        articles = sum(1 for result in found.results if result.kind == "article")
        line = (f"{articles} articles, {len(found.results) - articles} highlights"
                f" ({found.elapsed_ms:.0f} ms)")
        if found.query.problems:
            line += " · not understood: " + ", ".join(found.query.problems)
        self._line = line
        self.summary.setText(line + self._coverage)
        self.searched.emit(line, found)
        if self._open_first:
            self._open_first = False
            self.activate_first()

    def _failed(self, text: str, error: BaseException) -> None:
        if text == self._asked:
            self._asked, self._open_first = None, False
            self._line = f"Search failed: {describe(error)}"
            self.summary.setText(self._line)

    def set_coverage(self, searchable: int | None, total: int | None) -> None:
        """Say that results are incomplete while the corpus is being indexed (None: it is complete)."""
        self._coverage = "" if searchable is None or total is None or searchable >= total else (
            f" · incomplete: {searchable:,} of {total:,} articles indexed so far")
        if self._line:
            self.summary.setText(self._line + self._coverage)

    def activate_first(self) -> None:
        """Open the first result (Enter in the search field): of the query typed, once its results came."""
        if self._timer.isActive():  # Enter before the pause: the results must be this query's
            self.search(self._pending)
        if self._asked is not None:
            self._open_first = True
        elif self.model.rowCount():
            self._activated(self.model.index(0))

    def _activated(self, index: QModelIndex) -> None:
        result: SearchResult = index.data(RESULT_ROLE)
        self.result_activated.emit(result)
