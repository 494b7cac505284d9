"""Markdown export: readable, Obsidian-friendly, deterministic; safe file names everywhere."""

from __future__ import annotations

import datetime as dt
import os

import frontmatter
import pytest

from desktop.core.anchoring import CHANGED, EXACT, MOVED, ORPHANED
from desktop.core.export import ArticleNotes, article_markdown, corpus_markdown, safe_filename
from desktop.core.model import Anchor, Highlight, PlacedHighlight
from tests.conftest import DATA

EXPORTED_AT = "2026-01-02T03:04:05Z"
GOLDEN = DATA / "golden" / "article_notes.md"


def _notes() -> ArticleNotes:
    first = Highlight("id-1", "ai/ethics.md", Anchor(10, 20, "算法偏见和数据隐私问题", "其次，", "是AIGC"), "yellow",
                      note="值得展开：\n隐私与监管的关系。", tags=("隐私", "AI Safety", "2024"),
                      created="2026-01-01T00:00:00Z", updated="2026-01-01T00:00:00Z")
    second = Highlight("id-2", "ai/ethics.md", Anchor(40, 60, "第一段\n第二段", "", ""), "purple",
                       created="2026-01-01T00:00:00Z", updated="2026-01-01T00:00:00Z")
    edited = Highlight("id-4", "ai/ethics.md", Anchor(70, 78, "版权归属的新问题", "带来了", "，也"), "green",
                       created="2026-01-01T00:00:00Z", updated="2026-01-01T00:00:00Z")
    gone = Highlight("id-3", "ai/ethics.md", Anchor(0, 4, "已删除的句子", "", ""), "blue",
                     created="2026-01-01T00:00:00Z", updated="2026-01-01T00:00:00Z")
    return ArticleNotes("ai/ethics.md", "如何看待AIGC技术: 伦理/监管?", dt.date(2025, 2, 26), ("Aigc", "监管"), (
        PlacedHighlight(first, EXACT, first.anchor),
        PlacedHighlight(second, MOVED, Anchor(45, 65, "第一段\n第二段", "", "")),
        PlacedHighlight(edited, CHANGED, Anchor(75, 83, "版权归属的新难题", "带来了", "，也"), 0.81),
        PlacedHighlight(gone, ORPHANED, None, 0.0)))


def test_article_export_matches_the_golden_file() -> None:
    produced = article_markdown(_notes(), EXPORTED_AT)
    if os.environ.get("LECTERN_UPDATE_GOLDEN"):
        GOLDEN.write_text(produced, encoding="utf-8")
    assert produced == GOLDEN.read_text(encoding="utf-8")
    assert produced == article_markdown(_notes(), EXPORTED_AT)  # deterministic


def test_exported_markdown_reads_back() -> None:
    post = frontmatter.loads(article_markdown(_notes(), EXPORTED_AT))
    assert post["title"] == "如何看待AIGC技术: 伦理/监管?"
    assert post["source"] == "ai/ethics.md"
    assert post["highlights"] == 4
    assert post["tags"] == ["Aigc", "监管"]
    body = post.content
    assert "> 算法偏见和数据隐私问题" in body
    assert "> 第一段\n> 第二段" in body
    assert "#隐私 #AI-Safety #_2024" in body
    assert "值得展开：\n隐私与监管的关系。" in body
    assert "orphaned" in body.split("已删除的句子")[1]


def test_changed_and_orphaned_highlights_are_marked_in_words() -> None:
    body = frontmatter.loads(article_markdown(_notes(), EXPORTED_AT)).content
    blocks = body.split("## Highlight ")[1:]
    changed, orphaned = [block for block in blocks if "版权归属" in block or "已删除" in block]
    # the passage as the article has it now, then what it read when highlighted
    assert changed.index("> 版权归属的新难题") < changed.index("changed: the passage was edited") \
        < changed.index("> 版权归属的新问题")
    assert "orphaned: the passage is no longer in the article" in orphaned and "changed" not in orphaned
    untouched = [block for block in blocks if "算法偏见" in block or "第一段" in block]
    assert not any("changed" in block or "orphaned" in block for block in untouched)


def test_corpus_export_has_one_file_per_article_and_an_index() -> None:
    files = corpus_markdown([_notes(), ArticleNotes("b.md", "CON", None, (), ())], EXPORTED_AT)
    assert set(files) == {"index.md", "如何看待AIGC技术 伦理 监管.md", "CON_.md"}
    assert "[[如何看待AIGC技术 伦理 监管]]" in files["index.md"]


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
