"""Offsets in an article's old text carried over to its new text, through a diff of the two.

The diff is diff-match-patch's (Google's algorithm for keeping texts in sync) in line mode: it first
pairs unchanged paragraphs, then diffs only the changed ones character by character, and it gives up
refining after a deadline, so its cost follows the size of the edit rather than of the article.
Measured on a 30,000-character post: 4 ms for twenty scattered edits where rapidfuzz's optimal
`Levenshtein.opcodes` takes 58 ms; on a 300,000-character text with two local edits, 2 ms against
706 ms (rapidfuzz's cost grows with the product of the lengths)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

__all__ = ["OffsetMap", "offset_map"]

# Unrelated texts would otherwise be diffed to the last character; a coarser diff is still correct.
_DIFF_SECONDS = 0.05
_EQUAL = 0


@dataclass(frozen=True)
class OffsetMap:
    """The unchanged stretches shared by an old and a new text, in order: (old start, new start, length)."""

    old_starts: tuple[int, ...]
    new_starts: tuple[int, ...]
    lengths: tuple[int, ...]

    def _stretch(self, old_offset: int) -> int:
        """Index of the last stretch that starts at or before `old_offset` (-1 when none does)."""
        return bisect.bisect_right(self.old_starts, old_offset) - 1

    def unchanged_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where old [start, end) is now, when no edit touched it; else None."""
        index = self._stretch(start)
        if index < 0 or end > self.old_starts[index] + self.lengths[index]:
            return None
        shift = self.new_starts[index] - self.old_starts[index]
        return start + shift, end + shift

    def old_start(self, start: int, end: int) -> int | None:
        """Where new [start, end) was in the old text, when it was there unchanged; else None (it
        holds new text)."""
        index = bisect.bisect_right(self.new_starts, start) - 1
        if index < 0 or end > self.new_starts[index] + self.lengths[index]:
            return None
        return start - self.new_starts[index] + self.old_starts[index]

    def position(self, old_offset: int) -> int:
        """The new offset of an old one; an offset inside an edit goes to the edit's start."""
        index = self._stretch(old_offset)
        if index < 0:
            return 0
        inside = min(old_offset - self.old_starts[index], self.lengths[index])
        return self.new_starts[index] + inside


def offset_map(old: str, new: str) -> OffsetMap:
    differ = diff_match_patch()
    differ.Diff_Timeout = _DIFF_SECONDS
    old_starts: list[int] = []
    new_starts: list[int] = []
    lengths: list[int] = []
    old_at = new_at = 0
    for operation, piece in differ.diff_main(old, new, True):
        size = len(piece)
        if operation == _EQUAL:
            old_starts.append(old_at)
            new_starts.append(new_at)
            lengths.append(size)
            old_at += size
            new_at += size
        elif operation < 0:
            old_at += size
        else:
            new_at += size
    return OffsetMap(tuple(old_starts), tuple(new_starts), tuple(lengths))
