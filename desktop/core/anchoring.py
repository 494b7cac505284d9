"""Anchors for highlights, after the W3C Web Annotation model used by Hypothesis: a position (start,
end) and a quote (exact text with some context either side). Position first; when the text there no
longer matches, the quote is searched for and candidates are scored by context and distance."""

from __future__ import annotations

from desktop.core.model import Anchor

__all__ = ["CONTEXT_CHARS", "make_anchor", "locate"]

CONTEXT_CHARS = 32
_MAX_CANDIDATES = 1000


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


def _common_suffix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def locate(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """Where `anchor` is in `text` now, or None when its quote is gone (the highlight is orphaned)."""
    exact = anchor.exact
    if not exact:
        return None
    if text[anchor.start:anchor.end] == exact:
        return anchor.start, anchor.end
    best: tuple[float, int] | None = None
    position = text.find(exact)
    for _ in range(_MAX_CANDIDATES):
        if position < 0:
            break
        context = (_common_suffix(text[max(0, position - len(anchor.prefix)):position], anchor.prefix)
                   + _common_prefix(text[position + len(exact):position + len(exact) + len(anchor.suffix)],
                                    anchor.suffix))
        # Context outweighs distance: a quote moved far keeps its neighbours.
        score = context - abs(position - anchor.start) / max(len(text), 1)
        if best is None or score > best[0]:
            best = (score, position)
        position = text.find(exact, position + 1)
    if best is None:
        return None
    return best[1], best[1] + len(exact)
