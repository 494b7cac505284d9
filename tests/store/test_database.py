"""The database file: WAL, recorded migrations, backups before migrating, and clear refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop.core.errors import DatabaseDamaged, DatabaseTooNew
from desktop.store import migrations
from desktop.store.database import open_database


def test_new_database_uses_wal_and_records_its_schema(db_path: Path) -> None:
    db = open_database(db_path)
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    applied = [row["name"] for row in db["_sqlite_migrations"].rows]
    assert applied == migrations.known_migrations()
    assert {"documents", "highlights", "tags", "highlight_tags", "document_tags"} <= set(db.table_names())
    db.close()
    assert not (db_path.parent / "backups").exists()  # nothing to back up in a new database


def test_pending_migration_backs_up_the_database_first(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_database(db_path)
    db.execute("INSERT INTO tags (name) VALUES ('kept')")
    db.close()

    @migrations.MIGRATIONS(name="9999_test_step")
    def _step(db: Database) -> None:
        db.execute("ALTER TABLE tags ADD COLUMN colour TEXT")

    try:
        db = open_database(db_path)
        assert "colour" in db["tags"].columns_dict
        db.close()
        backups = list((db_path.parent / "backups").glob("*before-9999_test_step*.db"))
        assert len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT name FROM tags").fetchall() == [("kept",)]
        assert "colour" not in [row[1] for row in old.execute("PRAGMA table_info(tags)")]
        old.close()
    finally:
        migrations.MIGRATIONS._migrations.pop()


def test_database_from_a_newer_lectern_is_refused_untouched(db_path: Path) -> None:
    db = open_database(db_path)
    db["_sqlite_migrations"].insert({"migration_set": "lectern", "name": "9000_from_the_future",
                                     "applied_at": "2030-01-01"})
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version"):
        open_database(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_damaged_database_is_reported_and_left_alone(db_path: Path, content: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with pytest.raises(DatabaseDamaged, match="damaged"):
        open_database(db_path)
    assert db_path.read_bytes() == content
