"""Comparing a corpus's files with what the index knows of them, as the checker's process does it."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.corpus import list_article_files
from desktop.file_check import check_files
from desktop.library import Library


def _indexed(library: Library) -> str:
    library.scan()
    generation = library.knowledge().generation  # also takes the snapshot the checker reads
    assert generation is not None
    return generation


def test_unchanged_files_are_one_word_and_any_change_is_the_whole_listing(library: Library, corpus: Path) -> None:
    generation = _indexed(library)
    assert check_files((library.root, library.index_path)) == (generation, None)

    article = corpus / list_article_files(corpus)[0].relpath
    os.utime(article, ns=(0, article.stat().st_mtime_ns + 1))  # touched: another stamp
    answer, pieces = check_files((library.root, library.index_path))
    assert answer == generation and pieces is not None
    listed = library.check_files(None).files
    assert listed == list_article_files(library.root)


def test_without_an_index_or_snapshot_the_files_are_listed(library: Library) -> None:
    generation, pieces = check_files((library.root, library.index_path))
    assert generation is None and pieces is not None


def test_the_checkers_process_answers_as_the_function_does(library: Library, corpus: Path) -> None:
    from desktop.library import FileChecker

    generation = _indexed(library)
    checker = FileChecker()
    try:
        assert checker.check(library.root, library.index_path) == (generation, None)
        (corpus / "added.md").write_text("---\ntitle: 新的\n---\n正文\n", encoding="utf-8")
        check = checker.check(library.root, library.index_path)
        assert check.files == list_article_files(library.root)  # the same listing, piece by piece
    finally:
        checker.close()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["keep", "touch", "remove", "add"]), min_size=1, max_size=6))
def test_any_change_while_closed_is_seen(tmp_path_factory, changes: list[str]) -> None:  # type: ignore[no-untyped-def]
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database

    folder = tmp_path_factory.mktemp("corpus")
    for number in range(6):
        (folder / f"post-{number}.md").write_text(f"---\ntitle: 文章 {number}\n---\n正文 {number}\n", encoding="utf-8")
    library = Library(folder, AnnotationStore(open_database(folder.parent / f"{folder.name}.db")),
                      index_path=folder.parent / f"{folder.name}-index.db")
    _indexed(library)
    for number, change in enumerate(changes):
        path = folder / f"post-{number}.md"
        if change == "touch":
            path.write_text(f"---\ntitle: 改过 {number}\n---\n新的正文\n", encoding="utf-8")
        elif change == "remove":
            path.unlink()
        elif change == "add":
            (folder / f"extra-{number}.md").write_text("---\ntitle: 新\n---\n正文\n", encoding="utf-8")
    unchanged = set(changes) == {"keep"}
    assert (check_files((library.root, library.index_path))[1] is None) == unchanged
    library.close()


def test_a_checker_that_cannot_answer_leaves_the_listing_to_the_library(library: Library, caplog) -> None:  # type: ignore[no-untyped-def]
    from desktop.library import FileChecker

    checker = FileChecker()
    checker.close()  # stopped (the window is closing, or the process could not start)
    check = library.check_files(checker)
    assert check.files == list_article_files(library.root)
    assert "without the checker" in caplog.text


def test_a_check_sent_ahead_answers_the_same_check_and_no_other(library: Library, corpus: Path,
                                                                 tmp_path: Path) -> None:
    from desktop.library import FileChecker

    generation = _indexed(library)
    checker = FileChecker()
    try:
        checker.check_ahead(library.root, library.index_path)  # as the app does while the window is built
        assert checker.check(library.root, library.index_path) == (generation, None)
        other = tmp_path / "other"
        other.mkdir()
        (other / "post.md").write_text("---\ntitle: 别的\n---\n正文\n", encoding="utf-8")
        checker.check_ahead(other, tmp_path / "no-index.db")  # then another corpus is opened instead
        assert checker.check(library.root, library.index_path) == (generation, None)
    finally:
        checker.close()


def test_a_folder_the_checker_cannot_read_is_said_as_it_is(library: Library, corpus: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    import shutil

    import pytest

    from desktop.core.errors import LecternError
    from desktop.library import FileChecker

    checker = FileChecker()
    try:
        shutil.rmtree(corpus)  # gone while Lectern was closed
        with pytest.raises(LecternError, match="not a folder"):
            library.check_files(checker)
        assert "without the checker" not in caplog.text  # the checker answered; nothing is listed twice
    finally:
        checker.close()
