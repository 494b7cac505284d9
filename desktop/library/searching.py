"""Searching a corpus's articles (the search index) and the user's highlights (the annotation database)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from desktop.core.colours import COLOURS, colours_named
from desktop.core.search_text import SearchQuery, parse_query
from desktop.core.snippets import Snippet, make_snippet
from desktop.store.annotations import AnnotationStore
from desktop.store.search_index import SearchIndex

__all__ = ["SearchResult", "SearchResults", "search"]


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "article" or "highlight"
    relpath: str
    title: str
    snippet: Snippet
    score: float
    highlight_id: str | None = None

    @property
    def where(self) -> str:
        return self.relpath if self.kind == "article" else f"highlight in {self.relpath}"


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    results: list[SearchResult]
    elapsed_ms: float


def search(index: SearchIndex, store: AnnotationStore, corpus: str, meanings: dict[str, str], text: str,
           limit: int = 20) -> SearchResults:
    """Articles and highlights matching `text` (see desktop.core.search_text for the syntax)."""
    started = time.perf_counter()
    query = parse_query(text)
    words = query.words()
    colours, unknown = _colours_of(query, meanings)
    query = replace(query, problems=query.problems + unknown)
    results = [] if colours is not None else [  # a colour is a highlight's: it filters out every article
        SearchResult("article", hit.relpath, hit.title, make_snippet(hit.text, words), hit.score)
        for hit in index.search(query, limit, store.tagged_articles(corpus))
    ]
    highlights = store.search_highlights(corpus, words, query.tags, limit, colours)
    facts = index.article_facts(h.relpath for h in highlights)
    titles = store.document_titles(corpus)
    for highlight in highlights:
        title, date, categories = facts.get(highlight.relpath, (titles.get(highlight.relpath, ""), None, ()))
        if query.categories and not {c.casefold() for c in query.categories} & {c.casefold() for c in categories}:
            continue
        if (query.date_from or query.date_to) and not (
                date and (query.date_from or date) <= date <= (query.date_to or date)):
            continue
        searched = "\n".join([highlight.anchor.exact, highlight.note, " ".join(highlight.tags)])
        results.append(SearchResult("highlight", highlight.relpath, title or highlight.relpath,
                                    make_snippet(searched, words), 0.0, highlight.id))
    return SearchResults(query, results, (time.perf_counter() - started) * 1000)


def _colours_of(query: SearchQuery, meanings: dict[str, str]) -> tuple[set[str] | None, tuple[str, ...]]:
    """The colours the query's colour: filters name (every filter must hold; None without any), and
    a problem for each name that is neither a colour nor a meaning the user gave one."""
    if not query.colours:
        return None, ()
    wanted, unknown = set(COLOURS), []
    for name in query.colours:
        named = colours_named(name, meanings)
        if not named:
            unknown.append(f"colour:{name} (no colour is named so or means that)")
        wanted &= named
    return wanted, tuple(unknown)
