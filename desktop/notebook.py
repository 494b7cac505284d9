"""The notebook: every highlight of a corpus in one list, with what filtering it and acting on several
highlights at once needs. A library use-case beside `desktop.library` (no Qt): the window's notebook
reads through `read_notebook` (on a worker, with a connection of its own) and filters with
`NotebookFilter`, whose text is matched as search matches highlights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from desktop.core.colours import colours_named
from desktop.core.search_text import parse_query
from desktop.library import HighlightFields, Library
from desktop.store.search_index import SearchIndex

__all__ = ["NotebookEntry", "NotebookContents", "NotebookFilter", "read_notebook", "tagged", "recoloured"]


@dataclass(frozen=True, slots=True)
class NotebookEntry:
    """One highlight as the notebook lists it."""

    id: str
    relpath: str
    title: str  # the article's, as last seen
    quote: str  # as highlighted
    note: str
    tags: tuple[str, ...]
    colour: str
    created: str  # ISO 8601, UTC: when it was highlighted
    state: str  # how re-anchoring last found it: exact, moved, changed or orphaned
    article_tags: tuple[str, ...]  # the front matter's and the user's
    searched: str = field(default="", repr=False, compare=False)  # what a text filter looks in, case-folded

    @property
    def day(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.created[:10])
        except ValueError:
            return None


@dataclass(frozen=True)
class NotebookContents:
    """What the notebook view shows: every live highlight, and what the colours mean."""

    entries: tuple[NotebookEntry, ...]  # by article, then reading order
    meanings: dict[str, str]  # colour → what the user says it means


def read_notebook(library: Library) -> NotebookContents:
    """Every live highlight of the library's corpus, with its article's title and tags."""
    store = library.store
    placed = store.placed_highlights(library.corpus)
    titles = library.document_titles()
    user_tags = store.article_tags_by_path(library.corpus)
    relpaths = {highlight.relpath for highlight, _ in placed}
    index = SearchIndex(library.index_path)
    try:
        front_matter = index.front_matter_tags(relpaths)
    finally:
        index.close()
    entries = []
    for highlight, placement in placed:
        relpath = highlight.relpath
        article_tags = tuple(dict.fromkeys(front_matter.get(relpath, ()) + user_tags.get(relpath, ())))
        quote = highlight.anchor.exact
        # What search looks in for a highlight (store.search_highlights): quote, the text there now, note, tags.
        searched = "\n".join([quote, placement.located.text, highlight.note, *highlight.tags]).casefold()
        entries.append(NotebookEntry(highlight.id, relpath, titles.get(relpath) or relpath, quote, highlight.note,
                                     highlight.tags, highlight.colour, highlight.created, placement.located.state,
                                     article_tags, searched))
    return NotebookContents(tuple(entries), library.colour_meanings())


@dataclass(frozen=True)
class NotebookFilter:
    """What the notebook shows; each part left empty lets every highlight through. `text` is a query as
    in search: words (every one found in the quote, note or tags, Chinese at any length), "phrases",
    tag:… and colour:… (a colour's name or meaning)."""

    colour: str | None = None
    highlight_tag: str | None = None
    article_tag: str | None = None
    text: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    orphaned_only: bool = False

    def predicate(self, meanings: dict[str, str]) -> Callable[[NotebookEntry], bool]:
        """A test for one entry, with the query parsed once (it runs on every highlight as the user types)."""
        query = parse_query(self.text)
        words = [word.casefold() for word in query.words()]
        wanted_tags = [tag.casefold() for tag in query.tags] + ([self.highlight_tag.casefold()]
                                                                if self.highlight_tag else [])
        colours: set[str] | None = None
        for name in query.colours + ((self.colour,) if self.colour else ()):
            named = colours_named(name, meanings)
            colours = named if colours is None else colours & named
        article_tag = self.article_tag.casefold() if self.article_tag else None

        def accepts(entry: NotebookEntry) -> bool:
            if self.orphaned_only and entry.state != "orphaned":
                return False
            if colours is not None and entry.colour not in colours:
                return False
            if self.since is not None or self.until is not None:
                day = entry.day
                if day is None or (self.since and day < self.since) or (self.until and day > self.until):
                    return False
            if wanted_tags:
                have = {tag.casefold() for tag in entry.tags}
                if any(tag not in have for tag in wanted_tags):
                    return False
            if article_tag is not None and article_tag not in {tag.casefold() for tag in entry.article_tags}:
                return False
            return all(word in entry.searched for word in words)

        return accepts


def tagged(entries: Iterable[NotebookEntry], tag: str) -> dict[str, HighlightFields]:
    """The change that adds `tag` to each highlight (those that have it already are left alone)."""
    return {entry.id: HighlightFields(tags=(*entry.tags, tag)) for entry in entries
            if tag.casefold() not in {existing.casefold() for existing in entry.tags}}


def recoloured(entries: Iterable[NotebookEntry], colour: str) -> dict[str, HighlightFields]:
    """The change that gives each highlight `colour` (those that have it already are left alone)."""
    return {entry.id: HighlightFields(colour=colour) for entry in entries if entry.colour != colour}
