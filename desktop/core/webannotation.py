"""W3C Web Annotation JSON-LD: Lectern's highlights out, anyone's annotations in.

The export keeps the model's MUSTs (tests/test_web_annotation_json.py checks them): each annotation's
`target.source` is an IRI, the article's original web address when its front matter names one (so a
tool such as Hypothesis can show the highlight on the live page), else its `file:` URI; the corpus
path travels as `lectern:path`; the colour is a `styleClass` with the annotation's own embedded
`CssStylesheet`; the collection and its page have ids.

Each highlight is written where it is in its article now, and says how it was found there in
Lectern's own terms (the `lectern` prefix of the context): `lectern:state` (exact, moved, changed or
orphaned); a changed one also has `lectern:original`, the quote as highlighted, and `lectern:score`,
how sure the match is. An orphaned highlight has no position, only its quote. The collection carries
the user's colour meanings (`lectern:colourMeanings`) and article tags (`lectern:articles`). Reading
them back keeps all of it, and still reads files written before (a bare corpus path as the source)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.anchoring import CHANGED, EXACT, MOVED, ORPHANED
from desktop.core.colours import COLOURS, DEFAULT_COLOUR
from desktop.core.errors import ImportFormatError
from desktop.core.model import Anchor, PlacedHighlight
from desktop.core.tags import normalize_tags

__all__ = ["IncomingAnnotation", "AnnotationFile", "ArticleFacts", "to_collection", "read_annotation_file"]

# Lectern's own terms. ".invalid" is reserved (RFC 2606): the IRI names the terms and never resolves.
LECTERN_NAMESPACE = "https://lectern.invalid/ns#"
CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"lectern": LECTERN_NAMESPACE}]
_UUID_PREFIX = "urn:uuid:"
_STATE, _ORIGINAL, _SCORE = "lectern:state", "lectern:original", "lectern:score"
_PATH, _MEANINGS, _ARTICLES, _TAGS = "lectern:path", "lectern:colourMeanings", "lectern:articles", "lectern:tags"


@dataclass(frozen=True)
class ArticleFacts:
    """What the export says of an annotated article: its IRI (web address or file: URI) and the tags
    the user gave it."""

    source: str
    tags: tuple[str, ...] = ()


def _stylesheet(colour: str) -> dict[str, str]:
    return {"type": "CssStylesheet", "value": f".{colour} {{ background-color: {COLOURS.get(colour, '#fde68a')}; }}"}


def _quote_selector(anchor: Anchor) -> dict[str, Any]:
    return {"type": "TextQuoteSelector", "exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix}


def _annotation(placed: PlacedHighlight, source: str) -> dict[str, Any]:
    highlight, current = placed.highlight, placed.current
    selectors = [] if current is None else [
        {"type": "TextPositionSelector", "start": current.start, "end": current.end}]
    selectors.append(_quote_selector(current or highlight.anchor))
    target: dict[str, Any] = {
        "source": source,
        _PATH: highlight.relpath,
        "styleClass": highlight.colour,  # the colour, by name, styled by the annotation's stylesheet
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
        "stylesheet": _stylesheet(highlight.colour),
        "target": target,
    }
    if bodies:
        annotation["body"] = bodies
    return annotation


def to_collection(highlights: Iterable[PlacedHighlight], label: str, articles: Mapping[str, ArticleFacts],
                  meanings: Mapping[str, str]) -> str:
    """An AnnotationCollection of `highlights`; `articles`: each article's facts by corpus path (those
    with tags but no highlight too); `meanings`: what each colour means to the user."""
    items = [_annotation(placed, articles[placed.highlight.relpath].source) for placed in highlights]
    # Ids that stay the same for the same export: a URN of the label and what it holds.
    identity = uuid.uuid5(uuid.NAMESPACE_URL, json.dumps([label, sorted(articles)], ensure_ascii=False))
    collection = {
        "@context": CONTEXT,
        "id": f"{_UUID_PREFIX}{identity}",
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        _MEANINGS: dict(sorted(meanings.items())),
        _ARTICLES: [{_PATH: relpath, "source": facts.source, _TAGS: list(facts.tags)}
                    for relpath, facts in sorted(articles.items()) if facts.tags],
        "first": {"id": f"{_UUID_PREFIX}{uuid.uuid5(identity, 'page 0')}", "type": "AnnotationPage",
                  "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


@dataclass(frozen=True)
class IncomingAnnotation:
    """An annotation read from JSON, before it is anchored in an article; `state`, `original` (exact,
    prefix, suffix) and `score` are what an export of Lectern's says of how it was found."""

    source: str  # an IRI (web address, file: URI) or, in files of earlier Lectern versions, a corpus path
    exact: str
    id: str  # a UUID: the annotation's own, or one derived from its id or content (re-imports match)
    path: str | None = None  # the corpus path an export of Lectern's gives (lectern:path)
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
        path=_text(target.get(_PATH)) or None,
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


@dataclass(frozen=True)
class AnnotationFile:
    """What a file of Web Annotations holds: the usable annotations, how many items were not usable,
    and what an export of Lectern's adds: colour meanings, and article tags by corpus path."""

    annotations: list[IncomingAnnotation]
    unusable: int
    meanings: dict[str, str]
    article_tags: dict[str, tuple[str, ...]]


def _meanings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {colour: " ".join(_text(meaning).split()) for colour, meaning in value.items()
            if colour in COLOURS and _text(meaning).strip()}


def _article_tags(value: Any) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for article in _as_list(value):
        if isinstance(article, dict) and _text(article.get(_PATH)).strip():
            tags = normalize_tags([_text(tag) for tag in _as_list(article.get(_TAGS))])
            if tags:
                found[_text(article[_PATH])] = tags
    return found


def read_annotation_file(text: str) -> AnnotationFile:
    """Read Web Annotation JSON (one annotation, an array, a page or a collection)."""
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
    extras = data if isinstance(data, dict) else {}
    return AnnotationFile(parsed, unusable, _meanings(extras.get(_MEANINGS)), _article_tags(extras.get(_ARTICLES)))

