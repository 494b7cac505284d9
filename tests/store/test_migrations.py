"""Migrations keep every existing highlight: a database as an earlier release wrote it (0.1, before
re-anchoring; then the last release, before colour meanings and reading positions) opens with each
highlight, note, tag and tombstone intact, a backup of it taken first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from desktop.core.anchoring import EXACT, make_anchor
from desktop.library import Library
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database
from desktop.store.migrations import MIGRATIONS

REANCHORING = "0002_reanchoring"
COLOUR_MEANINGS = "0003_colour_meanings"  # the first step the last release did not have
SEED = "000_2e1d597362795e42.txt"


def _released_database(path: Path, corpus: Path, text: str, stop_before: str = REANCHORING) -> list[tuple[object, ...]]:
    """A database made by the schema of a release (the steps before `stop_before`), written as that
    release wrote it; returns its highlights' rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(sqlite3.connect(path, isolation_level=None))
    MIGRATIONS.apply(db, stop_before=stop_before)
    db.execute("INSERT INTO documents (corpus, relpath, title, content_hash) VALUES (?, ?, '如何看待AIGC技术', 'h')",
               [str(corpus), SEED])
    db.execute("INSERT INTO documents (corpus, relpath, title) VALUES (?, 'gone.md', 'Gone')", [str(corpus)])
    db.execute("INSERT INTO tags (name) VALUES ('伦理')")
    for number, (quote, document, deleted) in enumerate([("伦理与风险", 1, None), ("信息泡沫", 1, None),
                                                         ("元宇宙", 1, "2025-01-01T00:00:00Z"),
                                                         ("a passage of a vanished file", 2, None)]):
        start = text.find(quote)
        anchor = make_anchor(text, start, start + len(quote)) if start >= 0 else None
        db.execute('INSERT INTO highlights (id, document_id, start, "end", exact, prefix, suffix, colour, note,'
                   " created, updated, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, 'green', ?, '2025-01-01T00:00:00Z',"
                   " '2025-01-02T00:00:00Z', ?)",
                   [f"h{number}", document, anchor.start if anchor else 0, anchor.end if anchor else len(quote),
                    quote, anchor.prefix if anchor else "", anchor.suffix if anchor else "", f"note {number}",
                    deleted])
    db.execute("INSERT INTO highlight_tags VALUES ('h0', 1)")
    db.execute("INSERT INTO document_tags VALUES (1, 1)")
    rows = db.execute('SELECT id, document_id, start, "end", exact, prefix, suffix, colour, note, created, updated,'
                      " deleted FROM highlights ORDER BY id").fetchall()
    db.close()
    return rows


def test_a_database_of_the_previous_release_keeps_every_highlight(library: Library, corpus: Path,
                                                                  tmp_path: Path) -> None:
    text = library.open_article(SEED).rendered.text
    path = tmp_path / "old" / "annotations.db"
    before = _released_database(path, corpus, text)
    old = sqlite3.connect(path)
    assert "state" not in {column[1] for column in old.execute("PRAGMA table_info(highlights)")}
    old.close()

    db = open_database(path)
    after = db.execute('SELECT id, document_id, start, "end", exact, prefix, suffix, colour, note, created, updated,'
                       " deleted FROM highlights ORDER BY id").fetchall()
    assert after == before  # every highlight, its quote, note, dates and tombstone, untouched
    assert db.execute("SELECT count(*) FROM highlight_tags").fetchone()[0] == 1
    states = db.execute('SELECT state, found_start = start AND found_end = "end", found_in FROM highlights').fetchall()
    assert states == [(EXACT, 1, None)] * 4  # where it was, not yet looked for
    backups = list((path.parent / "backups").glob(f"*before-{REANCHORING}*.db"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT count(*) FROM highlights").fetchone()[0] == 4
    old.close()

    upgraded = Library(corpus, AnnotationStore(db))
    opened = upgraded.open_article(SEED)
    assert {p.highlight.id: (p.state, p.span is not None) for p in opened.highlights} == {
        "h0": (EXACT, True), "h1": (EXACT, True)}  # the deleted one stays a tombstone
    assert {p.highlight.id: p.highlight.tags for p in opened.highlights}["h0"] == ("伦理",)
    assert {p.highlight.id: p.highlight.note for p in opened.highlights} == {"h0": "note 0", "h1": "note 1"}
    assert opened.user_tags == ("伦理",)  # the article's own tag too
    # Found exactly where they were: the article's text now stands for the one they were made in.
    kept = db.execute("SELECT count(*) FROM highlights WHERE anchored_in IS NOT NULL AND found_in IS NOT NULL"
                      " AND deleted IS NULL").fetchone()[0]
    assert kept == 2 and db.execute("SELECT count(*) FROM document_texts").fetchone()[0] == 1
    assert [h.anchor.exact for h in upgraded.store.highlights(upgraded.corpus, "gone.md")] == [
        "a passage of a vanished file"]
    db.close()


def test_a_database_of_the_last_release_keeps_everything_and_gains_meanings_and_places(
        library: Library, corpus: Path, tmp_path: Path) -> None:
    text = library.open_article(SEED).rendered.text
    path = tmp_path / "last" / "annotations.db"
    before = _released_database(path, corpus, text, stop_before=COLOUR_MEANINGS)

    db = open_database(path)
    after = db.execute('SELECT id, document_id, start, "end", exact, prefix, suffix, colour, note, created, updated,'
                       " deleted FROM highlights ORDER BY id").fetchall()
    assert after == before
    assert {"colour_meanings", "reading_positions"} <= set(db.table_names())
    assert len(list((path.parent / "backups").glob(f"*before-{COLOUR_MEANINGS}*.db"))) == 1

    upgraded = Library(corpus, AnnotationStore(db))
    opened = upgraded.open_article(SEED)
    assert {p.highlight.id: (p.highlight.note, p.highlight.tags, p.highlight.colour) for p in opened.highlights} == {
        "h0": ("note 0", ("伦理",), "green"), "h1": ("note 1", (), "green")}
    assert opened.user_tags == ("伦理",)
    assert [h.anchor.exact for h in upgraded.store.highlights(upgraded.corpus, "gone.md")] == [
        "a passage of a vanished file"]
    assert upgraded.colour_meanings() == {} and upgraded.reading_position(SEED) == 0
    upgraded.set_colour_meaning("green", "agree")
    upgraded.remember_reading_position(SEED, 42)
    assert upgraded.colour_meanings() == {"green": "agree"} and upgraded.reading_position(SEED) == 42
    db.close()
