"""Turn untrusted HTML into a small, inert subset that Qt's rich-text engine understands.

Nothing that can run survives (scripts, event handlers, `javascript:` links, frames, forms), nothing
remote is referenced (remote images become text placeholders, stylesheets are dropped), and site
chrome (CSDN's wrappers, hidden elements, line-number gutters) is removed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Comment, Doctype, ProcessingInstruction, Tag

__all__ = ["sanitize_html", "SanitizedHtml", "IMAGE_PLACEHOLDER_CLASS", "MAX_DEPTH"]

IMAGE_PLACEHOLDER_CLASS = "image-placeholder"
MAX_DEPTH = 150  # deeper HTML is shown as plain text (rendering it would recurse past Python's limit)

# Removed with everything inside them.
_DROP = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "applet", "button", "select", "textarea",
    "option", "noscript", "template", "canvas", "svg", "audio", "video", "head", "title", "dialog", "map",
})
# Elements that never have content. libxml2 still nests what follows some of them (<embed>) inside
# them, so they are removed but what they appear to contain is kept.
_VOID = frozenset({"embed", "input", "meta", "link", "base", "source", "track", "area", "param", "keygen"})
# Kept as they are (Qt knows them).
_KEEP = frozenset({
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "pre", "code", "kbd", "samp", "tt", "var", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small",
    "big", "cite", "dfn", "a", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "hr", "div",
    "span", "center", "address", "nobr",
})
# Renamed to the nearest tag Qt knows.
_RENAME = {
    "del": "s", "strike": "s", "ins": "u", "mark": "span", "q": "span", "abbr": "span", "time": "span",
    "section": "div", "article": "div", "header": "div", "footer": "div", "main": "div", "aside": "div",
    "nav": "div", "figure": "div", "figcaption": "p", "details": "div", "summary": "p", "caption": "p",
    "picture": "span", "font": "span", "label": "span", "form": "div", "fieldset": "div",
}
_ATTRIBUTES = {
    "a": {"href", "title", "name", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "ol": {"start", "type"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
# Site chrome and decorations that are not the article's text.
_CHROME_CLASSES = frozenset({
    "article-header-box", "pre-numbering", "hljs-button", "signin", "katex-html", "MathJax_Preview",
    "blog-extension-box", "artid",
})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


def _is_chrome(tag: Tag) -> bool:
    classes = tag.get("class") or ()
    return any(name in _CHROME_CLASSES for name in classes)


def _replace_math(soup: BeautifulSoup) -> None:
    """KaTeX/MathJax output repeats each formula three ways; keep its TeX source once, as code."""
    for math in soup.select(".katex, .MathJax, mjx-container"):
        annotation = math.find("annotation", attrs={"encoding": "application/x-tex"})
        if annotation is None:
            continue
        code = soup.new_tag("code")
        code.string = annotation.get_text().strip()
        math.replace_with(code)
    for math in soup.find_all(["math", "annotation"]):
        math.decompose()


def _placeholder(soup: BeautifulSoup, label: str, alt: str) -> Tag:
    span = soup.new_tag("span", attrs={"class": IMAGE_PLACEHOLDER_CLASS})
    span.string = f"[{label}: {alt}]" if alt else f"[{label}]"
    return span


def _resolve_image(tag: Tag, soup: BeautifulSoup, base_dir: Path | None) -> None:
    src = str(tag.get("src") or "").strip()
    alt = " ".join(str(tag.get("alt") or "").split())
    parts = urlsplit(src)
    if parts.scheme in {"http", "https"} or src.startswith("//"):
        tag.replace_with(_placeholder(soup, "image", alt))
        return
    local = None
    if src and not parts.scheme and base_dir is not None:
        candidate = (base_dir / unquote(parts.path)).resolve()
        if candidate.is_file():
            local = candidate
    if local is None:
        tag.replace_with(_placeholder(soup, "missing image", alt))
        return
    tag["src"] = local.as_uri()


def _clean_link(tag: Tag) -> None:
    href = str(tag.get("href") or "").strip()
    if not href:
        return
    scheme = urlsplit(href).scheme.lower()
    if scheme and scheme not in _SAFE_LINK_SCHEMES:
        del tag["href"]  # javascript:, data:, vbscript:, file: … the text stays, the link goes


def _clean_tag(tag: Tag, soup: BeautifulSoup, base_dir: Path | None) -> None:
    name = tag.name.lower()
    if name in _VOID:
        tag.unwrap()
        return
    if name in _RENAME:
        tag.name = name = _RENAME[name]
    if name not in _KEEP:
        tag.unwrap()
        return
    allowed: set[str] | frozenset[str] = _ATTRIBUTES.get(name, frozenset())
    tag.attrs = {key: value for key, value in tag.attrs.items() if key in allowed}
    if name == "a":
        _clean_link(tag)
    elif name == "img":
        _resolve_image(tag, soup, base_dir)


def _depth(root: Tag) -> int:
    """How deeply elements nest below `root` (iteratively: a hostile file may nest thousands deep)."""
    deepest, pending = 0, [(root, 0)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))
    return deepest


def _as_paragraphs(soup: BeautifulSoup, text: str) -> Tag:
    body = soup.new_tag("body")
    for line in text.splitlines():
        if line.strip():
            paragraph = soup.new_tag("p")
            paragraph.string = line.strip()
            body.append(paragraph)
    return body


@dataclass(frozen=True)
class SanitizedHtml:
    root: Tag  # its children are the article
    warnings: tuple[str, ...] = ()


def sanitize_html(html: str, base_dir: Path | None = None) -> SanitizedHtml:
    """Sanitize `html`, keeping the element that holds the article's content. `base_dir` resolves
    relative image paths."""
    soup = BeautifulSoup(html, "lxml")
    content = soup.find(id="content_views")  # CSDN keeps the article there; a hostile file may put the id
    if not isinstance(content, Tag) or content.name.lower() not in _KEEP | set(_RENAME):  # on a <script>
        content = None
    root: Tag = content or soup.body or soup
    if (depth := _depth(root)) > MAX_DEPTH:
        # No real article nests this deep; its structure is not worth freezing (or crashing) for.
        return SanitizedHtml(_as_paragraphs(soup, root.get_text("\n")),
                             (f"the HTML nests {depth} levels deep; it is shown as plain text",))
    for node in root.find_all(string=lambda text: isinstance(text, Comment | Doctype | ProcessingInstruction)):
        node.extract()
    if "katex" in html or "MathJax" in html or "mjx-" in html or "<math" in html:  # CSS selectors are slow
        _replace_math(soup)
    # Extracting (not decomposing) keeps this one pass over the tree: a tag inside one already taken
    # out is simply taken out of the detached part too.
    for tag in [tag for tag in root.find_all(True)
                if tag.name.lower() in _DROP or _is_hidden(tag) or _is_chrome(tag)]:
        tag.extract()
    for tag in root.find_all(True):
        _clean_tag(tag, soup, base_dir)
    return SanitizedHtml(root)
