"""Large articles are rendered in a process of their own. Rendering is pure Python (markdown-it,
BeautifulSoup, Pygments) and takes seconds for a 1 MB post; on a thread it would hold the interpreter lock
that the UI thread needs for every call into Python, and the window would stall (measured: 0.1-0.5 s at
a time). The process starts with the first large article and stays for the next ones; closing stops it
at once, even in the middle of an article, and a process that dies is an error for that article only."""

from __future__ import annotations

import multiprocessing
import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from desktop.core.code_colours import DEFAULT_PALETTE
from desktop.core.errors import LecternError
from desktop.core.images import ImageLookup
from desktop.core.model import Article, RenderedArticle
from desktop.core.render import render_article

__all__ = ["ArticleRenderer"]

_LOOK_UP_S = 0.1  # how often a caller waiting for its article checks that the process is still there


def _serve(connection: Connection) -> None:
    """The rendering process: an article in, its rendering (or the error) out, until told to stop or
    the window is gone. Ctrl-C in a terminal is the window's to handle: it stops this process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            article, palette, images = connection.recv()
        except EOFError:
            return
        try:
            answer: object = render_article(article, palette, images)
        except Exception as error:  # the caller raises it: one article's failure, not the process's
            answer = error
        try:
            connection.send(answer)
        except OSError:  # the window closed (or was killed) meanwhile: nobody to answer
            return


class ArticleRenderer:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # one article at a time through the pipe
        self._life = threading.Lock()  # the process is started, or stopped, whole (close() may come from any thread)
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._closed = False

    def render(self, article: Article, palette: str | None = DEFAULT_PALETTE,
               images: ImageLookup | None = None) -> RenderedArticle:
        """Render `article` (in `palette`'s code colours, with what the image cache knows of its `images`)
        in the rendering process, from any thread: calls wait their turn."""
        with self._lock:
            with self._life:
                if self._closed:
                    raise LecternError(f"rendering {article.relpath} was stopped")
                if self._process is None or not self._process.is_alive():
                    self._start()
                process, connection = self._process, self._connection
            assert process is not None and connection is not None
            try:
                connection.send((article, palette, images))
                while not connection.poll(_LOOK_UP_S):
                    if self._closed or not process.is_alive():
                        raise LecternError(f"rendering {article.relpath} was stopped")
                answer = connection.recv()
            except (OSError, EOFError) as error:  # the process was stopped under us
                raise LecternError(f"rendering {article.relpath} was stopped") from error
        if isinstance(answer, BaseException):
            raise answer
        if not isinstance(answer, RenderedArticle):
            raise LecternError(f"rendering {article.relpath} gave no article")
        return answer

    def _start(self) -> None:
        # spawn, not fork: the caller may be a thread of a Qt application.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs,), name="lectern-renderer", daemon=True)
        self._process.start()
        theirs.close()
        self._connection = ours

    def close(self) -> None:
        """Stop the process at once (a caller still waiting hears that its article was stopped)."""
        with self._life:  # a process being started is started first, then stopped
            self._closed = True
            process, connection = self._process, self._connection
        if process is not None:
            process.terminate()
            process.join(5)
        if connection is not None:
            connection.close()
