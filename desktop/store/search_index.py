"""The search index: derived data in its own SQLite file per corpus, rebuilt at will and never
holding anything that cannot be read again from the corpus. FTS5 over text whose Chinese is split
into two-character tokens (desktop.core.search_text); the plain text itself is kept compressed for
snippets; what the corpus tree needs is kept per file, with the size and mtime that tell a changed
file from an unchanged one."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import sqlite3
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from desktop.core.corpus import FileStamp
from desktop.core.indexing import IndexedArticle
from desktop.core.model import BodyKind, CorpusEntry, SkippedFile
from desktop.core.search_text import SearchQuery, fts_expression, index_columns
from desktop.store.index_generation import SCHEMA, generation_of, is_current
from desktop.store.known_snapshot import read_snapshot, snapshot_path, write_snapshot

__all__ = ["SearchIndex", "ArticleHit", "KnownFile", "Knowledge"]

BUSY_TIMEOUT_S = 30
_SEPARATOR = "\x1f"
_KINDS = {kind.value: kind for kind in BodyKind}  # a dict lookup: calling the enum costs 5 µs a row
# One date object per day, shared by the articles of that day (60,000 articles: 5,000 days), made at C speed.
_date = functools.lru_cache(maxsize=None)(dt.date.fromordinal)
_WEIGHTS = "10.0, 1.0, 5.0, 3.0, 2.0"  # title, body, tags, categories, description

_CREATE = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    relpath TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'markdown',
    date TEXT,
    tags TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    warnings TEXT NOT NULL DEFAULT '',
    source_id TEXT,
    skipped TEXT                      -- why the file could not be read (then it has no text)
);
CREATE TABLE labels (file_id INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE);
CREATE INDEX labels_by_name ON labels (kind, name);
CREATE INDEX labels_by_file ON labels (file_id);
CREATE INDEX files_by_date ON files (date);
CREATE TABLE texts (file_id INTEGER PRIMARY KEY, text BLOB NOT NULL);
-- Contentless: the text is kept once, compressed, in `texts`.
CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, categories, description, content='',
                                    tokenize='unicode61 remove_diacritics 2', prefix='1');
INSERT INTO meta VALUES ('schema', '{SCHEMA}');
"""


class KnownFile(NamedTuple):
    """A file as the index last saw it: enough to list it in the corpus tree without reading it. (A
    tuple: 60,000 are made on every start.)"""

    stamp: tuple[int, int, int]  # (size, mtime_ns, ctime_ns): equal to the same file's FileStamp
    item: CorpusEntry | SkippedFile


class Knowledge(NamedTuple):
    """What the index knows of each file, and which index and write it knew it at (None: an index from
    before writes were counted)."""

    generation: str | None
    files: dict[str, KnownFile]


@dataclass(frozen=True)
class ArticleHit:
    relpath: str
    title: str
    score: float  # higher is better
    text: str  # the searchable plain text, for a snippet


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split(_SEPARATOR)) if value else ()


def _shared(value: str) -> tuple[str, ...]:
    """Labels (tags, categories) interned: the snapshot keeps them so (marshal writes an interned string as
    one), and a restart's 60,000 articles share 10,000 tag strings instead of holding 130,000 (-11 MB)."""
    return tuple(map(sys.intern, _split(value)))


def _known_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """An index row as the snapshot keeps it: lists split, the date as a day number (marshal-able)."""
    relpath, size, mtime, ctime, digest, title, kind, date, tags, categories, warnings, source_id, reason = row
    return (relpath, size, mtime, ctime, digest, title, kind, dt.date.fromisoformat(date).toordinal() if date else 0,
            _shared(tags), _shared(categories), _split(warnings), source_id, reason)


