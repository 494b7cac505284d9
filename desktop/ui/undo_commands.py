"""Undo and redo for highlights: making, deleting and changing them (colour, note, tags), one or several
at once (the notebook's bulk actions are one step each). The action itself is done (and its errors
shown) before the command is pushed, so a failed action never reaches the undo stack; undo and redo then
put back exactly the state before or after it. Deleting only moves a tombstone, which loses nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desktop.core.errors import LecternError
from desktop.library import HighlightFields, Library
from desktop.ui.messages import show_error

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["HighlightPresence", "HighlightChange"]

_NOTE_EDIT = 1  # QUndoCommand.id() of note edits: a note typed in several saves is undone in one step


class _DoneAlready(QUndoCommand):
    """QUndoStack.push calls redo(); the action has already happened then, so the first redo is skipped."""

    def __init__(self, window: MainWindow, highlight_ids: tuple[str, ...], text: str) -> None:
        super().__init__(text)
        self._window, self._ids = window, highlight_ids
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._apply(forward=True)

    def undo(self) -> None:
        self._apply(forward=False)

    def _library(self) -> Library:
        library = self._window.library
        assert library is not None  # the stack is cleared whenever the library changes
        return library

    def _apply(self, forward: bool) -> None:
        try:
            self._change(forward)
        except LecternError as error:
            show_error(self._window, f"Could not {'redo' if forward else 'undo'} that", error)
        self._window.refresh_annotations(select_id=self._selected(forward))

    def _change(self, forward: bool) -> None:
        raise NotImplementedError

    def _selected(self, forward: bool) -> str | None:
        return self._ids[0] if len(self._ids) == 1 else None


class HighlightPresence(_DoneAlready):
    """Highlights that were just made (`present=True`) or deleted (`present=False`)."""

    def __init__(self, window: MainWindow, highlight_ids: tuple[str, ...], present: bool, text: str) -> None:
        super().__init__(window, highlight_ids, text)
        self._present = present

    def _change(self, forward: bool) -> None:
        self._library().set_highlights_present(self._ids, present=forward == self._present)

    def _selected(self, forward: bool) -> str | None:
        return super()._selected(forward) if forward == self._present else None


def _describe(after: Mapping[str, HighlightFields]) -> str:
    change = next(iter(after.values()))
    several = f" {len(after)} highlights" if len(after) > 1 else ""
    if "colour" in change:
        return f"colour{several} {change['colour']}"
    return "edit note" if "note" in change else f"change tags of{several or ' highlight'}"


class HighlightChange(_DoneAlready):
    """Highlights' colour, note or tags changed from `before` to `after` (id → the same keys)."""

    def __init__(self, window: MainWindow, before: Mapping[str, HighlightFields],
                 after: Mapping[str, HighlightFields]) -> None:
        super().__init__(window, tuple(after), _describe(after))
        self._before, self._after = dict(before), dict(after)

    def _change(self, forward: bool) -> None:
        self._library().change_highlights(self._after if forward else self._before)

    def id(self) -> int:
        return _NOTE_EDIT if len(self._ids) == 1 and set(self._after[self._ids[0]]) == {"note"} else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, HighlightChange) or other._ids != self._ids:
            return False
        self._after = other._after  # one step from the note before the first save to the last one
        return True
