"""The tree and the highlight list are proper Qt models."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from desktop.core.corpus_tree import BUCKET_SIZE, CorpusTree, build_tree
from desktop.core.model import BodyKind, CorpusEntry, CorpusScan
from desktop.library import Library
from desktop.ui.corpus_model import RELPATH_ROLE, CorpusModel
from desktop.ui.highlights_model import HighlightsModel
from tests.conftest import SAMPLE


def _labels(model: CorpusModel, parent=None) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def _tree(scan: CorpusScan) -> CorpusTree:
    return build_tree(scan.entries, scan.skipped)


def test_corpus_model_groups_by_folder_tag_category_and_date(qtmodeltester, library: Library, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    (corpus / "broken.md").write_bytes(b"\x00binary")
    model = CorpusModel()
    model.set_tree(_tree(library.scan()))
    qtmodeltester.check(model)
    assert _labels(model) == ["Folders", "Tags (4)", "Categories (2)", "Dates", "Problems (1)"]
    tags = model.index(1, 0)
    assert "Aigc (4)" in _labels(model, tags)
    dates = model.index(3, 0)
    assert _labels(model, dates)[0] == "2025 (3)"
    article = model.find("003_94866a6898bf0002.txt")
    assert article.data() == "aigc是什么" and article.data(RELPATH_ROLE) == "003_94866a6898bf0002.txt"


def test_corpus_model_nested_folders(qtmodeltester, library_for) -> None:  # type: ignore[no-untyped-def]
    model = CorpusModel()
    model.set_tree(_tree(library_for(SAMPLE).scan()))
    qtmodeltester.check(model)
    assert _labels(model, model.index(0, 0)) == ["html (6)", "markdown (4)"]


def test_corpus_model_with_thousands_of_tags_and_a_flat_folder(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """A real corpus: one folder of thousands of posts, a long tail of tags. No group shows more than
    BUCKET_SIZE rows at once, and every article is still found by its path."""
    entries = [CorpusEntry(f"_posts/2024-01-01-{number:05d}.md", f"标题 {number}", BodyKind.MARKDOWN,
                           tags=(f"标签{number}", f"tag{number % 7}"), categories=(f"类{number % 1500}",))
               for number in range(2500)]
    model = CorpusModel()
    model.set_tree(build_tree(entries, pending=["_posts/zz-not-read.md"]))
    qtmodeltester.check(model)
    posts = model.index(0, 0, model.index(0, 0))
    assert posts.data() == "_posts (2,501)"
    assert model.rowCount(posts) == -(-2501 // BUCKET_SIZE) and model.index(0, 0, posts).data().endswith(
        f"({BUCKET_SIZE:,})")
    tags = model.index(1, 0)
    assert tags.data() == "Tags (2,507)" and all(model.rowCount(model.index(row, 0, tags)) <= BUCKET_SIZE
                                                 for row in range(model.rowCount(tags)))
    found = model.find("_posts/2024-01-01-01234.md")
    assert found.data() == "标题 1234" and model.parent(model.parent(found)) == posts
    pending = model.find("_posts/zz-not-read.md")
    assert pending.data() == "zz-not-read" and pending.data(Qt.ItemDataRole.FontRole).italic()


def test_highlights_model(qtmodeltester, library: Library) -> None:  # type: ignore[no-untyped-def]
    opened = library.open_article("000_2e1d597362795e42.txt")
    start = opened.rendered.text.index("伦理")
    library.add_highlight(opened, start, start + 2, "blue")
    model = HighlightsModel()
    model.set_highlights(library.refresh(opened).highlights)
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and "“伦理”" in model.index(0).data()


_SEGMENT = st.text(st.characters(blacklist_characters="/\x00"), min_size=1, max_size=12).filter(
    lambda segment: segment not in {".", ".."})


@given(st.lists(_SEGMENT, min_size=1, max_size=4))
def test_a_file_row_is_named_by_the_file_s_stem(segments: list[str]) -> None:
    relpath = "/".join(segments)
    tree = build_tree((), pending=[relpath])
    assert tree.locate(relpath) is not None and tree.locate(relpath).name == PurePosixPath(relpath).stem  # type: ignore[union-attr]