def _known_file(row: tuple[Any, ...]) -> KnownFile:
    relpath, size, mtime, ctime, digest, title, kind, day, tags, categories, warnings, source_id, reason = row
    item = SkippedFile(relpath, reason) if reason is not None else CorpusEntry(
        relpath, title, _KINDS[kind], _date(day) if day else None, tags, categories, warnings, source_id, digest)
    return KnownFile((size, mtime, ctime), item)


def _create(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, _CREATE.split(";")):
        conn.execute(statement)
    _start_generations(conn)


def _start_generations(conn: sqlite3.Connection) -> None:
    """Name this index (a new or rebuilt one is another index, whatever its files) and start counting
    its writes: snapshots of it are told apart by both."""
    conn.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", [("instance", secrets.token_hex(8)),
                                                                    ("generation", "0")])


def _drop_all(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE IF EXISTS fts")  # first: it owns its shadow tables
    names = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                               " AND name NOT LIKE 'sqlite_%'")]
    for name in names:
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        """Open it: created if new, replaced in place if it holds another version's index, started
        afresh if damaged (it is derived data). A busy index (another thread or window is writing
        it) is waited for, never replaced."""
        for attempt in range(2):
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            try:
                self._prepare(conn)
            except sqlite3.OperationalError:
                conn.close()
                raise
            except sqlite3.DatabaseError:
                conn.close()
                if attempt:
                    raise
                self._delete_files()
                continue
            conn.isolation_level = "DEFERRED"  # back to implicit transactions, used by `with conn`
            return conn
        raise AssertionError("unreachable")

    @staticmethod
    def _prepare(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA synchronous = NORMAL")  # a lost tail is re-indexed, not lost
        if is_current(conn):  # the usual case: nothing to write, so no lock (a scan may be writing)
            return
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")  # two openers of a new file: one creates, the other then sees it
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "meta" in tables and conn.execute(
                    "SELECT value FROM meta WHERE key = 'schema'").fetchone() != (SCHEMA,):
                _drop_all(conn)  # another version's index: replaced in place
                tables = set()
            if "meta" not in tables:
                _create(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _delete_files(self) -> None:
        for suffix in ("", "-wal", "-shm", ".known"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def rebuild(self) -> None:
        """Empty the index in place (other connections, such as the window's, see the change)."""
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            _drop_all(self.conn)
            _create(self.conn)  # another instance: every snapshot of the old one is stale

    def close(self) -> None:
        self.conn.close()

    # -- keeping it up to date ----------------------------------------------------------------------
    def known(self) -> dict[str, KnownFile]:
        return self.knowledge().files

    def knowledge(self) -> Knowledge:
        """Every file the index holds, with its stamp and what the corpus tree shows of it: from the
        snapshot taken at the index's current generation, else from the index (then snapshotted)."""
        snapshot = snapshot_path(self.path)
        with self.conn:  # one read transaction: the generation and the rows agree
            self.conn.execute("BEGIN")
            generation = generation_of(self.conn)
            rows = read_snapshot(snapshot, generation) if generation is not None else None
            if rows is None:
                rows = [_known_row(row) for row in self.conn.execute(
                    "SELECT relpath, size, mtime_ns, ctime_ns, content_hash, title, kind, date, tags, categories,"
                    " warnings, source_id, skipped FROM files")]
                if generation is not None:
                    write_snapshot(snapshot, generation, rows, {row[0]: row[1:4] for row in rows})
        if generation is None:
            self._start_counting()
        return Knowledge(generation, {row[0]: _known_file(row) for row in rows})

    def _next_generation(self) -> None:
        """Inside a writing transaction: the index changed, so any snapshot of it is stale."""
        self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def _start_counting(self) -> None:
        """Start counting in an index from before generations, unless another writer holds it right now
        (a later start will): snapshots are a speed-up, never worth a wait."""
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self.conn:
                _start_generations(self.conn)
        except sqlite3.OperationalError:
            pass
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")

    def stamps(self) -> dict[str, tuple[FileStamp, str]]:
        """Each file's stamp and content hash: all that telling changed files apart needs (`known`
        builds every file's entry as well, which indexing does not need)."""
        rows = self.conn.execute("SELECT relpath, size, mtime_ns, ctime_ns, content_hash FROM files")
        return {relpath: (FileStamp(size, mtime, ctime), digest) for relpath, size, mtime, ctime, digest in rows}

    def _forget(self, file_id: int) -> None:
        row = self.conn.execute(
            "SELECT f.title, t.text, f.tags, f.categories, f.description FROM files f"
            " JOIN texts t ON t.file_id = f.id WHERE f.id = ?", [file_id]).fetchone()
        if row is not None:  # a contentless FTS5 row is deleted by giving back what was indexed
            title, text, tags, categories, description = row
            values = index_columns(title, zlib.decompress(text).decode("utf-8"), _split(tags), _split(categories),
                                   description)
            self.conn.execute("INSERT INTO fts (fts, rowid, title, body, tags, categories, description)"
                              " VALUES ('delete', ?, ?, ?, ?, ?, ?)", [file_id, *values])
        for table, column in (("texts", "file_id"), ("labels", "file_id"), ("files", "id")):
            self.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", [file_id])

    def _file_id(self, relpath: str) -> int | None:
        row = self.conn.execute("SELECT id FROM files WHERE relpath = ?", [relpath]).fetchone()
        return int(row[0]) if row else None

    def remove(self, relpaths: Iterable[str]) -> None:
        with self.conn:
            for relpath in relpaths:
                if (file_id := self._file_id(relpath)) is not None:
                    self._forget(file_id)
                    self._next_generation()

    def put(self, items: Iterable[tuple[IndexedArticle | SkippedFile, FileStamp]]) -> None:
        """Add or replace files, in one transaction."""
        items = list(items)
        if not items:
            return
        with self.conn:
            self._next_generation()
            for item, stamp in items:
                relpath = item.entry.relpath if isinstance(item, IndexedArticle) else item.relpath
                if (file_id := self._file_id(relpath)) is not None:
                    self._forget(file_id)
                if isinstance(item, SkippedFile):
                    self.conn.execute("INSERT INTO files (relpath, size, mtime_ns, ctime_ns, skipped)"
                                      " VALUES (?, ?, ?, ?, ?)",
                                      [relpath, stamp.size, stamp.mtime_ns, stamp.ctime_ns, item.reason])
                else:
                    self._insert(item, stamp)

    def _insert(self, item: IndexedArticle, stamp: FileStamp) -> None:
        entry = item.entry
        tags, categories = _SEPARATOR.join(entry.tags), _SEPARATOR.join(entry.categories)
        cursor = self.conn.execute(
            "INSERT INTO files (relpath, size, mtime_ns, ctime_ns, content_hash, title, kind, date, tags,"
            " categories, description, warnings, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [entry.relpath, stamp.size, stamp.mtime_ns, stamp.ctime_ns, entry.content_hash, entry.title,
             entry.kind.value,
             entry.date.isoformat() if entry.date else None, tags, categories, item.description,
             _SEPARATOR.join(entry.warnings), entry.source_id])
        file_id = cursor.lastrowid
        self.conn.executemany("INSERT INTO labels VALUES (?, ?, ?)",
                              [(file_id, "tag", tag) for tag in entry.tags]
                              + [(file_id, "category", category) for category in entry.categories])
        self.conn.execute("INSERT INTO texts VALUES (?, ?)", [file_id, item.compressed_text])
        self.conn.execute("INSERT INTO fts (rowid, title, body, tags, categories, description)"
                          " VALUES (?, ?, ?, ?, ?, ?)", [file_id, *item.columns])

    def touch(self, relpath: str, stamp: FileStamp) -> None:
        """The file was written again with the same content: remember its new stamp only."""
        with self.conn:
            self._next_generation()
            self.conn.execute("UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ? WHERE relpath = ?",
                              [stamp.size, stamp.mtime_ns, stamp.ctime_ns, relpath])

    # -- reading ----------------------------------------------------------------------------------------
    def entries(self) -> tuple[list[CorpusEntry], list[SkippedFile]]:
        """The readable files and the skipped ones, by path."""
        entries, skipped = [], []
        for _, known in sorted(self.known().items()):
            if isinstance(known.item, SkippedFile):
                skipped.append(known.item)
            else:
                entries.append(known.item)
        return entries, skipped

    def search(self, query: SearchQuery, limit: int, tagged: dict[str, set[str]] | None = None) -> list[ArticleHit]:
        """Articles matching `query`, best first. `tagged`: tag → articles the user gave that tag."""
        where, params = ["f.skipped IS NULL"], []
        for tag in query.tags:
            users = sorted((tagged or {}).get(tag.casefold(), set()))
            where.append("(EXISTS (SELECT 1 FROM labels l WHERE l.file_id = f.id AND l.kind = 'tag' AND l.name = ?)"
                         f" OR f.relpath IN ({', '.join('?' * len(users)) or 'NULL'}))")
            params += [tag, *users]
        for category in query.categories:
            where.append("EXISTS (SELECT 1 FROM labels l WHERE l.file_id = f.id AND l.kind = 'category'"
                         " AND l.name = ?)")
            params.append(category)
        if query.date_from:
            where.append("f.date >= ?")
            params.append(query.date_from.isoformat())
        if query.date_to:
            where.append("f.date <= ?")
            params.append(query.date_to.isoformat())
        expression = fts_expression(query)
        if expression is None and not query.has_filters:
            return []
        if expression is None:
            sql = (f"SELECT f.id, f.relpath, f.title, 0.0 FROM files f WHERE {' AND '.join(where)}"
                   " ORDER BY f.date DESC, f.relpath LIMIT ?")
            rows = self.conn.execute(sql, [*params, limit]).fetchall()
        else:
            sql = (f"SELECT f.id, f.relpath, f.title, -bm25(fts, {_WEIGHTS}) AS score FROM fts"
                   f" JOIN files f ON f.id = fts.rowid WHERE fts MATCH ? AND {' AND '.join(where)}"
                   " ORDER BY bm25(fts, " + _WEIGHTS + ") LIMIT ?")
            rows = self.conn.execute(sql, [expression, *params, limit]).fetchall()
        texts = self.texts([file_id for file_id, *_ in rows])
        return [ArticleHit(relpath, title, float(score), texts.get(file_id, ""))
                for file_id, relpath, title, score in rows]

    def texts(self, file_ids: list[int]) -> dict[int, str]:
        if not file_ids:
            return {}
        marks = ", ".join("?" * len(file_ids))
        rows = self.conn.execute(f"SELECT file_id, text FROM texts WHERE file_id IN ({marks})", file_ids)
        return {file_id: zlib.decompress(blob).decode("utf-8") for file_id, blob in rows}

    def article_facts(self, relpaths: Iterable[str]) -> dict[str, tuple[str, dt.date | None, tuple[str, ...]]]:
        """(title, date, categories) of the given articles, for filtering and labelling highlights."""
        wanted = list(relpaths)
        if not wanted:
            return {}
        rows = self.conn.execute("SELECT relpath, title, date, categories FROM files WHERE relpath IN"
                                 f" ({', '.join('?' * len(wanted))})", wanted)
        return {relpath: (title, dt.date.fromisoformat(date) if date else None, _split(categories))
                for relpath, title, date, categories in rows}

    def front_matter_tags(self, relpaths: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """The tags the front matter of the given articles names (for the notebook's article-tag filter)."""
        wanted = list(relpaths)
        found: dict[str, tuple[str, ...]] = {}
        for start in range(0, len(wanted), 500):  # SQLite limits the number of parameters
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT relpath, tags FROM files WHERE relpath IN ({marks})", chunk)
            found.update((relpath, _split(tags)) for relpath, tags in rows)
        return found
