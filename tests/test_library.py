"""Use-cases across core and store: highlight, tag, export, import; and orphans are never lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import frontmatter
import pytest

from desktop.library import Library
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database

SEED = "000_2e1d597362795e42.txt"


def _highlight(library: Library, quote: str, colour: str = "yellow", occurrence: int = 0):  # type: ignore[no-untyped-def]
    opened = library.open_article(SEED)
    start = -1
    for _ in range(occurrence + 1):
        start = opened.rendered.text.index(quote, start + 1)
    return library.add_highlight(opened, start, start + len(quote), colour)


def test_overlapping_and_cross_paragraph_highlights(library: Library) -> None:
    text = library.open_article(SEED).rendered.text
    across = text[text.index("未来趋势。"):text.index("AIGC技术已经在") + 6]
    assert across.count("\n") == 2  # spans three blocks
    first = _highlight(library, across)
    overlapping = _highlight(library, "技术应用", "blue", occurrence=1)  # the heading
    placed = library.open_article(SEED).highlights
    assert [p.highlight.id for p in placed] == [first.id, overlapping.id]
    assert placed[0].span[0] < placed[1].span[0] < placed[0].span[1]  # type: ignore[index]
    assert text[slice(*placed[0].span)] == across  # type: ignore[misc]


def test_edited_article_reanchors_and_vanished_passage_is_orphaned(library: Library, corpus: Path) -> None:
    kept = _highlight(library, "算法偏见和数据隐私问题")
    lost = _highlight(library, "信息泡沫")
    path = corpus / SEED
    source = path.read_text(encoding="utf-8")
    edited = source.replace("<p>", "<p>新增的一句话。", 1).replace("信息泡沫", "信息茧房")
    path.write_text(edited, encoding="utf-8")
    placed = {p.highlight.id: p for p in library.open_article(SEED).highlights}
    text = library.open_article(SEED).rendered.text
    assert text[slice(*placed[kept.id].span)] == "算法偏见和数据隐私问题"  # type: ignore[misc]
    assert placed[lost.id].orphaned  # kept, listed, not dropped
    path.unlink()  # the article vanishes: its highlights still export
    notes = library.notes()
    assert {h.id for h in notes[0].highlights} == {kept.id, lost.id}
    assert {p.highlight.id for p in notes[0].placed if p.orphaned} == {kept.id, lost.id}


def test_markdown_export_reads_back(library: Library, tmp_path: Path) -> None:
    highlight = _highlight(library, "伦理与风险", "green")
    library.store.update_highlight(highlight.id, note="要点", tags=["伦理"])
    library.set_article_tags(library.load(SEED), ["监管"])
    files = library.export_markdown(tmp_path / "out").written
    assert sorted(path.name for path in files) == ["index.md", "如何看待AIGC技术.md"]
    post = frontmatter.load(tmp_path / "out" / "如何看待AIGC技术.md")
    assert post["source"] == SEED and post["tags"] == ["Aigc", "监管"]
    assert "> 伦理与风险" in post.content and "要点" in post.content and "#伦理" in post.content
    single = library.export_markdown(tmp_path / "one", relpath=SEED).written
    assert [path.name for path in single] == ["如何看待AIGC技术.md"]


def test_json_export_then_import_into_an_empty_database_reproduces_highlights(
        library: Library, corpus: Path, tmp_path: Path) -> None:
    first = _highlight(library, "伦理与风险", "green")
    library.store.update_highlight(first.id, note="一条笔记", tags=["伦理", "风险"])
    _highlight(library, "AIGC技术", "purple", occurrence=3)
    exported = library.export_json(tmp_path / "json")
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 2
    item = data["first"]["items"][0]
    assert item["target"]["lectern:path"] == SEED and item["target"]["source"] == (corpus / SEED).resolve().as_uri()
    assert {s["type"] for s in item["target"]["selector"]} == {"TextPositionSelector", "TextQuoteSelector"}

    fresh = Library(corpus, AnnotationStore(open_database(tmp_path / "fresh.db")))
    report = fresh.import_annotations(exported.read_text(encoding="utf-8"))
    assert (report.imported, report.orphaned) == (2, [])
    assert fresh.store.highlights(fresh.corpus) == library.store.highlights(library.corpus)
    again = fresh.import_annotations(exported.read_text(encoding="utf-8"))
    assert (again.imported, again.already_present) == (0, 2)


def test_import_of_other_tools_annotations_by_quote_alone(library: Library) -> None:
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
        "body": {"type": "TextualBody", "value": "from another tool"},
        "target": {"source": f"https://example.org/posts/{SEED}",
                   "selector": {"type": "TextQuoteSelector", "exact": "元宇宙", "prefix": "产业互联网、"}},
    }
    missing = dict(annotation, target={"source": SEED,
                                       "selector": {"type": "TextQuoteSelector", "exact": "不存在的话"}})
    report = library.import_annotations(json.dumps([annotation, missing, {"type": "Annotation"}]))
    assert report.imported == 2 and report.unusable == 1 and len(report.orphaned) == 1
    placed = library.open_article(SEED).highlights
    text = library.open_article(SEED).rendered.text
    found = [p for p in placed if not p.orphaned]
    assert text[slice(*found[0].span)] == "元宇宙" and found[0].highlight.note == "from another tool"  # type: ignore[misc]
    assert text[found[0].span[0] - 6:found[0].span[0]] == "产业互联网、"  # type: ignore[index]
    assert [p.highlight.anchor.exact for p in placed if p.orphaned] == ["不存在的话"]


def test_notes_follow_a_renamed_or_moved_file_and_wait_for_a_vanished_one(library: Library, corpus: Path) -> None:
    by_id = _highlight(library, "伦理与风险")  # this seed has an artid in its front matter
    plain = corpus / "plain.md"
    plain.write_text("# Plain\n\nNo front matter, recognised by its content.\n", encoding="utf-8")
    opened = library.open_article("plain.md")
    start = opened.rendered.text.index("recognised")
    by_content = library.add_highlight(opened, start, start + 10, "blue")
    library.set_article_tags(opened.article, ["kept"])

    (corpus / "moved").mkdir()
    edited = (corpus / SEED).read_text(encoding="utf-8").replace("<p>", "<p>编辑过。", 1)
    (corpus / "moved" / "renamed.txt").write_text(edited, encoding="utf-8")  # moved, renamed and edited
    (corpus / SEED).unlink()
    plain.rename(corpus / "moved" / "plain-renamed.md")
    found = library.reconcile(library.scan())
    assert sorted(found.moved) == [(SEED, "moved/renamed.txt"), ("plain.md", "moved/plain-renamed.md")]
    assert found.missing == ()
    assert [p.highlight.id for p in library.open_article("moved/renamed.txt").highlights] == [by_id.id]
    moved_plain = library.open_article("moved/plain-renamed.md")
    assert [p.highlight.id for p in moved_plain.highlights] == [by_content.id] and moved_plain.user_tags == ("kept",)

    (corpus / "moved" / "plain-renamed.md").unlink()
    found = library.reconcile(library.scan())
    assert found.missing == ("moved/plain-renamed.md",)
    missing = library.missing_article("moved/plain-renamed.md")
    assert missing.article.title == "Plain" and [p.orphaned for p in missing.highlights] == [True]
    (corpus / "back.md").write_text("# Plain\n\nNo front matter, recognised by its content.\n", encoding="utf-8")
    assert library.reconcile(library.scan()).moved == (("moved/plain-renamed.md", "back.md"),)
    assert not library.open_article("back.md").highlights[0].orphaned


def _foreign(identifier: str | None, exact: str, **target: object) -> dict[str, object]:
    annotation: dict[str, object] = {"type": "Annotation", "target": {
        "source": SEED, "selector": {"type": "TextQuoteSelector", "exact": exact}, **target}}
    if identifier is not None:
        annotation["id"] = identifier
    return annotation


def test_reimporting_the_same_annotations_adds_nothing(library: Library) -> None:
    data = json.dumps([_foreign("https://hypothes.is/a/abc123", "元宇宙"), _foreign(None, "信息泡沫")])
    assert library.import_annotations(data).imported == 2
    again = library.import_annotations(data)
    assert (again.imported, again.already_present) == (0, 2)
    assert len(library.store.highlights(library.corpus)) == 2


def test_a_failing_import_changes_nothing(library: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = []
    original = library.store.add_highlight

    def failing_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk trouble")
        return original(*args, **kwargs)

    monkeypatch.setattr(library.store, "add_highlight", failing_second)
    data = json.dumps([_foreign("a", "元宇宙"), _foreign("b", "信息泡沫")])
    with pytest.raises(OSError):
        library.import_annotations(data)
    assert library.store.highlights(library.corpus) == []


def test_import_into_a_copied_corpus_and_after_a_delete(library: Library, corpus: Path, tmp_path: Path) -> None:
    highlight = _highlight(library, "伦理与风险")
    exported = library.export_json(tmp_path / "json").read_text(encoding="utf-8")
    library.store.delete_highlight(highlight.id)
    assert library.import_annotations(exported).imported == 1  # brought back, not "already present"
    assert [h.id for h in library.store.highlights(library.corpus)] == [highlight.id]
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    copied = Library(copy, library.store)
    assert copied.import_annotations(exported).imported == 1
    assert copied.import_annotations(exported).already_present == 1
    assert len(copied.store.highlights(copied.corpus)) == 1 and len(library.store.highlights(library.corpus)) == 1


@pytest.mark.parametrize("data", [
    {"type": [["Annotation"]]},
    {"type": "AnnotationPage", "items": None},
    {"type": "AnnotationPage", "items": 5},
    _foreign("x", "元宇宙", styleClass=["green"]),
    {**_foreign("y", "元宇宙"), "target": {"source": SEED, "selector": [
        {"type": "TextQuoteSelector", "exact": "元宇宙"},
        {"type": "TextPositionSelector", "start": 10**20, "end": 10**21}]}},
    _foreign("z", "元宇宙\ud800"),
    {**_foreign("w", "元宇宙"), "target": {"source": "a\x00b" + "x" * 5000, "selector": {
        "type": "TextQuoteSelector", "exact": "元宇宙"}}},
])
def test_malformed_annotations_never_crash(library: Library, data: object) -> None:
    """Each gives a report or a clear ImportFormatError, never another exception."""
    from desktop.core.errors import ImportFormatError

    try:
        report = library.import_annotations(json.dumps(data))
    except ImportFormatError:
        return
    assert report.imported + report.unusable + report.already_present == (0 if "items" in str(data) else 1)


def test_deeply_nested_or_bom_json(library: Library) -> None:
    from desktop.core.errors import ImportFormatError

    with pytest.raises(ImportFormatError, match="nests too deeply"):
        library.import_annotations("[" * 100_000 + "]" * 100_000)
    assert library.import_annotations("\ufeff" + json.dumps([_foreign("q", "元宇宙")])).imported == 1
