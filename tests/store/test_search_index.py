"""The search index file: derived data that is replaced when stale or damaged, never when merely busy."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from desktop.core.model import CorpusEntry
from desktop.store.index_generation import snapshot_stamps
from desktop.store.search_index import SearchIndex


def test_concurrent_openers_of_a_new_index_share_it(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    seen: list[object] = []

    def open_one() -> None:  # each thread its own connection, as Lectern's worker and window do
        try:
            index = SearchIndex(path)
            seen.append(index.known())
            index.close()
        except BaseException as error:  # collected for the assertion below
            seen.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [{}, {}, {}, {}]


def test_a_busy_index_opens_at_once_and_is_never_replaced(tmp_path: Path) -> None:
    import time

    path = tmp_path / "index.db"
    SearchIndex(path).close()
    writer = sqlite3.connect(path)
    writer.execute("BEGIN IMMEDIATE")  # a scan is writing a batch
    writer.execute("INSERT INTO meta VALUES ('busy', 'yes')")
    started = time.perf_counter()
    index = SearchIndex(path)  # the window's search connection: no write lock needed, no wait
    assert time.perf_counter() - started < 1
    writer.commit()
    assert index.conn.execute("SELECT value FROM meta WHERE key = 'busy'").fetchone() == ("yes",)  # same file
    index.close()
    writer.close()


def test_stale_or_damaged_index_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    index = SearchIndex(path)
    index.conn.execute("UPDATE meta SET value = 'lectern-search-0' WHERE key = 'schema'")
    index.conn.commit()
    index.close()
    index = SearchIndex(path)
    assert index.conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() != ("lectern-search-0",)
    index.close()
    path.write_bytes(b"garbage" * 1000)
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    SearchIndex(path).close()


def _indexed(corpus: Path, path: Path) -> SearchIndex:
    from desktop.indexer import update_index

    index = SearchIndex(path)
    update_index(corpus, index)
    return index


def test_a_restart_reads_what_the_index_knows_from_its_snapshot(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    index = _indexed(corpus, path)
    read_from_sqlite = index.known()
    snapshot = path.with_name("index.db.known")
    assert snapshot.is_file()
    # Change a title behind the index's back (no write through it): the snapshot, not SQLite, answers.
    index.conn.execute("UPDATE files SET title = 'behind its back'")
    index.conn.commit()
    assert index.known() == read_from_sqlite
    assert len(read_from_sqlite) == 5 and all(known.item.title for known in read_from_sqlite.values())


def test_a_restarts_articles_share_their_labels_and_days(tmp_path: Path) -> None:
    """60,000 articles carry 130,000 tags but 10,000 distinct ones: read from the snapshot, each label and
    each day is one object, however many articles have it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(3):
        (corpus / f"{number}.md").write_text(f"---\ntitle: 第{number}篇\ndate: 2024-05-01\ntags: [人工智能, 大模型]\n"
                                             "categories: [技术]\n---\n正文\n", encoding="utf-8")
    path = tmp_path / "index.db"
    _indexed(corpus, path).close()
    index = SearchIndex(path)  # a restart: the snapshot answers
    entries = [known.item for known in index.known().values()]
    index.close()
    first, *others = entries
    assert isinstance(first, CorpusEntry) and first.tags == ("人工智能", "大模型") and len(others) == 2
    for other in others:
        assert isinstance(other, CorpusEntry)
        assert [id(tag) for tag in other.tags] == [id(tag) for tag in first.tags]
        assert other.categories[0] is first.categories[0] and other.date is first.date


def test_any_write_through_the_index_makes_its_snapshot_stale(corpus: Path, tmp_path: Path) -> None:
    from desktop.indexer import update_index

    path = tmp_path / "index.db"
    index = _indexed(corpus, path)
    index.known()
    article = sorted(corpus.iterdir())[0]
    article.write_text(article.read_text(encoding="utf-8").replace("title:", "title: 改过的", 1), encoding="utf-8")
    update_index(corpus, index)
    titles = [known.item.title for known in index.known().values()]
    assert any(title.startswith("改过的") for title in titles)
    article.unlink()
    update_index(corpus, index)
    assert len(index.known()) == 4
    index.rebuild()
    assert index.known() == {}


def test_a_damaged_or_foreign_snapshot_is_ignored(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    index = _indexed(corpus, path)
    expected = index.known()
    snapshot = path.with_name("index.db.known")
    whole = snapshot.read_bytes()
    stamps = snapshot_stamps(path)
    assert stamps is not None and set(stamps[1]) == set(expected)
    snapshot.write_bytes(whole[:60])  # cut inside the stamps: the checker compares with nothing
    assert snapshot_stamps(path) is None
    snapshot.write_bytes(whole[: len(whole) // 2])
    assert index.known() == expected
    index.close()
    kept = snapshot.read_bytes()
    for suffix in ("", "-wal", "-shm", ".known"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    index = SearchIndex(path)  # a new, empty index: the old snapshot is not its own
    snapshot.write_bytes(kept)
    assert index.known() == {}
    index.close()


def test_an_index_from_before_snapshots_starts_counting(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    index = _indexed(corpus, path)
    index.conn.execute("DELETE FROM meta WHERE key IN ('instance', 'generation')")
    index.conn.commit()
    expected = index.known()  # read from SQLite; counting starts
    assert not path.with_name("index.db.known").exists()
    assert index.known() == expected  # now snapshotted
    assert path.with_name("index.db.known").is_file()
    index.close()
