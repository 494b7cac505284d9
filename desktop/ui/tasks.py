"""The one way Lectern runs long work: a plain function on a thread pool, its progress, result and
failure delivered on the main thread as signals. Workers never touch Qt objects."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

__all__ = ["Task", "TaskRunner"]


class Task(QObject):
    """A running job. Connect to its signals; call cancel() to ask it to stop."""

    progress_changed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Job(QRunnable):
    def __init__(self, task: Task, work: Callable[..., Any], with_progress: bool) -> None:
        super().__init__()
        self._task = task
        self._work = work
        self._with_progress = with_progress

    def run(self) -> None:
        task = self._task
        try:
            if self._with_progress:
                result = self._work(progress=task.progress_changed.emit, cancelled=task.is_cancelled)
            else:
                result = self._work()
        except BaseException as error:  # delivered to the main thread, which decides what to show
            task.failed.emit(error)
        else:
            task.finished.emit(result)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._running: set[Task] = set()

    def start(self, work: Callable[..., Any], with_progress: bool = False) -> Task:
        """Run `work()` (or `work(progress=, cancelled=)`) off the UI thread."""
        task = Task(self)
        self._running.add(task)
        task.finished.connect(lambda _result: self._running.discard(task))
        task.failed.connect(lambda _error: self._running.discard(task))
        self._pool.start(_Job(task, work, with_progress))
        return task

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has finished (at quit, and in tests)."""
        return self._pool.waitForDone(msecs)

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()
