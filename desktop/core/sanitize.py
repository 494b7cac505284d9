"""Turn untrusted HTML into a small, inert subset that Qt's rich-text engine understands.

Nothing that can run survives (scripts, event handlers, `javascript:` links, frames, forms), nothing
remote is referenced (remote images become text placeholders, stylesheets are dropped), and site
chrome (CSDN's wrappers, hidden elements, line-number gutters) is removed. Formulas (KaTeX, MathJax,
Markdown's `$…$`) are kept once each, as readable Unicode with their TeX as a tooltip; task-list
checkboxes become ☐/☑; of inline styles only what carries meaning and is safe survives (bold,
italic, alignment, a heading-like font size)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup, Comment, Doctype, ProcessingInstruction, Tag

from desktop.core.code_colours import LANGUAGE_CLASS
from desktop.core.images import absolute_url, is_remote_image_url
from desktop.core.maths import MATH_STYLE, math_element
from desktop.core.urls import split_url

__all__ = ["sanitize_html", "SanitizedHtml", "RemoteImage", "IMAGE_PLACEHOLDER_CLASS", "MAX_DEPTH", "CHECKED",
           "UNCHECKED"]

IMAGE_PLACEHOLDER_CLASS = "image-placeholder"
MAX_DEPTH = 150  # deeper HTML is shown as plain text (rendering it would recurse past Python's limit)
CHECKED, UNCHECKED = "☑", "☐"  # a task list's checkboxes, shown (and counted in the text) as characters

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
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style"},
    "ol": {"start", "type"},
    "h1": {"id", "align", "style"}, "h2": {"id", "align", "style"}, "h3": {"id", "align", "style"},
    "h4": {"id", "align", "style"}, "h5": {"id", "align", "style"}, "h6": {"id", "align", "style"},
    "p": {"id", "align", "style"}, "div": {"id", "align", "style"}, "span": {"id", "title", "style"},
    "li": {"id", "style"}, "dt": {"id"}, "sup": {"id"}, "b": {"style"}, "strong": {"style"}, "em": {"style"},
    "i": {"style"}, "code": {"class"},
}
# Inline style that survives: what carries meaning (emphasis, alignment, a heading-like size) and can
# neither fetch nor hide anything. Colours and fonts are the reader's theme's business.
_STYLE_VALUES = {
    "font-weight": re.compile(r"bold|bolder|[6-9]00"),
    "font-style": re.compile(r"italic|oblique"),
    "text-align": re.compile(r"left|right|center|justify"),
    "text-decoration": re.compile(r"underline|line-through"),
    "font-size": re.compile(r"small|medium|large|x-large|xx-large"),
}
_FONT_SIZES = {1: "small", 2: "small", 3: None, 4: None, 5: "large", 6: "x-large", 7: "xx-large"}
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(px|pt)")
# Site chrome and decorations that are not the article's text.
_CHROME_CLASSES = frozenset({
    "article-header-box", "pre-numbering", "hljs-button", "signin", "katex-html", "MathJax_Preview",
    "blog-extension-box", "artid",
})
_MATH_MARKERS = ("katex", "MathJax", "mjx-", "<math", "math/tex", 'class="math')
# Sentence punctuation of Chinese prose, which no formula holds outside \text{…}.
_PROSE_PUNCTUATION = re.compile(r"[、。，；：！？「」『』（）]")
_TEXT_ARGUMENT = re.compile(r"\\(?:text|mbox|textrm|mathrm|hbox)\s*\{[^{}]*\}")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# lectern: a link back to a passage (desktop.core.links), followed inside Lectern with the checks any link gets.
_SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "lectern"})


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


def _is_chrome(tag: Tag) -> bool:
    classes = tag.get("class") or ()
    return any(name in _CHROME_CLASSES for name in classes)


def _katex_tex(math: Tag) -> str | None:
    """A KaTeX formula's TeX: its annotation, or (where a mirror stripped the MathML tags) the last
    run of lines of its MathML text, which is where the annotation was."""
    annotation = math.find("annotation", attrs={"encoding": "application/x-tex"})
    if annotation is not None:
        return annotation.get_text().strip() or None
    mathml = math.find(class_="katex-mathml")
    if not isinstance(mathml, Tag) or mathml.find("math") is not None:
        return None
    runs: list[list[str]] = [[]]
    for line in mathml.get_text().split("\n"):
        if line.strip():
            runs[-1].append(line.strip())
        elif runs[-1]:
            runs.append([])
    lines = runs[-1] or (runs[-2] if len(runs) > 1 else [])
    return "\n".join(lines) or None


def _place_formula(soup: BeautifulSoup, node: Tag, tex: str, display: bool) -> None:
    """Put the formula where `node` was: inline in running text; a displayed one centred on a line
    of its own (its paragraph, when it is all the paragraph holds)."""
    parent = node.parent
    alone = isinstance(parent, Tag) and not "".join(
        sibling.get_text() if isinstance(sibling, Tag) else str(sibling)
        for sibling in parent.contents if sibling is not node).strip()
    if display and isinstance(parent, Tag) and parent.name in {"p", "span"} and alone:
        if parent.name == "p":
            parent["align"] = "center"
        display = parent.name != "p"
    elif display and isinstance(parent, Tag) and parent.name in {"p", "span", "a", "em", "strong", "li", "td"}:
        display = False  # in running text: a centred block would split the paragraph
    node.replace_with(math_element(soup, tex, display))


def _replace_mathjax(soup: BeautifulSoup) -> None:
    """MathJax 2 shows each formula twice (its HTML and a MathML copy for screen readers) and keeps
    the TeX in a script beside it: the TeX is shown where it was kept, else the HTML rendering once."""
    for preview in soup.select(".MathJax_Preview, .MJX_Assistive_MathML"):
        preview.decompose()
    for frame in soup.select(".MathJax, .MathJax_SVG, .MathJax_CHTML"):
        script_id = str(frame.get("id", "")).removesuffix("-Frame")
        if script_id and soup.find("script", id=script_id, type=re.compile("^math/tex")) is not None:
            frame.decompose()  # its script is shown instead
            continue
        span = soup.new_tag("span", attrs={"style": MATH_STYLE})
        span.string = "".join(frame.get_text().split())  # one glyph a line in mirrored pages
        frame.replace_with(span)
    for script in soup.select('script[type^="math/tex"]'):
        _place_formula(soup, script, script.get_text(), "mode=display" in str(script.get("type", "")))
    for wrapper in soup.select(".MathJax_Display, .MathJax_SVG_Display"):
        if not wrapper.get_text().strip():
            wrapper.decompose()


def _replace_math(soup: BeautifulSoup) -> None:
    """KaTeX and MathJax repeat each formula two or three ways, Markdown's `$…$` leaves it as TeX:
    show each once, as readable Unicode with its TeX source as the tooltip."""
    for math in soup.select(".katex"):
        wrapper = math
        for ancestor in math.parents:
            classes = ancestor.get("class") or ()
            if not any(name in {"katex-display", "katex--display", "katex--inline"} for name in classes):
                break
            wrapper = ancestor
        tex = _katex_tex(math)
        if tex is None:  # no TeX to be had: its own rendering is what there is
            rendered = math.find(class_="katex-html")
            tex = " ".join((rendered or math).get_text().split())
        display = any("display" in name for tag in (wrapper, math) for name in tag.get("class") or ())
        _place_formula(soup, wrapper, tex, display)
    if soup.select_one('.MathJax_Preview, .MathJax, .MathJax_SVG, .MathJax_CHTML, script[type^="math/tex"]'):
        _replace_mathjax(soup)
    # Markdown's dollar maths (markdown-it) and Pandoc's: <span class="math inline">, <div class="math block">.
    for math in soup.select(".math.inline, .math.block, .math.display"):
        tex = math.get_text().strip()
        for opening, closing in (("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$")):
            if tex.startswith(opening) and tex.endswith(closing) and len(tex) >= 4:
                tex = tex[len(opening):-len(closing)].strip()
        classes = math.get("class") or ()
        if "inline" in classes and _PROSE_PUNCTUATION.search(_TEXT_ARGUMENT.sub("", tex)):
            # Two stray dollars in a Chinese sentence, not a formula: the text stays as written.
            math.replace_with(f"${tex}$")
            continue
        _place_formula(soup, math, tex, "block" in classes or "display" in classes)
    for math in soup.find_all(["math", "annotation"]):
        math.decompose()


def _replace_checkboxes(soup: BeautifulSoup, root: Tag) -> None:
    """A task list's checkboxes (read-only in a reader) as ☐/☑ characters."""
    for box in root.find_all("input"):
        if str(box.get("type", "")).lower() == "checkbox":
            box.replace_with(CHECKED if box.has_attr("checked") else UNCHECKED)


