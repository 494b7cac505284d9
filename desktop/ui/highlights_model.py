"""An article's highlights as a list model (reading order, orphans last)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.core.anchoring import CHANGED
from desktop.core.colours import colour_label
from desktop.library import PlacedHighlight
from desktop.ui.theme_colours import muted, tint

__all__ = ["HighlightsModel", "HIGHLIGHT_ID_ROLE"]

HIGHLIGHT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_PREVIEW_CHARS = 140


class HighlightsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[PlacedHighlight] = []
        self._meanings: dict[str, str] = {}

    def set_highlights(self, items: tuple[PlacedHighlight, ...]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def set_meanings(self, meanings: dict[str, str]) -> None:
        self._meanings = dict(meanings)
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1), [Qt.ItemDataRole.ToolTipRole])

    def placed(self, row: int) -> PlacedHighlight:
        return self._items[row]

    def row_of(self, highlight_id: str) -> int:
        return next((row for row, item in enumerate(self._items) if item.highlight.id == highlight_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        placed = self._items[index.row()]
        highlight = placed.highlight
        if role == Qt.ItemDataRole.DisplayRole:
            quote = " ".join(highlight.anchor.exact.split())
            if len(quote) > _PREVIEW_CHARS:
                quote = quote[:_PREVIEW_CHARS] + "…"
            marker = "(orphaned) " if placed.orphaned else "(changed) " if placed.state == CHANGED else ""
            lines = [marker + f"“{quote}”"]
            if highlight.note:
                lines.append("✎ " + " ".join(highlight.note.split())[:_PREVIEW_CHARS])
            if highlight.tags:
                lines.append(" ".join(f"#{tag}" for tag in highlight.tags))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.DecorationRole:
            return tint(highlight.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            colour = colour_label(highlight.colour, self._meanings)
            if placed.orphaned:
                return f"{colour}\nThis passage is no longer in the article. The highlight is kept; you can still" \
                       " export it."
            if placed.state == CHANGED and placed.current is not None:
                return f"{colour}\nThe passage was edited. As highlighted: {highlight.anchor.exact}\n" \
                       f"Now: {placed.current.exact}"
            return f"{colour}\n{highlight.anchor.exact}"
        if role == Qt.ItemDataRole.FontRole and placed.orphaned:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and placed.orphaned:
            return muted()
        if role == HIGHLIGHT_ID_ROLE:
            return highlight.id
        return None
