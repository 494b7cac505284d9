"""File → Back Up Annotations Now and File → Restore Annotations…: the command line's `lectern backup`
and `lectern restore`, in the window. Restoring lists the backups with their dates and sizes and says
what happens to the current annotations before anything changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListView, QVBoxLayout, QWidget

from desktop.store.backups import list_backups

__all__ = ["RestoreDialog", "describe_backup"]


def describe_backup(path: Path) -> str:
    status = path.stat()
    when = dt.datetime.fromtimestamp(status.st_mtime).strftime("%Y-%m-%d %H:%M")
    return f"{when}   {status.st_size / 1024:,.0f} KB   {path.name}"


class RestoreDialog(QDialog):
    """Choose a backup of the annotation database at `database`; `chosen()` is it, after exec()."""

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore annotations from a backup")
        self.backups = list_backups(database)
        explanation = QLabel(
            "The backup you choose replaces your current annotations. The current database is not lost: "
            f"it is kept beside it as {database.stem}.set-aside-(date){database.suffix}, and can be restored "
            "the same way." if self.backups else f"There are no backups of {database} yet.")
        explanation.setWordWrap(True)
        self.list = QListView()
        self.list.setModel(QStringListModel([describe_backup(path) for path in self.backups], self))
        self.list.setAccessibleName("Backups, newest first")
        if self.backups:
            self.list.setCurrentIndex(self.list.model().index(0, 0))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        restore = self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        restore.setEnabled(bool(self.backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.doubleClicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 360)

    def chosen(self) -> Path | None:
        index = self.list.currentIndex()
        return self.backups[index.row()] if index.isValid() and self.backups else None
