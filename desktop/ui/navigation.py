"""Back and forward over the places the reader has been (other articles, and jumps inside one), each
step coming back to where the reader was; and stepping to the next or previous article of the tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QStyle, QTreeView

from desktop.ui.article_view import ArticleView

__all__ = ["Stop", "History", "HistoryButtons", "Navigator", "neighbour_article"]

_KEPT = 200  # places remembered; older ones drop off the back


@dataclass(frozen=True)
class Stop:
    relpath: str
    position: int  # plain-text offset at the top of the reader


class History:
    """A browser's history: a list of stops and where in it the reader is."""

    def __init__(self) -> None:
        self._stops: list[Stop] = []
        self._index = -1

    def visit(self, here: Stop | None, there: Stop) -> None:
        """Go from `here` (kept with its latest position) to `there`; what was ahead is forgotten."""
        if here is not None and self._index >= 0:
            self._stops[self._index] = here
        if here is not None and self._index < 0:
            self._stops, self._index = [here], 0
        if here is not None and here == there:
            return
        del self._stops[self._index + 1:]
        self._stops.append(there)
        if len(self._stops) > _KEPT:
            del self._stops[0]
        self._index = len(self._stops) - 1

    def can_step(self, step: int) -> bool:
        return 0 <= self._index + step < len(self._stops)

    def step(self, here: Stop | None, step: int) -> Stop | None:
        """Move back (-1) or forward (+1) from `here`; the stop to show, or None at either end."""
        if not self.can_step(step):
            return None
        if here is not None:
            self._stops[self._index] = here
        self._index += step
        return self._stops[self._index]

    def clear(self) -> None:
        self._stops, self._index = [], -1


class HistoryButtons(QObject):
    """The mouse's back and forward buttons, over the widgets this filter is installed on."""

    step_requested = Signal(int)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            step = {Qt.MouseButton.BackButton: -1, Qt.MouseButton.ForwardButton: 1}.get(event.button())
            if step is not None:
                self.step_requested.emit(step)
                return True
        return False


class Navigator(QObject):
    """Keeps the history as the reader moves and takes the reader back and forward through it.
    `open_at(relpath, position)` shows another article at a position without recording a new stop."""

    def __init__(self, view: ArticleView, open_at: Callable[[str, int], object], parent: QObject) -> None:
        super().__init__(parent)
        self.history = History()
        self._view = view
        self._open_at = open_at
        self.back_action = QAction("&Back", parent)
        self.back_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Back), QKeySequence("Alt+Left")])
        self.back_action.setToolTip("Back to where you were (Alt+Left, the mouse's back button)")
        self.forward_action = QAction("&Forward", parent)
        self.forward_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Forward),
                                          QKeySequence("Alt+Right")])
        self.forward_action.setToolTip("Forward again (Alt+Right, the mouse's forward button)")
        style = view.style()
        self.back_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.forward_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        for action in (self.back_action, self.forward_action):
            _drop_repeated_shortcuts(action)
        self.back_action.triggered.connect(lambda: self.step(-1))
        self.forward_action.triggered.connect(lambda: self.step(1))
        self.buttons = HistoryButtons(self)
        self.buttons.step_requested.connect(self.step)
        view.jumped.connect(self._jumped)
        self._update_actions()

    def here(self) -> Stop | None:
        opened = self._view.opened
        return Stop(opened.article.relpath, self._view.top_position()) if opened is not None else None

    def visit(self, relpath: str, position: int) -> None:
        """The reader is going to another article (or to another place of this one)."""
        self.history.visit(self.here(), Stop(relpath, position))
        self._update_actions()

    def _jumped(self, before: int, after: int) -> None:
        if (opened := self._view.opened) is not None:
            relpath = opened.article.relpath
            self.history.visit(Stop(relpath, before), Stop(relpath, after))
            self._update_actions()

    def step(self, step: int) -> None:
        here = self.here()
        stop = self.history.step(here, step)
        self._update_actions()
        if stop is None:
            return
        if here is not None and stop.relpath == here.relpath:
            self._view.scroll_to_position(stop.position)
            if stop.position == 0:
                self._view.browser.verticalScrollBar().setValue(0)
        else:
            self._open_at(stop.relpath, stop.position)

    def clear(self) -> None:
        self.history.clear()
        self._update_actions()

    def _update_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_step(-1))
        self.forward_action.setEnabled(self.history.can_step(1))


def _drop_repeated_shortcuts(action: QAction) -> None:
    """Where the platform's standard key is the one also given, keep it once (Qt calls a shortcut
    bound twice ambiguous and then ignores it)."""
    unique: list[QKeySequence] = []
    for sequence in action.shortcuts():
        if not sequence.isEmpty() and sequence not in unique:
            unique.append(sequence)
    action.setShortcuts(unique)


def _following(model: QAbstractItemModel, index: QModelIndex) -> QModelIndex:
    """The row after `index` in reading order (depth first), within its top-level group."""
    if model.hasChildren(index) and model.rowCount(index):
        return model.index(0, 0, index)
    while index.isValid() and index.parent().isValid():
        parent = index.parent()
        if index.row() + 1 < model.rowCount(parent):
            return model.index(index.row() + 1, 0, parent)
        index = parent
    return QModelIndex()


def _preceding(model: QAbstractItemModel, index: QModelIndex) -> QModelIndex:
    """The row before `index` in reading order (depth first), within its top-level group."""
    parent = index.parent()
    if not parent.isValid():
        return QModelIndex()
    if index.row() == 0:
        return parent
    index = model.index(index.row() - 1, 0, parent)
    while model.hasChildren(index) and model.rowCount(index):
        index = model.index(model.rowCount(index) - 1, 0, index)
    return index


def neighbour_article(view: QTreeView, role: int, step: int, limit: int = 5_000) -> QModelIndex:
    """The next (+1) or previous (-1) article after the tree's current row, in the tree's order and
    within the same group (Folders, a tag…); invalid at the end. `role` holds an article's path."""
    model = view.model()
    index = view.currentIndex()
    move = _following if step > 0 else _preceding
    for _ in range(limit):  # groups of groups without articles are not walked for ever
        index = move(model, index)
        if not index.isValid() or index.data(role):
            return index
    return QModelIndex()
