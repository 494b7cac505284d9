"""Undo and redo for highlights: making, deleting and changing one (colour, note, tags). The action
itself is done (and its errors shown) before the command is pushed, so a failed action never reaches
the undo stack; undo and redo then put back exactly the state before or after it. Deleting only moves a
tombstone, which loses nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from desktop.core.errors import LecternError
from desktop.ui.messages import show_error

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["HighlightPresence", "HighlightChange"]

_NOTE_EDIT = 1  # QUndoCommand.id() of note edits: a note typed in several saves is undone in one step


class _DoneAlready(QUndoCommand):
    """QUndoStack.push calls redo(); the action has already happened then, so the first redo is skipped."""

    def __init__(self, window: MainWindow, highlight_id: str, text: str) -> None:
        super().__init__(text)
        self._window, self._id = window, highlight_id
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._apply(forward=True)

    def undo(self) -> None:
        self._apply(forward=False)

    def _apply(self, forward: bool) -> None:
        try:
            self._change(forward)
        except LecternError as error:
            show_error(self._window, f"Could not {'redo' if forward else 'undo'} that", error)
        self._window.refresh_annotations(select_id=self._selected(forward))

    def _change(self, forward: bool) -> None:
        raise NotImplementedError

    def _selected(self, forward: bool) -> str | None:
        return self._id


class HighlightPresence(_DoneAlready):
    """A highlight that was just made (`present=True`) or deleted (`present=False`)."""

    def __init__(self, window: MainWindow, highlight_id: str, present: bool, text: str) -> None:
        super().__init__(window, highlight_id, text)
        self._present = present

    def _change(self, forward: bool) -> None:
        store = self._window.store
        if forward == self._present:
            store.restore_highlight(self._id)
        else:
            store.delete_highlight(self._id)

    def _selected(self, forward: bool) -> str | None:
        return self._id if forward == self._present else None


class HighlightChange(_DoneAlready):
    """A highlight's colour, note or tags changed from `before` to `after` (the same keys)."""

    def __init__(self, window: MainWindow, highlight_id: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        what = "colour" if "colour" in after else "note" if "note" in after else "tags"
        super().__init__(window, highlight_id, {"colour": f"colour {after.get('colour')}", "note": "edit note",
                                                "tags": "change tags"}[what])
        self._before, self._after = before, after

    def _change(self, forward: bool) -> None:
        self._window.store.update_highlight(self._id, **(self._after if forward else self._before))

    def id(self) -> int:
        return _NOTE_EDIT if set(self._after) == {"note"} else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, HighlightChange) or other._id != self._id:
            return False
        self._after = other._after  # one step from the note before the first save to the last one
        return True
