"""Highlight colours. They are stored and exported by name, so they survive in plain Markdown; each
reading theme shows a name in its own tint, so that the text on it stays readable."""

from __future__ import annotations

__all__ = ["COLOURS", "DEFAULT_COLOUR", "MAX_MEANING", "THEME_TINTS", "colour_hex", "tidy_meaning", "colour_label",
           "colours_named"]

# name → background shown behind highlighted text (light enough to read black text on).
COLOURS: dict[str, str] = {
    "yellow": "#fde68a",
    "green": "#bbf7d0",
    "blue": "#bfdbfe",
    "pink": "#fbcfe8",
    "purple": "#ddd6fe",
}
DEFAULT_COLOUR = "yellow"

# theme → name → tint. Sepia's paper is yellowish: its tints are a step deeper so yellow still shows;
# dark text is light, so dark's tints are deep and muted (light grey text keeps a contrast above 7:1).
THEME_TINTS: dict[str, dict[str, str]] = {
    "light": COLOURS,
    "sepia": {"yellow": "#f5d565", "green": "#b5e3b0", "blue": "#b9d3f0", "pink": "#f0bfd6", "purple": "#d3c6f0"},
    "dark": {"yellow": "#5c4a0e", "green": "#1e4d33", "blue": "#1f3d6b", "pink": "#6b2349", "purple": "#43346e"},
}


def colour_hex(name: str, theme: str = "light") -> str:
    """The tint of colour `name` on `theme` (an unknown name shows as the default colour)."""
    tints = THEME_TINTS.get(theme, COLOURS)
    return tints.get(name, tints[DEFAULT_COLOUR])


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
