"""Search: every query form, Chinese first, against the seeds (ground truth from the files themselves)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.documents import load_article
from desktop.core.indexing import search_text_of
from desktop.core.search_text import parse_query
from desktop.library import Library
from tests.conftest import SEEDS


def _haystack(relpath: str) -> str:
    article = load_article(SEEDS / relpath, SEEDS)
    return "\n".join([article.title, search_text_of(article), " ".join(article.tags),
                      " ".join(article.categories), article.description]).casefold()


ALL_SEEDS = sorted(path.name for path in SEEDS.iterdir())


@pytest.fixture
def indexed(library: Library) -> Library:
    library.scan()
    return library


def _articles(library: Library, query: str) -> set[str]:
    return {r.relpath for r in library.search(query, limit=50).results if r.kind == "article"}


@pytest.mark.parametrize("word", ["伦理", "隐私", "伦", "隐", "监管", "的", "模型", "元宇宙", "深度学习",
                                  "人工智能生成内容", "治理", "茧房"])
def test_chinese_of_any_length_finds_exactly_the_articles_containing_it(indexed: Library, word: str) -> None:
    expected = {name for name in ALL_SEEDS if word in _haystack(name)}
    assert _articles(indexed, word) == expected


def test_words_that_occur_nowhere_find_nothing(indexed: Library) -> None:
    assert _articles(indexed, "量子纠缠") == set()
    assert _articles(indexed, "伦理学家") == {name for name in ALL_SEEDS if "伦理学家" in _haystack(name)}


def test_snippets_mark_the_match(indexed: Library) -> None:
    for result in indexed.search("隐私").results:
        assert result.snippet.marks
        start, end = result.snippet.marks[0]
        assert result.snippet.text[start:end] == "隐私"


def test_english_words_prefixes_and_mixed_queries(indexed: Library) -> None:
    assert _articles(indexed, "transformer") == {n for n in ALL_SEEDS if "transformer" in _haystack(n)}
    assert _articles(indexed, "transform*") == _articles(indexed, "transformer")
    assert _articles(indexed, "transform") == set()  # a whole word, unless asked for a prefix
    mixed = {n for n in ALL_SEEDS if "aigc" in _haystack(n) and "伦理" in _haystack(n)}
    assert _articles(indexed, "AIGC 伦理") == mixed
    assert _articles(indexed, "chatgpt 局限性") == {"004_6991db62635989d8.txt"}


def test_phrases_must_be_adjacent(indexed: Library) -> None:
    assert _articles(indexed, '"伦理监管"') == {n for n in ALL_SEEDS if "伦理监管" in _haystack(n)}
    assert _articles(indexed, '"数据隐私"') == {n for n in ALL_SEEDS if "数据隐私" in _haystack(n)}
    assert _articles(indexed, '"Generated Content"') == {n for n in ALL_SEEDS if "generated content" in _haystack(n)}


def test_tag_category_and_date_filters(indexed: Library) -> None:
    assert _articles(indexed, "tag:人工智能") == {"003_94866a6898bf0002.txt", "004_6991db62635989d8.txt"}
    assert _articles(indexed, "tag:人工智能 Transformer") == {"004_6991db62635989d8.txt"}
    assert _articles(indexed, "category:Chatgpt") == {"002_30faefd5253261df.txt"}
    assert _articles(indexed, "date:2025") == {"000_2e1d597362795e42.txt", "002_30faefd5253261df.txt",
                                                "003_94866a6898bf0002.txt"}
    assert _articles(indexed, "date:2024-01..2024-12 AIGC") == {"001_6217f8390a32708c.txt"}
    assert _articles(indexed, "after:2025-02-01 before:2025-02-25 伦理") == {"002_30faefd5253261df.txt"}
    assert parse_query("date:2024-13").problems == ("date:2024-13",)


def test_highlights_are_found_by_quote_note_and_tag(indexed: Library) -> None:
    opened = indexed.open_article("000_2e1d597362795e42.txt")
    start = opened.rendered.text.index("算法偏见")
    highlight = indexed.add_highlight(opened, start, start + 4, "pink")
    indexed.store.update_highlight(highlight.id, note="值得与隐私法规对照", tags=["监管"])
    indexed.set_article_tags(opened.article, ["我的收藏"])

    def highlights(query: str) -> list[str | None]:
        return [r.highlight_id for r in indexed.search(query).results if r.kind == "highlight"]

    assert highlights("偏见") == [highlight.id]  # the quote
    assert highlights("法规") == [highlight.id]  # the note
    assert highlights("tag:监管") == [highlight.id]  # the tag
    assert highlights("监管") == [highlight.id]  # a tag's text is searched too
    assert highlights("偏见 date:2020") == []  # filters apply through the highlight's article
    assert _articles(indexed, "tag:我的收藏") == {"000_2e1d597362795e42.txt"}  # the user's own article tags


def test_search_command_json(corpus: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "伦理", "--corpus", str(corpus), "--db", str(db_path), "--json", "--limit", "2"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert isinstance(output["elapsed_ms"], float) and output["elapsed_ms"] < 1000
    assert len(output["results"]) == 2
    first = output["results"][0]
    assert {"kind", "path", "title", "snippet", "score"} <= set(first) and "伦理" in first["snippet"]
    assert main(["search", "隐私", "--corpus", str(corpus), "--db", str(db_path)]) == 0
    text = capsys.readouterr().out
    assert "[隐私]" in text and text.strip().endswith("ms")


def test_chinese_next_to_latin_letters_and_punctuation(library_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    (corpus / "a.md").write_text("本文介绍如何使用Python编程实现人工智能AI应用。\n\n数据隐私、版权与责任。アイ・ウエ",
                                 encoding="utf-8")
    (corpus / "b.md").write_text("隐私保护和版权问题。Python 使用说明。", encoding="utf-8")
    library = library_for(corpus)
    library.scan()
    for query in ["使用Python", "人工智能AI", "使用Python编程", "数据隐私、版权", '"数据隐私、版权"', "アイ・ウエ",
                  "如何使", "AI应用"]:
        assert _articles(library, query) == {"a.md"}, query
    assert _articles(library, "隐私") == {"a.md", "b.md"}


def test_odd_and_overlong_queries_never_fail(indexed: Library) -> None:
    for query in ['"', '""', "*", "-", "^", ":", "(", ")", "NEAR", "AND OR NOT", "a:b", "tag:", 'tag:"',
                  "date:..", "'", "\\", "%", "_", "伦理" * 500, " ".join(f"词{n}" for n in range(2000)),
                  "\x00", "\ud800"]:
        found = indexed.search(query)
        assert isinstance(found.results, list), query
    assert "only the first 32 words" in indexed.search(" ".join(f"w{n}" for n in range(40))).query.problems[0]


def test_highlights_match_any_case_in_any_script(indexed: Library) -> None:
    opened = indexed.open_article("002_30faefd5253261df.txt")
    start = opened.rendered.text.index("Artificial Intelligence")
    highlight = indexed.add_highlight(opened, start, start + 23, "blue")
    indexed.store.update_highlight(highlight.id, note="Überprüfung ΚΕΙΜΕΝΟ")
    for query in ["artificial", "ARTIFICIAL", "überprüfung", "κειμενο"]:
        assert [r.highlight_id for r in indexed.search(query).results if r.kind == "highlight"] == [highlight.id]
