"""Reading files: front matter, metadata, body kind, encodings, and files that cannot be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.core.decoding import read_text_file
from desktop.core.documents import load_article, parse_article
from desktop.core.errors import BinaryFile, FileTooLarge, UnreadableFile
from desktop.core.model import BodyKind
from tests.conftest import SEED_FACTS, SEEDS


@pytest.mark.parametrize("name", sorted(SEED_FACTS))
def test_every_seed_has_its_title_tags_and_body_kind(name: str) -> None:
    title, tags, categories, kind = SEED_FACTS[name]
    article = load_article(SEEDS / name, SEEDS)
    assert article.title == title
    assert article.tags == tags
    assert article.categories == categories
    assert article.kind is BodyKind(kind)
    assert article.warnings == ()
    assert article.date is not None and article.date.year >= 2023
    assert article.source_id and article.source_id.isdigit()


def _parse(text: str, name: str = "post.md"):  # type: ignore[no-untyped-def]
    return parse_article(text, Path("/corpus") / name, name)


def test_tags_as_comma_string_and_dates_as_text_are_normalised() -> None:
    article = _parse("---\ntitle: T\ntags: a, b，c, a\ndate: '2021-3-4 10:00 +0800'\n---\nbody")
    assert article.tags == ("a", "b", "c")
    assert article.date == dt.date(2021, 3, 4)


def test_title_falls_back_to_first_heading_then_file_name() -> None:
    assert _parse("---\ntags: [x]\n---\n\n# 第一章 开始\n\ntext").title == "第一章 开始"
    assert _parse("<div><h1 class='t'> Hello <b>there</b></h1></div>", "a.html").title == "Hello there"
    assert _parse("just text", "2020-01-02-notes.md").title == "2020-01-02-notes"
    assert _parse("just text", "2020-01-02-notes.md").date == dt.date(2020, 1, 2)


@pytest.mark.parametrize(
    ("front_matter", "warning"),
    [
        ("title: 'unclosed\n", "not valid YAML"),
        ("title: a\n\tbad: tab\n", "not valid YAML"),
        ("title: a\ntitle: b\n", "repeats title"),
        ("- a list\n- not a mapping\n", "is a list"),
        ("just a scalar\n", "is a str"),
    ],
)
def test_bad_front_matter_is_a_warning_and_the_body_is_kept(front_matter: str, warning: str) -> None:
    article = _parse(f"---\n{front_matter}---\n\nThe body survives.")
    assert any(warning in message for message in article.warnings), article.warnings
    assert "The body survives." in article.body


def test_missing_closing_line_shows_the_whole_file() -> None:
    article = _parse("---\ntitle: x\nno end here\n")
    assert "no closing line" in article.warnings[0]
    assert "no end here" in article.body


def test_toml_front_matter() -> None:
    article = _parse('+++\ntitle = "TOML post"\ntags = ["x", "y"]\n+++\nbody')
    assert (article.title, article.tags) == ("TOML post", ("x", "y"))


def test_markdown_body_opening_with_html_banner_stays_markdown() -> None:
    article = _parse('<p align="center"><img src="logo.png"></p>\n\n# Project\n\nSome *markdown*.\n')
    assert article.kind is BodyKind.MARKDOWN


def test_encodings(tmp_path: Path) -> None:
    text = "---\ntitle: 中文标题\n---\n正文内容，伦理与监管。\n"
    cases = {
        "utf8.md": text.encode("utf-8"),
        "bom.md": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf16.md": text.encode("utf-16"),
        "gbk.md": text.encode("gbk"),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        article = load_article(tmp_path / name, tmp_path)
        assert article.title == "中文标题", name
        assert "伦理与监管" in article.body, name
    (tmp_path / "broken.md").write_bytes(text.encode("utf-8")[:-8] + b"\xff\xfe\xfa" + b"end")
    broken = load_article(tmp_path / "broken.md", tmp_path)
    assert "\ufffd" in broken.body and broken.warnings


def test_files_that_cannot_be_read_raise_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    with pytest.raises(BinaryFile, match="binary"):
        load_article(tmp_path / "binary.md", tmp_path)
    with pytest.raises(UnreadableFile, match="no longer exists"):
        load_article(tmp_path / "gone.md", tmp_path)
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(FileTooLarge, match="MB"):
        read_text_file(big, max_bytes=1024)
