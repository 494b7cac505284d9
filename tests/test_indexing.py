"""The search index follows the corpus: first a full index, then only what changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.library import Library
from tests.conftest import SAMPLE


def test_unchanged_corpus_reindexes_nothing_and_one_changed_file_alone(library: Library, corpus: Path) -> None:
    first = library.scan()
    assert "5 new" in first.summary and len(first.entries) == 5
    again = library.scan()
    assert "0 new, 0 changed, 5 unchanged" in again.summary
    path = corpus / "003_94866a6898bf0002.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("AIGC的基本概念", "AIGC的全新概念"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime, whatever the clock's resolution
    changed = library.scan()
    assert "0 new, 1 changed, 4 unchanged" in changed.summary
    assert [r.relpath for r in library.search("全新概念").results] == ["003_94866a6898bf0002.txt"]
    assert library.search("基本概念").results == [] or all(
        r.relpath != "003_94866a6898bf0002.txt" for r in library.search("基本概念").results)


def test_rewritten_with_same_content_is_not_reindexed(library: Library, corpus: Path) -> None:
    library.scan()
    path = corpus / "000_2e1d597362795e42.txt"
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(2, 2))
    assert "0 changed, 5 unchanged" in library.scan().summary


def test_removed_and_added_files(library: Library, corpus: Path) -> None:
    library.scan()
    (corpus / "001_6217f8390a32708c.txt").unlink()
    (corpus / "new.md").write_text("# 新文章\n\n量子纠缠。", encoding="utf-8")
    scan = library.scan()
    assert "1 new" in scan.summary and "1 removed" in scan.summary
    assert {r.relpath for r in library.search("量子纠缠").results} == {"new.md"}


def test_rebuild_starts_afresh_and_keeps_annotations(library: Library) -> None:
    library.scan()
    opened = library.open_article("000_2e1d597362795e42.txt")
    library.add_highlight(opened, 0, 4, "yellow")
    assert "5 new" in library.scan(rebuild=True).summary
    library.index_path.unlink()  # losing the index loses nothing
    assert len(library.store.highlights(library.corpus)) == 1
    assert "5 new" in library.scan().summary


def test_a_large_first_index_runs_in_worker_processes_with_progress_and_cancel(library_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "many"
    corpus.mkdir()
    samples = sorted(SAMPLE.glob("*/*.md"))
    for number in range(450):  # above the in-process threshold
        source = samples[number % len(samples)]
        (corpus / f"{number:04d}-{source.name}").write_bytes(source.read_bytes())
    library = library_for(corpus)
    seen: list[tuple[int, int]] = []
    cancelled = library.scan(lambda done, total: seen.append((done, total)), cancelled=lambda: len(seen) >= 1)
    assert cancelled.cancelled and seen[0] == (200, 450) and len(cancelled.entries) == 200
    finished = library.scan(lambda done, total: seen.append((done, total)))
    assert not finished.cancelled and len(finished.entries) == 450
    assert "250 new, 0 changed, 200 unchanged" in finished.summary


@pytest.mark.skipif(not hasattr(os, "nice"), reason="process priorities are a POSIX matter")
def test_index_workers_give_way_to_the_window() -> None:
    from desktop.indexer import worker_pool

    with worker_pool(1) as pool:
        assert pool.submit(os.nice, 0).result() == min(os.nice(0) + 10, 19)  # a tenth of a core beside the window's


def test_same_size_edit_with_the_old_mtime_is_still_seen(library: Library, corpus: Path) -> None:
    library.scan()
    path = corpus / "003_94866a6898bf0002.txt"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("基本概念", "核心要义"), encoding="utf-8")
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or a sync tool would
    assert "1 changed" in library.scan().summary
    assert [r.relpath for r in library.search("核心要义").results] == ["003_94866a6898bf0002.txt"]


def test_a_rebuild_elsewhere_is_seen_by_an_open_library(library: Library, library_for, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    library.scan()
    assert library.search("隐私").results  # the window's connection is open
    (corpus / "new.md").write_text("# 长颈鹿\n\n长颈鹿的脖子。", encoding="utf-8")
    other = library_for(corpus)
    other.scan(rebuild=True)
    assert [r.relpath for r in library.search("长颈鹿").results] == ["new.md"]
    other.close()


def test_a_file_that_trips_a_bug_is_skipped_not_fatal(library: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.core import indexing

    original = indexing.extract_for_index

    def buggy(path: Path, root: Path):  # type: ignore[no-untyped-def]
        if path.name.startswith("001"):
            raise KeyError("surprise")
        return original(path, root)

    monkeypatch.setattr(indexing, "extract_for_index", buggy)
    scan = library.scan()
    assert len(scan.entries) == 4
    assert [(s.relpath, "please report this" in s.reason) for s in scan.skipped] == [("001_6217f8390a32708c.txt", True)]


def test_the_index_lives_in_the_cache_folder_and_an_old_one_moves_there(store, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.store.database import database_path
    from desktop.store.search_index import SearchIndex

    first = Library(corpus, store)
    assert first.index_path.is_relative_to(tmp_path / "cache") and not first.index_path.is_relative_to(
        database_path(store.db).parent)
    old = database_path(store.db).parent / "search-index" / first.index_path.name  # where 0.1 kept it
    index = SearchIndex(old)
    from desktop.indexer import update_index

    update_index(corpus, index)
    index.close()
    moved = Library(corpus, store)
    assert moved.index_path == first.index_path and moved.index_path.exists() and not old.exists()
    listing = moved.list_corpus()
    assert listing.current and len(listing.entries) == 5  # found again: nothing to read
    assert "0 new, 0 changed, 5 unchanged" in moved.scan().summary


def test_a_listing_knows_what_changed_without_reading(library: Library, corpus: Path) -> None:
    assert library.list_corpus().pending == tuple(sorted(path.name for path in corpus.iterdir()))
    library.scan()
    (corpus / "new.md").write_text("# 新\n\n正文", encoding="utf-8")
    (corpus / "000_2e1d597362795e42.txt").unlink()
    listing = library.list_corpus()
    assert listing.pending == ("new.md",) and listing.removed == 1 and not listing.current
    assert len(listing.entries) == 4 and all(entry.title for entry in listing.entries)


def test_workers_and_the_writer_index_exactly_what_one_process_does(library_for, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    monkeypatch) -> None:
    import sqlite3

    import desktop.indexer

    corpus = tmp_path / "many"
    corpus.mkdir()
    for number, source in enumerate(sorted(SAMPLE.glob("*/*.md")) * 4):
        (corpus / f"{number:03d}-{source.name}").write_bytes(source.read_bytes())

    def indexed(in_process_below: int) -> list[tuple[object, ...]]:
        monkeypatch.setattr(desktop.indexer, "_IN_PROCESS_BELOW", in_process_below)
        library = library_for(corpus)
        library.index_path.unlink(missing_ok=True)
        library.scan()
        conn = sqlite3.connect(library.index_path)
        rows = conn.execute("SELECT f.relpath, f.title, f.tags, f.warnings, t.text FROM files f JOIN texts t"
                            " ON t.file_id = f.id ORDER BY f.relpath").fetchall()
        rows += conn.execute("SELECT f.relpath FROM fts JOIN files f ON f.id = fts.rowid WHERE fts MATCH"
                             " '\"数据\"' ORDER BY f.relpath").fetchall()
        conn.close()
        return rows

    assert indexed(0) == indexed(10_000)  # worker processes, then all in this process
