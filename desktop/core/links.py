"""`lectern://` links: from an exported note back to a highlight in Lectern.

    lectern://open?corpus=<corpus folder>&article=<path inside it>&highlight=<highlight id>

Each value is percent-encoded (RFC 3986 query form); `corpus` is the corpus folder's absolute path,
`article` the article's corpus-relative path with forward slashes, `highlight` the highlight's UUID
(optional: without it the link opens the article). A link comes from anywhere (a note, a web page), so
parsing is strict and says plainly what is wrong; whether the corpus is one the user opened is for the
caller to check before anything is opened. Pure: no file system, no Qt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import parse_qs, quote, urlsplit

from desktop.core.errors import LecternError

__all__ = ["SCHEME", "LecternLink", "LinkError", "make_link", "parse_link", "block_id"]

SCHEME = "lectern"
_ACTION = "open"
_MAX_LINK = 8192  # far above any real path; a longer "link" is not one
_KEYS = ("corpus", "article", "highlight")


class LinkError(LecternError):
    """A `lectern://` link that cannot be followed: malformed, or naming nothing the user opened."""


@dataclass(frozen=True)
class LecternLink:
    corpus: str  # absolute path of the corpus folder, as the exporting Lectern knew it
    article: str  # corpus-relative, forward slashes
    highlight: str | None = None  # a highlight's UUID


def make_link(corpus: str, article: str, highlight: str | None = None) -> str:
    """The link to `highlight` (or to the article) in `corpus`."""
    parts = [("corpus", corpus), ("article", article)] + ([("highlight", highlight)] if highlight else [])
    return f"{SCHEME}://{_ACTION}?" + "&".join(f"{key}={quote(value, safe='/')}" for key, value in parts)


def block_id(highlight_id: str) -> str:
    """The Obsidian block id of a highlight: from its UUID, so the same in every export. Obsidian takes
    letters, digits and dashes. Twelve hex digits of a random UUID keep `[[note#^lectern-…]]` links
    short, and a clash even among 10,000 highlights in one note unlikely (about 2 in 10 million)."""
    return "lectern-" + highlight_id.replace("-", "")[:12].lower()


def _one(values: dict[str, list[str]], key: str, required: bool) -> str | None:
    found = values.get(key, [])
    if len(found) > 1:
        raise LinkError(f"This Lectern link names its {key} more than once.")
    if not found or not found[0]:
        if required:
            raise LinkError(f"This Lectern link does not say which {key} to open.")
        return None
    value = found[0]
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise LinkError(f"This Lectern link's {key} contains control characters.")
    return value


def _is_absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def parse_link(text: str) -> LecternLink:
    """Read a `lectern://open?…` link; raise LinkError with a message for a person when it is not one."""
    text = text.strip()
    if len(text) > _MAX_LINK:
        raise LinkError("This is not a Lectern link: it is far too long.")
    try:
        parts = urlsplit(text)
    except ValueError as error:
        raise LinkError(f"This Lectern link is malformed ({error}).") from None
    if parts.scheme.lower() != SCHEME:
        raise LinkError(f"This is not a Lectern link (it does not start with {SCHEME}://).")
    if parts.netloc.lower() != _ACTION or parts.path not in ("", "/"):
        raise LinkError(f"This Lectern link asks for “{parts.netloc}{parts.path}”; Lectern only opens passages"
                        f" ({SCHEME}://{_ACTION}?…).")
    try:
        values = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query),
                          errors="strict", max_num_fields=len(_KEYS) + 1)
    except (ValueError, UnicodeDecodeError) as error:
        raise LinkError(f"This Lectern link is malformed ({error}).") from None
    unknown = sorted(set(values) - set(_KEYS))
    if unknown:
        raise LinkError(f"This Lectern link has parts Lectern does not know: {', '.join(unknown)}.")
    corpus = _one(values, "corpus", required=True)
    article = _one(values, "article", required=True)
    highlight = _one(values, "highlight", required=False)
    assert corpus is not None and article is not None
    if not _is_absolute(corpus):
        raise LinkError("This Lectern link's corpus is not an absolute folder path.")
    relpath = PurePosixPath(article)
    if _is_absolute(article) or "\\" in article or any(part in ("..", ".") for part in relpath.parts):
        raise LinkError("This Lectern link's article is not a path inside its corpus.")
    if highlight is not None:
        try:
            highlight = str(uuid.UUID(highlight))
        except ValueError:
            raise LinkError("This Lectern link's highlight is not a highlight id.") from None
    return LecternLink(corpus, article, highlight)
