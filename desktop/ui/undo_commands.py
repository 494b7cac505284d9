"""Undo and redo for making and deleting highlights. The action itself is done (and its errors
shown) before the command is pushed, so a failed action never reaches the undo stack; undo and redo
then only move the highlight's tombstone, which loses nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desktop.core.errors import LecternError
from desktop.ui.messages import show_error

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["HighlightPresence"]


class HighlightPresence(QUndoCommand):
    """A highlight that was just made (`present=True`) or deleted (`present=False`)."""

    def __init__(self, window: MainWindow, highlight_id: str, present: bool, text: str) -> None:
        super().__init__(text)
        self._window, self._id, self._present = window, highlight_id, present
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo: the action has already happened
            self._pushed = True
            return
        self._set(self._present)

    def undo(self) -> None:
        self._set(not self._present)

    def _set(self, present: bool) -> None:
        store = self._window.store
        try:
            if present:
                store.restore_highlight(self._id)
            else:
                store.delete_highlight(self._id)
        except LecternError as error:
            show_error(self._window, f"Could not {'undo' if present != self._present else 'redo'} that", error)
        self._window.refresh_annotations(select_id=self._id if present else None)
