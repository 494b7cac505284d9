"""Highlights and notes as Markdown that reads well on its own and in Obsidian. Pure: strings in,
strings out, the same bytes for the same input (the export time is an argument)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.anchoring import CHANGED, ORPHANED
from desktop.core.model import Highlight, PlacedHighlight
from desktop.core.tags import obsidian_tag

__all__ = ["ArticleNotes", "article_markdown", "corpus_markdown", "safe_filename"]


@dataclass(frozen=True)
class ArticleNotes:
    """One article's annotations, ready to export: highlights already in reading order, each where it
    is in the article now."""

    relpath: str
    title: str
    date: dt.date | None
    tags: tuple[str, ...]  # the article's own (front matter) and the user's
    placed: tuple[PlacedHighlight, ...]

    @property
    def highlights(self) -> tuple[Highlight, ...]:
        return tuple(placed.highlight for placed in self.placed)


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


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _front_matter(notes: ArticleNotes, exported_at: str) -> list[str]:
    lines = [
        "---",
        f"title: {_yaml_string(notes.title)}",
        f"source: {_yaml_string(notes.relpath)}",
    ]
    if notes.date:
        lines.append(f"date: {notes.date.isoformat()}")
    lines.append(f"tags: [{', '.join(_yaml_string(obsidian_tag(tag)[1:]) for tag in notes.tags)}]")
    lines += [f"highlights: {len(notes.placed)}", f"exported: {exported_at}", "---", ""]
    return lines


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in text.strip().splitlines()] or [">"]


def _highlight_block(placed: PlacedHighlight) -> list[str]:
    """The passage as the article has it now, and in words what became of it: an edited passage is
    followed by what it read when highlighted; a vanished one keeps its quote."""
    highlight = placed.highlight
    lines = _quote((placed.current or highlight.anchor).exact)
    details = [f"colour: {highlight.colour}"]
    if highlight.tags:
        details.append("tags: " + " ".join(obsidian_tag(tag) for tag in highlight.tags))
    if placed.state == CHANGED:
        details.append("changed: the passage was edited after it was highlighted; it read:")
    elif placed.state == ORPHANED:
        details.append("orphaned: the passage is no longer in the article")
    lines += ["", f"- {' · '.join(details)}"]
    if placed.state == CHANGED:
        lines += ["", *_quote(highlight.anchor.exact)]
    if highlight.note.strip():
        lines += ["", *highlight.note.strip().splitlines()]
    return lines + [""]


def article_markdown(notes: ArticleNotes, exported_at: str) -> str:
    lines = _front_matter(notes, exported_at)
    lines += [f"# {notes.title}", ""]
    if notes.tags:
        lines += [" ".join(obsidian_tag(tag) for tag in notes.tags), ""]
    for number, placed in enumerate(notes.placed, start=1):
        lines += [f"## Highlight {number}", ""]
        lines += _highlight_block(placed)
    return "\n".join(lines).rstrip("\n") + "\n"


def corpus_markdown(articles: Iterable[ArticleNotes], exported_at: str) -> dict[str, str]:
    """One file per annotated article plus `index.md` linking them, as {file name: content}."""
    files: dict[str, str] = {}
    taken = {"index.md"}
    index = ["---", f"exported: {exported_at}", "---", "", "# Lectern notes", ""]
    for notes in sorted(articles, key=lambda item: item.relpath):
        name = safe_filename(notes.title, taken)
        files[name] = article_markdown(notes, exported_at)
        count = len(notes.placed)
        index.append(f"- [[{name[:-3]}]] ({count} highlight{'s' if count != 1 else ''}) `{notes.relpath}`")
    files["index.md"] = "\n".join(index) + "\n"
    return files
