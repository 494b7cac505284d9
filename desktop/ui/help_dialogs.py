"""Help → Keyboard Shortcuts (read from the window's real actions, so it never drifts from them) and
Help → About (versions, and where Lectern keeps its files)."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.offline_images import cache_size, default_image_cache
from desktop.paths import cache_dir, log_dir
from desktop.store.backups import backup_dir
from desktop.ui.offline_images import describe_cache_size

__all__ = ["Place", "data_places", "shortcut_rows", "ShortcutsDialog", "AboutDialog"]


@dataclass(frozen=True)
class Place:
    """One line of About's list: what is kept, and where (or how much)."""
    label: str
    path: Path | None = None
    note: str = ""


def data_places(database: Path) -> list[Place]:
    """Where Lectern keeps the user's files and its derived data. A feature with files of its own adds
    its line here."""
    return [
        Place("Annotations", database),
        Place("Backups", backup_dir(database)),
        Place("Search indexes", cache_dir() / "search-index", "derived data: safe to delete"),
        Place("Images kept for offline reading", default_image_cache().folder,
              f"{describe_cache_size(cache_size())}; derived data: File → Clear Image Cache…"),
        Place("Log", log_dir()),
    ]


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_rows(menu_bar: QMenuBar, window: QWidget) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every action with a shortcut: those in the menus, in menu order, then
    those that live elsewhere (on a list, say)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if (sub := action.menu()) is not None and isinstance(sub, QMenu):
                walk(sub, f"{path} → {_plain(sub.title())}")
            elif action.shortcuts() and id(action) not in seen:
                seen.add(id(action))
                rows.append((path, _plain(action.text()), _keys(action)))

    for action in menu_bar.actions():
        if isinstance(menu := action.menu(), QMenu):
            walk(menu, _plain(menu.title()))
    for action in window.findChildren(QAction):
        if action.shortcuts() and id(action) not in seen and action.text():
            seen.add(id(action))
            rows.append(("", _plain(action.text()), _keys(action)))
    return rows


def _keys(action: QAction) -> str:
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        for row in rows:
            self.model.appendRow([QStandardItem(text) for text in row])
        table = QTableView()
        table.setModel(self.model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(640, 560)


class AboutDialog(QDialog):
    def __init__(self, places: list[Place], data_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Lectern")
        self.data_folder = data_folder
        lines = "".join(
            f"<tr><td><b>{place.label}</b></td><td>{place.path or ''}"
            f"{' — ' if place.path and place.note else ''}{place.note}</td></tr>" for place in places)
        self.text = QLabel(
            f"<h2>Lectern {__version__}</h2>"
            "<p>A reader and annotator for a local corpus of articles. It works offline.</p>"
            f"<p>Qt {qVersion()} · Python {platform.python_version()}</p>"
            f"<table cellspacing='4'>{lines}</table>")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_folder = buttons.addButton("Open Data Folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder.clicked.connect(self.show_data_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def show_data_folder(self) -> bool:
        """Open the data folder (the annotations' folder) in the file manager."""
        self.data_folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder)))
