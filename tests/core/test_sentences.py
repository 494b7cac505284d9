"""The sentence around a highlight, in Chinese and in Latin scripts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.sentences import MAX_CONTEXT, sentence_around


def _around(text: str, quote: str) -> tuple[str, str]:
    start = text.index(quote)
    return sentence_around(text, start, start + len(quote))


@pytest.mark.parametrize(("text", "quote", "expected"), [
    ("第一句话。其次，算法偏见是挑战；后面还有。", "算法偏见", ("其次，", "是挑战；")),
    ("他问：真的吗？我说：当然！然后走了。", "当然", ("我说：", "！")),
    ("“这是引语。”下一句开始了", "下一句", ("", "开始了")),
    ("He said so. The quick brown fox jumps. Next one.", "brown fox", ("The quick ", " jumps.")),
    ("Version 1.2 is out; see the notes.", "is out", ("Version 1.2 ", ";")),
    ("A whole sentence. Next", "A whole sentence.", ("", "")),
    ("标题\n正文的第一句话。", "第一句", ("正文的", "话。")),
])
def test_the_sentence_around_a_passage(text: str, quote: str, expected: tuple[str, str]) -> None:
    assert _around(text, quote) == expected


def test_a_sentence_without_an_end_in_sight_is_cut_with_an_ellipsis() -> None:
    text = "前" * 500 + "引文" + "后" * 500
    before, after = _around(text, "引文")
    assert before == "…" + "前" * MAX_CONTEXT and after == "后" * MAX_CONTEXT + "…"


@given(st.text(max_size=200), st.integers(0, 220), st.integers(0, 220))
def test_the_context_is_always_text_next_to_the_passage(text: str, start: int, end: int) -> None:
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    before, after = sentence_around(text, start, end)
    assert text[:start].rstrip().endswith(before.removeprefix("…").strip()) or not before.strip()
    assert text[end:].lstrip().startswith(after.removesuffix("…").strip()) or not after.strip()
    assert len(before) <= MAX_CONTEXT + 1 and len(after) <= MAX_CONTEXT + 1
