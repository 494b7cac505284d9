"""A file of the corpus becomes an Article: front matter read defensively, metadata normalised, and the
body's kind (Markdown or HTML) detected from its content rather than its extension."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from desktop.core.decoding import read_text_file
from desktop.core.model import Article, BodyKind

__all__ = ["READ_KEYS", "WEB_ADDRESS_KEYS", "load_article", "parse_article", "web_address"]

MAX_FRONT_MATTER = 64 * 1024
MAX_NESTING = 64
SOURCE_ID_KEYS = ("artid", "id", "uuid")
READ_KEYS = frozenset({"title", "date", "tags", "categories", "description", *SOURCE_ID_KEYS})

_YAML_BLOCK = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_TOML_BLOCK = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_OPENS_WITH_TAG = re.compile(r"\A\s*</?(?:!doctype|html|head|body|div|p|article|section|main|table|h[1-6])\b", re.I)
_MARKDOWN_LINE = re.compile(r"^(?:#{1,6}\s|```|~~~)", re.M)
_HTML_H1 = re.compile(r"<h1\b[^>]{0,500}>(.{0,2000}?)</h1>", re.I | re.S)  # bounded: no quadratic scans
_MARKDOWN_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
_TAG = re.compile(r"<[^>]+>")
_WEB_ADDRESS = re.compile(r"\Ahttps?://[^\s/?#]+[^\s]*\Z", re.I)
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LIST_SEPARATORS = re.compile(r"[,，;；]")


class _DuplicateKeyLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """The fast C loader, noting duplicate keys (YAML allows them silently; the last one wins) and
    keeping timestamps as text (an impossible date like 2020-13-45 would otherwise raise)."""

    duplicates: list[str]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool):  # only hashable scalars can repeat
                if key in seen:
                    self.duplicates.append(str(key))
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_DuplicateKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _DuplicateKeyLoader.construct_yaml_str)


def _read_yaml(block: str, warnings: list[str]) -> Any:
    duplicates: list[str] = []

    def loader(stream: str) -> _DuplicateKeyLoader:
        instance = _DuplicateKeyLoader(stream)
        instance.duplicates = duplicates
        return instance

    try:
        data = YAMLHandler().load(block, Loader=loader)
    except (RecursionError, MemoryError):
        warnings.append("front matter is too deeply nested to read; metadata ignored")
        return None
    except (yaml.YAMLError, ValueError, TypeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(error, "problem", None) or (str(error) if isinstance(error, ValueError) else "syntax error")
        warnings.append(f"front matter is not valid YAML{where}: {problem}; metadata ignored")
        return None
    if read := sorted(set(duplicates) & READ_KEYS):
        warnings.append(f"front matter repeats {', '.join(read)}; the last value is used")
    if unread := sorted(set(duplicates) - READ_KEYS):  # harmless: said once, never shown as a problem
        warnings.append(f"front matter repeats {', '.join(unread)} (not used by Lectern)")
    return data


def _too_much(block: str) -> str | None:
    """Why a front-matter block is not worth parsing (deep nesting crashes YAML's C parser)."""
    if len(block) > MAX_FRONT_MATTER:
        return f"front matter is {len(block) // 1024} KB; metadata ignored"
    depth = deepest = 0
    for char in block:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    if deepest > MAX_NESTING:
        return f"front matter nests {deepest} levels deep; metadata ignored"
    return None


def _read_toml(block: str, warnings: list[str]) -> Any:
    try:
        return tomllib.loads(block)
    except (RecursionError, MemoryError):
        warnings.append("front matter is too deeply nested to read; metadata ignored")
    except tomllib.TOMLDecodeError as error:
        warnings.append(f"front matter is not valid TOML: {error}; metadata ignored")
    return None


def _split_front_matter(text: str, warnings: list[str]) -> tuple[dict[str, Any], str]:
    """Return (metadata, body). Problems become warnings; the body is always kept."""
    match = _YAML_BLOCK.match(text) or _TOML_BLOCK.match(text)
    if match and (problem := _too_much(match.group(1))):
        warnings.append(problem)
        return {}, text[match.end():]
    if match and match.re is _YAML_BLOCK:
        data = _read_yaml(match.group(1), warnings)
    elif match:
        data = _read_toml(match.group(1), warnings)
    else:
        if text.startswith(("---\n", "---\r\n", "+++\n")):
            warnings.append("front matter has no closing line; the whole file is shown as the body")
        return {}, text
    body = text[match.end():]
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        warnings.append(f"front matter is a {type(data).__name__}, not key: value pairs; metadata ignored")
        return {}, body
    return {key: value for key, value in data.items() if isinstance(key, str)}, body


def _scalar(value: Any) -> str | None:
    """A value as text when it is one (a title given as a nested list is not a title)."""
    if isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
        return str(value)
    return None


def _as_list(value: Any) -> tuple[str, ...]:
    """Tags and categories come as lists, comma strings, or a single scalar."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        items = value
    elif (text := _scalar(value)) is not None:
        items = _LIST_SEPARATORS.split(text)
    else:
        return ()
    seen: dict[str, None] = {}
    for item in items:
        if isinstance(item, list | tuple | dict) or item is None:
            continue
        name = str(item).strip()
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


def _as_date(value: Any, file_name: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for candidate in (_scalar(value) or "", file_name):
        if match := _DATE.match(candidate.strip()):
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                continue
    return None


def _outside_pre(html: str) -> str:
    """`html` without its <pre> blocks, in one pass (a regex would rescan for every unclosed <pre)."""
    lowered = html.lower()
    parts, position = [], 0
    while (start := lowered.find("<pre", position)) >= 0:
        parts.append(html[position:start])
        end = lowered.find("</pre>", start)
        if end < 0:
            return "".join(parts)
        position = end + len("</pre>")
    parts.append(html[position:])
    return "".join(parts)


def _first_html_heading(body: str) -> str:
    position = 0
    for _ in range(10):  # the first few <h1 only: a hostile file may hold thousands of broken ones
        start = body.lower().find("<h1", position)
        if start < 0:
            break
        if match := _HTML_H1.match(body, start):
            return " ".join(_TAG.sub(" ", match.group(1)).split())
        position = start + 3
    return ""


def _body_kind(body: str, suffix: str) -> BodyKind:
    if suffix in {".html", ".htm"}:
        return BodyKind.HTML
    # A Markdown body may open with an HTML banner; an HTML body also ends with a tag, or at least has
    # no Markdown headings or fences outside its <pre> blocks (where '# comment' is code).
    if _OPENS_WITH_TAG.match(body) and (
        body.rstrip().endswith(">") or not _MARKDOWN_LINE.search(_outside_pre(body))
    ):
        return BodyKind.HTML
    return BodyKind.MARKDOWN


def _title(metadata: dict[str, Any], body: str, kind: BodyKind, path: Path) -> str:
    title = _scalar(metadata.get("title"))
    if title and title.strip():
        return " ".join(title.split())
    if kind is BodyKind.HTML:
        heading = _first_html_heading(body)
    else:
        match = _MARKDOWN_H1.search(body)
        heading = match.group(1).strip() if match else ""
    return heading or path.stem


def parse_article(text: str, path: Path, relpath: str, encoding: str = "utf-8",
                  warnings: tuple[str, ...] = ()) -> Article:
    """Understand a decoded file. Never raises for bad content: problems are listed in `warnings`."""
    found: list[str] = list(warnings)
    metadata, body = _split_front_matter(text, found)
    kind = _body_kind(body, path.suffix.lower())
    source_id = next((value for key in SOURCE_ID_KEYS if (value := _scalar(metadata.get(key)))), None)
    return Article(
        relpath=relpath,
        path=path,
        title=_title(metadata, body, kind, path),
        body=body,
        kind=kind,
        date=_as_date(metadata.get("date"), path.name),
        tags=_as_list(metadata.get("tags")),
        categories=_as_list(metadata.get("categories")),
        description=" ".join((_scalar(metadata.get("description")) or "").split()),
        source_id=source_id,
        content_hash=hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest(),
        encoding=encoding,
        warnings=tuple(found),
        metadata=metadata,
    )


# Front-matter keys that name an article's original web address, most specific first (CSDN's `arturl`).
WEB_ADDRESS_KEYS = ("arturl", "canonical_url", "canonical", "original_url", "source_url", "permalink", "url", "link")


def web_address(metadata: Mapping[str, Any]) -> str:
    """The article's original web address (an absolute http(s) URL) when its front matter names one."""
    for key in WEB_ADDRESS_KEYS:
        value = metadata.get(key)
        if isinstance(value, str) and _WEB_ADDRESS.match(value.strip()):
            return value.strip()
    return ""


def load_article(path: Path, root: Path) -> Article:
    """Read one corpus file. Raises DocumentError when it cannot be read at all."""
    decoded = read_text_file(path)
    warnings = []
    if decoded.lossy:
        warnings.append("some bytes are not valid UTF-8 or GB18030 and are shown as �")
    return parse_article(decoded.text, path, path.relative_to(root).as_posix(), decoded.encoding, tuple(warnings))
