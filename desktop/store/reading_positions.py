"""Where the user stopped reading each article: a plain-text offset per (corpus, article), so that
coming back to any article (not only the last one) finds the place again."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.store.annotations import now_iso
from desktop.store.database import database_path, translate_errors, write_transaction

__all__ = ["reading_position", "remember_reading_position"]


def reading_position(db: Database, corpus: str, relpath: str) -> int:
    """The offset stored for the article, 0 when it was never read (or read to its top)."""
    with translate_errors(database_path(db)):
        row = db.execute("SELECT position FROM reading_positions WHERE corpus = ? AND relpath = ?",
                         [corpus, relpath]).fetchone()
    return int(row[0]) if row else 0


def remember_reading_position(db: Database, corpus: str, relpath: str, position: int) -> None:
    """Keep the place (an unchanged one is not written again: the file is not touched for nothing)."""
    if reading_position(db, corpus, relpath) == position:
        return
    with write_transaction(db):
        db.execute("INSERT INTO reading_positions (corpus, relpath, position, updated) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (corpus, relpath) DO UPDATE SET position = excluded.position,"
                   " updated = excluded.updated", [corpus, relpath, max(0, position), now_iso()])
