"""Anchors for highlights, after the W3C Web Annotation model used by Hypothesis: a position (start,
end) and a quote (exact text with some context either side).

Re-anchoring goes in steps, each with a reason to stop:
1. the position: the text there is still the quote, between the same neighbours;
2. when the article's text at the time of highlighting is known, a diff of old and new text: the
   passage was not touched by the edit, so it is exactly where the diff carries it (and, when it
   was touched, a match in text the diff shows unchanged is another passage, never taken);
3. the exact quote elsewhere, scored by its context (prefix and suffix similarity) and distance,
   taken when its neighbours agree;
4. the quote approximately (errors in proportion to its length), scored by quote similarity, context
   and distance, taken only above a minimum; short quotes must have their context agree;
5. else the highlight is orphaned: kept, never guessed.
Matching ignores how white space is written (no-break, ideographic, en spaces, runs of them) in both
the quote and the article, and a quote that starts lines with list numbers ("10. ", which the
rendered text does not contain) is also tried without them. Spans are always in the article's own
offsets.

Approximate search is rapidfuzz's `partial_ratio_alignment` (bit-parallel, in C). Measured on a
30,000-character post: 0.1-0.3 ms per quote of 8-64 characters. edlib took 5 ms, because its
alphabet holds 256 symbols and a Chinese article has thousands, so the article had to be re-coded
for each quote; diff-match-patch's `match_main` (pure Python) took 32 ms."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from desktop.core.model import Anchor
from desktop.core.textdiff import OffsetMap, offset_map

__all__ = ["CONTEXT_CHARS", "EXACT", "MOVED", "CHANGED", "ORPHANED", "Located", "make_anchor", "relocate", "locate"]

CONTEXT_CHARS = 32
_MAX_CANDIDATES = 1000

EXACT = "exact"  # same place, same text
MOVED = "moved"  # same text, another place
CHANGED = "changed"  # approximately the quote: the text found there differs
ORPHANED = "orphaned"  # not found: kept, shown apart

# An approximate match may differ from the quote in up to a quarter of its characters; beyond that a
# rewording is a new passage, not the highlighted one.
_MAX_ERROR_RATE = 0.25
# From this length a quote is distinctive by itself: found exactly, its context need not agree, and
# found approximately, its context need agree only on the whole.
_DISTINCTIVE_LENGTH = 32
# The context a shorter quote needs where the anchor says it is (mean of both sides): half at four
# characters, falling to nothing at the distinctive length. Somewhere else, each side must agree
# (an article repeats its phrases and code lines, mostly with one side alike, rarely both): nearly
# all of it for the quote itself, most of it for an approximate match.
_CONTEXT_AT_4 = 0.5
_MOVED_SIDE = 0.9
_CHANGED_SIDE = 0.8
_CHANGED_CONTEXT = 0.5
# How much nearness counts in ranking candidates: a tie-break for a stored position, a strong hint
# for a position carried through a diff (it is where the passage should be, give or take the edit).
_NEARNESS_WEIGHT = 0.1
_MAPPED_NEARNESS_WEIGHT = 0.5

# How far the ends of an approximate match may move from where the alignment put them.
_REFINE_REACH = 6

_SPACE_RUN = re.compile(r"\s+")
# An ordered list's number ("10. "), which rendered text lacks, before at least four characters.
_LIST_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(?=\S.{3})", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Located:
    """How a highlight was found in an article's current text.

    span: its offsets now (None when orphaned); state: EXACT, MOVED, CHANGED or ORPHANED; score: how
    sure, 1.0 for an unchanged passage, else the mean of quote and context similarity (0 to 1);
    text: the article's text at the span ("" when orphaned)."""

    span: tuple[int, int] | None
    state: str
    score: float
    text: str


def make_anchor(text: str, start: int, end: int) -> Anchor:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"invalid range {start}..{end} for a text of {len(text)} characters")
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS):start],
        suffix=text[end:end + CONTEXT_CHARS],
    )


def locate(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """Where `anchor` is in `text` now, or None when its quote is gone (the highlight is orphaned)."""
    if _unchanged(anchor, text):  # as fast as a slice comparison: opening an unedited article
        return anchor.start, anchor.end
    return relocate(anchor, text).span


def _unchanged(anchor: Anchor, text: str) -> bool:
    """The quote is where the anchor says, between the same neighbours."""
    start, end = anchor.start, anchor.end
    return (bool(anchor.exact) and text[start:end] == anchor.exact
            and text[max(0, start - len(anchor.prefix)):start] == anchor.prefix
            and text[end:end + len(anchor.suffix)] == anchor.suffix)


def relocate(anchor: Anchor, text: str, old_text: str | None = None) -> Located:
    """Find `anchor` in `text`; `old_text`, the article's text when the anchor was made, sharpens it.

    Texts are prepared once and cached, so relocating every highlight of an article costs little
    more than the searches themselves."""
    start, end = anchor.start, anchor.end
    if _unchanged(anchor, text):
        return Located((start, end), EXACT, 1.0, anchor.exact)
    if not anchor.exact.strip():
        return Located(None, ORPHANED, 0.0, "")
    if old_text is None or old_text[start:end] != anchor.exact:
        return _search(anchor, text, start, None)
    offsets = _offset_map(old_text, text)
    span = offsets.unchanged_span(start, end)
    if span is not None:
        return _found(anchor, None, text, span, 1.0)
    return _search(anchor, text, offsets.position(start), offsets)


@dataclass(frozen=True)
class _Folded:
    """A text with each run of white space written as one space, and the way back to its offsets.

    The folded text is cut into pieces at each run; piece i starts at folded_starts[i] and at
    original_starts[i], and runs one to one until its run's space."""

    text: str
    folded_starts: tuple[int, ...]
    original_starts: tuple[int, ...]

    def to_original(self, index: int) -> int:
        piece = bisect.bisect_right(self.folded_starts, index) - 1
        return self.original_starts[piece] + index - self.folded_starts[piece]

    def to_folded(self, offset: int) -> int:
        piece = bisect.bisect_right(self.original_starts, offset) - 1
        last = self.folded_starts[piece + 1] - 1 if piece + 1 < len(self.folded_starts) else len(self.text)
        return min(self.folded_starts[piece] + offset - self.original_starts[piece], last)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end - 1) + 1


