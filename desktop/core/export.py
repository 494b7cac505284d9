"""Highlights and notes as Markdown notes, laid out by a template (desktop.core.note_template): one
note per article, a notebook gathered from many articles, and an index. Pure: strings in, note parts
out, the same bytes for the same input."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.core.anchoring import CHANGED
from desktop.core.links import block_id, make_link
from desktop.core.model import Highlight, PlacedHighlight
from desktop.core.note_template import FRONT_MATTER, HEAD, NotePart, NoteTemplate
from desktop.core.tags import normalize_tags

__all__ = ["ArticleNotes", "NoteStyle", "HighlightSelection", "article_note", "notebook_note", "index_note",
           "safe_filename", "highlight_fields", "article_fields"]


@dataclass(frozen=True)
class ArticleNotes:
    """One article's annotations, ready to export: highlights already in reading order, each where it
    is in the article now, with the sentence around it (before, after) when the article has it."""

    relpath: str
    title: str
    date: dt.date | None
    tags: tuple[str, ...]  # the article's own (front matter) and the user's
    placed: tuple[PlacedHighlight, ...]
    url: str = ""  # the article's original web address, when its front matter names one
    contexts: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # highlight id → (before, after)

    @property
    def highlights(self) -> tuple[Highlight, ...]:
        return tuple(placed.highlight for placed in self.placed)


@dataclass(frozen=True)
class NoteStyle:
    """How notes are written: the template, the corpus links point into, and what each colour means."""

    template: NoteTemplate
    corpus: str
    meanings: Mapping[str, str] = field(default_factory=dict)


_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])$", re.I)
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f#^\[\]]+')
_MAX_NAME = 80
_MAX_NAME_BYTES = 150  # of 255, leaving room for " (12).md" and a temporary file's affixes


def safe_filename(title: str, taken: set[str]) -> str:
    """A `.md` name that Windows, macOS and Linux accept and Obsidian can link to, unique in `taken`."""
    stem = " ".join(_UNSAFE_CHARS.sub(" ", title).split()).strip(" .")[:_MAX_NAME]
    while len(stem.encode("utf-8")) > _MAX_NAME_BYTES:  # file systems count bytes: 3 per Chinese character
        stem = stem[:-1]
    stem = stem.strip(" .") or "untitled"
    if _WINDOWS_RESERVED.match(stem):
        stem = f"{stem}_"
    name, number = f"{stem}.md", 2
    while name.casefold() in taken:
        name, number = f"{stem} ({number}).md", number + 1
    taken.add(name.casefold())
    return name


def article_fields(notes: ArticleNotes, corpus: str) -> dict[str, Any]:
    """What a template knows of an article."""
    return {"title": notes.title, "path": notes.relpath, "url": notes.url,
            "date": notes.date.isoformat() if notes.date else "", "tags": list(notes.tags),
            "link": make_link(corpus, notes.relpath)}


def highlight_fields(placed: PlacedHighlight, notes: ArticleNotes, style: NoteStyle) -> dict[str, Any]:
    """What a template knows of a highlight."""
    highlight = placed.highlight
    quote = (placed.current or highlight.anchor).exact
    before, after = notes.contexts.get(highlight.id, ("", ""))
    meaning = style.meanings.get(highlight.colour, "")
    context = " ".join(f"{before}=={' '.join(quote.split())}=={after}".split()) if before or after else ""
    return {
        "id": highlight.id, "block_id": block_id(highlight.id),
        "link": make_link(style.corpus, highlight.relpath, highlight.id),
        "quote": quote, "context": context, "context_before": before, "context_after": after,
        "note": highlight.note.strip(), "tags": list(highlight.tags),
        "all_tags": list(normalize_tags(list(highlight.tags) + ([meaning] if meaning else []))),
        "colour": highlight.colour, "meaning": meaning, "state": placed.state,
        "original_quote": highlight.anchor.exact if placed.state == CHANGED else "",
        "created": highlight.created, "updated": highlight.updated,
    }


def _group(notes: ArticleNotes, style: NoteStyle) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return article_fields(notes, style.corpus), [highlight_fields(p, notes, style) for p in notes.placed]


def article_note(notes: ArticleNotes, style: NoteStyle) -> list[NotePart]:
    """One article's note."""
    fields = {"title": notes.title, "kind": "article", "count": len(notes.placed), "filter": ""}
    return style.template.render(fields, [_group(notes, style)], grouped=False)


def notebook_note(title: str, description: str, articles: Iterable[ArticleNotes], style: NoteStyle) -> list[NotePart]:
    """Highlights gathered from many articles into one note, grouped by article (in path order);
    `description` says what gathered them (e.g. `tag: 伦理`)."""
    groups = [_group(notes, style) for notes in sorted(articles, key=lambda item: item.relpath) if notes.placed]
    fields = {"title": title, "kind": "notebook", "count": sum(len(h) for _, h in groups), "filter": description}
    return style.template.render(fields, groups, grouped=True)


def index_note(entries: Sequence[tuple[str, ArticleNotes]]) -> list[NotePart]:
    """`index.md` of a whole-corpus export: a link to each article's note, one part per article."""
    parts = [NotePart(FRONT_MATTER, ""), NotePart(HEAD, "# Lectern notes\n\n")]
    for name, notes in sorted(entries, key=lambda item: item[1].relpath):
        count = len(notes.placed)
        parts.append(NotePart(f"article:{notes.relpath}", f"- [[{name[:-3]}]] ({count} highlight"
                                                           f"{'s' if count != 1 else ''}) `{notes.relpath}`\n"))
    return parts


@dataclass(frozen=True)
class HighlightSelection:
    """Which highlights a notebook gathers: those with any of `tags` (case-insensitive), or of any of
    `colours`, or with an id in `ids` (a selection made in the notebook view). Several kinds at once:
    a highlight must match each kind given. Nothing given selects nothing."""

    tags: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    ids: frozenset[str] | None = None

    def matches(self, highlight: Highlight) -> bool:
        if not (self.tags or self.colours or self.ids is not None):
            return False
        wanted = {tag.casefold() for tag in self.tags}
        return ((not self.tags or any(tag.casefold() in wanted for tag in highlight.tags))
                and (not self.colours or highlight.colour in self.colours)
                and (self.ids is None or highlight.id in self.ids))

    def describe(self, meanings: Mapping[str, str]) -> str:
        """In words, for the note's title and its `lectern-notebook` property (which also tells one
        notebook's note from another's in the export folder)."""
        said = [f"tag {', '.join(self.tags)}"] if self.tags else []
        if self.colours:
            said.append("colour " + ", ".join(f"{c} ({meanings[c]})" if meanings.get(c) else c for c in self.colours))
        if self.ids is not None:
            said.append(f"{len(self.ids)} chosen highlight{'s' if len(self.ids) != 1 else ''}")
        return "; ".join(said) or "nothing"
