"""A corpus of thousands of posts: the tree is there before indexing ends, the reader works meanwhile,
titles fill in, Problems say what matters, and the index lives in the cache folder."""

from __future__ import annotations

import threading
import time
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.scale_corpus import make_scale_corpus
from tests.ui.conftest import search, select


@pytest.fixture
def held_index(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Indexing waits until the test lets it go: what the user can do meanwhile is then certain."""
    import desktop.library.library

    release = threading.Event()
    real = desktop.library.library.update_index

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert release.wait(30), "the test never let indexing go"
        return real(*args, **kwargs)

    monkeypatch.setattr(desktop.library.library, "update_index", held)
    return release


def _window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(AnnotationStore(open_database(tmp_path / "db" / "annotations.db")), settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_tree_first_then_read_and_highlight_while_indexing(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           held_index: threading.Event) -> None:
    corpus = make_scale_corpus(tmp_path / "corpus", 2000)
    window = _window(qtbot, tmp_path)
    with qtbot.waitSignal(window.corpus.tree_shown, timeout=10_000):
        window.open_corpus(corpus)
    model = window.corpus_model
    row = model.find("_posts/2024-02-01-00001.md")
    assert row.data() == "2024-02-01-00001" and row.data(Qt.ItemDataRole.FontRole).italic()  # not read yet
    assert window.is_scanning() and not window.corpus.is_complete()
    qtbot.waitUntil(lambda: window.opened is not None)
    window.open_article("_posts/2024-02-01-00001.md")
    assert window.opened is not None and window.opened.article.title == "第1篇"
    quote = window.opened.rendered.text.strip()[:6]
    select(window, quote)
    highlight_id = window.highlight_selection()
    assert highlight_id is not None and window.store.highlight(highlight_id).anchor.exact == quote
    search(qtbot, window, "第1篇")  # search works on what is indexed, and says it is not everything
    assert "incomplete: 0 of 2,000 articles indexed so far" in window.search_pane.summary.text()

    held_index.set()
    qtbot.waitUntil(lambda: not window.is_scanning(), timeout=60_000)
    assert window.corpus.is_complete()
    assert model.find("_posts/2024-02-01-00001.md").data() == "第1篇"
    assert window.corpus_summary.text() == "2,000 articles"
    assert window.opened.article.relpath == "_posts/2024-02-01-00001.md"  # the reader was left alone
    assert window.library is not None and window.library.list_corpus().current
    search(qtbot, window, "第1篇")
    assert "incomplete" not in window.search_pane.summary.text()


def test_rebuilt_tree_keeps_the_users_place(qtbot, tmp_path: Path, held_index: threading.Event) -> None:  # type: ignore[no-untyped-def]
    corpus = make_scale_corpus(tmp_path / "corpus", 1500)
    window = _window(qtbot, tmp_path)
    with qtbot.waitSignal(window.corpus.tree_shown, timeout=10_000):
        window.open_corpus(corpus)
    chosen = window.corpus_model.find("_posts/2024-03-01-01202.md")
    window.tree.setExpanded(chosen.parent(), True)
    window.tree.setCurrentIndex(chosen)
    model = window.corpus_model
    window.tree.setExpanded(model.index(2, 0), True)  # Categories opened, then closed again
    window.tree.setExpanded(model.index(2, 0), False)
    window.tree.setExpanded(model.index(3, 0), True)  # Dates opened
    freed_by: list[str] = []  # the tree replaced is freed on a worker, not on the UI thread
    weakref.finalize(window.corpus_model.tree, lambda: freed_by.append(threading.current_thread().name))
    held_index.set()
    qtbot.waitUntil(lambda: not window.is_scanning(), timeout=60_000)
    qtbot.waitUntil(window.tree.updatesEnabled)  # a swapped tree is painted once the user's place is back
    current = window.tree.currentIndex()
    assert current.data() == "第1202篇" and window.tree.isExpanded(current.parent())
    assert [window.tree.isExpanded(model.index(row, 0)) for row in (2, 3)] == [False, True]
    assert window.opened is not None and window.opened.article.relpath == "_posts/2024-03-01-01202.md"
    qtbot.waitUntil(lambda: bool(freed_by))
    assert freed_by != [threading.main_thread().name]


def test_problems_group_by_kind_and_harmless_keys_are_not_problems(make_window, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    for number in range(30):
        (corpus / f"repeats-{number}.md").write_text("---\ntitle: t\nimage: a\nimage: b\n---\nbody\n", encoding="utf-8")
    (corpus / "bin-1.md").write_bytes(b"\x00\x01")
    (corpus / "bin-2.md").write_bytes(b"\x00\x02")
    (corpus / "bad-yaml.md").write_text("---\ntitle: 'never closed\n---\nbody\n", encoding="utf-8")
    window = make_window()
    model = window.corpus_model
    problems = model.index(model.rowCount() - 1, 0)
    assert problems.data() == "Problems (3)"
    kinds = [model.index(row, 0, problems).data() for row in range(model.rowCount(problems))]
    assert kinds == ["Not text (binary files) (2)", "Front matter is not valid (metadata ignored) (1)",
                     "Front matter repeats a key Lectern does not read (harmless) (30)"]
    assert not window.tree.isExpanded(model.index(2, 0, problems))
    window.statusBar().clearMessage()
    window.open_article("repeats-3.md")
    assert window.statusBar().currentMessage() == ""  # nothing to warn about


def test_finished_tasks_are_freed(qtbot) -> None:  # type: ignore[no-untyped-def]
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    from desktop.ui.tasks import Task, TaskRunner

    class Cache:
        pass

    runner = TaskRunner()
    cache = Cache()
    seen = weakref.ref(cache)
    results: list[object] = []
    for _ in range(5):
        runner.start(lambda cache=cache: cache, finished=results.append)
    del cache
    qtbot.waitUntil(lambda: len(results) == 5)
    results.clear()
    qtbot.waitUntil(lambda: runner.running() == 0)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert runner.findChildren(Task) == [] and seen() is None


def test_a_stalled_ui_thread_is_logged(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    import time

    from desktop.ui.watchdog import StallWatchdog

    watchdog = StallWatchdog()
    watchdog.start()
    qtbot.wait(60)
    time.sleep(0.25)  # the UI thread is blocked
    qtbot.wait(60)
    stalls = [record for record in caplog.records if record.getMessage().startswith("UI stalled")]
    assert len(stalls) == 1 and stalls[0].levelname == "WARNING" and 200 <= watchdog.longest_ms <= 400


def test_the_window_counts_as_shown_once_painted(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from desktop.ui.first_paint import once_painted

    label = QLabel("Lectern")
    qtbot.addWidget(label)
    painted: list[bool] = []
    label.show()  # as the app does: shown, then waiting for its first paint
    once_painted(label, lambda: painted.append(label.windowHandle().isExposed()))
    assert painted == []  # not while show() returns: the paint comes with the event loop
    qtbot.waitUntil(lambda: painted == [True])
    once_painted(label, lambda: painted.append(True))  # already on screen: at the next turn
    qtbot.waitUntil(lambda: len(painted) == 2)


def test_a_restart_shows_what_the_index_knew_then_what_changed_meanwhile(make_window, corpus: Path,  # type: ignore[no-untyped-def]
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.library.library
    from tests.ui.conftest import restart

    window = make_window()
    first = sorted(path.name for path in corpus.iterdir())
    # While Lectern is closed: one article goes, one comes.
    (corpus / first[0]).unlink()
    (corpus / "new-post.md").write_text("---\ntitle: 新来的文章\n---\n正文\n", encoding="utf-8")
    names_listed: list[Path] = []
    listing = desktop.library.library
    real = listing.list_article_names
    monkeypatch.setattr(listing, "list_article_names", lambda root: names_listed.append(root) or real(root))
    window = restart(window, make_window)
    assert names_listed == []  # the first tree came from the index's knowledge, not from a listing
    folders = window.corpus_model.index(0, 0)
    shown = {window.corpus_model.index(row, 0, folders).data() for row in range(window.corpus_model.rowCount(folders))}
    assert "新来的文章" in shown and len(shown) == len(first)
    assert window.corpus.is_complete()
    assert window.opened is not None and (corpus / window.opened.article.relpath).is_file()


def test_a_restart_compares_the_files_in_the_checkers_process(make_window, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.corpus import list_article_files
    from desktop.library import FileChecker
    from tests.ui.conftest import restart

    checker = FileChecker()
    checker.start()  # as the app does, before the window
    try:
        window = make_window(file_checker=checker)
        window.close()
        window.store.db.close()
        # Nothing changed: the tree built from what the index knew is the corpus, and said complete.
        window = make_window(file_checker=checker)
        assert window.corpus.is_complete() and window.opened is not None
        assert checker.check(window.library.root, window.library.index_path).files is None
        # While closed: one article edited, one added. The checker lists the files; both are read.
        first = corpus / list_article_files(corpus)[0].relpath
        first.write_text(first.read_text(encoding="utf-8").replace("title:", "title: 改过的", 1), encoding="utf-8")
        (corpus / "new-post.md").write_text("---\ntitle: 新来的文章\n---\n正文\n", encoding="utf-8")
        window = restart(window, lambda: make_window(file_checker=checker))
        folders = window.corpus_model.index(0, 0)
        shown = {window.corpus_model.index(row, 0, folders).data()
                 for row in range(window.corpus_model.rowCount(folders))}
        assert "新来的文章" in shown and any(title.startswith("改过的") for title in shown)
        assert window.corpus.is_complete()
    finally:
        checker.close()


def test_jobs_that_run_python_flat_out_take_turns(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Tree builds and dismantlings run one at a time (each beside others doubles the UI thread's waits
    for the interpreter lock); other jobs run beside them."""
    from desktop.ui.tasks import TaskRunner

    runner = TaskRunner()
    running, most, lock = [0], [0], threading.Lock()
    beside_them = threading.Event()

    def busy() -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        beside_them.wait(5)  # the other kind of job gets to run meanwhile
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    done: list[object] = []
    for _ in range(3):
        runner.start(busy, finished=done.append, in_turn=True)
    runner.start(beside_them.set, finished=done.append)
    qtbot.waitUntil(lambda: len(done) == 4, timeout=10_000)
    assert most[0] == 1
    assert runner.wait(1000)
