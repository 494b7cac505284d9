"""The text map pairs the canonical text with Qt's on their visible characters, whatever the white
space between them (kept as runs, so a megabyte article maps in milliseconds, not seconds)."""

from __future__ import annotations

from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.textmap import _INSIGNIFICANT, TextMap, Utf16Offsets


def _reference(canonical: str, view: str, start: int, end: int) -> tuple[int, int]:
    """The plain definition, one character at a time (texts with the same visible characters)."""
    left = [index for index, char in enumerate(canonical) if char not in _INSIGNIFICANT]
    right = [index for index, char in enumerate(view) if char not in _INSIGNIFICANT]
    first, last = bisect_left(left, start), bisect_left(left, end) - 1
    if not right:
        return 0, 0
    if first > last:
        anchor = right[first] if first < len(left) else len(view)
        return anchor, anchor
    return right[first], right[last] + 1


_SPACES = st.text(alphabet=" \n\u3000\xa0\u2029\ufffc", max_size=3)


@st.composite
def _two_texts(draw, alphabet: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A canonical text and a view of it: the same words, other white space between them."""
    words = draw(st.lists(st.tuples(st.text(alphabet=alphabet, min_size=1, max_size=4), _SPACES, _SPACES),
                          max_size=12))
    return "".join(word + left for word, left, _ in words), "".join(word + right for word, _, right in words)


@given(_two_texts("ab伦理。x"), st.data())
@settings(deadline=2000)
def test_same_visible_text_maps_as_the_plain_definition(texts, data) -> None:  # type: ignore[no-untyped-def]
    canonical, view = texts
    start = data.draw(st.integers(0, len(canonical)))
    end = data.draw(st.integers(start, len(canonical)))
    assert TextMap(canonical, view).to_view(start, end) == _reference(canonical, view, start, end)
    start = data.draw(st.integers(0, len(view)))
    end = data.draw(st.integers(start, len(view)))
    assert TextMap(canonical, view).to_canonical(start, end) == _reference(view, canonical, start, end)


def _utf16_slice(text: str, start: int, end: int) -> str:
    """What Qt's document holds between two of its positions."""
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


@given(_two_texts("a伦👋😀𝑥"), st.data())
@settings(deadline=2000)
def test_the_view_counts_as_qt_does_an_emoji_is_two_positions(texts, data) -> None:  # type: ignore[no-untyped-def]
    canonical, view = texts
    start = data.draw(st.integers(0, len(canonical)))
    end = data.draw(st.integers(start, len(canonical)))
    mapping = TextMap(canonical, view)
    first, last = _reference(canonical, view, start, end)
    shown = mapping.to_view(start, end)
    assert _utf16_slice(view, *shown) == view[first:last]
    assert mapping.to_canonical(*shown) == _reference(view, canonical, first, last)


@given(st.text(alphabet="a伦👋\ufffc", max_size=20))
def test_utf16_offsets_go_there_and_back(text: str) -> None:
    offsets = Utf16Offsets(text)
    assert [offsets.to_utf16(offset) for offset in range(len(text) + 1)] == \
        [len(text[:offset].encode("utf-16-le")) // 2 for offset in range(len(text) + 1)]
    assert all(offsets.from_utf16(offsets.to_utf16(offset)) == offset for offset in range(len(text) + 1))


def test_a_megabyte_article_maps_both_ways() -> None:
    paragraph = "人工智能的伦理问题 needs care.\n" * 3 + "\n"
    canonical = paragraph * 12_000  # about a megabyte, as the largest real posts
    view = canonical.replace("\n\n", "\u2029").replace("\n", "\u2029")
    mapping = TextMap(canonical, view)
    offset = canonical.index("care", len(canonical) // 2)
    start, end = mapping.to_view(offset, offset + 4)
    assert view[start:end] == "care" and mapping.to_canonical(start, end) == (offset, offset + 4)