def _fold(text: str) -> str:
    return _SPACE_RUN.sub(" ", text)


@functools.lru_cache(maxsize=4)
def _folded(text: str) -> _Folded:
    folded_starts = [0]
    original_starts = [0]
    removed = 0
    for run in _SPACE_RUN.finditer(text):
        removed += run.end() - run.start() - 1
        folded_starts.append(run.end() - removed)
        original_starts.append(run.end())
    return _Folded(_fold(text), tuple(folded_starts), tuple(original_starts))


@functools.lru_cache(maxsize=4)
def _offset_map(old_text: str, text: str) -> OffsetMap:
    return offset_map(old_text, text)


@dataclass(frozen=True)
class _Quote:
    """A quote and its context as matched: folded, the quote without white space at its ends."""

    exact: str
    prefix: str
    suffix: str


def _quote_forms(anchor: Anchor) -> list[_Quote]:
    """The quote as written, then (when it starts with a list number, which the rendered text lacks)
    without it."""
    forms = []
    for exact in dict.fromkeys([anchor.exact, _LIST_NUMBER.sub("", anchor.exact, count=1)]):
        core = exact.strip()
        if not core:
            continue
        leading = exact[:len(exact) - len(exact.lstrip())]
        trailing = exact[len(exact.rstrip()):]
        forms.append(_Quote(_fold(core), _fold(anchor.prefix + leading), _fold(trailing + anchor.suffix)))
    return forms


@dataclass(frozen=True)
class _Candidate:
    start: int  # in the folded text
    end: int
    quote: float  # similarity of the text there to the quote, 0 to 1
    sides: tuple[float, ...]  # similarity of the text before and after to the prefix and suffix (those there are)
    nearness: float  # 1 at the expected place, falling with distance
    rank: float

    @property
    def context(self) -> float:
        return _mean(self.sides)

    @property
    def weakest_side(self) -> float:
        return min(self.sides, default=1.0)


def _mean(sides: tuple[float, ...]) -> float:
    """Context agreement on the whole; a quote with no context at all (a whole article) has nothing to disagree."""
    return sum(sides) / len(sides) if sides else 1.0


def _sides(quote: _Quote, folded: str, start: int, end: int) -> tuple[float, ...]:
    sides = []
    if quote.prefix:
        sides.append(Levenshtein.normalized_similarity(quote.prefix, folded[max(0, start - len(quote.prefix)):start]))
    if quote.suffix:
        sides.append(Levenshtein.normalized_similarity(quote.suffix, folded[end:end + len(quote.suffix)]))
    return tuple(sides)


