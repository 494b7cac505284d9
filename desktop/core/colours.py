"""Highlight colours. They are stored and exported by name, so they survive in plain Markdown."""

from __future__ import annotations

__all__ = ["COLOURS", "DEFAULT_COLOUR", "MAX_MEANING", "colour_hex", "tidy_meaning", "colour_label", "colours_named"]

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


def colour_label(colour: str, meanings: dict[str, str]) -> str:
    """How a colour is named to the user: "Pink — disagree", or "Pink" when it has no meaning."""
    meaning = meanings.get(colour)
    return f"{colour.capitalize()} — {meaning}" if meaning else colour.capitalize()


def colours_named(name: str, meanings: dict[str, str]) -> set[str]:
    """The colours a user means by `name`: a colour's own name, or the meaning they gave it (any case,
    spacing as typed or tidied: `colour:disagree` finds pink when pink means "disagree")."""
    wanted = tidy_meaning(name).casefold()
    return {colour for colour in COLOURS
            if colour == wanted or tidy_meaning(meanings.get(colour, "")).casefold() == wanted != ""}
