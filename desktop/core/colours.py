"""Highlight colours. They are stored and exported by name, so they survive in plain Markdown."""

from __future__ import annotations

__all__ = ["COLOURS", "DEFAULT_COLOUR", "colour_hex"]

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
