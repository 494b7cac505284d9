"""Undoable highlight actions. Undo never loses data: deleting leaves a tombstone that redo or undo
brings back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desktop.library import OpenedArticle

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["AddHighlight", "DeleteHighlight"]


class AddHighlight(QUndoCommand):
    """Creating a highlight; undo deletes it (a tombstone), redo brings it back."""

    def __init__(self, window: MainWindow, opened: OpenedArticle, span: tuple[int, int], colour: str) -> None:
        super().__init__(f"highlight in {colour}")
        self._window, self._opened, self._span, self._colour = window, opened, span, colour
        self.highlight_id: str | None = None

    def redo(self) -> None:
        library = self._window.library
        assert library is not None
        if self.highlight_id is None:
            self.highlight_id = library.add_highlight(self._opened, *self._span, self._colour).id
        else:
            library.store.restore_highlight(self.highlight_id)
        self._window.refresh_annotations(select_id=self.highlight_id)

    def undo(self) -> None:
        assert self._window.library is not None and self.highlight_id is not None
        self._window.library.store.delete_highlight(self.highlight_id)
        self._window.refresh_annotations()


class DeleteHighlight(QUndoCommand):
    def __init__(self, window: MainWindow, highlight_id: str) -> None:
        super().__init__("delete highlight")
        self._window, self._id = window, highlight_id

    def redo(self) -> None:
        assert self._window.library is not None
        self._window.library.store.delete_highlight(self._id)
        self._window.refresh_annotations()

    def undo(self) -> None:
        assert self._window.library is not None
        self._window.library.store.restore_highlight(self._id)
        self._window.refresh_annotations(select_id=self._id)
