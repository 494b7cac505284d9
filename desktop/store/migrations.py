"""The annotation database's schema, as append-only steps. Never edit a released step: add one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

__all__ = ["MIGRATIONS", "known_migrations"]

MIGRATION_SET = "lectern"
MIGRATIONS = Migrations(MIGRATION_SET)


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    db.execute("""
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            corpus TEXT NOT NULL,          -- the corpus folder, absolute
            relpath TEXT NOT NULL,         -- the article inside it, with forward slashes
            source_id TEXT,                -- a front-matter id (artid) that survives renames
            title TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            UNIQUE (corpus, relpath)
        )""")
    db.execute("""
        CREATE TABLE highlights (
            id TEXT PRIMARY KEY,           -- a UUID, kept through export and import
            document_id INTEGER NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            colour TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT                   -- a tombstone: deleting can be undone, and nothing is lost
        )""")
    db.execute("CREATE INDEX highlights_by_document ON highlights (document_id)")
    db.execute("CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)")
    db.execute("""
        CREATE TABLE highlight_tags (
            highlight_id TEXT NOT NULL REFERENCES highlights(id),
            tag_id INTEGER NOT NULL REFERENCES tags(id),
            PRIMARY KEY (highlight_id, tag_id)
        )""")
    db.execute("""
        CREATE TABLE document_tags (
            document_id INTEGER NOT NULL REFERENCES documents(id),
            tag_id INTEGER NOT NULL REFERENCES tags(id),
            PRIMARY KEY (document_id, tag_id)
        )""")


@MIGRATIONS(name="0002_reanchoring")
def _reanchoring(db: Database) -> None:
    """What re-anchoring last found for each highlight, beside its anchor (the quote as highlighted,
    never rewritten); and the article texts anchors were made in, so a later edit can be diffed."""
    db.execute("""
        CREATE TABLE document_texts (
            hash TEXT PRIMARY KEY,         -- sha1 of the article's plain text in UTF-8
            text BLOB NOT NULL             -- that text, zlib-compressed
        )""")
    for column in [
        "state TEXT NOT NULL DEFAULT 'exact' CHECK (state IN ('exact', 'moved', 'changed', 'orphaned'))",
        "found_start INTEGER",  # where it is now; NULL when orphaned
        "found_end INTEGER",
        "found_text TEXT",  # the article's text there, when it differs from the quote (changed)
        "score REAL NOT NULL DEFAULT 1.0",
        "found_in TEXT",  # hash of the article text it was last looked for in; NULL: not yet, or the file was gone
        "anchored_in TEXT REFERENCES document_texts(hash)",  # the text its anchor was made in, when kept
    ]:
        db.execute(f"ALTER TABLE highlights ADD COLUMN {column}")
    db.execute('UPDATE highlights SET found_start = start, found_end = "end"')


@MIGRATIONS(name="0003_colour_meanings")
def _colour_meanings(db: Database) -> None:
    """What each colour means to the user (yellow = key idea, pink = disagree): their data, so it lives
    here beside the highlights, travels with a backup and is exported, not kept in UI settings."""
    db.execute("""
        CREATE TABLE colour_meanings (
            colour TEXT PRIMARY KEY,       -- a name of desktop.core.colours.COLOURS
            meaning TEXT NOT NULL CHECK (meaning <> ''),
            updated TEXT NOT NULL
        )""")


@MIGRATIONS(name="0004_reading_positions")
def _reading_positions(db: Database) -> None:
    """Where the user stopped in each article they read: one small row per article, kept apart from
    the documents table (which holds annotated articles only)."""
    db.execute("""
        CREATE TABLE reading_positions (
            corpus TEXT NOT NULL,          -- the corpus folder, absolute
            relpath TEXT NOT NULL,         -- the article inside it, with forward slashes
            position INTEGER NOT NULL,     -- plain-text offset at the top of the reader
            updated TEXT NOT NULL,
            PRIMARY KEY (corpus, relpath)
        )""")


def known_migrations() -> list[str]:
    """The names of the steps this version knows, in order (a newer database has more)."""
    return [migration.name for migration in MIGRATIONS._migrations]  # sqlite-utils has no public list
