"""The JSON export is W3C Web Annotation, strictly: the model's MUSTs
(https://www.w3.org/TR/annotation-model/, and the W3C test suite's "must" assertions) written out as
plain checks over a real export; it carries the user's article tags and colour meanings; import finds
each annotation's article by its corpus path, its file: URI or its web address, and still reads the
files earlier versions wrote."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.library import Library
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database

SEED = "000_2e1d597362795e42.txt"
OTHER = "003_94866a6898bf0002.txt"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")  # RFC 3987's shape: a scheme, no spaces
DATETIME_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _check_annotation(annotation: dict[str, Any]) -> None:
    """Section 3 and 4 of the model, each MUST as an assertion."""
    # 3.1: an Annotation MUST have exactly one IRI id, and a type including Annotation.
    assert isinstance(annotation["id"], str) and IRI.match(annotation["id"])
    assert "Annotation" in _as_list(annotation["type"])
    # 3.1: MUST have one or more targets.
    targets = _as_list(annotation["target"])
    assert targets
    # 3.3.5: motivation values MUST be among the model's motivations.
    assert set(_as_list(annotation.get("motivation", []))) <= MOTIVATIONS
    # 3.3.1: created/modified MUST be xsd:dateTime (and SHOULD be in UTC with Z).
    for key in ("created", "modified"):
        if key in annotation:
            assert DATETIME_UTC.match(annotation[key])
    for body in _as_list(annotation.get("body", [])):
        # 3.2.4: an embedded textual body MUST have exactly one value, a string; type TextualBody.
        assert body["type"] == "TextualBody" and isinstance(body["value"], str)
        # 3.2.6 / 3.3.5: a purpose MUST be one of the motivations; format MUST be a media type.
        assert set(_as_list(body.get("purpose", []))) <= MOTIVATIONS
        assert "format" not in body or re.match(r"^[\w.+-]+/[\w.+-]+$", body["format"])
    has_style_class = False
    for target in targets:
        # 4: a Specific Resource MUST have exactly one source, an IRI.
        assert isinstance(target["source"], str) and IRI.match(target["source"])
        for selector in _as_list(target.get("selector", [])):
            if selector["type"] == "TextQuoteSelector":  # 4.2.4: MUST have exactly one exact
                assert isinstance(selector["exact"], str) and selector["exact"]
                assert all(isinstance(selector.get(key, ""), str) for key in ("prefix", "suffix"))
            elif selector["type"] == "TextPositionSelector":  # 4.2.5: MUST have start and end, >= 0
                assert isinstance(selector["start"], int) and isinstance(selector["end"], int)
                assert 0 <= selector["start"] <= selector["end"]
            else:
                pytest.fail(f"unexpected selector {selector['type']}")
        if "styleClass" in target:  # 4.4: styleClass MUST be a string
            assert isinstance(target["styleClass"], str)
            has_style_class = True
    # 4.4 (W3C test 4.4-styleClassValidIfPresent): with a styleClass, the Annotation MUST have a
    # stylesheet; an embedded one MUST be of type CssStylesheet with a value (and define the class).
    if has_style_class:
        stylesheet = annotation["stylesheet"]
        assert not isinstance(stylesheet, list)
        assert stylesheet["type"] == "CssStylesheet" and isinstance(stylesheet["value"], str)
        for target in targets:
            assert f".{target['styleClass']} " in stylesheet["value"]


def _check_collection(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Section 5: an AnnotationCollection and its page; returns the annotations."""
    assert ANNO_CONTEXT in _as_list(data["@context"])  # 3.1: the context MUST be there
    assert IRI.match(data["id"]) and "AnnotationCollection" in _as_list(data["type"])  # 5.1: MUST id, type
    assert isinstance(data["total"], int) and data["total"] >= 0  # 5.1: total MUST be a non-negative integer
    page = data["first"]
    assert IRI.match(page["id"]) and "AnnotationPage" in _as_list(page["type"])  # 5.2: MUST id, type
    assert isinstance(page["items"], list)  # 5.2: MUST have items
    assert isinstance(page.get("startIndex", 0), int) and page.get("startIndex", 0) >= 0
    assert data["total"] == len(page["items"])
    return list(page["items"])


def _highlight(library: Library, quote: str, colour: str = "yellow", relpath: str = SEED) -> str:
    opened = library.open_article(relpath)
    start = opened.rendered.text.index(quote)
    return library.add_highlight(opened, start, start + len(quote), colour).id


@pytest.fixture
def annotated(library: Library, corpus: Path) -> Library:
    # One article names its web address in its front matter; the other has none.
    path = corpus / OTHER
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\narturl: https://blog.example.com/p/3\n", 1),
                    encoding="utf-8")
    first = _highlight(library, "伦理与风险", "pink")
    library.store.update_highlight(first, note="一条笔记", tags=["伦理"])
    _highlight(library, "AIGC", "green", relpath=OTHER)
    library.set_article_tags(library.load(SEED), ["精读"])
    library.set_colour_meaning("pink", "disagree")
    return library


