"""Search results as a list model, drawn as small rich-text cards (title, where, marked snippet)."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.library import SearchResult
from desktop.ui.theme_colours import muted, tint

__all__ = ["SearchResultsModel", "RichTextDelegate", "RESULT_ROLE", "RICH_TEXT_ROLE"]

RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
RICH_TEXT_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


def _card(result: SearchResult) -> str:
    snippet = result.snippet.marked("\x00", "\x01")
    snippet = html.escape(snippet).replace("\x00", f"<span style='background-color:{tint('yellow').name()}'>").replace(
        "\x01", "</span>")
    icon = "✎ " if result.kind == "highlight" else ""
    return (f"<div><b>{icon}{html.escape(result.title)}</b></div>"
            f"<div style='color:{muted().name()}; font-size:small'>{html.escape(result.where)}</div>"
            f"<div>{snippet}</div>")


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: list[SearchResult] = []

    def set_results(self, results: list[SearchResult]) -> None:
        self.beginResetModel()
        self._results = list(results)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._results)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result = self._results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{result.title}\n{result.where}\n{result.snippet.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.relpath
        if role == RESULT_ROLE:
            return result
        if role == RICH_TEXT_ROLE:
            return _card(result)
        return None


class RichTextDelegate(QStyledItemDelegate):
    """Paints an item's RICH_TEXT_ROLE HTML, wrapped to the view's width."""

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(index.data(RICH_TEXT_ROLE) or "")
        document.setTextWidth(max(option.rect.width() - 8, 80))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        widget: QWidget | None = option.widget
        style = widget.style() if widget else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        document = self._document(option, index)
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 4)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.HighlightedText))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        self.initStyleOption(option, index)
        width = option.widget.viewport().width() if option.widget else 300  # type: ignore[attr-defined]
        option.rect.setWidth(width)
        document = self._document(option, index)
        return QSize(width, int(document.size().height()) + 8)
