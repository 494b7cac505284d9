"""The one way Lectern runs long work: a plain function on a thread pool, its progress, result and
failure delivered on the main thread as signals. Workers never touch Qt objects."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

__all__ = ["Task", "TaskRunner"]


class Task(QObject):
    """A running job. Connect to its signals; call cancel() to ask it to stop."""

    progress_changed = Signal(int, int)
    partial_result = Signal(object)  # a piece of the result, while the rest is still being worked on
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
    def __init__(self, task: Task, work: Callable[..., Any], with_progress: bool, with_partial: bool) -> None:
        super().__init__()
        self._task = task
        self._work: Callable[..., Any] | None = work
        self._with_progress = with_progress
        self._with_partial = with_partial

    def run(self) -> None:
        task = self._task
        arguments: dict[str, Any] = {}
        if self._with_progress:
            arguments.update(progress=task.progress_changed.emit, cancelled=task.is_cancelled)
        if self._with_partial:
            arguments.update(partial=task.partial_result.emit)
        work, self._work = self._work, None  # whatever the work captured goes with it once it has run
        assert work is not None
        try:
            result = work(**arguments)
        except BaseException as error:  # delivered to the main thread, which decides what to show
            task.failed.emit(error)
        else:
            task.finished.emit(result)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        # More threads than cores: at a corpus's opening two jobs (its tree, its files' stamps) run while the
        # article is rendered, and one of them waits on the disk most of the time.
        self._pool.setMaxThreadCount(max(4, self._pool.maxThreadCount()))
        # Jobs that run Python flat out (building and dismantling a corpus's tree) take turns on a thread of
        # their own: while workers run Python, each call the UI thread makes into Qt waits for the
        # interpreter lock, and two such workers double the wait (a tree repaint: 6 ms alone, 33 ms beside
        # one, 65 ms beside two).
        self._in_turn = QThreadPool(self)
        self._in_turn.setMaxThreadCount(1)
        self._running: set[Task] = set()

    def start(self, work: Callable[..., Any], *, finished: Callable[[Any], object] | None = None,
              failed: Callable[[BaseException], object] | None = None,
              progress: Callable[[int, int], object] | None = None,
              partial: Callable[[Any], object] | None = None, in_turn: bool = False) -> Task:
        """Run `work()` off the UI thread. Given `progress`, work is called with `progress=` and
        `cancelled=`; given `partial`, with a `partial=` callback that delivers pieces of the result as
        they come. The slots are connected before the work starts, so a quick job cannot finish unheard.
        `in_turn`: a job that runs Python without a pause, run after the other such jobs, one at a time."""
        task = Task(self)
        self._running.add(task)
        for signal, slot in ((task.progress_changed, progress), (task.partial_result, partial),
                             (task.finished, finished), (task.failed, failed)):
            if slot is not None:
                signal.connect(slot)
        # Queued after the slots above: the task, and all that its slots captured, is freed once they ran.
        task.finished.connect(lambda _result: self._done(task), Qt.ConnectionType.QueuedConnection)
        task.failed.connect(lambda _error: self._done(task), Qt.ConnectionType.QueuedConnection)
        (self._in_turn if in_turn else self._pool).start(_Job(task, work, progress is not None, partial is not None))
        return task

    def _done(self, task: Task) -> None:
        self._running.discard(task)
        task.deleteLater()

    def running(self) -> int:
        """Tasks started and not finished yet (finished ones are freed)."""
        return len(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has finished (at quit, and in tests)."""
        return all([self._in_turn.waitForDone(msecs), self._pool.waitForDone(msecs)])

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()
