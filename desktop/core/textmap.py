"""Offsets between two renderings of one text: the article's canonical plain text and the text a
view shows for the same HTML. They agree on every visible character and may differ only in white
space, block separators and object markers, so those are skipped when pairing characters."""

from __future__ import annotations

import difflib
from bisect import bisect_left
from dataclasses import dataclass

__all__ = ["TextMap", "build_text_map"]

# White space, Qt's paragraph/line/table separators and its object-replacement character (images).
_INSIGNIFICANT = frozenset(" \t\n\r\f\v\xa0\u2028\u2029\ufdd0\ufdd1\ufffc")


def _significant_positions(text: str) -> list[int]:
    return [index for index, char in enumerate(text) if char not in _INSIGNIFICANT]


def _pairing(left: list[int], right: list[int], left_text: str, right_text: str) -> list[int]:
    """For each significant character on the left, the index of its partner among the right ones."""
    left_chars = "".join(left_text[i] for i in left)
    right_chars = "".join(right_text[i] for i in right)
    if left_chars == right_chars:
        return list(range(len(left)))
    # Rare (a renderer dropped or added something): pair what matches, map the rest to the nearest pair.
    pairs = [-1] * len(left)
    matcher = difflib.SequenceMatcher(None, left_chars, right_chars, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            pairs[block.a + offset] = block.b + offset
    last = 0
    for index, partner in enumerate(pairs):
        if partner < 0:
            pairs[index] = min(last, max(len(right) - 1, 0))
        else:
            last = partner
    return pairs


@dataclass(frozen=True)
class _Side:
    positions: list[int]  # offsets of the significant characters
    length: int


class TextMap:
    """Maps ranges from the canonical text to the view's text and back.

    A mapped range starts at its first visible character and ends after its last one, so white
    space at either edge of a selection is not part of a highlight."""

    def __init__(self, canonical: str, view: str) -> None:
        self._canonical = _Side(_significant_positions(canonical), len(canonical))
        self._view = _Side(_significant_positions(view), len(view))
        self._to_view = _pairing(self._canonical.positions, self._view.positions, canonical, view)
        self._to_canonical = _pairing(self._view.positions, self._canonical.positions, view, canonical)

    @staticmethod
    def _map(start: int, end: int, source: _Side, target: _Side, pairs: list[int]) -> tuple[int, int]:
        first = bisect_left(source.positions, start)
        last = bisect_left(source.positions, end) - 1
        if not target.positions:
            return 0, 0
        if first > last:  # nothing visible in the range: an empty range where it would start
            anchor = target.positions[pairs[first]] if first < len(pairs) else target.length
            return anchor, anchor
        return target.positions[pairs[first]], target.positions[pairs[last]] + 1

    def to_view(self, start: int, end: int) -> tuple[int, int]:
        return self._map(start, end, self._canonical, self._view, self._to_view)

    def to_canonical(self, start: int, end: int) -> tuple[int, int]:
        return self._map(start, end, self._view, self._canonical, self._to_canonical)


def build_text_map(canonical: str, view: str) -> TextMap:
    return TextMap(canonical, view)
