"""Where the user stopped in each article: kept per corpus and article in the annotation database,
through the library's use-case."""

from __future__ import annotations

from pathlib import Path

from desktop.library import Library
from desktop.store.database import open_database
from desktop.store.migrations import known_migrations


def test_positions_are_kept_per_article_and_corpus(library: Library, library_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert library.reading_position("a.md") == 0
    library.remember_reading_position("a.md", 120)
    library.remember_reading_position("b.md", 40)
    library.remember_reading_position("a.md", 300)
    other = tmp_path / "other"
    other.mkdir()
    assert library_for(other).reading_position("a.md") == 0  # another corpus, another place
    assert (library.reading_position("a.md"), library.reading_position("b.md")) == (300, 40)


def test_positions_survive_reopening_the_database(db_path: Path, corpus: Path) -> None:
    from desktop.store.annotations import AnnotationStore

    db = open_database(db_path)
    Library(corpus, AnnotationStore(db)).remember_reading_position("x/y.md", 77)
    db.close()
    db = open_database(db_path)
    assert Library(corpus, AnnotationStore(db)).reading_position("x/y.md") == 77
    assert "0004_reading_positions" in known_migrations()
    db.close()

