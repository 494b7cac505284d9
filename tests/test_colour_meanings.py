"""Colour meanings are the user's data: kept in the annotation database (a migration, backed up
first), shared by every corpus, set and cleared one transaction at a time, refused for unknown colours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop.core.errors import LecternError
from desktop.library import Library
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database
from desktop.store.migrations import MIGRATIONS

MEANINGS = "0003_colour_meanings"


def test_meanings_are_set_changed_and_cleared(library: Library) -> None:
    assert library.colour_meanings() == {}
    library.set_colour_meaning("pink", "disagree")
    library.set_colour_meaning("yellow", "  key \n idea ")
    assert library.colour_meanings() == {"pink": "disagree", "yellow": "key idea"}
    library.set_colour_meaning("pink", "doubt")
    assert library.colour_meanings() == {"pink": "doubt", "yellow": "key idea"}
    library.set_colour_meaning("yellow", "")
    assert library.colour_meanings() == {"pink": "doubt"}
    library.set_colour_meaning("green", "   ")  # blank is no meaning, not an empty one
    assert library.colour_meanings() == {"pink": "doubt"}


def test_an_unknown_colour_or_an_overlong_meaning_is_refused_clearly(library: Library) -> None:
    with pytest.raises(LecternError, match="no colour named “red”.*yellow, green, blue, pink, purple"):
        library.set_colour_meaning("red", "urgent")
    with pytest.raises(LecternError, match="at most 60 characters"):
        library.set_colour_meaning("blue", "x" * 61)
    assert library.colour_meanings() == {}


def test_meanings_belong_to_the_user_not_to_one_corpus(library: Library, tmp_path: Path,
                                                        store: AnnotationStore) -> None:
    library.set_colour_meaning("green", "例子")
    other = tmp_path / "other"
    other.mkdir()
    assert Library(other, store).colour_meanings() == {"green": "例子"}


def test_meanings_survive_reopening_the_database(library: Library, db_path: Path) -> None:
    library.set_colour_meaning("purple", "question")
    library.store.db.close()
    reopened = open_database(db_path)
    try:
        assert AnnotationStore(reopened).colour_meanings() == {"purple": "question"}
    finally:
        reopened.close()


def test_a_database_from_before_meanings_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old" / "annotations.db"
    path.parent.mkdir()
    db = Database(sqlite3.connect(path, isolation_level=None))
    MIGRATIONS.apply(db, stop_before=MEANINGS)
    db.execute("INSERT INTO documents (corpus, relpath) VALUES ('/c', 'a.md')")
    db.close()

    migrated = open_database(path)
    try:
        assert AnnotationStore(migrated).colour_meanings() == {}
        assert migrated.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    finally:
        migrated.close()
    backups = list((path.parent / "backups").glob(f"*before-{MEANINGS}*.db"))
    assert len(backups) == 1
