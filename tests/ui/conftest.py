"""Windows built directly with an injected store and settings file: no application-wide state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCursor

from desktop.library import FileChecker, SearchResults
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings

WindowFactory = Callable[..., MainWindow]


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog would wait forever for a click in a headless test: fail instead."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("exec", "warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)


@pytest.fixture
def shown_warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (title, text) of each warning the window shows the user, instead of a modal dialog."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append((title, text)))
    return shown


@pytest.fixture
def make_window(qtbot, db_path: Path, corpus: Path, tmp_path: Path) -> Iterator[WindowFactory]:  # type: ignore[no-untyped-def]
    """Start Lectern as the app does: open the database, restore settings, scan, reopen the last article."""
    opened: list[MainWindow] = []

    def start(root: Path | None = None, file_checker: FileChecker | None = None) -> MainWindow:
        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(AnnotationStore(open_database(db_path)), settings, file_checker=file_checker)
        qtbot.addWidget(window)
        window.resume(root, default=corpus)
        window.show()
        qtbot.waitUntil(lambda: not window.is_scanning(), timeout=10_000)
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield start
    for window in opened:  # as the app quits: the window (its work still under way dropped), then the database
        window.close()
        window.store.db.close()


def restart(window: MainWindow, make_window: WindowFactory) -> MainWindow:
    """Quit (saving what a quit saves) and start again on the same database and settings."""
    window.close()
    window.store.db.close()
    return make_window()


def search(qtbot, window: MainWindow, text: str) -> SearchResults:  # type: ignore[no-untyped-def]
    """Search as the search field does once the user pauses typing; wait for the results to be shown."""
    with qtbot.waitSignal(window.search_pane.searched, timeout=10_000) as shown:
        window.search_pane.search(text)
    found: SearchResults = shown.args[1]
    return found


def _position(text: str, offset: int) -> int:
    """Where `text[offset]` is in Qt's document, which counts UTF-16 code units (an emoji is two)."""
    return len(text[:offset].encode("utf-16-le")) // 2


def select(window: MainWindow, passage: str, occurrence: int = 0) -> str:
    """Select `passage` in the reader as a user would, and return what the widget says is selected."""
    browser = window.article_view.browser
    shown = browser.document().toPlainText()
    start = -1
    for _ in range(occurrence + 1):
        start = shown.index(passage, start + 1)
    cursor = QTextCursor(browser.document())
    cursor.setPosition(_position(shown, start))
    cursor.setPosition(_position(shown, start + len(passage)), QTextCursor.MoveMode.KeepAnchor)
    browser.setTextCursor(cursor)
    return browser.textCursor().selectedText().replace("\u2029", "\n").replace("\u2028", "\n")
