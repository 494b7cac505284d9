"""A Python process of Lectern's own that answers one request at a time, for work that would otherwise hold
the interpreter lock the UI thread needs (rendering a large article, stat()ing a whole corpus). It is
started on demand, or ahead of time so that its start-up is paid while the window is being built; it stays
for the next request; closing stops it at once, even in the middle of a request; and a process that dies
is an error for that request only (the next one starts another)."""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from desktop.core.errors import LecternError

__all__ = ["HelperProcess", "HelperStopped"]

class HelperStopped(LecternError):
    """The helper process was stopped, died, or could not be started: not an answer to the request."""


_LOOK_UP_S = 0.1  # how often a caller waiting for its answer checks that the process is still there


def _serve(connection: Connection, handler: Callable[[object], object]) -> None:
    """The helper process: a request in, `handler`'s answer (or its error) out, until told to stop or the
    window is gone. Ctrl-C in a terminal is the window's to handle: it stops this process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        try:
            answer = handler(request)
        except Exception as error:  # the caller raises it: one request's failure, not the process's
            answer = error
        try:
            connection.send(answer)
        except OSError:  # the window closed (or was killed) meanwhile: nobody to answer
            return


class HelperProcess:
    """`handler` must be a module-level function (the process imports it by name)."""

    def __init__(self, name: str, handler: Callable[[object], object]) -> None:
        self.name = name
        self._handler = handler
        self._lock = threading.Lock()  # one request at a time through the pipe
        self._life = threading.Lock()  # the process is started, or stopped, whole (close() may come from any thread)
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._closed = False
        self._ahead: object = None  # a request sent ahead, whose answer is still in the pipe

    def start(self) -> None:
        """Start the process now, ahead of its first request (no-op when it runs)."""
        with self._life:
            if not self._closed and (self._process is None or not self._process.is_alive()):
                self._start()

    def send_ahead(self, request: object) -> None:
        """Start on `request` now, without waiting: the next `call` with an equal request takes its answer
        (any other call drops it)."""
        with self._lock:
            try:
                process, connection = self._running()
                self._drop_ahead(process, connection)
                connection.send(request)
                self._ahead = request
            except (HelperStopped, OSError, EOFError):
                self._ahead = None  # the call will say what went wrong

    def call(self, request: object, what: str) -> object:
        """`request`'s answer, from any thread (calls wait their turn); its error is raised here. `what` names
        the request in the error raised when the process is stopped meanwhile."""
        with self._lock:
            try:
                process, connection = self._running()
                if self._ahead is not None and self._ahead == request:
                    self._ahead = None
                else:
                    self._drop_ahead(process, connection)
                    connection.send(request)
                answer = self._answer(process, connection)
            except (HelperStopped, OSError, EOFError) as error:  # stopped under us, or could not start
                raise HelperStopped(f"{what} was stopped") from error
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _running(self) -> tuple[BaseProcess, Connection]:
        with self._life:
            if self._closed:
                raise HelperStopped("stopped")
            if self._process is None or not self._process.is_alive():
                self._ahead = None  # a new process: nothing was sent to it
                self._start()
            assert self._process is not None and self._connection is not None
            return self._process, self._connection

    def _answer(self, process: BaseProcess, connection: Connection) -> object:
        while not connection.poll(_LOOK_UP_S):
            if self._closed or not process.is_alive():
                raise HelperStopped("stopped")
        return connection.recv()

    def _drop_ahead(self, process: BaseProcess, connection: Connection) -> None:
        if self._ahead is not None:
            self._ahead = None
            self._answer(process, connection)  # an answer nobody asked for after all

    def _start(self) -> None:
        # spawn, not fork: the caller may be a thread of a Qt application.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, self._handler), name=self.name, daemon=True)
        self._process.start()
        theirs.close()
        self._connection = ours

    def close(self) -> None:
        """Stop the process at once (a caller still waiting hears that its request was stopped)."""
        with self._life:  # a process being started is started first, then stopped
            self._closed = True
            process, connection = self._process, self._connection
        if process is not None:
            process.terminate()
            process.join(5)
        if connection is not None:
            connection.close()
