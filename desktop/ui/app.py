"""Starting the window: check there is a screen, open the database, restore the last session."""

from __future__ import annotations

import datetime as dt
import gc
import linecache
import logging
import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.errors import DatabaseDamaged, DatabaseLocked, LecternError
from desktop.library import FileChecker, index_path_of
from desktop.logs import milestone
from desktop.paths import default_database, resources_dir, seeds_dir
from desktop.store.annotations import AnnotationStore
from desktop.store.backups import daily_backup, newest_backup, restore_backup, set_aside
from desktop.store.database import open_database
from desktop.ui.first_paint import once_painted
from desktop.ui.main_window import MainWindow
from desktop.ui.messages import show_bug
from desktop.ui.recent_corpora import resume_target
from desktop.ui.settings import Settings
from desktop.ui.watchdog import StallWatchdog

__all__ = ["run_app", "create_application", "missing_display_message", "open_store", "log_qt_messages",
           "tune_for_large_corpora", "check_ahead"]

_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}
qt_log = logging.getLogger("lectern.qt")


def _log_qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", text)


def tune_for_large_corpora() -> None:
    """A corpus of 60,000 articles keeps millions of small objects alive, and CPython's cycle collector
    walks all of them on each full pass, every thread stopped (measured: 100–600 ms, a dozen times while
    a large corpus opens). Lectern's own structures have no reference cycles (they are freed as soon as
    they are dropped), so the collector can run far less often; what start-up made (modules, Qt
    wrappers) is left out of its passes altogether. And while a worker thread runs Python (building a
    tree), each of the UI thread's many calls into the model waits for the GIL: handing it over every
    0.2 ms instead of every 5 keeps those waits short (measured on a 60,000-post restart: longest stall
    280 ms at 5 ms, 180-260 ms at 1 ms, 115-170 ms at 0.2 ms)."""
    gc.set_threshold(50_000, 20, 20)
    gc.freeze()
    sys.setswitchinterval(0.0002)
    # PySide6's import hook reads the source of every module imported (to see whether it uses PySide's
    # __feature__ switches), and linecache keeps it all: 400 files, ~15 MB that nothing reads again (a
    # traceback reads its lines back from disk).
    linecache.clearcache()


def check_ahead(file_checker: FileChecker, store: AnnotationStore, settings: Settings, corpus: Path | None) -> None:
    """Start comparing the files of the corpus the window is about to resume while the window is being
    built (about a second), so that the answer is there when the corpus opens (60,000 files: 0.5-0.6 s
    in the checker's process)."""
    root, _ = resume_target(settings, corpus, seeds_dir())
    if root.is_dir():
        file_checker.check_ahead(root.resolve(), index_path_of(store, root))


def log_qt_messages() -> None:
    """Qt's own warnings go to Lectern's log instead of a terminal nobody sees."""
    qInstallMessageHandler(_log_qt_message)


def missing_display_message() -> str | None:
    """Without a display Qt aborts with a misleading message about xcb libraries; say it plainly."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("Lectern needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY are not set).\n"
            "Run it in a desktop session, or on a virtual display (xvfb-run lectern), or headless with "
            "QT_QPA_PLATFORM=offscreen.")


def create_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Lectern")
    app.setOrganizationName("Lectern")
    app.setDesktopFileName("lectern")
    app.setWindowIcon(QIcon(str(resources_dir() / "lectern.png")))  # the theme's style sheet: desktop.ui.themes
    return app


def _ask_recovery(error: DatabaseDamaged, backup: Path | None) -> str:
    """Ask what to do with a damaged database: "restore", "fresh" or "quit"."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Your annotation database is damaged",
                      f"{error}\n\nThe damaged file is kept exactly as it is; choose how to go on.")
    choices: dict[object, str] = {}
    if backup is not None:
        stamp = dt.datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        choices[box.addButton(f"Restore the backup of {stamp}", QMessageBox.ButtonRole.AcceptRole)] = "restore"
    choices[box.addButton("Start with an empty database", QMessageBox.ButtonRole.DestructiveRole)] = "fresh"
    choices[box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)] = "quit"
    box.exec()
    return choices.get(box.clickedButton(), "quit")


def open_store(path: Path) -> AnnotationStore | None:
    """Open the annotation database, helping the user through a damaged or busy one. None: give up."""
    while True:
        try:
            db = open_database(path)
        except DatabaseDamaged as error:
            backup = newest_backup(path)
            choice = _ask_recovery(error, backup)
            if choice == "restore" and backup is not None:
                restore_backup(backup, path)
            elif choice == "fresh":
                set_aside(path)
            else:
                return None
            continue
        except DatabaseLocked as error:
            answer = QMessageBox.warning(None, "Your annotation database is busy", str(error),
                                         QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Retry:
                continue
            return None
        except LecternError as error:
            QMessageBox.critical(None, "Lectern cannot open your annotations", str(error))
            return None
        daily_backup(db.conn, path)
        return AnnotationStore(db)


def run_app(corpus: Path | None, db_path: Path | None, link: str | None, file_checker: FileChecker) -> int:
    """Open the window on `corpus` (default: the last one), or at a `lectern://` link. `file_checker` was
    started ahead of this module's imports (desktop.cli); it is closed with the window."""
    if message := missing_display_message():
        file_checker.close()
        print(f"lectern: {message}", file=sys.stderr)
        return 2
    log_qt_messages()
    try:
        return _run_window(corpus, db_path, link, file_checker)
    finally:
        file_checker.close()


def _run_window(corpus: Path | None, db_path: Path | None, link: str | None, file_checker: FileChecker) -> int:
    app = create_application(sys.argv[:1])
    sys.excepthook = lambda kind, error, tb: show_bug(kind, error, tb)
    store = open_store(db_path or default_database())
    if store is None:
        return 1
    settings = Settings()
    if link is None:
        check_ahead(file_checker, store, settings, corpus)
    window = MainWindow(store, settings, file_checker=file_checker)
    tune_for_large_corpora()
    # Asked to stop (a logout, `kill`, Ctrl-C in the terminal): close as the user would, so the note being
    # typed is saved and the indexing workers are stopped rather than left behind.
    def close_and_quit() -> None:
        window.close()
        app.quit()  # also when something opened meanwhile keeps a window up

    def stop(_number: int, _frame: object) -> None:
        # From inside the event loop: a signal that lands before app.exec() would otherwise be forgotten.
        QTimer.singleShot(0, close_and_quit)

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, stop)
    if link is None or not window.open_link(link):
        window.resume(corpus, default=seeds_dir())
    window.link_inbox.open()  # links followed from now on come to this window
    window.show()
    # The watchdog watches the event loop from the window's first paint on: what came before is start-up,
    # which the milestones time (started earlier, its first tick would count the building as a stall).
    watchdog = StallWatchdog(app)

    def painted() -> None:
        milestone("window shown")
        watchdog.start()

    once_painted(window, painted)
    return app.exec()
