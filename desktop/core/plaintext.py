"""The plain text of a sanitized article: the coordinate space of every highlight.

It follows the block structure Qt's rich-text engine gives the same HTML (one line per block, white
space collapsed outside <pre>, table cells as blocks), so a selection in the reader maps onto it
character for character; desktop.core.textmap absorbs what little still differs."""

from __future__ import annotations

import re
from itertools import accumulate

from bs4.element import NavigableString, Tag

from desktop.core.model import Heading

__all__ = ["plain_text", "BLOCK_TAGS"]

BLOCK_TAGS = frozenset({  # the tags Qt lays out as blocks of their own
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "pre", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "hr", "center", "address", "body",
})
_CELL_TAGS = frozenset({"td", "th"})
_HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}
_LINE_BREAK = "\x00"  # a <br> until the block is finished (no NUL survives from the text itself)
# What Qt's HTML import collapses (QChar::isSpace, but for the no-break space it keeps): the
# ideographic space that indents Chinese paragraphs among them.
_WHITESPACE = re.compile(r"[ \t\n\r\f\v\x85\u1680\u2000-\u200a\u2028\u202f\u205f\u3000]+")


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.pieces: list[str] = []
        self.headings: dict[int, int] = {}  # the level of each heading, by the number of its first block

    def add(self, text: str) -> None:
        self.pieces.append(text.replace(_LINE_BREAK, ""))

    def add_line_break(self) -> None:
        self.pieces.append(_LINE_BREAK)

    def end_block(self, keep_empty: bool = False) -> None:
        text = _WHITESPACE.sub(" ", "".join(self.pieces))
        # Like Qt: white space opening a block or a line is dropped, white space closing one is kept;
        # no-break spaces are neither collapsed nor dropped, and read as plain spaces.
        text = "\n".join(line.lstrip(" ") for line in text.split(_LINE_BREAK)).replace("\xa0", " ")
        self.pieces.clear()
        if text or keep_empty:
            self.blocks.append(text)

    def add_pre(self, text: str) -> None:
        """<pre> keeps its white space; each of its lines is a block of its own."""
        self.end_block()
        lines = text.removesuffix("\n").split("\n")
        self.blocks.extend(line.replace("\r", "") for line in lines)


def _walk(node: Tag, out: _Builder) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            out.add(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            out.add_line_break()
        elif name == "pre":
            out.add_pre(child.get_text())
        elif name in _CELL_TAGS:
            out.end_block()
            _walk(child, out)
            out.end_block(keep_empty=True)
        elif name == "table":
            out.end_block()
            _walk(child, out)
            out.end_block()
            out.blocks.append("")  # Qt ends a table with an empty block
        elif name == "hr":
            out.end_block()
            out.blocks.append("")
        elif name in BLOCK_TAGS:
            out.end_block()
            first = len(out.blocks)
            _walk(child, out)
            out.end_block()
            if name in _HEADING_LEVELS and len(out.blocks) > first:
                out.headings.setdefault(first, _HEADING_LEVELS[name])  # a heading in a heading: the inner one
        else:
            _walk(child, out)


def plain_text(root: Tag) -> tuple[str, tuple[Heading, ...]]:
    """The text a reader sees in `root`, one line per block, and its headings (where each starts in
    that text), made here so that the reader never walks a long document's blocks to list them."""
    out = _Builder()
    _walk(root, out)
    out.end_block()
    starts = [0, *accumulate(len(block) + 1 for block in out.blocks)]  # each block and its line end
    headings = tuple(Heading(level, starts[first], title) for first, level in sorted(out.headings.items())
                     if (title := " ".join(out.blocks[first].split())))  # a heading of only a <br> is none
    return "\n".join(out.blocks), headings
