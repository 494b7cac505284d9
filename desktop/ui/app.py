"""Starting the window: check there is a screen, open the database, restore the last session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.errors import LecternError
from desktop.paths import default_database, resources_dir, seeds_dir
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database
from desktop.ui.main_window import MainWindow
from desktop.ui.messages import show_bug
from desktop.ui.settings import Settings

__all__ = ["run_app", "create_application", "missing_display_message"]


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
    resources = resources_dir()
    app.setWindowIcon(QIcon(str(resources / "lectern.png")))
    app.setStyleSheet((resources / "style.qss").read_text(encoding="utf-8"))
    return app


def run_app(corpus: Path | None, db_path: Path | None) -> int:
    if message := missing_display_message():
        print(f"lectern: {message}", file=sys.stderr)
        return 2
    app = create_application(sys.argv[:1])
    sys.excepthook = lambda kind, error, tb: show_bug(kind, error, tb)
    try:
        store = AnnotationStore(open_database(db_path or default_database()))
    except LecternError as error:
        QMessageBox.critical(None, "Lectern cannot open your annotations", str(error))
        return 1
    settings = Settings()
    window = MainWindow(store, settings)
    last = settings.get("corpus/last")
    if corpus is None:
        corpus = Path(last) if last and Path(last).is_dir() else seeds_dir()
    reopen = corpus.resolve() == Path(last).resolve() if last else False
    window.open_corpus(corpus, settings.get("corpus/last_article") if reopen else None,
                       settings.get("corpus/last_scroll") if reopen else 0)
    window.show()
    return app.exec()
