"""Notes of the annotated articles for export: planned from the database (quick, on the UI thread), then
read, rendered and anchored without it (on a worker), then written merged with what the user made of
the earlier export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop.core.documents import load_article, web_address
from desktop.core.errors import DocumentError
from desktop.core.export import ArticleNotes, NoteStyle
from desktop.core.model import Highlight, PlacedHighlight
from desktop.core.render import render_article
from desktop.core.sentences import sentence_around
from desktop.library.placing import Reanchored, place
from desktop.note_export import ExportReport, Notebook, article_notes, notebook_notes, write_notes
from desktop.store.annotations import Placement

__all__ = ["DEFAULT_TEMPLATE", "NotesPlan", "reanchor_plan", "notes_from_plan", "write_markdown_export"]

DEFAULT_TEMPLATE = "note-template.md"  # in resources/: the default layout of exported notes


@dataclass(frozen=True)
class NotesPlan:
    relpath: str
    highlights: tuple[tuple[Highlight, Placement], ...]
    user_tags: tuple[str, ...]
    title: str  # as last seen, for an article whose file is gone
    kept_texts: Mapping[str, str]  # the texts its highlights' anchors were made in, by key


def _contexts(placed: Iterable[PlacedHighlight], text: str | None) -> dict[str, tuple[str, str]]:
    """The sentence around each highlight: in the article's text where it is found, else in the
    context its anchor kept (an orphan's, or one in a file that is gone)."""
    contexts = {}
    for item in placed:
        if text is not None and item.span is not None:
            contexts[item.highlight.id] = sentence_around(text, *item.span)
        else:
            anchor = item.highlight.anchor
            kept = anchor.prefix + anchor.exact + anchor.suffix
            before, after = sentence_around(kept, len(anchor.prefix), len(anchor.prefix) + len(anchor.exact))
            contexts[item.highlight.id] = (before, after)
    return contexts


def reanchor_plan(root: Path, plan: NotesPlan) -> tuple[ArticleNotes, Reanchored]:
    def kept_texts(_: set[str]) -> Mapping[str, str]:
        return plan.kept_texts

    try:
        path = (root / plan.relpath).resolve()
        if not path.is_relative_to(root):
            raise DocumentError(f"{plan.relpath} is outside the corpus")
        article = load_article(path, root)
    except DocumentError:  # the file is gone: its highlights are all orphaned, but still exported
        reanchored = place(plan.highlights, None, kept_texts)
        return ArticleNotes(plan.relpath, plan.title, None, plan.user_tags, reanchored.placed,
                            contexts=_contexts(reanchored.placed, None)), reanchored
    text = render_article(article).text
    reanchored = place(plan.highlights, text, kept_texts)
    tags = tuple(dict.fromkeys(article.tags + plan.user_tags))
    return ArticleNotes(plan.relpath, article.title, article.date, tags, reanchored.placed,
                        web_address(article.metadata), _contexts(reanchored.placed, text)), reanchored


def notes_from_plan(root: Path, plans: list[NotesPlan]) -> list[ArticleNotes]:
    """Read, render and anchor each planned article: no database, so it may run on a worker (what it
    finds is stored the next time each article is opened or checked)."""
    return [reanchor_plan(root, plan)[0] for plan in plans]


def write_markdown_export(notes: list[ArticleNotes], out_dir: Path, style: NoteStyle, whole_corpus: bool,
                          notebook: Notebook | None = None) -> ExportReport:
    """Write notes gathered beforehand (so this part can run on a worker thread), each merged with what
    the user made of its earlier export: one note per article (with an index for the whole corpus),
    or the one note of a `notebook`."""
    if notebook is not None:
        return write_notes(out_dir, notebook_notes(notebook, notes, style))
    return write_notes(out_dir, article_notes(notes, style), index=notes if whole_corpus else None)