def _font_size(value: str) -> str | None:
    """A font size as one of the few keywords kept: larger than body text reads as a heading."""
    value = value.strip().lower()
    if value in {"small", "medium", "large", "x-large", "xx-large"}:
        return value
    if value.startswith(("+", "-")) and value[1:].isdigit():
        value = str(3 + int(value))
    if value.isdigit():
        return _FONT_SIZES.get(min(max(int(value), 1), 7))
    if match := _LENGTH.fullmatch(value):
        points = float(match.group(1)) * (0.75 if match.group(2) == "px" else 1.0)
        if points >= 24:
            return "xx-large"
        if points >= 18:
            return "x-large"
        if points >= 15:
            return "large"
        if points <= 9:
            return "small"
    return None


def _safe_style(style: str) -> str:
    kept = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip().lower().removesuffix("!important").strip()
        if name == "font-size":
            value = _font_size(value) or ""
        pattern = _STYLE_VALUES.get(name)
        if pattern is not None and value and pattern.fullmatch(value):
            kept.append(f"{name}:{value}")
    return ";".join(kept)


def _placeholder(soup: BeautifulSoup, label: str, alt: str) -> Tag:
    span = soup.new_tag("span", attrs={"class": IMAGE_PLACEHOLDER_CLASS})
    span.string = f"[{label}: {alt}]" if alt else f"[{label}]"
    return span


