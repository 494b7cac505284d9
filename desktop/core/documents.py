"""A file of the corpus becomes an Article: front matter read defensively, metadata normalised, and the
body's kind (Markdown or HTML) detected from its content rather than its extension."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from desktop.core.decoding import read_text_file
from desktop.core.model import Article, BodyKind

__all__ = ["ARTICLE_SUFFIXES", "load_article", "parse_article"]

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})

_YAML_BLOCK = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_TOML_BLOCK = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_OPENS_WITH_TAG = re.compile(r"\A\s*</?(?:!doctype|html|head|body|div|p|article|section|main|table|h[1-6])\b", re.I)
_MARKDOWN_LINE = re.compile(r"^(?:#{1,6}\s|```|~~~)", re.M)
_PRE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_HTML_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.I | re.S)
_MARKDOWN_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
_TAG = re.compile(r"<[^>]+>")
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
    except (yaml.YAMLError, ValueError, TypeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(error, "problem", None) or (str(error) if isinstance(error, ValueError) else "syntax error")
        warnings.append(f"front matter is not valid YAML{where}: {problem}; metadata ignored")
        return None
    if duplicates:
        warnings.append(f"front matter repeats {', '.join(sorted(set(duplicates)))}; the last value is used")
    return data


def _split_front_matter(text: str, warnings: list[str]) -> tuple[dict[str, Any], str]:
    """Return (metadata, body). Problems become warnings; the body is always kept."""
    if match := _YAML_BLOCK.match(text):
        data = _read_yaml(match.group(1), warnings)
    elif match := _TOML_BLOCK.match(text):
        try:
            data = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as error:
            warnings.append(f"front matter is not valid TOML: {error}; metadata ignored")
            data = None
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
    return {str(key): value for key, value in data.items()}, body


def _as_list(value: Any) -> tuple[str, ...]:
    """Tags and categories come as lists, comma strings, or a single scalar."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else _LIST_SEPARATORS.split(str(value))
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
    for candidate in (str(value) if value is not None else "", file_name):
        if match := _DATE.match(candidate.strip()):
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                continue
    return None


def _body_kind(body: str, suffix: str) -> BodyKind:
    if suffix in {".html", ".htm"}:
        return BodyKind.HTML
    # A Markdown body may open with an HTML banner; an HTML body also ends with a tag, or at least has
    # no Markdown headings or fences outside its <pre> blocks (where '# comment' is code).
    if _OPENS_WITH_TAG.match(body) and (
        body.rstrip().endswith(">") or not _MARKDOWN_LINE.search(_PRE_BLOCK.sub("", body))
    ):
        return BodyKind.HTML
    return BodyKind.MARKDOWN


def _title(metadata: dict[str, Any], body: str, kind: BodyKind, path: Path) -> str:
    title = metadata.get("title")
    if title is not None and str(title).strip():
        return " ".join(str(title).split())
    if kind is BodyKind.HTML:
        match = _HTML_H1.search(body)
        heading = " ".join(_TAG.sub(" ", match.group(1)).split()) if match else ""
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
    source_id = next((str(metadata[key]) for key in ("artid", "id", "uuid") if metadata.get(key)), None)
    return Article(
        relpath=relpath,
        path=path,
        title=_title(metadata, body, kind, path),
        body=body,
        kind=kind,
        date=_as_date(metadata.get("date"), path.name),
        tags=_as_list(metadata.get("tags")),
        categories=_as_list(metadata.get("categories")),
        description=" ".join(str(metadata.get("description") or "").split()),
        source_id=source_id,
        content_hash=hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest(),
        encoding=encoding,
        warnings=tuple(found),
        metadata=metadata,
    )


def load_article(path: Path, root: Path) -> Article:
    """Read one corpus file. Raises DocumentError when it cannot be read at all."""
    decoded = read_text_file(path)
    warnings = []
    if decoded.lossy:
        warnings.append("some bytes are not valid UTF-8 or GB18030 and are shown as �")
    return parse_article(decoded.text, path, path.relative_to(root).as_posix(), decoded.encoding, tuple(warnings))
