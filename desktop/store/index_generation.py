"""Which search index a file holds and which of its writes it is at, which is what its snapshots are
keyed by; and the files' stamps as the snapshot of that write knows them. Apart from desktop.store.
search_index on purpose: the file checker's process (desktop.file_check) needs only this, and starts in a
fraction of the time that module's imports take (BeautifulSoup and the rest of indexing: ~0.2 s)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store.known_snapshot import Stamps, read_stamps, snapshot_path

__all__ = ["SCHEMA", "generation_of", "is_current", "snapshot_stamps"]

SCHEMA = "lectern-search-4"  # derived data: any other value means "rebuild"


def is_current(conn: sqlite3.Connection) -> bool:
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return "meta" in tables and conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA,)


def generation_of(conn: sqlite3.Connection) -> str | None:
    """Which index this is and how many times it was written (None: an index from before they were
    counted)."""
    rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('instance', 'generation')"))
    return f"{rows['instance']}/{rows['generation']}" if len(rows) == 2 else None


def snapshot_stamps(path: Path) -> tuple[str, Stamps] | None:
    """The generation of the index at `path` and the files' stamps its snapshot holds, read without
    opening the index for writing (another process asks while the window uses it); None when there is
    no such index or snapshot."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        with conn:
            conn.execute("BEGIN")
            generation = generation_of(conn) if is_current(conn) else None
            stamps = read_stamps(snapshot_path(path), generation) if generation is not None else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return (generation, stamps) if generation is not None and stamps is not None else None
