"""Article → RenderedArticle: safe HTML for the reader and the plain text highlights count in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from desktop.core.code_colours import DEFAULT_PALETTE, colour_code
from desktop.core.images import FailedImage, ImageState, KeptImage
from desktop.core.model import Article, BodyKind, RenderedArticle
from desktop.core.plaintext import BLOCK_TAGS, plain_text
from desktop.core.sanitize import RemoteImage, sanitize_html

__all__ = ["render_article", "markdown_to_html", "HEADING_SIZES", "CODE_BLOCK_STYLE", "PIECE_CHARACTERS", "PIECES_FROM"]

# Qt's own heading sizes stop at four steps and the document style sheet may flatten them; these
# keep h1–h6 apart (Qt's font-size keywords scale with the reader's font, so zooming still works).
HEADING_SIZES = {"h1": "xx-large", "h2": "x-large", "h3": "large", "h4": "medium", "h5": "small", "h6": "small"}
_HEADING_EXTRA = {"h6": ";font-style:italic"}  # h6 is h5's size: told apart by its slant
# Long lines wrap inside the block, so the article itself never scrolls sideways.
CODE_BLOCK_STYLE = "white-space:pre-wrap"
# A long article's HTML is given breaks, where the reader may show it a piece at a time: Qt reads a 1 MB
# article's HTML in 120-200 ms and lays it out in as long again, all on the UI thread; a piece of this
# size is read and laid out in 10-20 ms (measured on the 60,000-post benchmark's largest articles).
PIECE_CHARACTERS = 16_000
# Only HTML longer than this many pieces: shorter HTML is read at once in under 30 ms (and laid out by
# Qt a part at a time), so it is shown, and restyled in place, as a whole.
PIECES_FROM = 8

# kramdown's inline attribute lists ({: .class #id key="v"}) and header ids ({#id}): markup, not text.
_IAL = re.compile(r"""[ \t]*\{:(?:\s*(?:[.#][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+)))*\s*\}""")
_HEADER_ID = re.compile(r"^(#{1,6}[ \t].*?)[ \t]+\{#[\w-]+\}[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # CommonMark plus GitHub's tables and strikethrough; raw HTML is allowed here because the
    # sanitizer, not the Markdown parser, is what makes it safe. Dollar maths follows Pandoc's rule
    # (no space inside the dollars, no digit after the closing one), so prices stay prices.
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin)
        .use(deflist_plugin)
        .use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_blank_lines=False,
             allow_labels=False, double_inline=False)
    )


def _strip_kramdown_attributes(text: str) -> str:
    """Drop kramdown's attribute lists outside fenced code (cheap: only when the text has any)."""
    if "{:" not in text and "{#" not in text:
        return text
    lines = text.split("\n")
    fence: str | None = None
    for number, line in enumerate(lines):
        if match := _FENCE.match(line):
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker):].strip():
                fence = None
            continue
        if fence is not None:
            continue
        stripped = _IAL.sub("", line) if "{:" in line else line
        if "{#" in stripped:
            stripped = _HEADER_ID.sub(r"\1", stripped)
        if stripped != line:
            # A line that held only an attribute list goes altogether (it would end a paragraph).
            lines[number] = stripped if stripped.strip() else "\x00"
    return "\n".join(line for line in lines if line != "\x00")


def markdown_to_html(text: str) -> str:
    html: str = _markdown().render(_strip_kramdown_attributes(text))
    return html


def _style_and_colour(root: Tag, palette: str | None) -> None:
    """Wrap code, colour it (when a palette is named) and size the headings, in one pass."""
    blocks = root.find_all(["pre", "code", *HEADING_SIZES])
    if palette is not None and any(tag.name == "pre" for tag in blocks):
        colour_code(_soup_of(root), [tag for tag in blocks if tag.name == "pre"], palette)
    for tag in blocks:
        name = tag.name
        if name == "pre":
            tag["style"] = CODE_BLOCK_STYLE
        elif name == "code":
            if tag.has_attr("class"):
                del tag["class"]  # the language was for the colours; Qt has no use for it
        elif "font-size" not in (own := str(tag.get("style", ""))):
            size = f"font-size:{HEADING_SIZES[name]}{_HEADING_EXTRA.get(name, '')}"
            tag["style"] = f"{own};{size}" if own else size


