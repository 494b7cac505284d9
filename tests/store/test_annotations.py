"""Highlights, notes and tags in the store."""

from __future__ import annotations

from desktop.core.model import Anchor
from desktop.store.annotations import AnnotationStore

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
