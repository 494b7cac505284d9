"""Broken and hostile files: each opens or is skipped with a one-line reason, nothing runs, nothing is
fetched, and the rest of the corpus keeps working."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.core.documents import parse_article
from desktop.core.errors import DocumentError
from desktop.core.render import render_article
from desktop.library import Library
from tests import hostile_corpus


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return hostile_corpus.build(tmp_path / "hostile")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to resolve a name or open a connection is recorded and refused."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args))
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_every_broken_file_opens_or_is_skipped_with_a_reason(hostile: Path, library_for, no_network) -> None:  # type: ignore[no-untyped-def]
    library: Library = library_for(hostile)
    scan = library.scan()
    skipped = {item.relpath: item.reason for item in scan.skipped}
    assert skipped == {"binary.md": "this is a binary file, not text",
                       "huge.md": "the file is 21.0 MB; Lectern opens files up to 20 MB"}
    opened = {entry.relpath for entry in scan.entries}
    assert opened == set(hostile_corpus.FILES) - {"binary.md"}
    warned = {entry.relpath for entry in scan.entries if entry.warnings}
    assert {"yaml-tabs.md", "yaml-unclosed-quote.md", "yaml-duplicate-keys.md", "yaml-list.md", "yaml-scalar.md",
            "no-closing-line.md", "undecodable.md", "deep.html"} <= warned
    for relpath in sorted(opened):
        article = library.open_article(relpath)
        assert "evil.example" not in article.rendered.html
        assert "<script" not in article.rendered.html.lower()
    texts = {relpath: library.open_article(relpath).rendered.text for relpath in opened}
    assert texts["gbk.md"] == "中文正文，伦理与监管。"
    assert texts["utf16.md"] == "伦理与隐私" and texts["utf8-bom.md"] == "伦理"
    assert "\ufffd" in texts["undecodable.md"] and "still ok" in texts["undecodable.md"]
    assert texts["deep.html"] == "deep text"
    assert library.open_article("deep.html").rendered.warnings
    assert texts["hostile.html"].startswith("Visible text.")
    opened = library.open_article("hostile.html")
    library.add_highlight(opened, 0, 7, "pink")
    library.export_markdown(hostile.parent / "export")
    library.export_json(hostile.parent / "export")
    assert {(r.kind, r.relpath) for r in library.search("Visible").results} == {("article", "hostile.html"),
                                                                         ("highlight", "hostile.html")}
    assert no_network == []


def test_index_command_reports_each_kind_in_one_line_and_each_file_with_verbose(
        hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(hostile)]) == 0
    kinds = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("problem:", "note:"))]
    assert "problem: Too large to read: 1 files" in kinds and "problem: Other problems" not in " ".join(kinds)
    assert any(line.startswith("problem: Not text (binary files): ") for line in kinds)
    assert main(["index", str(hostile), "--verbose"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("    binary.md: ") for line in lines)
    assert any(line.startswith("    huge.md: the file is 21.0 MB") for line in lines)
    assert any(line.startswith("    yaml-tabs.md: front matter is not valid YAML") for line in lines)
    assert any(line.startswith("    deep.html: the HTML nests more than") for line in lines)


def test_unreadable_file_is_skipped_with_a_reason(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Path.open

    def guarded(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "003_94866a6898bf0002.txt":
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)  # root ignores chmod, so deny it here
    scan = library.scan()
    assert [(s.relpath, s.reason) for s in scan.skipped] == [("003_94866a6898bf0002.txt", "permission denied")]
    assert len(scan.entries) == 4


def test_file_deleted_or_rewritten_while_open(library: Library, corpus: Path) -> None:
    opened = library.open_article("001_6217f8390a32708c.txt")
    start = opened.rendered.text.index("AIGC")
    (corpus / "001_6217f8390a32708c.txt").write_text("---\ntitle: rewritten\n---\nall new", encoding="utf-8")
    kept = library.add_highlight(opened, start, start + 4, "yellow")  # from what the reader saw
    assert library.open_article("001_6217f8390a32708c.txt").highlights[0].orphaned
    (corpus / "001_6217f8390a32708c.txt").unlink()
    with pytest.raises(DocumentError, match="no longer exists"):
        library.open_article("001_6217f8390a32708c.txt")
    assert [h.id for notes in library.notes() for h in notes.highlights] == [kept.id]


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes_give_an_article_or_a_clear_error(data: bytes) -> None:
    from desktop.core.decoding import decode_bytes

    try:
        text = decode_bytes(data).text
    except DocumentError:
        return
    article = parse_article(text, Path("/c/random.md"), "random.md")
    render_article(article)


_YAML_PIECES = st.sampled_from(["title: x", "tags: [a, b", "date: 2020-13-45", "- item", "key: 'open", "\t", ":",
                                "tags: a,b", "categories:", "  - c", "artid: 123", "{", "}", "&a", "*a",
                                "!!python/object:os.system"])


@settings(max_examples=150, deadline=2000)
@given(st.lists(_YAML_PIECES, max_size=8), st.text(max_size=300), st.sampled_from(["a.md", "b.html", "c.txt"]))
def test_random_front_matter_and_bodies_never_escape(pieces: list[str], body: str, name: str) -> None:
    article = parse_article("---\n" + "\n".join(pieces) + "\n---\n" + body, Path("/c") / name, name)
    rendered = render_article(article)
    assert isinstance(rendered.text, str)


@settings(max_examples=100, deadline=2000)
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "<table>", "<td>", "<pre>", "x", "中", " ", "\n", "<br>",
                                 "<script>", "<img src=x onerror=y>", "<a href='javascript:z'>", "</a>", "&amp;",
                                 "<embed>", "<svg>", "<!--", "-->"]), max_size=60))
def test_random_html_renders_inert(tokens: list[str]) -> None:
    rendered = render_article(parse_article("".join(tokens), Path("/c/r.html"), "r.html"))
    lowered = rendered.html.lower()
    assert "<script" not in lowered and "onerror" not in lowered and "javascript:" not in lowered
