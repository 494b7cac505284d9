"""Markdown export through the default template: readable, Obsidian-friendly, deterministic; each
highlight with its sentence, a stable block id, a link back and its colour's meaning as a tag; safe file
names everywhere."""

from __future__ import annotations

import datetime as dt
import os

import frontmatter
import pytest

from desktop.core.anchoring import CHANGED, EXACT, MOVED, ORPHANED
from desktop.core.export import (
    ArticleNotes,
    HighlightSelection,
    NoteStyle,
    article_note,
    index_note,
    notebook_note,
    safe_filename,
)
from desktop.core.links import parse_link
from desktop.core.model import Anchor, Highlight, PlacedHighlight
from desktop.core.note_template import NoteTemplate, compose
from tests.conftest import DATA, PROJECT

GOLDEN = DATA / "golden"
CORPUS = "/home/reader/文章"
STAMP = "2026-01-01T00:00:00Z"
IDS = ["8b1c2d3e-0000-4000-8000-00000000000a", "9a8b7c6d-0000-4000-8000-00000000000b",
       "1f2e3d4c-0000-4000-8000-00000000000c", "5e6f7a8b-0000-4000-8000-00000000000d"]


def default_style(meanings: dict[str, str] | None = None) -> NoteStyle:
    template = NoteTemplate((PROJECT / "resources" / "note-template.md").read_text(encoding="utf-8"))
    return NoteStyle(template, CORPUS, {"yellow": "key idea", "green": "example"} if meanings is None else meanings)


def _notes(relpath: str = "ai/ethics.md") -> ArticleNotes:
    first = Highlight(IDS[0], relpath, Anchor(10, 20, "算法偏见和数据隐私问题", "其次，", "是AIGC"), "yellow",
                      note="值得展开：\n隐私与监管的关系。", tags=("隐私", "AI Safety", "2024"),
                      created=STAMP, updated=STAMP)
    second = Highlight(IDS[1], relpath, Anchor(40, 60, "第一段\n第二段", "", ""), "purple",
                       created=STAMP, updated=STAMP)
    edited = Highlight(IDS[2], relpath, Anchor(70, 78, "版权归属的新问题", "带来了", "，也"), "green",
                       created=STAMP, updated=STAMP)
    gone = Highlight(IDS[3], relpath, Anchor(0, 4, "已删除的句子", "", ""), "blue", created=STAMP, updated=STAMP)
    return ArticleNotes(relpath, "如何看待AIGC技术: 伦理/监管?", dt.date(2025, 2, 26), ("Aigc", "监管"), (
        PlacedHighlight(first, EXACT, first.anchor),
        PlacedHighlight(second, MOVED, Anchor(45, 65, "第一段\n第二段", "", "")),
        PlacedHighlight(edited, CHANGED, Anchor(75, 83, "版权归属的新难题", "带来了", "，也"), 0.81),
        PlacedHighlight(gone, ORPHANED, None, 0.0)),
        url="https://blog.example.com/aigc/1",
        contexts={IDS[0]: ("其次，", "是AIGC面临的挑战；"), IDS[2]: ("生成内容带来了", "，也带来了责任问题。")})


def _golden(name: str, produced: str) -> None:
    if os.environ.get("LECTERN_UPDATE_GOLDEN"):
        (GOLDEN / name).write_text(produced, encoding="utf-8")
    assert produced == (GOLDEN / name).read_text(encoding="utf-8")


def test_article_note_matches_the_golden_file() -> None:
    produced = compose(article_note(_notes(), default_style()))
    _golden("article_notes.md", produced)
    assert produced == compose(article_note(_notes(), default_style()))  # deterministic


def test_notebook_note_matches_the_golden_file() -> None:
    style = default_style()
    produced = compose(notebook_note("Notebook — tag 隐私", "tag 隐私", [_notes("b.md"), _notes("a/z.md")], style))
    _golden("notebook_notes.md", produced)
    assert produced.index("a/z.md") < produced.index("`b.md`")  # grouped by article, in path order


