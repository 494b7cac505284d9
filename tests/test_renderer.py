"""Large articles render in a process of their own, so the interpreter lock stays free for the window."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from desktop.core.errors import LecternError
from desktop.core.render import render_article
from desktop.library import LARGE_ARTICLE_BYTES, Library


def _large_article(corpus: Path) -> str:
    paragraph = "这是一段很长的正文，讲的是渲染。Some *emphasis* and `code`. " * 100  # ~7 KB
    body = "".join(f"## 第 {n} 节\n\n{paragraph}\n\n" for n in range(LARGE_ARTICLE_BYTES // 7000 + 2))
    (corpus / "large.md").write_text(f"---\ntitle: 很长的文章\n---\n{body}", encoding="utf-8")
    return "large.md"


def _render_meanwhile(library: Library, relpath: str) -> tuple[threading.Thread, list[BaseException | None]]:
    """Render `relpath` on a thread of its own; the outcome, once it is there: None, or why it stopped."""
    outcome: list[BaseException | None] = []

    def render() -> None:
        try:
            library.prepare(relpath)
            outcome.append(None)
        except LecternError as error:
            outcome.append(error)

    worker = threading.Thread(target=render)
    worker.start()
    return worker, outcome


def test_a_large_article_renders_in_another_process_as_it_would_here(library: Library, corpus: Path) -> None:
    relpath = _large_article(corpus)
    assert library.is_large(relpath)
    prepared = library.prepare(relpath)
    article, rendered = prepared.article, prepared.rendered
    assert rendered == render_article(article, images={})
    process = library._renderer._process
    assert process is not None and process.is_alive()  # the rendering process, kept for the next one
    assert library.prepare(relpath).rendered == rendered and library._renderer._process is process


def test_closing_the_library_stops_a_render_nobody_waits_for(library: Library, corpus: Path) -> None:
    relpath = _large_article(corpus)
    library.prepare(relpath)  # the process is started
    worker, outcome = _render_meanwhile(library, relpath)
    time.sleep(0.05)
    started = time.perf_counter()
    library.close()
    worker.join(10)
    assert not worker.is_alive() and time.perf_counter() - started < 5
    if outcome != [None]:  # unless it was already done, it says why it stopped
        with pytest.raises(LecternError, match="stopped"):
            raise outcome[0]  # type: ignore[misc]


def test_a_rendering_process_that_died_is_started_again(library: Library, corpus: Path) -> None:
    relpath = _large_article(corpus)
    library.prepare(relpath)
    first = library._renderer._process
    assert first is not None
    first.kill()
    first.join(5)
    assert library.prepare(relpath).rendered.text  # a new process renders it
    assert library._renderer._process is not first


def test_the_rendering_process_ends_quietly_when_the_window_is_gone(library: Library, corpus: Path) -> None:
    relpath = _large_article(corpus)
    library.prepare(relpath)
    renderer = library._renderer
    process, connection = renderer._process, renderer._connection
    assert process is not None and connection is not None
    article = library.load(relpath)
    connection.send((article, None, {}))  # an article asked for, then the window goes away
    connection.close()
    process.join(30)
    assert process.exitcode == 0  # no traceback for an answer nobody can take


def test_closing_while_the_process_is_being_started(library: Library, corpus: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from multiprocessing.context import SpawnProcess

    relpath = _large_article(corpus)
    real_start = SpawnProcess.start

    def slow_start(self: SpawnProcess) -> None:
        time.sleep(0.3)  # the window closes meanwhile
        real_start(self)

    monkeypatch.setattr(SpawnProcess, "start", slow_start)
    worker, outcome = _render_meanwhile(library, relpath)
    time.sleep(0.1)
    library.close()  # waits for the start, then stops the process
    worker.join(10)
    assert not worker.is_alive() and len(outcome) == 1
    process = library._renderer._process
    assert process is not None and not process.is_alive()
