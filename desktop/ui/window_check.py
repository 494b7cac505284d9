"""The Qt half of `lectern --self-test`: a font that can show Chinese, and every seed shown in the
real article view."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop.core.errors import LecternError
from desktop.library import Library
from desktop.paths import seeds_dir
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database
from desktop.ui.app import create_application
from desktop.ui.article_view import ArticleView

__all__ = ["check_window_and_fonts"]


def check_window_and_fonts() -> str:
    """What was checked, or a LecternError saying what is wrong."""
    app = QApplication.instance() or create_application(sys.argv[:1])
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if not chinese:
        raise LecternError("no installed font can show Chinese: every glyph would be a box. Install one "
                           "(Debian/Ubuntu: apt-get install fonts-noto-cjk, or the smaller fonts-wqy-microhei)")
    with tempfile.TemporaryDirectory(prefix="lectern-self-test-") as scratch:
        db = open_database(Path(scratch) / "ui.db")
        library = Library(seeds_dir(), AnnotationStore(db))
        view = ArticleView()
        try:
            for entry in library.scan().entries:
                view.show_article(library.open_article(entry.relpath))
                app.processEvents()
                if entry.title[:2] not in view.header.text():
                    raise LecternError(f"{entry.relpath} did not show its title")
        finally:
            view.deleteLater()
            library.close()
            db.close()
    return f"Qt {QGuiApplication.platformName()} platform: every seed shown; Chinese font: {chinese[0]}"