@dataclass(frozen=True)
class RemoteImage:
    """A remote image, shown as its placeholder (which rendering may swap for a kept copy)."""

    url: str
    alt: str
    placeholder: Tag


def _resolve_image(tag: Tag, soup: BeautifulSoup, base_dir: Path | None, remote: list[RemoteImage]) -> None:
    src = str(tag.get("src") or "").strip()
    alt = " ".join(str(tag.get("alt") or "").split())
    parts = split_url(src)
    if parts is None:  # not a URL at all: nothing to show, nothing to fetch
        tag.replace_with(_placeholder(soup, "missing image", alt))
        return
    if is_remote_image_url(src):
        placeholder = _placeholder(soup, "image", alt)
        tag.replace_with(placeholder)
        remote.append(RemoteImage(absolute_url(src), alt, placeholder))
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
    parts = split_url(href)
    if parts is None or (parts.scheme and parts.scheme.lower() not in _SAFE_LINK_SCHEMES):
        del tag["href"]  # javascript:, data:, vbscript:, file:, not a URL … the text stays, the link goes


def _clean_tag(tag: Tag, soup: BeautifulSoup, base_dir: Path | None, remote: list[RemoteImage]) -> None:
    name = tag.name.lower()
    if name in _VOID:
        tag.unwrap()
        return
    if name in _RENAME:
        tag.name = name = _RENAME[name]
    if name not in _KEEP:
        tag.unwrap()
        return
    if name == "span" and tag.has_attr("size"):  # was <font size=…>
        size = _font_size(str(tag["size"]))
        if size:
            tag["style"] = f"font-size:{size};" + str(tag.get("style", ""))
    allowed: set[str] | frozenset[str] = _ATTRIBUTES.get(name, frozenset())
    tag.attrs = {key: value for key, value in tag.attrs.items() if key in allowed}
    if "style" in tag.attrs:
        _clean_style(tag)
    if "class" in tag.attrs:  # only a code block's language, for its colours
        language = next((cls for cls in tag.get_attribute_list("class") if LANGUAGE_CLASS.match(cls)), None)
        if language:
            tag["class"] = language
        else:
            del tag["class"]
    if name == "a":
        _clean_link(tag)
    elif name == "img":
        _resolve_image(tag, soup, base_dir, remote)


def _clean_style(tag: Tag) -> None:
    style = _safe_style(str(tag["style"]))
    if tag.name in {"td", "th"}:  # Qt aligns cells by their attribute
        declarations = dict(part.split(":", 1) for part in style.split(";") if part)
        if "text-align" in declarations and not tag.has_attr("align"):
            tag["align"] = declarations["text-align"]
        style = ";".join(f"{key}:{value}" for key, value in declarations.items() if key != "text-align")
    if style:
        tag["style"] = style
    else:
        del tag["style"]


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
    remote_images: tuple[RemoteImage, ...] = ()  # in document order


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
    if any(marker in html for marker in _MATH_MARKERS):  # CSS selectors are slow
        _replace_math(soup)
    if "<input" in html:
        _replace_checkboxes(soup, root)
    # Extracting (not decomposing) keeps this one pass over the tree: a tag inside one already taken
    # out is simply taken out of the detached part too.
    for tag in [tag for tag in root.find_all(True)
                if tag.name.lower() in _DROP or _is_hidden(tag) or _is_chrome(tag)]:
        tag.extract()
    remote: list[RemoteImage] = []
    for tag in root.find_all(True):
        _clean_tag(tag, soup, base_dir, remote)
    return SanitizedHtml(root, remote_images=tuple(remote))
