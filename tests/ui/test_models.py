"""The tree and the highlight list are proper Qt models."""

from __future__ import annotations

from pathlib import Path

from desktop.library import Library
from desktop.ui.corpus_model import RELPATH_ROLE, CorpusModel
from desktop.ui.highlights_model import HighlightsModel
from tests.conftest import SAMPLE


def _labels(model: CorpusModel, parent=None) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def test_corpus_model_groups_by_folder_tag_category_and_date(qtmodeltester, library: Library, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    (corpus / "broken.md").write_bytes(b"\x00binary")
    model = CorpusModel()
    model.set_scan(library.scan())
    qtmodeltester.check(model)
    assert _labels(model) == ["Folders", "Tags", "Categories", "Dates", "Problems (1)"]
    tags = model.index(1, 0)
    assert "Aigc (4)" in _labels(model, tags)
    dates = model.index(3, 0)
    assert _labels(model, dates)[0] == "2025 (3)"
    article = model.find("003_94866a6898bf0002.txt")
    assert article.data() == "aigc是什么" and article.data(RELPATH_ROLE) == "003_94866a6898bf0002.txt"


def test_corpus_model_nested_folders(qtmodeltester, library_for) -> None:  # type: ignore[no-untyped-def]
    model = CorpusModel()
    model.set_scan(library_for(SAMPLE).scan())
    qtmodeltester.check(model)
    assert _labels(model, model.index(0, 0)) == ["html (6)", "markdown (4)"]


def test_highlights_model(qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    opened = library.open_article("000_2e1d597362795e42.txt")
    start = opened.rendered.text.index("伦理")
    library.add_highlight(opened, start, start + 2, "blue")
    model = HighlightsModel()
    model.set_highlights(library.refresh(opened).highlights)
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and "“伦理”" in model.index(0).data()
