"""Offsets between two renderings of one text: the article's canonical plain text and the text a
view shows for the same HTML. They agree on every visible character and may differ only in white
space, block separators and object markers, so those are skipped when pairing characters."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

__all__ = ["TextMap"]

# White space (as Qt's HTML import collapses it), Qt's paragraph/line/table separators and its
# object-replacement character (images).
_INSIGNIFICANT = frozenset(" \t\n\r\f\v\xa0\x85\u1680\u202f\u205f\u3000\u2028\u2029\ufdd0\ufdd1\ufffc"
                           + "".join(chr(code) for code in range(0x2000, 0x200B)))
_INSIGNIFICANT_RUN = re.compile("[" + re.escape("".join(sorted(_INSIGNIFICANT))) + "]+")
_RESYNC = 64  # how far ahead to look for a character one side has and the other lacks


def _pairing(left: list[int], right: list[int], left_text: str, right_text: str) -> list[int]:
    """For each significant character on the left, the index of its partner among the right ones."""
    left_chars = "".join(left_text[i] for i in left)
    right_chars = "".join(right_text[i] for i in right)
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


class _Side:
    """One text's significant characters, kept as the runs of insignificant ones between them: a
    megabyte article has tens of thousands of runs, not a million positions to list in Python."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._starts: list[int] = []  # where each insignificant run starts
        self._ends: list[int] = []
        self._skipped = [0]  # insignificant characters before run i (one more entry: all of them)
        self._significant_before: list[int] = []  # significant characters before run i
        for match in _INSIGNIFICANT_RUN.finditer(text):
            start, end = match.span()
            self._significant_before.append(start - self._skipped[-1])
            self._starts.append(start)
            self._ends.append(end)
            self._skipped.append(self._skipped[-1] + end - start)
        self.count = self.length - self._skipped[-1]

    def before(self, offset: int) -> int:
        """How many significant characters stand before `offset`."""
        run = bisect_left(self._starts, offset)  # runs starting before it
        if run == 0:
            return offset
        skipped = self._skipped[run - 1] + min(self._ends[run - 1], offset) - self._starts[run - 1]
        return offset - skipped

    def position(self, index: int) -> int:
        """The offset of the significant character number `index`."""
        return index + self._skipped[bisect_right(self._significant_before, index)]

    def positions(self) -> list[int]:
        return [self.position(index) for index in range(self.count)]


def _significant(text: str) -> str:
    return _INSIGNIFICANT_RUN.sub("", text)


class TextMap:
    """Maps ranges from the canonical text to the view's text and back.

    A mapped range starts at its first visible character and ends after its last one, so white
    space at either edge of a selection is not part of a highlight."""

    def __init__(self, canonical: str, view: str) -> None:
        self._canonical = _Side(canonical)
        self._view = _Side(view)
        # Nearly always the two agree on every visible character: then the n-th of one is the n-th of
        # the other, and nothing needs pairing.
        self._to_view: list[int] | None = None
        self._to_canonical: list[int] | None = None
        if _significant(canonical) != _significant(view):
            left, right = self._canonical.positions(), self._view.positions()
            self._to_view = _pairing(left, right, canonical, view)
            self._to_canonical = _pairing(right, left, view, canonical)

    @staticmethod
    def _map(start: int, end: int, source: _Side, target: _Side, pairs: list[int] | None) -> tuple[int, int]:
        first = source.before(start)
        last = source.before(end) - 1
        if not target.count:
            return 0, 0

        def partner(index: int) -> int:
            return target.position(pairs[index] if pairs is not None else min(index, target.count - 1))

        if first > last:  # nothing visible in the range: an empty range where it would start
            anchor = partner(first) if first < source.count else target.length
            return anchor, anchor
        return partner(first), partner(last) + 1

    def to_view(self, start: int, end: int) -> tuple[int, int]:
        return self._map(start, end, self._canonical, self._view, self._to_view)

    def to_canonical(self, start: int, end: int) -> tuple[int, int]:
        return self._map(start, end, self._view, self._canonical, self._to_canonical)
