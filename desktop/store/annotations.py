"""Highlights, notes and tags, each user action one transaction. Deleting leaves a tombstone, and
no change to an article ever deletes its annotations: re-anchoring stores where a highlight is now
beside its anchor, which keeps the quote as it was highlighted."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from desktop.core.anchoring import EXACT, Located
from desktop.core.colours import COLOURS
from desktop.core.model import Anchor, Highlight
from desktop.core.tags import normalize_tags
from desktop.store.database import write_transaction

__all__ = ["AnnotationStore", "DocumentKey", "Placement", "now_iso", "text_key"]

DocumentKey = tuple[str, str]  # (corpus folder, corpus-relative path)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=16)  # an open article's text is keyed again after each change to its notes
def text_key(text: str) -> str:
    """The key of an article's plain text: which text a stored placement was found in, and under which
    a copy of it is kept."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Placement:
    """What re-anchoring last found for a highlight: `located`, in the article text whose key is
    `found_in` (None before it was first looked for, or when its file was gone); `anchored_in`, the
    key of the text its anchor was made in, when a copy of it is kept."""

    located: Located
    found_in: str | None
    anchored_in: str | None


_HIGHLIGHT_COLUMNS = """h.id, d.relpath, h.start, h."end", h.exact, h.prefix, h.suffix, h.colour, h.note,
    h.created, h.updated,
    (SELECT group_concat(t.name, char(31)) FROM (
        SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
        WHERE ht.highlight_id = h.id ORDER BY t.name) t) AS tag_names"""
_PLACEMENT_COLUMNS = "h.state, h.found_start, h.found_end, h.found_text, h.score, h.found_in, h.anchored_in"


def _highlight(row: tuple[Any, ...]) -> Highlight:
    (id_, relpath, start, end, exact, prefix, suffix, colour, note, created, updated, tag_names) = row[:12]
    return Highlight(
        id=id_, relpath=relpath, anchor=Anchor(start, end, exact, prefix, suffix), colour=colour,
        note=note, tags=tuple(tag_names.split("\x1f")) if tag_names else (), created=created, updated=updated,
    )


def _placed(row: tuple[Any, ...]) -> tuple[Highlight, Placement]:
    highlight = _highlight(row)
    state, start, end, found_text, score, found_in, anchored_in = row[12:]
    span = None if start is None else (start, end)
    text = found_text if found_text is not None else highlight.anchor.exact if span else ""
    return highlight, Placement(Located(span, state, score, text), found_in, anchored_in)


