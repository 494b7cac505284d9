"""The plain data Lectern passes around: articles, their rendering, anchors and highlights."""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "BodyKind",
    "Article",
    "RenderedArticle",
    "Heading",
    "Anchor",
    "Highlight",
    "PlacedHighlight",
    "SkippedFile",
    "CorpusEntry",
    "CorpusScan",
    "IndexReport",
]


class BodyKind(enum.Enum):
    MARKDOWN = "markdown"
    HTML = "html"


@dataclass(frozen=True)
class Article:
    """One file of the corpus, read and understood, but not yet rendered."""

    relpath: str  # corpus-relative, with forward slashes: the article's identity inside a corpus
    path: Path
    title: str
    body: str
    kind: BodyKind
    date: dt.date | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    description: str = ""
    source_id: str | None = None  # a stable id from front matter (CSDN's `artid`), survives renames
    content_hash: str = ""
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


class Heading(NamedTuple):
    """A heading of a rendered article: its level (1-6), where it starts in the plain text, its words."""

    level: int
    offset: int
    title: str


@dataclass(frozen=True)
class RenderedArticle:
    """Safe HTML for the view, and the plain text that highlight offsets count in."""

    html: str
    text: str
    warnings: tuple[str, ...] = ()  # what rendering had to give up on (shown with the article's own)
    # For each <img> of `html`, in order, the text it stands for in `text`: a kept remote image stands
    # for its placeholder (so the text, and every highlight, is the same with or without it), a local
    # image for nothing. desktop.core.textmap pairs them.
    image_texts: tuple[str, ...] = ()
    remote_images: tuple[str, ...] = ()  # the remote image URLs the article shows, in order, once each
    # Where a long `html` may be cut into pieces that are each whole blocks (offsets into `html`): the
    # reader shows such an article a piece at a time (desktop.core.render.PIECE_CHARACTERS).
    breaks: tuple[int, ...] = ()
    headings: tuple[Heading, ...] = ()  # in the order they come

    def pieces(self) -> list[str]:
        """`html` cut at its breaks (one piece when it has none)."""
        edges = [0, *self.breaks, len(self.html)]
        return [self.html[start:end] for start, end in itertools.pairwise(edges)]


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a highlight sits: W3C TextPositionSelector (start, end) plus TextQuoteSelector."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Highlight:
    id: str
    relpath: str
    anchor: Anchor
    colour: str
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""


@dataclass(frozen=True, slots=True)
class PlacedHighlight:
    """A highlight and where it is in its article's text now.

    state: how it was found (desktop.core.anchoring's exact, moved, changed or orphaned); current: where
    it is now, with the article's text there and the context either side, None when orphaned (the
    highlight's own anchor keeps the quote as it was highlighted); score: how sure, 1.0 for an
    unchanged passage."""

    highlight: Highlight
    state: str
    current: Anchor | None
    score: float = 1.0

    @property
    def span(self) -> tuple[int, int] | None:
        return None if self.current is None else (self.current.start, self.current.end)

    @property
    def orphaned(self) -> bool:
        return self.current is None


@dataclass(frozen=True, slots=True)
class SkippedFile:
    relpath: str
    reason: str


class CorpusEntry(NamedTuple):
    """What the corpus tree needs to know of an article, without its body. (A tuple: a restart makes
    60,000 of them from stored metadata, and a tuple is made in a third of a frozen dataclass's time.)"""

    relpath: str
    title: str
    kind: BodyKind
    date: dt.date | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    source_id: str | None = None  # with content_hash: how a renamed or moved file is recognised
    content_hash: str = ""

    @classmethod
    def of(cls, article: Article) -> CorpusEntry:
        return cls(article.relpath, article.title, article.kind, article.date, article.tags,
                   article.categories, article.warnings, article.source_id, article.content_hash)


@dataclass(frozen=True)
class IndexReport:
    files: int
    added: int
    updated: int
    unchanged: int
    removed: int
    skipped: int
    seconds: float
    cancelled: bool = False

    def summary(self) -> str:
        done = "cancelled after" if self.cancelled else "indexed in"
        return (f"{self.files} files: {self.added} new, {self.updated} changed, {self.unchanged} unchanged, "
                f"{self.removed} removed, {self.skipped} unreadable; {done} {self.seconds:.2f} s")


@dataclass(frozen=True)
class CorpusScan:
    root: Path
    entries: tuple[CorpusEntry, ...]
    skipped: tuple[SkippedFile, ...]
    cancelled: bool = False
    report: IndexReport | None = None  # what bringing the search index up to date took

    @property
    def summary(self) -> str:
        return self.report.summary() if self.report else ""
