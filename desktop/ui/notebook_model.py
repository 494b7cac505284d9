"""The notebook's table: every highlight of the corpus, one a row, filtered and sorted in the model
itself. With ten thousand highlights a sort proxy would call back into Python for each of its
comparisons (seconds); sorting the list once by a key takes milliseconds."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.core.anchoring import ORPHANED
from desktop.core.colours import COLOURS, colour_label
from desktop.library import STATES
from desktop.notebook import NotebookEntry
from desktop.ui.theme_colours import muted, tint

__all__ = ["NotebookModel", "ENTRY_ID_ROLE", "COLUMNS"]

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_PREVIEW_CHARS = 160
COLUMNS = ("Quote", "Note", "Tags", "Colour", "Article", "Highlighted", "State")
_STATE_HINTS = {
    "exact": "Where it was highlighted.",
    "moved": "The same words, found elsewhere in the article.",
    "changed": "The passage was edited since it was highlighted: review it in the article.",
    "orphaned": "The passage is no longer in the article. The highlight is kept.",
}


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS] + "…"


_SORT_KEYS: tuple[Callable[[NotebookEntry], object], ...] = (
    lambda entry: entry.quote.casefold(),
    lambda entry: (not entry.note, entry.note.casefold()),  # notes first, then the rest
    lambda entry: (not entry.tags, [tag.casefold() for tag in entry.tags]),
    lambda entry: list(COLOURS).index(entry.colour) if entry.colour in COLOURS else len(COLOURS),
    lambda entry: (entry.title.casefold(), entry.relpath),  # ties keep reading order: the sort is stable
    lambda entry: entry.created,
    lambda entry: STATES.index(entry.state) if entry.state in STATES else len(STATES),
)


class NotebookModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[NotebookEntry] = []  # in the current sort order
        self._shown: list[NotebookEntry] = []  # those the filter lets through, in the same order
        self._accepts: Callable[[NotebookEntry], bool] = lambda _entry: True
        self._meanings: dict[str, str] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- what the notebook tells the model -----------------------------------------------------
    def set_entries(self, entries: Iterable[NotebookEntry], meanings: dict[str, str]) -> None:
        self.beginResetModel()
        self._all, self._meanings = list(entries), dict(meanings)
        if self._sort is not None:
            self._sort_all(*self._sort)
        self._shown = [entry for entry in self._all if self._accepts(entry)]
        self.endResetModel()

    def set_filter(self, accepts: Callable[[NotebookEntry], bool]) -> None:
        self.beginResetModel()
        self._accepts = accepts
        self._shown = [entry for entry in self._all if accepts(entry)]
        self.endResetModel()

    def set_meanings(self, meanings: dict[str, str]) -> None:
        self._meanings = dict(meanings)
        if self._shown:
            column = COLUMNS.index("Colour")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._shown) - 1, column))

    @property
    def meanings(self) -> dict[str, str]:
        return self._meanings

    def entry(self, row: int) -> NotebookEntry:
        return self._shown[row]

    def total(self) -> int:
        return len(self._all)

    def row_of(self, highlight_id: str) -> int:
        return next((row for row, entry in enumerate(self._shown) if entry.id == highlight_id), -1)

    def values(self, field: str) -> list[str]:
        """Every distinct value of an entry's `tags` or `article_tags`, for the filters to offer."""
        found: dict[str, str] = {}
        for entry in self._all:
            for value in getattr(entry, field):
                found.setdefault(value.casefold(), value)
        return sorted(found.values(), key=str.casefold)

    # -- Qt --------------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        entry = self._shown[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "Colour":
            return tint(entry.colour)
        if role == Qt.ItemDataRole.ForegroundRole and entry.state == ORPHANED:
            return muted()
        if role == ENTRY_ID_ROLE:
            return entry.id
        return None

    def _display(self, entry: NotebookEntry, column: str) -> str:
        if column == "Quote":
            return f"“{_one_line(entry.quote)}”"
        if column == "Note":
            return _one_line(entry.note)
        if column == "Tags":
            return " ".join(f"#{tag}" for tag in entry.tags)
        if column == "Colour":
            return colour_label(entry.colour, self._meanings)
        if column == "Article":
            return entry.title
        if column == "Highlighted":
            return entry.created[:10]
        return entry.state

    def _tooltip(self, entry: NotebookEntry, column: str) -> str:
        if column == "Note" and entry.note:
            return entry.note
        if column == "Colour":
            return colour_label(entry.colour, self._meanings)
        if column == "Article":
            return f"{entry.title}\n{entry.relpath}" + (f"\nTags: {', '.join(entry.article_tags)}"
                                                        if entry.article_tags else "")
        if column == "Highlighted":
            return entry.created.replace("T", " ").removesuffix("Z") + " UTC"
        if column == "State":
            return _STATE_HINTS.get(entry.state, entry.state)
        return f"{colour_label(entry.colour, self._meanings)}\n{entry.quote}\n\nDouble-click to open it in the article."

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._shown[index.row()].id if index.isValid() else None for index in before]
        self._sort = (column, order)
        self._sort_all(column, order)
        self._shown = [entry for entry in self._all if self._accepts(entry)]
        rows = {entry.id: row for row, entry in enumerate(self._shown)}
        self.changePersistentIndexList(before, [
            self.index(rows[highlight_id], index.column()) if highlight_id in rows else QModelIndex()
            for index, highlight_id in zip(before, ids, strict=True)])
        self.layoutChanged.emit()

    def _sort_all(self, column: int, order: Qt.SortOrder) -> None:
        self._all.sort(key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)  # type: ignore[arg-type]
