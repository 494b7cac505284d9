"""Offsets between two renderings of one text: the article's canonical plain text and the text a
view shows for the same HTML. They agree on every visible character and may differ only in white
space, block separators and object markers, so those are skipped when pairing characters. An object
may stand for text of the canonical one (a kept image for its placeholder): it is told, and the
object then covers exactly that text. The view counts as Qt does, in UTF-16 code units: a character
beyond the Basic Multilingual Plane (an emoji, common in these posts) is two positions there."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

__all__ = ["TextMap", "Utf16Offsets"]

# White space (as Qt's HTML import collapses it), Qt's paragraph/line/table separators and its
# object-replacement character (images).
_INSIGNIFICANT = frozenset(" \t\n\r\f\v\xa0\x85\u1680\u202f\u205f\u3000\u2028\u2029\ufdd0\ufdd1\ufffc"
                           + "".join(chr(code) for code in range(0x2000, 0x200B)))
_INSIGNIFICANT_RUN = re.compile("[" + re.escape("".join(sorted(_INSIGNIFICANT))) + "]+")
_RESYNC = 64  # how far ahead to look for a character one side has and the other lacks
_OBJECT = "\ufffc"  # Qt's object-replacement character: an image in the view's text
_WIDE = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each


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

    def __init__(self, canonical: str, view: str, object_texts: Sequence[str] = ()) -> None:
        """`object_texts`: for each object character of `view`, in order, the text of `canonical` it
        stands for ("" for none); ignored when the view does not have that many objects."""
        self._units = Utf16Offsets(view)
        self._objects = _Objects(view, object_texts)
        view = self._objects.expanded
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
        """Canonical offsets to the view's positions (UTF-16)."""
        start, end = self._map(start, end, self._canonical, self._view, self._to_view)
        start, end = self._objects.to_view(start, end)
        return self._units.to_utf16(start), self._units.to_utf16(end)

    def to_canonical(self, start: int, end: int) -> tuple[int, int]:
        """The view's positions (UTF-16) to canonical offsets."""
        start, end = self._units.from_utf16(start), self._units.from_utf16(end)
        start, end = self._objects.from_view(start), self._objects.from_view(end)
        return self._map(start, end, self._view, self._canonical, self._to_canonical)


class Utf16Offsets:
    """Offsets into a Python string and the positions of the same text where it is counted in UTF-16
    code units (Qt's documents): they differ by the wide characters before them."""

    def __init__(self, text: str) -> None:
        self._wide = [match.start() for match in _WIDE.finditer(text)]  # the offset of each wide character
        self._positions = [offset + number for number, offset in enumerate(self._wide)]  # …and its position

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self._wide, offset)

    def from_utf16(self, position: int) -> int:
        """The offset at `position`; between a wide character's two units, the offset after it."""
        return position - bisect_right(self._positions, position - 2)


class _Objects:
    """The view's text with each object that stands for text replaced by that text, and the offsets
    between the two (a range that touches the stand-in text covers the whole object)."""

    def __init__(self, view: str, object_texts: Sequence[str]) -> None:
        self.expanded = view
        self._at: list[int] = []  # where each expanded object is in the view
        self._starts: list[int] = []  # …and where its text starts in the expanded text
        self._lengths: list[int] = []
        if not any(object_texts) or view.count(_OBJECT) != len(object_texts):
            return
        pieces: list[str] = []
        done = grown = 0
        for text in object_texts:
            at = view.index(_OBJECT, done)
            if text:
                pieces += [view[done:at], text]
                self._at.append(at)
                self._starts.append(at + grown)
                self._lengths.append(len(text))
                grown += len(text) - 1
            else:
                pieces.append(view[done:at + 1])
            done = at + 1
        pieces.append(view[done:])
        self.expanded = "".join(pieces)

    def from_view(self, offset: int) -> int:
        """An offset of the view in the expanded text (an object's offset is where its text starts)."""
        before = bisect_left(self._at, offset)  # objects standing wholly before the offset
        return offset + sum(self._lengths[:before]) - before

    def _char_to_view(self, position: int) -> int:
        """The view offset of the expanded text's character at `position` (inside a stand-in: its object)."""
        index = bisect_right(self._starts, position) - 1
        if index < 0:
            return position
        start, length = self._starts[index], self._lengths[index]
        if position < start + length:
            return self._at[index]
        return self._at[index] + 1 + position - (start + length)

    def to_view(self, start: int, end: int) -> tuple[int, int]:
        if not self._at:
            return start, end
        if start >= end:
            view_start = self._char_to_view(start)
            return view_start, view_start
        return self._char_to_view(start), self._char_to_view(end - 1) + 1
