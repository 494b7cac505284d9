"""Every message Lectern shows a person goes through here: known problems plainly, bugs with details."""

from __future__ import annotations

import traceback
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.errors import LecternError

__all__ = ["show_error", "show_bug", "describe"]


def describe(error: BaseException) -> str:
    return str(error) if isinstance(error, LecternError) else f"{type(error).__name__}: {error}"


def show_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    """A problem with the user's files or environment: say what happened; no traceback."""
    if not isinstance(error, LecternError):
        show_bug(type(error), error, error.__traceback__, parent)
        return
    QMessageBox.warning(parent, title, str(error))


def show_bug(kind: type[BaseException], error: BaseException, tb: TracebackType | None,
             parent: QWidget | None = None) -> None:
    """Anything unexpected: the window stays up, and the details can be copied into a bug report."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Lectern hit a bug",
                      "Something went wrong inside Lectern. Your annotations are saved.\n\n"
                      f"{kind.__name__}: {error}", QMessageBox.StandardButton.Ok, parent)
    box.setDetailedText("".join(traceback.format_exception(kind, error, tb)))
    box.exec()
