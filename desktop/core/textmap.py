"""Offsets between two renderings of one text: the article's canonical plain text and the text a
view shows for the same HTML. They agree on every visible character and may differ only in white
space, block separators and object markers, so those are skipped when pairing characters."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

__all__ = ["TextMap"]

# White space (as Qt's HTML import collapses it), Qt's paragraph/line/table separators and its
# object-replacement character (images).
_INSIGNIFICANT = frozenset(" \t\n\r\f\v\xa0\x85\u1680\u202f\u205f\u3000\u2028\u2029\ufdd0\ufdd1\ufffc"
                           + "".join(chr(code) for code in range(0x2000, 0x200B)))
_RESYNC = 64  # how far ahead to look for a character one side has and the other lacks


def _significant_positions(text: str) -> list[int]:
    return [index for index, char in enumerate(text) if char not in _INSIGNIFICANT]


def _pairing(left: list[int], right: list[int], left_text: str, right_text: str) -> list[int]:
    """For each significant character on the left, the index of its partner among the right ones."""
    left_chars = "".join(left_text[i] for i in left)
    right_chars = "".join(right_text[i] for i in right)
    if left_chars == right_chars:
        return list(range(len(left)))
    # Rare (a renderer dropped or added something): walk both sides together, looking a little ahead
    # on the right when they differ; linear, so a long article never stalls the window.
    pairs = []
    partner = 0
    for char in left_chars:
        ahead = right_chars.find(char, partner, partner + _RESYNC)
        if ahead >= 0:
            pairs.append(ahead)
            partner = ahead + 1
        else:  # only on the left: it maps next to where the right side is
            pairs.append(min(partner, max(len(right_chars) - 1, 0)))
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

