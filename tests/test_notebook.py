"""The notebook's library side: every highlight read with its article and state, its filters, bulk
changes in one transaction with what an undo needs; and colour: in queries (parsed, then searched)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.colours import COLOURS, colours_named
from desktop.core.errors import LecternError
from desktop.core.search_text import parse_query
from desktop.library import Library
from desktop.notebook import NotebookFilter, read_notebook, recoloured, tagged

SEED = "000_2e1d597362795e42.txt"
TAGGED_SEED = "003_94866a6898bf0002.txt"  # front matter tags: 算法, 人工智能, Aigc


def _highlight(library: Library, relpath: str, passage: str, colour: str, **fields: object) -> str:
    opened = library.open_article(relpath)
    start = opened.rendered.text.index(passage)
    highlight = library.add_highlight(opened, start, start + len(passage), colour)
    if fields:
        library.change_highlights({highlight.id: fields})  # type: ignore[dict-item]
    return highlight.id


@pytest.fixture
def annotated(library: Library) -> tuple[Library, dict[str, str]]:
    library.scan()
    ids = {
        "伦理": _highlight(library, SEED, "伦理和风险问题", "pink", note="不同意", tags=["ethics"]),
        "元宇宙": _highlight(library, SEED, "元宇宙", "yellow"),
        "人工智能": _highlight(library, TAGGED_SEED, "人工智能", "green", tags=["ethics", "todo"]),
    }
    library.set_article_tags(library.load(SEED), ["to-read"])
    return library, ids


def test_read_notebook_lists_every_live_highlight_with_its_article(annotated: tuple[Library, dict[str, str]]) -> None:
    library, ids = annotated
    library.set_highlights_present([ids["元宇宙"]], present=False)
    library.set_colour_meaning("pink", "disagree")
    notebook = read_notebook(library)
    assert notebook.meanings == {"pink": "disagree"}
    by_id = {entry.id: entry for entry in notebook.entries}
    assert set(by_id) == {ids["伦理"], ids["人工智能"]}
    entry = by_id[ids["伦理"]]
    assert (entry.relpath, entry.title, entry.quote, entry.note, entry.tags, entry.colour, entry.state) == (
        SEED, "如何看待AIGC技术", "伦理和风险问题", "不同意", ("ethics",), "pink", "exact")
    assert entry.article_tags == ("Aigc", "to-read")  # the front matter's, then the user's
    assert by_id[ids["人工智能"]].article_tags == ("算法", "人工智能", "Aigc")
    assert entry.day == dt.datetime.now(dt.UTC).date()


def _matching(library: Library, chosen: NotebookFilter) -> set[str]:
    notebook = read_notebook(library)
    accepts = chosen.predicate(notebook.meanings)
    return {entry.quote for entry in notebook.entries if accepts(entry)}


def test_filters(annotated: tuple[Library, dict[str, str]]) -> None:
    library, _ = annotated
    library.set_colour_meaning("pink", "disagree")
    everything = {"伦理和风险问题", "元宇宙", "人工智能"}
    assert _matching(library, NotebookFilter()) == everything
    assert _matching(library, NotebookFilter(colour="pink")) == {"伦理和风险问题"}
    assert _matching(library, NotebookFilter(text="colour:DISAGREE")) == {"伦理和风险问题"}
    assert _matching(library, NotebookFilter(text="colour:pink colour:green")) == set()  # every filter holds
    assert _matching(library, NotebookFilter(highlight_tag="ETHICS")) == {"伦理和风险问题", "人工智能"}
    assert _matching(library, NotebookFilter(text="tag:todo")) == {"人工智能"}
    assert _matching(library, NotebookFilter(article_tag="to-read")) == {"伦理和风险问题", "元宇宙"}
    assert _matching(library, NotebookFilter(article_tag="算法")) == {"人工智能"}
    assert _matching(library, NotebookFilter(text="智")) == {"人工智能"}  # one Chinese character
    assert _matching(library, NotebookFilter(text="同意")) == {"伦理和风险问题"}  # in the note
    assert _matching(library, NotebookFilter(text='"风险 问题"')) == set()  # a phrase is matched as typed
    today = dt.datetime.now(dt.UTC).date()
    assert _matching(library, NotebookFilter(since=today, until=today)) == everything
    assert _matching(library, NotebookFilter(until=today - dt.timedelta(days=1))) == set()
    assert _matching(library, NotebookFilter(orphaned_only=True)) == set()


def test_bulk_changes_return_what_undo_needs_and_are_all_or_nothing(annotated: tuple[Library, dict[str, str]]) -> None:
    library, ids = annotated
    entries = read_notebook(library).entries
    change = tagged(entries, "Todo")  # the one tagged todo already is left alone (tags ignore case)
    assert set(change) == {ids["伦理"], ids["元宇宙"]}
    before = library.change_highlights(change)
    assert before == {ids["伦理"]: {"tags": ("ethics",)}, ids["元宇宙"]: {"tags": ()}}
    assert library.highlight(ids["伦理"]).tags == ("ethics", "todo")  # the tag as first written
    library.change_highlights(before)
    assert library.highlight(ids["伦理"]).tags == ("ethics",) and library.highlight(ids["元宇宙"]).tags == ()
    assert recoloured(entries, "pink").keys() == {ids["元宇宙"], ids["人工智能"]}
    # A change that fails half-way changes nothing.
    with pytest.raises((ValueError, LecternError, sqlite3.Error)):
        library.change_highlights({ids["元宇宙"]: {"colour": "blue"}, ids["伦理"]: {"colour": "red"}})
    assert library.highlight(ids["元宇宙"]).colour == "yellow"
    library.set_highlights_present(ids.values(), present=False)
    assert read_notebook(library).entries == ()
    library.set_highlights_present(ids.values(), present=True)
    assert len(read_notebook(library).entries) == 3


def test_colour_search_finds_highlights_by_name_or_meaning(annotated: tuple[Library, dict[str, str]]) -> None:
    library, ids = annotated
    library.set_colour_meaning("pink", "strongly disagree")
    for query in ("colour:pink", "color:Pink", 'colour:"strongly disagree"', 'color:"STRONGLY  disagree"'):
        found = library.search(query)
        assert [(r.kind, r.highlight_id) for r in found.results] == [("highlight", ids["伦理"])], query
        assert found.query.problems == ()
    assert [r.highlight_id for r in library.search("colour:green tag:todo").results] == [ids["人工智能"]]
    assert library.search("colour:green 伦理").results == []
    unknown = library.search("colour:teal")
    assert unknown.results == [] and unknown.query.problems == ("colour:teal (no colour is named so or means that)",)


# -- parsing ----------------------------------------------------------------------------------------
_WORD = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), blacklist_characters='"'),
                min_size=1, max_size=12)
_KEY = st.sampled_from(["colour", "color", "COLOUR", "Color"])
_COLOUR_FILTERS = st.one_of(
    st.tuples(_KEY, _WORD).map(lambda kn: (f"{kn[0]}:{kn[1]}", kn[1])),
    st.tuples(_KEY, _WORD, _WORD).map(lambda knn: (f'{knn[0]}:"{knn[1]} {knn[2]}"', f"{knn[1]} {knn[2]}")))
_OTHERS = st.sampled_from(["伦理", "model*", "tag:todo", '"隐私 保护"', "date:2024", "category:未分类"]).map(
    lambda part: (part, None))


@given(st.lists(st.one_of(_COLOUR_FILTERS, _OTHERS), max_size=8))
def test_colour_filters_are_parsed_from_any_query(parts: list[tuple[str, str | None]]) -> None:
    query = parse_query(" ".join(part for part, _ in parts))
    assert query.colours == tuple(name for _, name in parts if name is not None)
    without = parse_query(" ".join(part for part, name in parts if name is None))
    assert (query.terms, query.tags, query.categories, query.date_from, query.date_to) == (
        without.terms, without.tags, without.categories, without.date_from, without.date_to)


_MEANING = st.text(alphabet=st.sampled_from("abcXYZ 伦理同意 "), max_size=20)


@given(st.sampled_from(list(COLOURS)), _MEANING, st.sampled_from([str.upper, str.lower, str.title]))
def test_a_colour_is_named_by_its_name_or_its_meaning_in_any_case(colour: str, meaning: str,
                                                                   case: Callable[[str], str]) -> None:
    meanings = {colour: meaning}
    assert colour in colours_named(case(colour), meanings)
    if meaning.strip():
        assert colours_named(f"  {case(meaning)} ", meanings) >= {colour}
    else:
        assert colours_named(meaning, meanings) == set()