class AnnotationStore:
    """The user's annotations for any number of corpora, in one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- documents ---------------------------------------------------------------------------
    def _document_id(self, key: DocumentKey, title: str = "", source_id: str | None = None,
                     content_hash: str = "") -> int:
        corpus, relpath = key
        row = self.db.execute(
            "SELECT id FROM documents WHERE corpus = ? AND relpath = ?", [corpus, relpath]
        ).fetchone()
        if row:
            if title or content_hash:
                self.db.execute(
                    "UPDATE documents SET title = coalesce(nullif(?, ''), title), source_id = coalesce(?, source_id),"
                    " content_hash = coalesce(nullif(?, ''), content_hash) WHERE id = ?",
                    [title, source_id, content_hash, row[0]],
                )
            return int(row[0])
        cursor = self.db.execute(
            "INSERT INTO documents (corpus, relpath, source_id, title, content_hash) VALUES (?, ?, ?, ?, ?)",
            [corpus, relpath, source_id, title, content_hash],
        )
        return int(cursor.lastrowid or 0)

    def remember_document(self, key: DocumentKey, title: str, source_id: str | None, content_hash: str) -> None:
        """Record what an annotated article was (its title survives if the file goes away)."""
        with write_transaction(self.db):
            self._document_id(key, title, source_id, content_hash)

    def document_titles(self, corpus: str) -> dict[str, str]:
        rows = self.db.execute("SELECT relpath, title FROM documents WHERE corpus = ?", [corpus])
        return {relpath: title for relpath, title in rows}

    def annotated_documents(self, corpus: str) -> list[tuple[str, str | None, str]]:
        """(relpath, source_id, content_hash) of every article in `corpus` with annotations."""
        rows = self.db.execute("""
            SELECT relpath, source_id, content_hash FROM documents d WHERE corpus = ? AND (
                EXISTS (SELECT 1 FROM highlights h WHERE h.document_id = d.id AND h.deleted IS NULL)
                OR EXISTS (SELECT 1 FROM document_tags dt WHERE dt.document_id = d.id))
            ORDER BY relpath""", [corpus])
        return [(relpath, source_id, content_hash) for relpath, source_id, content_hash in rows]

    def move_document(self, corpus: str, old: str, new: str) -> None:
        """An article was renamed or moved: its annotations follow it (and join any already there)."""
        with write_transaction(self.db):
            source = self._document_id((corpus, old))
            target_row = self.db.execute("SELECT id FROM documents WHERE corpus = ? AND relpath = ?",
                                         [corpus, new]).fetchone()
            if target_row is None:
                self.db.execute("UPDATE documents SET relpath = ? WHERE id = ?", [new, source])
                return
            target = int(target_row[0])
            self.db.execute("UPDATE highlights SET document_id = ? WHERE document_id = ?", [target, source])
            self.db.execute("INSERT OR IGNORE INTO document_tags SELECT ?, tag_id FROM document_tags"
                            " WHERE document_id = ?", [target, source])
            self.db.execute("DELETE FROM document_tags WHERE document_id = ?", [source])
            self.db.execute("DELETE FROM documents WHERE id = ?", [source])  # now empty: nothing is lost

    # -- tags ----------------------------------------------------------------------------------
    def _tag_ids(self, names: Iterable[str]) -> list[int]:
        ids = []
        for name in normalize_tags(list(names)):
            self.db.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [name])
            ids.append(int(self.db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0]))
        return ids

    def tag_names(self) -> list[str]:
        """Every tag in use, for completion."""
        rows = self.db.execute("""
            SELECT name FROM tags WHERE id IN (SELECT tag_id FROM document_tags)
               OR id IN (SELECT ht.tag_id FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id
                         WHERE h.deleted IS NULL)
            ORDER BY name COLLATE NOCASE""")
        return [name for (name,) in rows]

    def article_tags(self, key: DocumentKey) -> tuple[str, ...]:
        rows = self.db.execute("""
            SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
            JOIN documents d ON d.id = dt.document_id WHERE d.corpus = ? AND d.relpath = ?
            ORDER BY t.name COLLATE NOCASE""", list(key))
        return tuple(name for (name,) in rows)

    def set_article_tags(self, key: DocumentKey, names: Iterable[str]) -> tuple[str, ...]:
        with write_transaction(self.db):
            document_id = self._document_id(key)
            self.db.execute("DELETE FROM document_tags WHERE document_id = ?", [document_id])
            for tag_id in self._tag_ids(names):
                self.db.execute("INSERT INTO document_tags VALUES (?, ?)", [document_id, tag_id])
        return self.article_tags(key)

    # -- highlights ----------------------------------------------------------------------------
    def add_highlight(self, key: DocumentKey, anchor: Anchor, colour: str, note: str = "",
                      tags: Iterable[str] = (), highlight_id: str | None = None,
                      created: str | None = None, updated: str | None = None, *, text: str | None = None,
                      found: Located | None = None, anchored: bool = True) -> Highlight:
        """`text`: the article's text the highlight was placed in, when known; `found`: where it was found
        there (by default at its anchor); `anchored`: the anchor was made in `text`, which is then kept
        for re-anchoring after the article is edited."""
        if colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r}")
        highlight_id = highlight_id or str(uuid.uuid4())
        stamp = now_iso()
        with write_transaction(self.db):
            document_id = self._document_id(key)
            anchored_in = self._keep_text(text) if text is not None and anchored else None
            self.db.execute(
                'INSERT INTO highlights (id, document_id, start, "end", exact, prefix, suffix, colour, note,'
                " created, updated, anchored_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [highlight_id, document_id, anchor.start, anchor.end, anchor.exact, anchor.prefix,
                 anchor.suffix, colour, note, created or stamp, updated or stamp, anchored_in],
            )
            found = found or Located((anchor.start, anchor.end), EXACT, 1.0, anchor.exact)
            self._save_placement(highlight_id, found, None if text is None else text_key(text))
            self._set_highlight_tags(highlight_id, tags)
        return self.highlight(highlight_id)

    # -- re-anchoring --------------------------------------------------------------------------
    def _keep_text(self, text: str) -> str:
        key = text_key(text)
        self.db.execute("INSERT INTO document_texts (hash, text) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING",
                        [key, zlib.compress(text.encode("utf-8", "surrogatepass"))])
        return key

    def kept_texts(self, keys: Iterable[str]) -> dict[str, str]:
        """The kept article texts with these keys (a copy is kept of each text an anchor was made in)."""
        found: dict[str, str] = {}
        for key in set(keys):
            row = self.db.execute("SELECT text FROM document_texts WHERE hash = ?", [key]).fetchone()
            if row is not None:
                found[key] = zlib.decompress(row[0]).decode("utf-8", "surrogatepass")
        return found

    def _save_placement(self, highlight_id: str, located: Located, found_in: str | None) -> None:
        start, end = located.span or (None, None)
        found_text = None if located.span is None else located.text
        self.db.execute(
            "UPDATE highlights SET state = ?, found_start = ?, found_end = ?, score = ?, found_in = ?,"
            " found_text = CASE WHEN ? = exact THEN NULL ELSE ? END WHERE id = ?",
            [located.state, start, end, located.score, found_in, found_text, found_text, highlight_id])

    def save_placements(self, text: str | None, found: Mapping[str, Located], confirmed: Iterable[str] = ()) -> None:
        """Store what re-anchoring found in an article's `text` (None: its file is gone), in one
        transaction; `confirmed` highlights were found exactly at their anchor, so `text` is kept as
        the text their anchor was made in (they had none kept)."""
        with write_transaction(self.db):
            found_in = None if text is None else text_key(text)
            confirmed = list(confirmed)
            if confirmed and text is not None:
                key = self._keep_text(text)
                for highlight_id in confirmed:
                    self.db.execute("UPDATE highlights SET anchored_in = ? WHERE id = ?", [key, highlight_id])
            for highlight_id, located in found.items():
                self._save_placement(highlight_id, located, found_in)

    def anchoring(self, highlight_id: str) -> tuple[Anchor, Placement]:
        """A highlight's anchor (its quote as highlighted) and where re-anchoring last found it: all that
        reviewing it may change, so that an undo puts it back exactly."""
        row = self.db.execute(
            f"SELECT {_HIGHLIGHT_COLUMNS}, {_PLACEMENT_COLUMNS} FROM highlights h"
            " JOIN documents d ON d.id = h.document_id WHERE h.id = ?", [highlight_id]).fetchone()
        if row is None:
            raise KeyError(highlight_id)
        highlight, placement = _placed(row)
        return highlight.anchor, placement

    def set_anchoring(self, highlight_id: str, anchor: Anchor, placement: Placement, *,
                      text: str | None = None) -> None:
        """Give a highlight this anchor and placement (one transaction); `text`, when given, is the
        article's text the anchor was made in: a copy is kept and `placement.anchored_in` is its key."""
        with write_transaction(self.db):
            anchored_in = self._keep_text(text) if text is not None else placement.anchored_in
            self.db.execute(
                'UPDATE highlights SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?, anchored_in = ?,'
                " updated = ? WHERE id = ?",
                [anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix, anchored_in, now_iso(),
                 highlight_id])
            self._save_placement(highlight_id, placement.located, placement.found_in)

    def _set_highlight_tags(self, highlight_id: str, names: Iterable[str]) -> None:
        self.db.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", [highlight_id])
        for tag_id in self._tag_ids(names):
            self.db.execute("INSERT INTO highlight_tags VALUES (?, ?)", [highlight_id, tag_id])

    def update_highlight(self, highlight_id: str, *, colour: str | None = None, note: str | None = None,
                         tags: Iterable[str] | None = None) -> Highlight:
        if colour is not None and colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r}")
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE highlights SET colour = coalesce(?, colour), note = coalesce(?, note), updated = ?"
                " WHERE id = ?", [colour, note, now_iso(), highlight_id])
            if tags is not None:
                self._set_highlight_tags(highlight_id, tags)
        return self.highlight(highlight_id)

    def delete_highlight(self, highlight_id: str) -> None:
        with write_transaction(self.db):
            self.db.execute("UPDATE highlights SET deleted = ? WHERE id = ?", [now_iso(), highlight_id])

    def restore_highlight(self, highlight_id: str) -> None:
        with write_transaction(self.db):
            self.db.execute("UPDATE highlights SET deleted = NULL WHERE id = ?", [highlight_id])

    def whereabouts(self, highlight_id: str) -> tuple[str, bool] | None:
        """(corpus, deleted) of a highlight with this id, or None when there is none."""
        row = self.db.execute("SELECT d.corpus, h.deleted IS NOT NULL FROM highlights h"
                              " JOIN documents d ON d.id = h.document_id WHERE h.id = ?", [highlight_id]).fetchone()
        return (row[0], bool(row[1])) if row else None

    def highlight(self, highlight_id: str) -> Highlight:
        row = self.db.execute(
            f"SELECT {_HIGHLIGHT_COLUMNS} FROM highlights h JOIN documents d ON d.id = h.document_id"
            " WHERE h.id = ?", [highlight_id]).fetchone()
        if row is None:
            raise KeyError(highlight_id)
        return _highlight(row)

    def _live(self, columns: str, corpus: str, relpath: str | None) -> Iterable[tuple[Any, ...]]:
        where, params = "d.corpus = ?", [corpus]
        if relpath is not None:
            where, params = where + " AND d.relpath = ?", params + [relpath]
        return self.db.execute(
            f"SELECT {columns} FROM highlights h JOIN documents d ON d.id = h.document_id"
            f' WHERE {where} AND h.deleted IS NULL ORDER BY d.relpath, h.start, h."end"', params)

    def highlights(self, corpus: str, relpath: str | None = None) -> list[Highlight]:
        """Live highlights of one article, or of a whole corpus, in reading order."""
        return [_highlight(row) for row in self._live(_HIGHLIGHT_COLUMNS, corpus, relpath)]

    def placed_highlights(self, corpus: str, relpath: str | None = None) -> list[tuple[Highlight, Placement]]:
        """Live highlights, as `highlights`, each with what re-anchoring last found for it."""
        return [_placed(row) for row in self._live(f"{_HIGHLIGHT_COLUMNS}, {_PLACEMENT_COLUMNS}", corpus, relpath)]

    def article_tags_by_path(self, corpus: str) -> dict[str, tuple[str, ...]]:
        """Each article of `corpus` the user tagged → its tags."""
        rows = self.db.execute("""
            SELECT d.relpath, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
            JOIN documents d ON d.id = dt.document_id WHERE d.corpus = ? ORDER BY t.name COLLATE NOCASE""", [corpus])
        tagged: dict[str, list[str]] = {}
        for relpath, name in rows:
            tagged.setdefault(relpath, []).append(name)
        return {relpath: tuple(names) for relpath, names in tagged.items()}

    def tagged_articles(self, corpus: str) -> dict[str, set[str]]:
        """Tag (case-folded) → the articles the user gave it."""
        rows = self.db.execute("""
            SELECT t.name, d.relpath FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
            JOIN documents d ON d.id = dt.document_id WHERE d.corpus = ?""", [corpus])
        tagged: dict[str, set[str]] = {}
        for name, relpath in rows:
            tagged.setdefault(name.casefold(), set()).add(relpath)
        return tagged

    def user_tags(self, corpus: str) -> dict[str, set[str]]:
        """Every tag the user gave an article of `corpus` or one of its highlights → those articles."""
        rows = self.db.execute("""
            SELECT t.name, d.relpath FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
            JOIN documents d ON d.id = dt.document_id WHERE d.corpus = ?
            UNION
            SELECT t.name, d.relpath FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
            JOIN highlights h ON h.id = ht.highlight_id JOIN documents d ON d.id = h.document_id
            WHERE d.corpus = ? AND h.deleted IS NULL""", [corpus, corpus])
        tagged: dict[str, set[str]] = {}
        for name, relpath in rows:
            tagged.setdefault(name, set()).add(relpath)
        return tagged

    def search_highlights(self, corpus: str, words: list[str], tags: tuple[str, ...], limit: int,
                          colours: set[str] | None = None) -> list[Highlight]:
        """Live highlights whose quote, note or tags contain every word, and that carry every tag; with
        `colours`, only highlights of those colours (an empty set: none)."""
        if not words and not tags and colours is None:
            return []
        where, params = ["d.corpus = ?", "h.deleted IS NULL"], [corpus]
        if colours is not None:
            where.append(f"h.colour IN ({', '.join('?' * len(colours)) or 'NULL'})")
            params += sorted(colours)
        for word in words:  # highlights are few: a plain scan finds any substring, Chinese of any length
            where.append("(instr(casefold(h.exact), ?) OR instr(casefold(h.found_text), ?)"
                         " OR instr(casefold(h.note), ?) OR EXISTS (SELECT 1 FROM highlight_tags ht"
                         " JOIN tags t ON t.id = ht.tag_id WHERE ht.highlight_id = h.id"
                         " AND instr(casefold(t.name), ?)))")
            params += [word.casefold()] * 4
        for tag in tags:
            where.append("EXISTS (SELECT 1 FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id"
                         " WHERE ht.highlight_id = h.id AND t.name = ?)")
            params.append(tag)
        rows = self.db.execute(
            f"SELECT {_HIGHLIGHT_COLUMNS} FROM highlights h JOIN documents d ON d.id = h.document_id"
            f" WHERE {' AND '.join(where)} ORDER BY h.updated DESC LIMIT ?", [*params, limit])
        return [_highlight(row) for row in rows]

    def annotated_relpaths(self, corpus: str) -> set[str]:
        rows = self.db.execute("""
            SELECT DISTINCT d.relpath FROM documents d
            WHERE d.corpus = ? AND (EXISTS (SELECT 1 FROM highlights h WHERE h.document_id = d.id AND h.deleted IS NULL)
                                    OR EXISTS (SELECT 1 FROM document_tags dt WHERE dt.document_id = d.id))""",
                               [corpus])
        return {relpath for (relpath,) in rows}

    # -- colour meanings -----------------------------------------------------------------------
    def colour_meanings(self) -> dict[str, str]:
        """Colour name → what the user says it means, for the colours that have a meaning."""
        rows = self.db.execute("SELECT colour, meaning FROM colour_meanings ORDER BY colour")
        return {colour: meaning for colour, meaning in rows}

    def set_colour_meaning(self, colour: str, meaning: str) -> None:
        """Give `colour` this meaning; an empty one clears it (one transaction)."""
        if colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r}")
        with write_transaction(self.db):
            if meaning:
                self.db.execute(
                    "INSERT INTO colour_meanings (colour, meaning, updated) VALUES (?, ?, ?)"
                    " ON CONFLICT (colour) DO UPDATE SET meaning = excluded.meaning, updated = excluded.updated",
                    [colour, meaning, now_iso()])
            else:
                self.db.execute("DELETE FROM colour_meanings WHERE colour = ?", [colour])
