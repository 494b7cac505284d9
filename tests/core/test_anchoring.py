"""Anchors find their passage by position, else by quote and context, else report it orphaned."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.core.anchoring import locate, make_anchor
from desktop.core.textmap import TextMap

TEXT = "伦理很重要。AIGC 带来伦理问题。\n监管需要跟上，伦理与隐私同样重要。"


def test_position_is_used_while_the_text_still_matches() -> None:
    anchor = make_anchor(TEXT, 0, 2)
    assert anchor.exact == "伦理" and anchor.prefix == "" and anchor.suffix.startswith("很重要")
    assert locate(anchor, TEXT) == (0, 2)


def test_moved_passage_is_found_by_quote_and_context() -> None:
    start = TEXT.index("伦理与隐私")
    anchor = make_anchor(TEXT, start, start + 2)  # the third 伦理
    edited = "新的开头段落。\n" + TEXT
    assert locate(anchor, edited) == (start + 8, start + 10)
    # Same quote three times: the context picks the right one, not the first.
    assert edited[locate(anchor, edited)[0]:][:5] == "伦理与隐私"  # type: ignore[index]


def test_vanished_passage_is_orphaned_not_guessed() -> None:
    anchor = make_anchor(TEXT, 0, 5)
    assert locate(anchor, "完全不同的文章") is None


@given(st.text(min_size=1, max_size=200), st.data())
def test_an_anchor_always_locates_in_its_own_text(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = make_anchor(text, start, end)
    found = locate(anchor, text)
    assert found == (start, end)


def test_text_map_pairs_canonical_and_view_offsets() -> None:
    canonical = "Title\nHello world\nline2\n\ncell"
    view = "Title\u2029Hello world\u2028line2\u2029\ufdd0cell\ufffc"
    mapping = TextMap(canonical, view)
    start = canonical.index("world")
    assert mapping.to_view(start, start + 5) == (view.index("world"), view.index("world") + 5)
    # A selection across blocks maps both ends; white space at the edges is not part of it.
    assert mapping.to_canonical(view.index("world") - 1, view.index("cell") + 4) == (start, len(canonical))


@given(st.lists(st.sampled_from(["ab", "中文", " ", "\n", "x"]), max_size=30))
def test_text_map_round_trips_visible_characters(parts: list[str]) -> None:
    canonical = "".join(parts)
    view = canonical.replace("\n", "\u2029").replace(" ", "  ")
    mapping = TextMap(canonical, view)
    for index, char in enumerate(canonical):
        if not char.isspace():
            view_range = mapping.to_view(index, index + 1)
            assert view[view_range[0]:view_range[1]] == char
            assert mapping.to_canonical(*view_range) == (index, index + 1)


def test_text_map_stays_fast_and_close_when_the_texts_disagree() -> None:
    import time

    canonical = "中文段落。" * 200_000
    view = "X" + canonical[:500_000] + "Y" + canonical[500_000:]  # characters only the view has
    started = time.perf_counter()
    mapping = TextMap(canonical, view)
    # A guard against quadratic pairing (hours on a million characters), not a benchmark: about 2 s
    # here alone, more on a loaded CI machine.
    assert time.perf_counter() - started < 30
    start = 700_000
    view_start, view_end = mapping.to_view(start, start + 5)
    assert view[view_start:view_end] == canonical[start:start + 5]


def test_ideographic_and_other_unicode_spaces_collapse_as_in_qt() -> None:
    from pathlib import Path

    from desktop.core.documents import parse_article
    from desktop.core.render import render_article

    html = "<p>\u3000\u3000第一段，\u2003中间\u2009空格。</p><p>\xa0\xa0保留\xa0\xa0不折叠</p><p>a<br>\u3000b</p>"
    text = render_article(parse_article(html, Path("/c/a.html"), "a.html")).text
    assert text == "第一段， 中间 空格。\n  保留  不折叠\na\nb"
