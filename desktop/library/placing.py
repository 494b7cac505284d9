"""Where each highlight of an article is in its text: as the store last found it, or found again by
re-anchoring; shared by reading, reviewing and exporting."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from desktop.core.anchoring import CHANGED, EXACT, MOVED, ORPHANED, Located, make_anchor, relocate
from desktop.core.model import Anchor, Highlight, PlacedHighlight
from desktop.store.annotations import Placement, text_key

__all__ = ["STATES", "GONE", "Reanchored", "KeptTexts", "place"]

STATES = (EXACT, MOVED, CHANGED, ORPHANED)  # how a highlight was found again, best first
GONE = Located(None, ORPHANED, 0.0, "")  # where a highlight is when its passage, or its file, is gone


@dataclass(frozen=True)
class Reanchored:
    """An article's highlights as re-anchoring placed them in its text, and what the store lacks of it."""

    placed: tuple[PlacedHighlight, ...]  # reading order, orphans last
    text: str | None  # the article's text; None when its file is gone
    found: dict[str, Located]  # placements not yet stored for this text
    confirmed: tuple[str, ...]  # found exactly at an anchor whose text was not kept: keep this one


KeptTexts = Callable[[set[str]], Mapping[str, str]]  # the kept article texts with these keys


def place(stored: Iterable[tuple[Highlight, Placement]], text: str | None, kept_texts: KeptTexts) -> Reanchored:
    """Place each highlight in `text`: where the store says when it was found in this very text (opening
    an unedited article costs a hash), else by re-anchoring, with the text its anchor was made in when
    kept (asked of `kept_texts` only then)."""
    stored = list(stored)
    key = None if text is None else text_key(text)
    stale = [(highlight, placement) for highlight, placement in stored if placement.found_in != key]
    kept = kept_texts({p.anchored_in for _, p in stale if p.anchored_in}) if text is not None and stale else {}
    found: dict[str, Located] = {}
    confirmed: list[str] = []
    placed: list[PlacedHighlight] = []
    for highlight, placement in stored:
        located = placement.located
        if text is None:
            located = GONE
            if placement.located != GONE or placement.found_in is not None:
                found[highlight.id] = located
        elif placement.found_in != key:
            located = relocate(highlight.anchor, text, kept.get(placement.anchored_in or ""))
            found[highlight.id] = located
            if placement.anchored_in is None and located.state == EXACT:
                confirmed.append(highlight.id)
        if located.state == EXACT and located.span == (highlight.anchor.start, highlight.anchor.end):
            current: Anchor | None = highlight.anchor  # where and as it was made: nothing to cut again
        else:
            current = make_anchor(text, *located.span) if text is not None and located.span is not None else None
        placed.append(PlacedHighlight(highlight, located.state, current, located.score))
    placed.sort(key=lambda item: (item.span is None, item.span or (0, 0)))
    return Reanchored(tuple(placed), text, found, tuple(confirmed))
