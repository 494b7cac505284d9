"""The search index file: derived data that is replaced when stale or damaged, never when merely busy."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

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
