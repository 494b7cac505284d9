"""Syntax colours for code blocks, as inline-styled spans Qt's rich text understands.

The colours come from a small named palette (one per reading theme), so a theme can swap them by
name. Colouring only wraps text in spans: it never adds, drops or changes a character, so the plain
text that highlights are anchored to is the same with or without it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bs4 import BeautifulSoup, Tag
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Token, _TokenType
from pygments.util import ClassNotFound

__all__ = ["PALETTES", "DEFAULT_PALETTE", "LANGUAGE_CLASS", "language_of", "colour_code", "colour_spans"]

DEFAULT_PALETTE = "light"
# The sanitizer keeps a code block's language as this class on its <code> ("language-java").
LANGUAGE_CLASS = re.compile(r"^(?:language|lang)-([A-Za-z0-9_+#.-]{1,40})$")
_MAX_CODE = 60_000  # characters; a longer block is shown plain (lexing it would hold the window up)
# Languages that are not code (or that Pygments would only echo back): left plain.
_PLAIN = frozenset({"text", "txt", "plain", "plaintext", "none", "nohighlight", "output", "console-output",
                    "mermaid", "math", "latex-output"})

# Token type (as Pygments names it, without "Token.") → colour. A token takes the colour of its
# nearest listed ancestor (Keyword.Type falls back to Keyword); unlisted tokens keep the text colour.
PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "Comment": "#6a737d", "Comment.Preproc": "#d73a49", "Keyword": "#d73a49", "Keyword.Type": "#6f42c1",
        "Keyword.Constant": "#005cc5", "Operator.Word": "#d73a49", "Name.Builtin": "#005cc5",
        "Name.Function": "#6f42c1", "Name.Class": "#6f42c1", "Name.Decorator": "#6f42c1",
        "Name.Tag": "#22863a", "Name.Attribute": "#6f42c1", "Name.Variable": "#e36209",
        "Name.Constant": "#005cc5", "Name.Exception": "#b31d28", "String": "#032f62", "Number": "#005cc5",
        "Literal": "#005cc5", "Generic.Deleted": "#b31d28", "Generic.Inserted": "#22863a",
        "Generic.Heading": "#005cc5", "Generic.Subheading": "#6f42c1", "Generic.Prompt": "#6a737d",
    },
    "sepia": {
        "Comment": "#8a7a62", "Comment.Preproc": "#a0522d", "Keyword": "#9b2c2c", "Keyword.Type": "#6b4c9a",
        "Keyword.Constant": "#2f5f8a", "Operator.Word": "#9b2c2c", "Name.Builtin": "#2f5f8a",
        "Name.Function": "#6b4c9a", "Name.Class": "#6b4c9a", "Name.Decorator": "#6b4c9a",
        "Name.Tag": "#3f6b2a", "Name.Attribute": "#6b4c9a", "Name.Variable": "#a0522d",
        "Name.Constant": "#2f5f8a", "Name.Exception": "#9b2c2c", "String": "#3f6b2a", "Number": "#2f5f8a",
        "Literal": "#2f5f8a", "Generic.Deleted": "#9b2c2c", "Generic.Inserted": "#3f6b2a",
        "Generic.Heading": "#2f5f8a", "Generic.Subheading": "#6b4c9a", "Generic.Prompt": "#8a7a62",
    },
    "dark": {
        "Comment": "#7f848e", "Comment.Preproc": "#c678dd", "Keyword": "#c678dd", "Keyword.Type": "#e5c07b",
        "Keyword.Constant": "#d19a66", "Operator.Word": "#c678dd", "Name.Builtin": "#56b6c2",
        "Name.Function": "#61afef", "Name.Class": "#e5c07b", "Name.Decorator": "#61afef",
        "Name.Tag": "#e06c75", "Name.Attribute": "#d19a66", "Name.Variable": "#e06c75",
        "Name.Constant": "#d19a66", "Name.Exception": "#e06c75", "String": "#98c379", "Number": "#d19a66",
        "Literal": "#d19a66", "Generic.Deleted": "#e06c75", "Generic.Inserted": "#98c379",
        "Generic.Heading": "#61afef", "Generic.Subheading": "#c678dd", "Generic.Prompt": "#7f848e",
    },
}
_ITALIC = frozenset({"Comment"})  # token families shown in italics as well


@lru_cache(maxsize=128)
def _lexer(language: str) -> Lexer | None:
    name = language.lower()
    if name in _PLAIN:
        return None
    try:
        # Keep every character: no stripping, no added final newline, no tab expansion.
        return get_lexer_by_name(name, stripnl=False, stripall=False, ensurenl=False, tabsize=0)
    except ClassNotFound:
        return None


def language_of(tag: Tag) -> str | None:
    """The language a <pre> or <code> declares in a `language-…`/`lang-…` class, lowercased."""
    for element in (tag, tag.find("code")):
        if not isinstance(element, Tag):
            continue
        for name in element.get_attribute_list("class"):
            if match := LANGUAGE_CLASS.match(name):
                return match.group(1).lower()
    return None


@lru_cache(maxsize=512)
def _style(token: _TokenType, palette: str) -> str | None:
    colours = PALETTES[palette]
    node: _TokenType | None = token
    while node is not None and node is not Token:
        name = str(node).removeprefix("Token.")
        name = name.removeprefix("Literal.")  # String and Number are Literal.String, Literal.Number
        if name in colours:
            italic = name.split(".")[0] in _ITALIC
            return f"color:{colours[name]}" + (";font-style:italic" if italic else "")
        node = node.parent
    return None


def colour_spans(code: str, language: str, palette: str = DEFAULT_PALETTE) -> list[tuple[str | None, str]] | None:
    """(style or None, text) runs that spell `code` exactly, or None when it is not coloured."""
    lexer = _lexer(language)
    if lexer is None or len(code) > _MAX_CODE or palette not in PALETTES:
        return None
    runs: list[tuple[str | None, str]] = []
    for token, value in lexer.get_tokens(code):
        style = None if not value.strip() else _style(token, palette)
        if runs and runs[-1][0] == style:
            runs[-1] = (style, runs[-1][1] + value)
        else:
            runs.append((style, value))
    if "".join(text for _, text in runs) != code:  # a lexer that normalised something: leave it plain
        return None
    return runs


def colour_code(soup: BeautifulSoup, blocks: Iterable[Tag], palette: str = DEFAULT_PALETTE) -> int:
    """Colour each of the <pre> `blocks` that names its language; returns how many were coloured."""
    coloured = 0
    for pre in blocks:
        language = language_of(pre)
        if language is None:
            continue
        code = pre.get_text()
        runs = colour_spans(code, language, palette)
        if runs is None:
            continue
        target = pre.find("code")
        if not isinstance(target, Tag) or target.get_text() != code:  # text beside the <code>: colour it all
            target = pre
        target.clear()
        for style, text in runs:
            if style is None:
                target.append(text)
            else:
                span = soup.new_tag("span", attrs={"style": style})
                span.string = text
                target.append(span)
        coloured += 1
    return coloured
