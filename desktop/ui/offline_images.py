"""File → Keep Images for Offline Reading (this article, its folder, the whole corpus) and File → Clear
Image Cache…: the download runs on the task runner, a dialog shows its progress (counts and bytes),
cancels it and sums up what failed, by reason. Nothing is fetched but on these requests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from PySide6.QtCore import QObject, QStringListModel, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListView, QMenu, QProgressBar, QVBoxLayout, QWidget

from desktop.core.errors import LecternError
from desktop.library import Library
from desktop.offline_images import (
    CacheSize,
    FetchProgress,
    FetchReport,
    cache_size,
    clear_cache,
    find_remote_images,
    forget_undecodable,
    keep_images,
    relpaths_for,
)
from desktop.ui.messages import confirm, describe, show_error
from desktop.ui.tasks import Task, TaskRunner

__all__ = ["OfflineImagesController", "KeepImagesDialog", "describe_cache_size"]

ARTICLE, FOLDER, CORPUS = "article", "folder", "corpus"


def describe_cache_size(size: CacheSize) -> str:
    """How the cache's size is told to a person (the Clear dialog; the About dialog may say it the same way)."""
    return f"{size.images} images, {size.bytes / 1_000_000:.1f} MB"


class KeepImagesDialog(QDialog):
    """The progress of one download (counts and bytes), its Cancel, then its summary of failures."""

    cancel_requested = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keep images for offline reading")
        self.what = what
        self.status = QLabel(f"Finding the images of {what}…")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the images are counted
        self.failures = QListView()
        self.failures.setModel(QStringListModel(self))
        self.failures.setAccessibleName("Images that could not be kept, by reason")
        self.failures.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        for widget in (self.status, self.progress, self.failures, self.buttons):
            layout.addWidget(widget)
        self.resize(460, 160)
        self._finished = False

    def show_finding(self, done: int, total: int) -> None:
        """Reading the articles to find their images (a whole corpus takes a while)."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"Finding the images of {self.what}: {done} of {total} articles read…")

    def show_progress(self, done: FetchProgress) -> None:
        self.progress.setRange(0, max(done.total, 1))
        self.progress.setValue(done.done)
        failed = f", {done.failed} failed" if done.failed else ""
        self.status.setText(f"Fetching {done.done} of {done.total} images{failed} · "
                            f"{done.bytes / 1_000_000:.1f} MB")

    def show_report(self, report: FetchReport) -> None:
        self._finished = True
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        summary = report.summary()
        self.status.setText(summary[:1].upper() + summary[1:] + ".")
        model = self.failures.model()
        assert isinstance(model, QStringListModel)
        model.setStringList([f"{reason}: {count}" for reason, count in report.by_reason()])
        self.failures.setVisible(bool(report.failures))
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        if report.failures:
            self.resize(self.width(), 300)

    def show_failure(self, message: str) -> None:
        self._finished = True
        self.status.setText(message)
        self.progress.hide()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def _cancel_or_close(self) -> None:
        if self._finished:
            self.close()
        else:
            self.status.setText("Cancelling…")
            self.cancel_requested.emit()

    def reject(self) -> None:  # Escape or the title bar's close button: cancel, as the button does
        self._cancel_or_close()
        if self._finished:
            super().reject()


class OfflineImagesController(QObject):
    """Owns the menu entries and the download task; `images_changed` asks the window to show the open
    article again (its images kept, or the cache cleared)."""

    images_changed = Signal()

    def __init__(self, tasks: TaskRunner, window: QWidget,
                 where: Callable[[], tuple[Library | None, str | None]]) -> None:
        """`where()` is the open corpus and the open article's path (None when there is none)."""
        super().__init__(window)
        self._tasks = tasks
        self._window = window
        self._where = where
        self._task: Task | None = None
        self.dialog: KeepImagesDialog | None = None
        self.menu = QMenu("&Keep Images for Offline Reading", window)
        self.menu.setToolTip("Download the images these articles show, to read them offline (only when you ask)")
        self.article_action = self._add("This &Article", ARTICLE)
        self.folder_action = self._add("This Article's &Folder", FOLDER)
        self.corpus_action = self._add("The Whole &Corpus", CORPUS)
        self.menu.aboutToShow.connect(self._enable)
        self.clear_action = QAction("C&lear Image Cache…", window)
        self.clear_action.triggered.connect(self.clear_cache)

    def _add(self, text: str, scope: str) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: self.keep(scope))
        return action

    def _enable(self) -> None:
        library, relpath = self._where()
        idle = self._task is None
        self.article_action.setEnabled(idle and relpath is not None)
        self.folder_action.setEnabled(idle and relpath is not None)
        self.corpus_action.setEnabled(idle and library is not None)

    def is_running(self) -> bool:
        return self._task is not None

    def keep(self, scope: str) -> None:
        """Download the remote images of the open article, its folder or the whole corpus."""
        library, relpath = self._where()
        if library is None or self._task is not None or (relpath is None and scope != CORPUS):
            return
        article = folder = None
        if scope == ARTICLE:
            article, what = relpath, "this article"
        elif scope == FOLDER:
            parent = PurePosixPath(relpath or "").parent
            folder = "" if parent == PurePosixPath(".") else parent.as_posix()
            what = f"the folder {folder}" if folder else f"the corpus {library.root.name}"
        else:
            what = f"the corpus {library.root.name}"
        self.dialog = dialog = KeepImagesDialog(what, self._window)
        cache = library.image_cache

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool],
                 partial: Callable[[Any], None]) -> FetchReport:
            urls = find_remote_images(library, relpaths_for(library, article, folder), cancelled, progress)
            return keep_images(urls, cache, progress=partial, cancelled=cancelled)

        self._task = self._tasks.start(work, progress=dialog.show_finding, partial=dialog.show_progress,
                                       finished=self._finished, failed=self._failed)
        dialog.cancel_requested.connect(self._task.cancel)
        dialog.show()

    def _finished(self, report: FetchReport) -> None:
        self._task = None
        if self.dialog is not None:
            self.dialog.show_report(report)
        if report.fetched:
            self.images_changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._task = None
        if self.dialog is not None:
            self.dialog.show_failure(f"The images could not be kept: {describe(error)}")
        show_error(self._window, "Keep images for offline reading", error)

    def clear_cache(self) -> None:
        library, _ = self._where()
        if library is None or self._task is not None:
            return
        cache = library.image_cache
        try:
            size = cache_size(cache)
            if not confirm(self._window, "Clear image cache",
                           f"The image cache holds {describe_cache_size(size)}, kept for offline reading "
                           f"(in {cache.folder}).\n\nClear it? Articles show placeholders for their images until "
                           "you keep them again (which needs the network).", "Clear Image Cache"):
                return
            clear_cache(cache)
        except LecternError as error:
            show_error(self._window, "Clear image cache", error)
            return
        self.images_changed.emit()

    def image_undecodable(self, path: Path) -> None:
        """A kept image Qt cannot decode: a failed image from now on (its placeholder, with the reason)."""
        library, _ = self._where()
        if library is None or not forget_undecodable(library.image_cache, path):
            return
        # Told while Qt lays the article out: it is shown again once that is over.
        QTimer.singleShot(0, self, self.images_changed.emit)

