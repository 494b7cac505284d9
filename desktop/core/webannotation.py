"""W3C Web Annotation JSON-LD: Lectern's highlights out, anyone's annotations in."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desktop.core.colours import COLOURS, DEFAULT_COLOUR
from desktop.core.errors import ImportFormatError
from desktop.core.model import Highlight
from desktop.core.tags import normalize_tags

__all__ = ["IncomingAnnotation", "to_collection", "parse_annotations"]

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_UUID_PREFIX = "urn:uuid:"


def _annotation(highlight: Highlight) -> dict[str, Any]:
    anchor = highlight.anchor
    bodies: list[dict[str, Any]] = []
    if highlight.note:
        bodies.append({"type": "TextualBody", "value": highlight.note, "format": "text/plain",
                       "purpose": "commenting"})
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in highlight.tags]
    annotation: dict[str, Any] = {
        "id": _UUID_PREFIX + highlight.id,
        "type": "Annotation",
        "motivation": "highlighting",
        "created": highlight.created,
        "modified": highlight.updated,
        "target": {
            "source": highlight.relpath,
            "styleClass": highlight.colour,  # the colour, by name
            "selector": [
                {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
                {"type": "TextQuoteSelector", "exact": anchor.exact, "prefix": anchor.prefix,
                 "suffix": anchor.suffix},
            ],
        },
    }
    if bodies:
        annotation["body"] = bodies
    return annotation


def to_collection(highlights: Iterable[Highlight], label: str) -> str:
    items = [_annotation(highlight) for highlight in highlights]
    collection = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


@dataclass(frozen=True)
class IncomingAnnotation:
    """An annotation read from JSON, before it is anchored in an article."""

    source: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    id: str | None = None
    colour: str = DEFAULT_COLOUR
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str | None = None


def _items(data: Any) -> list[Any]:
    """The annotations in an array, a single Annotation, an AnnotationCollection or AnnotationPage."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ImportFormatError("expected a JSON object or array of Web Annotations")
    kind = data.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "Annotation" in kinds:
        return [data]
    if "AnnotationPage" in kinds:
        page_items = data.get("items", [])
        following = data.get("next")
        return list(page_items) + (_items(following) if isinstance(following, dict) else [])
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        return _items(first) if isinstance(first, dict) else []
    raise ImportFormatError(f"expected Web Annotations, found a JSON object of type {kind!r}")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _parse_one(item: Any) -> IncomingAnnotation | None:
    if not isinstance(item, dict):
        return None
    targets = _as_list(item.get("target"))
    target = targets[0] if targets else None
    if not isinstance(target, dict) or not isinstance(target.get("source"), str):
        return None
    quote: dict[str, Any] = {}
    position: dict[str, Any] = {}
    for selector in _as_list(target.get("selector")):
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote = selector
        elif isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position = selector
    if not isinstance(quote.get("exact"), str) or not quote["exact"]:
        return None
    note: list[str] = []
    tags: list[str] = []
    for body in _as_list(item.get("body")):
        if isinstance(body, str):
            note.append(body)
        elif isinstance(body, dict) and isinstance(body.get("value"), str):
            (tags if body.get("purpose") == "tagging" else note).append(body["value"])
    identifier = item.get("id") if isinstance(item.get("id"), str) else None
    colour = target.get("styleClass")
    start, end = position.get("start"), position.get("end")
    valid_position = isinstance(start, int) and isinstance(end, int) and 0 <= start < end
    return IncomingAnnotation(
        source=target["source"],
        exact=quote["exact"],
        prefix=str(quote.get("prefix") or ""),
        suffix=str(quote.get("suffix") or ""),
        start=start if valid_position else None,
        end=end if valid_position else None,
        id=identifier.removeprefix(_UUID_PREFIX) if identifier and identifier.startswith(_UUID_PREFIX) else None,
        colour=colour if colour in COLOURS else DEFAULT_COLOUR,
        note="\n\n".join(note),
        tags=normalize_tags(tags),
        created=item.get("created") if isinstance(item.get("created"), str) else None,
    )


def parse_annotations(text: str) -> tuple[list[IncomingAnnotation], int]:
    """Read Web Annotation JSON; return the usable annotations and how many items were not usable."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(f"not valid JSON: {error}") from None
    parsed, unusable = [], 0
    for item in _items(data):
        annotation = _parse_one(item)
        if annotation is None:
            unusable += 1
        else:
            parsed.append(annotation)
    return parsed, unusable
