"""One action, one transaction, even when SQLite refuses it half-way: a COMMIT that fails, or a
transaction SQLite rolls back by itself, never leaves later actions inside a transaction that is
never committed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store.annotations import AnnotationStore
from desktop.store.database import write_transaction

ARTICLE = ("corpus", "a.md")


def _tags_seen_by_another_connection(db_path: Path) -> list[str]:
    other = sqlite3.connect(db_path)
    try:
        return [name for (name,) in other.execute(
            "SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id ORDER BY t.name")]
    finally:
        other.close()


def test_a_commit_that_fails_is_rolled_back_and_the_next_action_is_committed(store: AnnotationStore,
                                                                              db_path: Path) -> None:
    conn = store.db.conn
    # Every new tag now leaves a dangling reference that SQLite checks only at COMMIT.
    conn.executescript("""
        CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TEMP TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TEMP TRIGGER dangling AFTER INSERT ON tags BEGIN INSERT INTO child VALUES (NEW.id); END;
    """)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.set_article_tags(ARTICLE, ["refused"])
    assert not conn.in_transaction

    conn.execute("DROP TRIGGER dangling")
    assert store.set_article_tags(ARTICLE, ["kept"]) == ("kept",)
    assert _tags_seen_by_another_connection(db_path) == ["kept"]  # committed, not nested in a stale transaction


def test_a_step_whose_whole_transaction_sqlite_rolled_back_reports_its_own_error(store: AnnotationStore,
                                                                                 db_path: Path) -> None:
    conn = store.db.conn
    conn.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON tags BEGIN SELECT RAISE(ROLLBACK, 'refused'); END")
    # Several actions that stand or fall together, as an import's; the error is SQLite's, not "no such savepoint".
    with pytest.raises(sqlite3.IntegrityError, match="refused"), write_transaction(store.db):
        store.set_article_tags(ARTICLE, ["first"])
    assert not conn.in_transaction

    conn.execute("DROP TRIGGER refuse")
    store.set_article_tags(ARTICLE, ["second"])
    assert _tags_seen_by_another_connection(db_path) == ["second"]