def _place_images(root: Tag, remote: tuple[RemoteImage, ...], images: Mapping[str, ImageState]) -> tuple[str, ...]:
    """Swap the placeholders of kept images for the images, give failed ones their reason as a tooltip,
    and say what text each <img> now stands for (see RenderedArticle.image_texts)."""
    stand_ins: dict[int, str] = {}
    soup = _soup_of(root) if remote else None
    for image in remote:
        state = images.get(image.url)
        if isinstance(state, KeptImage):
            attributes = {"src": state.path.as_uri(), "alt": image.alt}
            if state.width and state.height:  # laid out without decoding: only images scrolled to are
                attributes.update(width=str(state.width), height=str(state.height))
            if image.alt:
                attributes["title"] = image.alt
            assert soup is not None
            tag = soup.new_tag("img", attrs=attributes)
            stand_ins[id(tag)] = image.placeholder.get_text()
            image.placeholder.replace_with(tag)
        elif isinstance(state, FailedImage):
            image.placeholder["title"] = f"Not kept for offline reading: {state.reason}"
    if not stand_ins and not root.find("img"):
        return ()
    return tuple(stand_ins.get(id(tag), "") for tag in root.find_all("img"))


def render_article(article: Article, palette: str | None = DEFAULT_PALETTE,
                   images: Mapping[str, ImageState] | None = None) -> RenderedArticle:
    """Render `article`; `palette` names the code colours (desktop.core.code_colours.PALETTES), or
    None for code without colours; `images` is what the image cache knows of its remote images (those
    absent stay placeholders). The plain text is the same whatever the palette and the images."""
    html = article.body if article.kind is BodyKind.HTML else markdown_to_html(article.body)
    sanitized = sanitize_html(html, base_dir=article.path.parent)
    root = sanitized.root
    _style_and_colour(root, palette)
    text, headings = plain_text(root)  # before images replace placeholders: the text never depends on the cache
    image_texts = _place_images(root, sanitized.remote_images, images or {})
    html, breaks = _html_and_breaks(root)
    return RenderedArticle(html=html, text=text, warnings=sanitized.warnings, image_texts=image_texts, breaks=breaks,
                           headings=headings,
                           remote_images=tuple(dict.fromkeys(image.url for image in sanitized.remote_images)))


def _html_and_breaks(root: Tag) -> tuple[str, tuple[int, ...]]:
    """`root`'s contents as HTML, and the offsets where pieces of at least PIECE_CHARACTERS start. A
    piece starts only at a block that follows a block with something in it (Qt reads an empty block
    differently at the end of a document), with the white space before it (white space at the end of a
    piece would be read as a space), so each piece is whole blocks: a document built piece by piece is
    the one the whole HTML makes."""
    parts = [_html_of(child) for child in root.contents]
    html = "".join(parts)
    breaks: list[int] = []
    if len(html) > PIECES_FROM * PIECE_CHARACTERS:
        offset = start = 0
        blank_from: int | None = None  # where the white space since the last block began, if it was one
        for child, part in zip(root.contents, parts, strict=True):
            if isinstance(child, Tag):
                if child.name in BLOCK_TAGS and blank_from is not None and blank_from - start >= PIECE_CHARACTERS:
                    breaks.append(start := blank_from)
                blank_from = offset + len(part) if _may_end_a_piece(child) else None
            elif part.strip():
                blank_from = None  # text straight in the body: the next block may not start a line
            offset += len(part)
    return html, tuple(breaks)


def _may_end_a_piece(tag: Tag) -> bool:
    return tag.name in BLOCK_TAGS and bool(tag.get_text().strip() or tag.name == "hr" or tag.find(["img", "hr"]))


def _html_of(node: PageElement) -> str:
    """A node as HTML, the same as it is in its parent's decode_contents()."""
    if isinstance(node, NavigableString):
        return node.output_ready()
    assert isinstance(node, Tag)
    return node.decode()


def _soup_of(tag: Tag) -> BeautifulSoup:
    top: Tag = tag
    while top.parent is not None:
        top = top.parent
    return top if isinstance(top, BeautifulSoup) else BeautifulSoup("", "lxml")
