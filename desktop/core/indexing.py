"""An article as the search index and the corpus tree need it: metadata plus a plain text for
searching and snippets. Built for speed over the whole corpus (lxml for HTML, light stripping of
Markdown syntax) rather than through the full renderer; runs in worker processes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from desktop.core.documents import load_article
from desktop.core.errors import DocumentError
from desktop.core.model import Article, BodyKind, CorpusEntry, SkippedFile

__all__ = [
    "FileStamp", "IndexedArticle", "stamp_of", "extract_for_index", "extract_many", "search_text_of", "worker_count",
]

_MARKDOWN_NOISE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: keep the text, drop the address
    (re.compile(r"<[^>\n]{1,400}>"), " "),  # inline HTML tags
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),  # block markers
    (re.compile(r"[*_~`]{1,3}"), ""),  # emphasis and code marks
]
_UNWANTED = "//script|//style|//svg|//noscript|//template|//*[contains(@class, 'katex-mathml')]"
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class FileStamp:
    """What tells whether a file changed without reading it."""

    size: int
    mtime_ns: int


def stamp_of(path: Path) -> FileStamp | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return FileStamp(status.st_size, status.st_mtime_ns)


@dataclass(frozen=True)
class IndexedArticle:
    entry: CorpusEntry
    stamp: FileStamp
    description: str
    text: str  # plain text for searching and snippets


def _html_text(body: str) -> str:
    try:
        document = lxml.html.fromstring(body)
    except (etree.ParserError, ValueError):
        return body
    for unwanted in document.xpath(_UNWANTED):
        unwanted.drop_tree()
    text: str = document.text_content()
    return text


def _markdown_text(body: str) -> str:
    for pattern, replacement in _MARKDOWN_NOISE:
        body = pattern.sub(replacement, body)
    return body


def search_text_of(article: Article) -> str:
    text = _html_text(article.body) if article.kind is BodyKind.HTML else _markdown_text(article.body)
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
    return IndexedArticle(CorpusEntry.of(article), stamp, article.description, search_text_of(article))


def extract_many(paths: list[str], root: str) -> list[IndexedArticle | SkippedFile]:
    """A batch for one worker process (arguments as strings: they cross a process boundary)."""
    base = Path(root)
    return [extract_for_index(Path(path), base) for path in paths]


def worker_count() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))
