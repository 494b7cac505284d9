"""Highlights, notes and tags in the store."""

from __future__ import annotations

from desktop.core.anchoring import CHANGED, EXACT, ORPHANED, Located
from desktop.core.model import Anchor
from desktop.store.annotations import AnnotationStore, Placement, text_key

KEY = ("/corpus", "a.md")
ANCHOR = Anchor(3, 8, "hello", "abc", "def")


def test_highlight_round_trip_with_note_and_tags(store: AnnotationStore) -> None:
    created = store.add_highlight(KEY, ANCHOR, "green", note="n", tags=["伦理", " #AI "])
    assert created.tags == ("AI", "伦理") and created.note == "n" and created.colour == "green"
    assert store.highlights("/corpus", "a.md") == [created]
    updated = store.update_highlight(created.id, note="changed", tags=["监管"], colour="pink")
    assert (updated.note, updated.tags, updated.colour) == ("changed", ("监管",), "pink")
    assert store.tag_names() == ["监管"]


def test_delete_leaves_a_tombstone_that_restores(store: AnnotationStore) -> None:
    highlight = store.add_highlight(KEY, ANCHOR, "yellow")
    store.delete_highlight(highlight.id)
    assert store.highlights("/corpus") == []
    assert store.db.execute("SELECT count(*) FROM highlights").fetchone()[0] == 1
    store.restore_highlight(highlight.id)
    assert [h.id for h in store.highlights("/corpus")] == [highlight.id]


def test_article_tags_and_annotated_articles(store: AnnotationStore) -> None:
    assert store.set_article_tags(KEY, ["b", "a", "A"]) == ("a", "b")
    assert store.article_tags(KEY) == ("a", "b")
    assert store.annotated_relpaths("/corpus") == {"a.md"}
    assert store.annotated_relpaths("/other") == set()


def test_highlights_come_in_reading_order(store: AnnotationStore) -> None:
    late = store.add_highlight(KEY, Anchor(50, 60, "x", "", ""), "yellow")
    early = store.add_highlight(KEY, Anchor(1, 2, "y", "", ""), "yellow")
    assert [h.id for h in store.highlights("/corpus", "a.md")] == [early.id, late.id]


def test_placements_are_stored_beside_the_quote_as_highlighted(store: AnnotationStore) -> None:
    text = "abc hello def"
    highlight = store.add_highlight(KEY, ANCHOR, "yellow", text=text)
    [(_, placement)] = store.placed_highlights("/corpus", "a.md")
    assert placement.located == Located((3, 8), EXACT, 1.0, "hello")
    assert placement.found_in == placement.anchored_in == text_key(text)
    assert store.kept_texts([text_key(text), "unknown"]) == {text_key(text): text}

    edited = "abc hullo def"
    store.save_placements(edited, {highlight.id: Located((3, 8), CHANGED, 0.8, "hullo")})
    [(kept, placement)] = store.placed_highlights("/corpus", "a.md")
    assert kept == highlight  # the quote as highlighted is untouched
    assert placement == Placement(Located((3, 8), CHANGED, 0.8, "hullo"), text_key(edited), text_key(text))
    assert [h.id for h in store.search_highlights("/corpus", ["hullo"], (), 10)] == [highlight.id]

    store.save_placements(None, {highlight.id: Located(None, ORPHANED, 0.0, "")})  # the file is gone
    [(_, placement)] = store.placed_highlights("/corpus", "a.md")
    assert placement == Placement(Located(None, ORPHANED, 0.0, ""), None, text_key(text))


def test_a_confirmed_highlight_keeps_the_text_it_was_found_in(store: AnnotationStore) -> None:
    highlight = store.add_highlight(KEY, ANCHOR, "yellow")  # its text unknown, as from before re-anchoring
    assert store.placed_highlights("/corpus")[0][1].anchored_in is None
    store.save_placements("abc hello def", {highlight.id: Located((3, 8), EXACT, 1.0, "hello")}, [highlight.id])
    assert store.placed_highlights("/corpus")[0][1].anchored_in == text_key("abc hello def")
