"""File → Export Template…: how exported notes are laid out, Lectern's own template or a Jinja2 file of
the user's (README: Export templates). A file is tried before it is kept, so a mistake is said at once,
with its line, rather than at the next export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout

from desktop.core.errors import LecternError
from desktop.core.export import NoteStyle
from desktop.library import Library
from desktop.ui.messages import show_error

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["ExportTemplate"]


class ExportTemplate(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action = QAction("Export &Template…", window)
        self.action.setToolTip("Lay exported notes out with Lectern's template or a Jinja2 file of yours")
        self.action.triggered.connect(self.choose)

    @property
    def path(self) -> Path | None:
        """The user's template file; None: Lectern's own."""
        chosen = self.window.settings.get("export/template")
        return Path(chosen) if chosen else None

    def style(self, library: Library) -> NoteStyle | None:
        """How an export is laid out now (the template in use, the colours' meanings, the links back); None
        when the template cannot be read or compiled, which the user is told."""
        try:
            return library.note_style(self.path)
        except LecternError as error:
            show_error(self.window, "Nothing was exported", error)
            return None

    def use(self, path: Path | None) -> bool:
        """Lay notes out with `path` (None: Lectern's own) once it reads and compiles; else say why, keep
        the template as it was and return False."""
        library = self.window.library
        try:
            if library is not None:
                library.note_style(path)  # reads and compiles it: a mistake is named with its line
        except LecternError as error:
            show_error(self.window, "The export template was not changed", error)
            return False
        self.window.settings.set("export/template", str(path) if path else "")
        self.window.statusBar().showMessage(f"Notes will be exported with {self._name(path)}.", 6000)
        return True

    def choose(self) -> None:
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Export Template")
        current = QLabel(f"Exported notes are laid out with {self._name(self.path)}.")
        current.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        pick = QPushButton("Choose File…")
        own = QPushButton("Use Lectern's Own")
        own.setEnabled(self.path is not None)
        buttons.addButton(pick, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(own, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(dialog.reject)
        pick.clicked.connect(lambda: self._pick(dialog))
        own.clicked.connect(lambda: self._use_from(dialog, None))
        layout = QVBoxLayout(dialog)
        layout.addWidget(current)
        layout.addWidget(buttons)
        dialog.exec()

    def _pick(self, dialog: QDialog) -> None:
        start = str(self.path.parent) if self.path else ""
        name, _ = QFileDialog.getOpenFileName(dialog, "Export Template", start, "Templates (*.md *.j2 *.jinja *.txt);;"
                                              "All files (*)")
        if name:
            self._use_from(dialog, Path(name))

    def _use_from(self, dialog: QDialog, path: Path | None) -> None:
        if self.use(path):
            dialog.accept()

    @staticmethod
    def _name(path: Path | None) -> str:
        return f"the template {path}" if path else "Lectern's own template"