def test_the_export_keeps_every_must_of_the_model(annotated: Library, corpus: Path, tmp_path: Path) -> None:
    data = json.loads(annotated.export_json(tmp_path / "json").read_text(encoding="utf-8"))
    items = _check_collection(data)
    assert len(items) == 2
    for item in items:
        _check_annotation(item)
    sources = {item["target"]["lectern:path"]: item["target"]["source"] for item in items}
    assert sources == {SEED: (corpus / SEED).resolve().as_uri(), OTHER: "https://blog.example.com/p/3"}
    assert data["lectern:colourMeanings"] == {"pink": "disagree"}
    assert data["lectern:articles"] == [{"lectern:path": SEED, "source": sources[SEED], "lectern:tags": ["精读"]}]


def test_article_tags_and_meanings_survive_a_round_trip(annotated: Library, corpus: Path, tmp_path: Path) -> None:
    exported = annotated.export_json(tmp_path / "json").read_text(encoding="utf-8")
    fresh = Library(corpus, AnnotationStore(open_database(tmp_path / "fresh.db")))
    fresh.set_colour_meaning("pink", "important")  # the user's own: never overwritten
    report = fresh.import_annotations(exported)
    assert report.imported == 2
    assert fresh.store.article_tags(fresh._key(SEED)) == ("精读",)
    assert fresh.colour_meanings() == {"pink": "important"}
    assert report.meanings_kept == ["pink keeps your meaning “important” (the file says “disagree”)"]
    other = Library(corpus, AnnotationStore(open_database(tmp_path / "other.db")))
    assert other.import_annotations(exported).meanings_added == ["pink"]
    assert other.colour_meanings() == {"pink": "disagree"}
    for library in (fresh, other):
        library.store.db.close()


def test_import_finds_the_article_by_file_uri_web_address_or_path(annotated: Library, corpus: Path,
                                                                   tmp_path: Path) -> None:
    data = json.loads(annotated.export_json(tmp_path / "json").read_text(encoding="utf-8"))
    for item in data["first"]["items"]:
        del item["target"]["lectern:path"]  # as another tool would write them: the source alone
    fresh = Library(corpus, AnnotationStore(open_database(tmp_path / "fresh.db")))
    report = fresh.import_annotations(json.dumps(data))
    assert report.imported == 2 and report.orphaned == []
    assert {h.relpath for h in fresh.store.highlights(fresh.corpus)} == {SEED, OTHER}
    fresh.store.db.close()


def test_a_source_that_is_no_url_is_kept_as_an_orphan(annotated: Library, corpus: Path, tmp_path: Path) -> None:
    data = json.loads(annotated.export_json(tmp_path / "json").read_text(encoding="utf-8"))
    for item in data["first"]["items"]:
        del item["target"]["lectern:path"]
        item["target"]["source"] = "http://[::1/post.md"  # urllib refuses it: ValueError
    fresh = Library(corpus, AnnotationStore(open_database(tmp_path / "fresh.db")))
    report = fresh.import_annotations(json.dumps(data))
    assert report.imported == 2 and len(report.orphaned) == 2  # nothing of the file is lost
    fresh.store.db.close()


def test_a_file_in_the_earlier_format_still_imports(library: Library, corpus: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    text = library.open_article(SEED).rendered.text
    start = text.index("伦理与风险")
    earlier = {  # what `lectern export --format json` wrote before: a bare corpus path as the source
        "@context": [ANNO_CONTEXT, {"lectern": "https://lectern.invalid/ns#"}],
        "type": "AnnotationCollection", "label": "Lectern annotations of corpus", "total": 1,
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": [{
            "id": "urn:uuid:6f1c1a52-3b8e-4c51-9a43-7c1f3a1e2b10", "type": "Annotation", "motivation": "highlighting",
            "created": "2025-01-01T00:00:00Z", "modified": "2025-01-02T00:00:00Z",
            "target": {"source": SEED, "styleClass": "green", "lectern:state": "exact", "selector": [
                {"type": "TextPositionSelector", "start": start, "end": start + 5},
                {"type": "TextQuoteSelector", "exact": "伦理与风险", "prefix": text[start - 5:start],
                 "suffix": text[start + 5:start + 10]}]},
            "body": [{"type": "TextualBody", "value": "旧笔记", "format": "text/plain", "purpose": "commenting"}]}]},
    }
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(earlier, ensure_ascii=False), encoding="utf-8")
    library.store.db.close()
    assert main(["import", str(path), "--corpus", str(corpus), "--db", str(tmp_path / "db" / "annotations.db")]) == 0
    assert "Imported 1 annotations" in capsys.readouterr().out
    db = open_database(tmp_path / "db" / "annotations.db")
    [highlight] = AnnotationStore(db).highlights(str(corpus.resolve()), SEED)
    assert (highlight.anchor.exact, highlight.colour, highlight.note) == ("伦理与风险", "green", "旧笔记")
    db.close()
