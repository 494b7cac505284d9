"""Live files (issue 9): notice when the open article's file changes on disk, and when files are added
to or removed from the corpus folders, without a restart.

One QFileSystemWatcher watches the open file and the corpus's folders. Editors save in bursts and often
replace a file (write a new one, rename it over the old), which drops it from the watcher: each change
is debounced, the file is watched again if it is back, and it counts as changed only when its stamp
(modification time, size, inode) differs from the one read last. The folders are listed on a worker."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from desktop.ui.tasks import TaskRunner

__all__ = ["LiveFiles", "FILE_DEBOUNCE_MS", "FOLDER_DEBOUNCE_MS"]

log = logging.getLogger(__name__)
FILE_DEBOUNCE_MS = 300
FOLDER_DEBOUNCE_MS = 500
MAX_FOLDERS = 4096  # inotify allows 8,192 watches per user by default: leave room for other programs

_Stamp = tuple[int, int, int] | None


def _stamp(path: Path) -> _Stamp:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def _folders(root: Path) -> list[str]:
    """`root` and the folders under it (hidden ones left out, as the listing does), at most MAX_FOLDERS."""
    found = [str(root)]
    for folder, names, _files in os.walk(root):
        names[:] = sorted(name for name in names if not name.startswith("."))
        found += [os.path.join(folder, name) for name in names]
        if len(found) >= MAX_FOLDERS:
            log.info("watching only the first %d folders of %s for added and removed files", MAX_FOLDERS, root)
            return found[:MAX_FOLDERS]
    return found


class LiveFiles(QObject):
    article_changed = Signal()  # the open article's file is not as it was read (changed, replaced, back, gone)
    corpus_changed = Signal()  # files were added to or removed from the corpus's folders

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self.watcher.directoryChanged.connect(self._folder_changed)
        self._file_timer = self._timer(FILE_DEBOUNCE_MS, self._check_file)
        self._folder_timer = self._timer(FOLDER_DEBOUNCE_MS, self._folders_settled)
        self._file: Path | None = None
        self._stamp: _Stamp = None
        self._root: Path | None = None
        self._generation = 0  # folder listings of an earlier corpus are dropped

    def _timer(self, interval: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    # -- what the window tells it -------------------------------------------------------------------------
    def watch_corpus(self, root: Path) -> None:
        """Watch `root`'s folders (listed on a worker) instead of the last corpus's."""
        self.leave_corpus()
        self._root = root
        self._list_folders()

    def leave_corpus(self) -> None:
        """Stop watching the corpus's folders (another corpus is opening)."""
        self._generation += 1
        self._root = None
        self._folder_timer.stop()
        if folders := self.watcher.directories():
            self.watcher.removePaths(folders)

    def watch_file(self, path: Path | None) -> None:
        """The article now in the reader, as it was just read (None: nothing is)."""
        if self._file is not None and self._file != path and str(self._file) in self.watcher.files():
            self.watcher.removePath(str(self._file))
        self._file = path
        self._stamp = _stamp(path) if path is not None else None
        self._file_timer.stop()
        if path is not None and self._stamp is not None and str(path) not in self.watcher.files():
            self.watcher.addPath(str(path))

    def stop(self) -> None:
        self._generation += 1
        self._file_timer.stop()
        self._folder_timer.stop()
        for paths in (self.watcher.files(), self.watcher.directories()):
            if paths:
                self.watcher.removePaths(paths)

    # -- internals -----------------------------------------------------------------------------------------
    def _file_changed(self, _path: str) -> None:
        self._file_timer.start()

    def _folder_changed(self, _path: str) -> None:
        self._folder_timer.start()
        self._file_timer.start()  # a file replaced by a rename shows only as a change of its folder

    def _check_file(self) -> None:
        if self._file is None:
            return
        stamp = _stamp(self._file)
        if stamp is not None and str(self._file) not in self.watcher.files():
            self.watcher.addPath(str(self._file))  # replaced (or back): watch the new file
        if stamp != self._stamp:
            self._stamp = stamp
            self.article_changed.emit()

    def _folders_settled(self) -> None:
        self.corpus_changed.emit()
        self._list_folders()  # a new folder is watched too

    def _list_folders(self) -> None:
        root, generation = self._root, self._generation
        if root is None:
            return
        self.tasks.start(lambda: _folders(root), finished=lambda folders: self._listed(generation, folders))

    def _listed(self, generation: int, folders: list[str]) -> None:
        if generation != self._generation:
            return
        watched = set(self.watcher.directories())
        new = [folder for folder in folders if folder not in watched]
        if new:
            self.watcher.addPaths(new)
