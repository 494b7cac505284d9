"""W3C Web Annotation JSON-LD: Lectern's highlights out, anyone's annotations in.

Each highlight is written where it is in its article now, and says how it was found there in
Lectern's own terms (the `lectern` prefix of the context): `lectern:state` (exact, moved, changed or
orphaned); a changed one also has `lectern:original`, the quote as highlighted, and `lectern:score`,
how sure the match is. An orphaned highlight has no position, only its quote. Reading them back keeps
the states."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desktop.core.anchoring import CHANGED, EXACT, MOVED, ORPHANED
from desktop.core.colours import COLOURS, DEFAULT_COLOUR
from desktop.core.errors import ImportFormatError
from desktop.core.model import Anchor, PlacedHighlight
from desktop.core.tags import normalize_tags

__all__ = ["IncomingAnnotation", "to_collection", "parse_annotations"]

# Lectern's own terms. ".invalid" is reserved (RFC 2606): the IRI names the terms and never resolves.
LECTERN_NAMESPACE = "https://lectern.invalid/ns#"
CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"lectern": LECTERN_NAMESPACE}]
_UUID_PREFIX = "urn:uuid:"
_STATE, _ORIGINAL, _SCORE = "lectern:state", "lectern:original", "lectern:score"


def _quote_selector(anchor: Anchor) -> dict[str, Any]:
    return {"type": "TextQuoteSelector", "exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix}


def _annotation(placed: PlacedHighlight) -> dict[str, Any]:
    highlight, current = placed.highlight, placed.current
    selectors = [] if current is None else [
        {"type": "TextPositionSelector", "start": current.start, "end": current.end}]
    selectors.append(_quote_selector(current or highlight.anchor))
    target: dict[str, Any] = {
        "source": highlight.relpath,
        "styleClass": highlight.colour,  # the colour, by name
        "selector": selectors,
        _STATE: placed.state,
    }
    if placed.state == CHANGED:
        target[_ORIGINAL] = _quote_selector(highlight.anchor)
        target[_SCORE] = round(placed.score, 4)
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
        "target": target,
    }
    if bodies:
        annotation["body"] = bodies
    return annotation


def to_collection(highlights: Iterable[PlacedHighlight], label: str) -> str:
    items = [_annotation(placed) for placed in highlights]
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
    """An annotation read from JSON, before it is anchored in an article; `state`, `original` (exact,
    prefix, suffix) and `score` are what an export of Lectern's says of how it was found."""

    source: str
    exact: str
    id: str  # a UUID: the annotation's own, or one derived from its id or content (re-imports match)
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    colour: str = DEFAULT_COLOUR
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str | None = None
    modified: str | None = None
    state: str | None = None
    original: tuple[str, str, str] | None = None
    score: float | None = None


def _items(data: Any) -> list[Any]:
    """The annotations in an array, a single Annotation, an AnnotationCollection or AnnotationPage."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ImportFormatError("expected a JSON object or array of Web Annotations")
    kind = data.get("type")
    kinds = {name for name in _as_list(kind) if isinstance(name, str)}
    if "Annotation" in kinds:
        return [data]
    if "AnnotationPage" in kinds:
        page_items = data.get("items")
        following = data.get("next")
        return (page_items if isinstance(page_items, list) else []) + (
            _items(following) if isinstance(following, dict) else [])
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        return _items(first) if isinstance(first, dict) else []
    raise ImportFormatError(f"expected Web Annotations, found a JSON object of type {kind!r}")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


_MAX_OFFSET = 2**31


def _text(value: Any) -> str:
    """A JSON string as text SQLite accepts (lone surrogates become U+FFFD, NULs are dropped)."""
    if not isinstance(value, str):
        return ""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "")


def _offset(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_OFFSET else None


def _identity(item: dict[str, Any], source: str, quote: dict[str, Any], start: int | None) -> str:
    identifier = item.get("id")
    if isinstance(identifier, str) and identifier.startswith(_UUID_PREFIX):
        try:
            return str(uuid.UUID(identifier.removeprefix(_UUID_PREFIX)))
        except ValueError:
            pass
    if isinstance(identifier, str) and identifier.strip():
        return str(uuid.uuid5(uuid.NAMESPACE_URL, _text(identifier)))
    fingerprint = json.dumps([source, _text(quote.get("exact")), _text(quote.get("prefix")),
                              _text(quote.get("suffix")), start], ensure_ascii=False)
    return str(uuid.uuid5(uuid.NAMESPACE_OID, fingerprint))


def _parse_one(item: Any) -> IncomingAnnotation | None:
    if not isinstance(item, dict):
        return None
    targets = _as_list(item.get("target"))
    target = targets[0] if targets else None
    if not isinstance(target, dict) or not _text(target.get("source")).strip():
        return None
    quote: dict[str, Any] = {}
    position: dict[str, Any] = {}
    for selector in _as_list(target.get("selector")):
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote = selector
        elif isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position = selector
    if not _text(quote.get("exact")):
        return None
    note: list[str] = []
    tags: list[str] = []
    for body in _as_list(item.get("body")):
        if isinstance(body, str):
            note.append(body)
        elif isinstance(body, dict) and isinstance(body.get("value"), str):
            (tags if body.get("purpose") == "tagging" else note).append(_text(body["value"]))
    colour = target.get("styleClass")
    state = target.get(_STATE) if target.get(_STATE) in (EXACT, MOVED, CHANGED, ORPHANED) else None
    start, end = _offset(position.get("start")), _offset(position.get("end"))
    valid = start is not None and end is not None and start < end
    source = _text(target["source"])
    return IncomingAnnotation(
        source=source,
        exact=_text(quote["exact"]),
        id=_identity(item, source, quote, start if valid else None),
        prefix=_text(quote.get("prefix")),
        suffix=_text(quote.get("suffix")),
        start=start if valid else None,
        end=end if valid else None,
        colour=colour if isinstance(colour, str) and colour in COLOURS else DEFAULT_COLOUR,
        note="\n\n".join(note),
        tags=normalize_tags(tags),
        created=_text(item.get("created")) or None,
        modified=_text(item.get("modified")) or None,
        state=state,
        original=_original(target.get(_ORIGINAL)) if state == CHANGED else None,
        score=_score(target.get(_SCORE)),
    )


def _original(selector: Any) -> tuple[str, str, str] | None:
    """The quote as highlighted, of an annotation Lectern exported as changed."""
    if not isinstance(selector, dict) or not _text(selector.get("exact")):
        return None
    return _text(selector.get("exact")), _text(selector.get("prefix")), _text(selector.get("suffix"))


def _score(value: Any) -> float | None:
    valid = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
    return float(value) if valid else None


def parse_annotations(text: str) -> tuple[list[IncomingAnnotation], int]:
    """Read Web Annotation JSON; return the usable annotations and how many items were not usable."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
        items = _items(data)
    except json.JSONDecodeError as error:
        raise ImportFormatError(f"not valid JSON: {error}") from None
    except RecursionError:
        raise ImportFormatError("the JSON nests too deeply to be annotations") from None
    parsed, unusable = [], 0
    for item in items:
        annotation = _parse_one(item)
        if annotation is None:
            unusable += 1
        else:
            parsed.append(annotation)
    return parsed, unusable