def test_each_highlight_has_its_sentence_block_id_link_and_meaning() -> None:
    body = compose(article_note(_notes(), default_style()))
    assert "Context: 其次，==算法偏见和数据隐私问题==是AIGC面临的挑战；" in body  # the quote marked in its sentence
    assert "> 算法偏见和数据隐私问题\n\n^lectern-8b1c2d3e0000\n" in body  # an Obsidian block id after the quote
    assert "#key-idea" in body and "- yellow (key idea)" in body  # the meaning, in words and as a tag
    assert "- green (example)" in body and "#example" in body
    links = [line.split("](", 1)[1].split(")", 1)[0] for line in body.splitlines() if "[open in Lectern](" in line]
    assert [parse_link(link).highlight for link in links] == IDS
    assert {parse_link(link).corpus for link in links} == {CORPUS}


def test_block_ids_do_not_change_between_exports_or_with_the_passage() -> None:
    first = compose(article_note(_notes(), default_style()))
    moved = _notes()
    moved = ArticleNotes(moved.relpath, "Another title", None, (), moved.placed[::-1])
    second = compose(article_note(moved, default_style({})))
    block_ids = {line for line in first.splitlines() if line.startswith("^lectern-")}
    assert len(block_ids) == 4 and block_ids == {line for line in second.splitlines() if line.startswith("^lectern-")}


def test_exported_markdown_reads_back() -> None:
    post = frontmatter.loads(compose(article_note(_notes(), default_style())))
    assert post["title"] == "如何看待AIGC技术: 伦理/监管?"
    assert post["source"] == "ai/ethics.md" and post["url"] == "https://blog.example.com/aigc/1"
    assert parse_link(post["lectern"]).article == "ai/ethics.md"
    assert post["tags"] == ["Aigc", "监管"]
    assert "> 第一段\n> 第二段" in post.content
    assert "#隐私 #AI-Safety #_2024" in post.content
    assert "值得展开：\n隐私与监管的关系。" in post.content


def test_changed_and_orphaned_highlights_are_marked_in_words() -> None:
    body = frontmatter.loads(compose(article_note(_notes(), default_style()))).content
    changed = body[body.index("> 版权归属的新难题"):body.index("> 已删除的句子")]
    # the passage as the article has it now, then what it read when highlighted
    assert changed.index("changed: the passage was edited") < changed.index("> 版权归属的新问题")
    orphaned = body[body.index("> 已删除的句子"):]
    assert "orphaned: the passage is no longer in the article" in orphaned and "changed" not in orphaned


def test_the_index_links_each_note() -> None:
    empty = ArticleNotes("b.md", "CON", None, (), ())
    text = compose(index_note([("如何看待AIGC技术 伦理 监管.md", _notes()), ("CON_.md", empty)]))
    assert "- [[如何看待AIGC技术 伦理 监管]] (4 highlights) `ai/ethics.md`" in text
    assert "- [[CON_]] (0 highlights) `b.md`" in text


def test_a_selection_gathers_by_tag_colour_or_id() -> None:
    highlights = _notes().highlights
    assert [h.id for h in highlights if HighlightSelection(tags=("ai safety",)).matches(h)] == [IDS[0]]
    assert [h.id for h in highlights if HighlightSelection(colours=("green", "blue")).matches(h)] == IDS[2:]
    assert [h.id for h in highlights if HighlightSelection(ids=frozenset(IDS[1:2])).matches(h)] == [IDS[1]]
    assert not any(HighlightSelection().matches(h) for h in highlights)
    described = HighlightSelection(("伦理",), ("yellow",)).describe({"yellow": "key idea"})
    assert described == "tag 伦理; colour yellow (key idea)"


@pytest.mark.parametrize(
    ("title", "expected"),
    [("a/b\\c:d*e?f\"g<h>i|j", "a b c d e f g h i j.md"), ("  ..dots..  ", "dots.md"), ("", "untitled.md"),
     ("nul", "nul_.md"), ("x" * 200, "x" * 80 + ".md"), ("伦" * 80, "伦" * 50 + ".md")],
)
def test_safe_filenames(title: str, expected: str) -> None:
    assert safe_filename(title, set()) == expected


def test_safe_filenames_are_unique_ignoring_case() -> None:
    taken: set[str] = set()
    assert [safe_filename(t, taken) for t in ("Notes", "notes", "NOTES")] == ["Notes.md", "notes (2).md",
                                                                             "NOTES (3).md"]
