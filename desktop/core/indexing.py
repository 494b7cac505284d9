"""An article as the search index and the corpus tree need it: metadata plus a plain text for
searching and snippets. Built for speed over the whole corpus (lxml for HTML, light stripping of
Markdown syntax) rather than through the full renderer; runs in worker processes."""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from desktop.core.corpus import FileStamp, stamp_of
from desktop.core.documents import load_article
from desktop.core.errors import DocumentError
from desktop.core.model import Article, BodyKind, CorpusEntry, SkippedFile
from desktop.core.sanitize import MAX_DEPTH
from desktop.core.search_text import index_columns

__all__ = [
    "IndexedArticle", "extract_for_index", "extract_many", "search_text_of", "worker_count",
]

_MARKDOWN_NOISE = [
    # Bounded repeats: an unclosed "![" or "[" must not make each later one rescan the whole file.
    (re.compile(r"!\[([^\]\n]{0,200})\]\([^)\n]{0,2000}\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]\n]{0,200})\]\([^)\n]{0,2000}\)"), r"\1"),  # links: keep the text, drop the address
    (re.compile(r"<[^>\n]{1,400}>"), " "),  # inline HTML tags
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),  # block markers
    (re.compile(r"[*_~`]{1,3}"), ""),  # emphasis and code marks
]
_UNWANTED = "//script|//style|//svg|//noscript|//template|//*[contains(@class, 'katex-mathml')]"
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class IndexedArticle:
    """Everything the index stores of one article, prepared in a worker so the writer only writes."""

    entry: CorpusEntry
    stamp: FileStamp
    description: str
    columns: tuple[str, str, str, str, str]  # tokenised full-text columns (desktop.core.search_text)
    compressed_text: bytes  # the plain text for snippets, zlib-compressed

    @property
    def text(self) -> str:
        return zlib.decompress(self.compressed_text).decode("utf-8")


def _depth(document: etree._Element) -> int:
    depth = deepest = 0
    for event, _ in etree.iterwalk(document, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _html_text(body: str, warnings: list[str]) -> str:
    try:
        document = lxml.html.fromstring(body)
    except (etree.ParserError, ValueError):
        return body
    if _depth(document) > MAX_DEPTH:  # the reader will show it as plain text; say so in the index too
        warnings.append(f"the HTML nests more than {MAX_DEPTH} levels deep; it is shown as plain text")
    for unwanted in document.xpath(_UNWANTED):
        unwanted.drop_tree()
    text: str = document.text_content()
    return text


def _markdown_text(body: str) -> str:
    for pattern, replacement in _MARKDOWN_NOISE:
        body = pattern.sub(replacement, body)
    return body


def search_text_of(article: Article, warnings: list[str] | None = None) -> str:
    """The article's text for searching; problems met on the way are added to `warnings`."""
    if article.kind is BodyKind.HTML:
        text = _html_text(article.body, warnings if warnings is not None else [])
    else:
        text = _markdown_text(article.body)
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def extract_for_index(path: Path, root: Path) -> IndexedArticle | SkippedFile:
    relpath = path.relative_to(root).as_posix()
    stamp = stamp_of(path)
    try:
        if stamp is None:
            raise DocumentError("the file no longer exists")
        article = load_article(path, root)
    except DocumentError as error:
        return SkippedFile(relpath, str(error))
    warnings: list[str] = []
    text = search_text_of(article, warnings)
    entry = CorpusEntry.of(article)
    if warnings:
        entry = entry._replace(warnings=entry.warnings + tuple(warnings))
    columns = index_columns(entry.title, text, entry.tags, entry.categories, article.description)
    return IndexedArticle(entry, stamp, article.description, columns, zlib.compress(text.encode("utf-8"), 6))


def _extract_or_skip(path: Path, root: Path) -> IndexedArticle | SkippedFile:
    try:
        return extract_for_index(path, root)
    except Exception as error:  # noqa: BLE001 - one strange file must not stop a corpus of thousands
        return SkippedFile(path.relative_to(root).as_posix(),
                           f"Lectern could not read it ({type(error).__name__}: {error}); please report this")


def extract_many(paths: list[str], root: str) -> list[IndexedArticle | SkippedFile]:
    """A batch for one worker process (arguments as strings: they cross a process boundary)."""
    base = Path(root)
    return [_extract_or_skip(Path(path), base) for path in paths]


def worker_count() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))
