"""Tag names: what a user typed, tidied; and the same name made into a valid Obsidian #tag."""

from __future__ import annotations

import re

__all__ = ["normalize_tag", "normalize_tags", "obsidian_tag"]

_OBSIDIAN_INVALID = re.compile(r"[^\w/-]+")


def normalize_tag(name: str) -> str:
    return " ".join(name.strip().lstrip("#").split())


def normalize_tags(names: object) -> tuple[str, ...]:
    """Tidy, drop empties and duplicates (case-insensitively), keep the first spelling and the order."""
    seen: dict[str, str] = {}
    for name in names if isinstance(names, list | tuple) else ():
        tag = normalize_tag(str(name))
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def obsidian_tag(name: str) -> str:
    """`#name` as Obsidian reads it: letters (any script), digits, _, - and /; not only digits."""
    body = _OBSIDIAN_INVALID.sub("-", normalize_tag(name)).strip("-/") or "tag"
    if body.isdigit():
        body = f"_{body}"
    return f"#{body}"
