"""Highlight colours. They are stored and exported by name, so they survive in plain Markdown."""

from __future__ import annotations

__all__ = ["COLOURS", "DEFAULT_COLOUR", "MAX_MEANING", "colour_hex", "tidy_meaning"]

# name → background shown behind highlighted text (light enough to read black text on).
COLOURS: dict[str, str] = {
    "yellow": "#fde68a",
    "green": "#bbf7d0",
    "blue": "#bfdbfe",
    "pink": "#fbcfe8",
    "purple": "#ddd6fe",
}
DEFAULT_COLOUR = "yellow"


def colour_hex(name: str) -> str:
    return COLOURS.get(name, COLOURS[DEFAULT_COLOUR])


MAX_MEANING = 60  # a label shown in panels and tooltips and written as a tag, not a paragraph


def tidy_meaning(meaning: str) -> str:
    """A colour's meaning as typed, on one line with single spaces ("" clears it)."""
    return " ".join(meaning.split())