def _search(anchor: Anchor, text: str, expected_offset: int, offsets: OffsetMap | None) -> Located:
    """Steps 3 to 5: the quote exactly, then approximately, near `expected_offset` by preference.

    With `offsets` (a diff from the anchor's text) the passage was edited or moved: it is either
    where the diff carries it or in text the edit brought in, so a match in text that was already
    there, unchanged, is some other passage (a lookalike) and never taken."""
    folded = _folded(text)
    expected = folded.to_folded(min(expected_offset, len(text)))
    weight = _NEARNESS_WEIGHT if offsets is None else _MAPPED_NEARNESS_WEIGHT

    def candidate(quote: _Quote, start: int, end: int, similarity: float) -> _Candidate:
        sides = _sides(quote, folded.text, start, end)
        distance = abs(start - expected)
        if offsets is None:
            nearness = 1 - min(1.0, distance / max(len(folded.text), 1))
        else:
            nearness = 1 / (1 + distance / (len(quote.exact) + CONTEXT_CHARS))
        return _Candidate(start, end, similarity, sides, nearness, similarity + _mean(sides) + weight * nearness)

    def lookalike(start: int, end: int) -> bool:
        return offsets is not None and offsets.old_start(*folded.span_to_original(start, end)) is not None

    def acceptable(quote: _Quote, found: _Candidate) -> bool:
        size = len(quote.exact)
        if found.quote >= 1.0:
            if found.start == expected or size >= _DISTINCTIVE_LENGTH:
                return found.context >= _CONTEXT_AT_4 * max(0.0, 1 - (size - 4) / (_DISTINCTIVE_LENGTH - 4))
            return found.weakest_side >= _MOVED_SIDE
        if size < 4 or found.quote < 1 - _MAX_ERROR_RATE:
            return False
        if size >= _DISTINCTIVE_LENGTH:
            return found.context >= _CHANGED_CONTEXT
        return found.weakest_side >= _CHANGED_SIDE

    def result(quote: _Quote, found: _Candidate) -> Located:
        span = folded.span_to_original(found.start, found.end)
        return _found(anchor, quote, text, span, (found.quote + found.context) / 2)

    forms = _quote_forms(anchor)
    candidates: list[tuple[_Quote, _Candidate]] = []
    for quote in forms:
        candidates += [(quote, candidate(quote, start, start + len(quote.exact), 1.0))
                       for start in _occurrences(folded.text, quote.exact)
                       if not lookalike(start, start + len(quote.exact))]
        if candidates:
            break
    if candidates:
        quote, best = max(candidates, key=lambda item: item[1].rank)
        # The quote with both its neighbours: no approximate match could be better.
        if best.weakest_side >= _MOVED_SIDE and acceptable(quote, best):
            return result(quote, best)
    quote = forms[-1]
    for nearby in (True, False):
        for start, end in _approximate_spans(quote.exact, folded.text, expected, nearby):
            if not lookalike(start, end):
                similarity = Levenshtein.normalized_similarity(quote.exact, folded.text[start:end])
                candidates.append((quote, candidate(quote, start, end, similarity)))
        accepted = [(quote, found) for quote, found in candidates if acceptable(quote, found)]
        if accepted:
            best_quote, best = max(accepted, key=lambda item: item[1].rank)
            # Found nearby with both neighbours: the whole article need not be searched.
            if not nearby or best.weakest_side >= _MOVED_SIDE:
                return result(best_quote, best)
    return Located(None, ORPHANED, 0.0, "")


def _found(anchor: Anchor, quote: _Quote | None, text: str, span: tuple[int, int], score: float) -> Located:
    """The result for a span; its state says whether the text there is the quote (as matched:
    white space folded, list numbers gone) and whether it is where the anchor says."""
    start, end = span
    found = text[start:end]
    if found == anchor.exact or (quote is not None and _fold(found) == quote.exact):
        return Located(span, EXACT if span == (anchor.start, anchor.end) else MOVED, score, found)
    return Located(span, CHANGED, score, found)


def _occurrences(text: str, quote: str) -> list[int]:
    found: list[int] = []
    position = text.find(quote)
    while position >= 0 and len(found) < _MAX_CANDIDATES:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


def _approximate_spans(quote: str, text: str, expected: int, nearby: bool) -> list[tuple[int, int]]:
    """Candidates for an approximate match: nearby, the text at the expected place and the best
    alignment around it (a lookalike close by may outscore the edited passage itself); else the
    best alignment in the whole text."""
    errors = int(len(quote) * _MAX_ERROR_RATE)
    if errors == 0 or len(text) < len(quote):
        return []
    reach = len(quote) + CONTEXT_CHARS
    if nearby:
        at = min(expected, len(text) - len(quote))
        # Refining cannot turn a window this far from the quote into a match: spare the work.
        hopeless = Levenshtein.distance(quote, text[at:at + len(quote)], score_cutoff=2 * errors) > 2 * errors
        spans = [] if hopeless else [_refine(quote, text, at, at + len(quote), errors)]
        low, high = max(0, expected - reach), min(len(text), expected + len(quote) + reach)
    else:
        spans = []
        low, high = 0, len(text)
    match = fuzz.partial_ratio_alignment(quote, text[low:high], score_cutoff=100 * (1 - _MAX_ERROR_RATE))
    if match is not None and high - low >= len(quote):
        spans.append(_refine(quote, text, low + match.dest_start, low + match.dest_end, errors))
    return spans


def _refine(quote: str, text: str, start: int, end: int, errors: int) -> tuple[int, int]:
    """Move the ends of an aligned window to where the text matches the quote best: a passage that
    lost or gained characters is shorter or longer than the quote. Each end in turn, twice over
    (a full search of both ends together costs ten times as much for the same spans)."""
    reach = min(errors, _REFINE_REACH)
    window = start, end

    def distance(span: tuple[int, int]) -> tuple[int, int, int]:
        # Equal distances: a character changed at an end keeps the quote's length, not one dropped.
        return (Levenshtein.distance(quote, text[span[0]:span[1]], score_cutoff=2 * errors + 1),
                abs(span[1] - span[0] - len(quote)), abs(span[0] - window[0]) + abs(span[1] - window[1]))

    firsts = range(max(0, start - reach), start + reach + 1)
    lasts = range(end - reach, min(len(text), end + reach) + 1)
    for _ in range(2):
        start = min(((first, end) for first in firsts if first < end), key=distance)[0]
        end = min(((start, last) for last in lasts if last > start), key=distance)[1]
    return start, end
