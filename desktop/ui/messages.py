"""Every message Lectern shows a person goes through here: known problems plainly, bugs with details."""

from __future__ import annotations

import datetime as dt
import logging
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import __version__
from desktop.core.errors import LecternError
from desktop.paths import log_dir

__all__ = ["show_error", "show_warning", "show_bug", "save_crash_report", "describe"]

log = logging.getLogger(__name__)


def describe(error: BaseException) -> str:
    return str(error) if isinstance(error, LecternError) else f"{type(error).__name__}: {error}"


def show_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    """A problem with the user's files or environment: say what happened; no traceback."""
    if not isinstance(error, LecternError):
        show_bug(type(error), error, error.__traceback__, parent)
        return
    QMessageBox.warning(parent, title, str(error))


def show_warning(parent: QWidget | None, title: str, text: str) -> None:
    """Something went partly as asked and the user should look (an export set a note aside)."""
    QMessageBox.warning(parent, title, text)


_showing_bug = False  # a second failure while the dialog is open is logged, not stacked on top of it


def save_crash_report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> Path | None:
    """Write what a bug report needs (traceback, versions, platform) into the log folder."""
    report = "".join(traceback.format_exception(kind, error, tb))
    log.error("bug: %s", report)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = log_dir() / f"crash-{stamp}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Lectern {__version__}\nPython {sys.version}\nQt {qVersion()}, PySide6 {PySide6.__version__}\n"
                        f"{platform.platform()}\n\n{report}", encoding="utf-8")
    except OSError:
        return None
    return path


def show_bug(kind: type[BaseException], error: BaseException, tb: TracebackType | None,
             parent: QWidget | None = None) -> None:
    """Anything unexpected: the window stays up, a crash report is saved, and the details can be copied."""
    global _showing_bug
    saved = save_crash_report(kind, error, tb)
    if _showing_bug:
        return
    where = f"\n\nA report was saved as {saved}." if saved else ""
    box = QMessageBox(QMessageBox.Icon.Critical, "Lectern hit a bug",
                      "Something went wrong inside Lectern. Your annotations are saved.\n\n"
                      f"{kind.__name__}: {error}{where}", QMessageBox.StandardButton.Ok, parent)
    box.setDetailedText("".join(traceback.format_exception(kind, error, tb)))
    _showing_bug = True
    try:
        box.exec()
    finally:
        _showing_bug = False
