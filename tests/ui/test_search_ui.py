"""Searching from the window: results as you type, opening a result at its match, find in the article,
and narrowing the tree."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from desktop.core.errors import LecternError
from desktop.library import Library, SearchResult, SearchResults
from desktop.ui.corpus_model import RELPATH_ROLE
from desktop.ui.search_results import RESULT_ROLE
from tests.ui.conftest import WindowFactory, search, select


def _results(window) -> list[SearchResult]:  # type: ignore[no-untyped-def]
    model = window.search_pane.model
    return [model.index(row).data(RESULT_ROLE) for row in range(model.rowCount())]


def test_results_appear_as_you_type_and_open_at_the_match(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_field.hasFocus()
    window.search_field.setText("茧房")
    qtbot.waitUntil(lambda: window.left.currentWidget() is window.search_pane and len(_results(window)) > 0,
                    timeout=10_000)
    results = _results(window)
    assert {r.relpath for r in results} == {"004_6991db62635989d8.txt"}
    assert "茧房" in results[0].snippet.text and "ms)" in window.search_pane.summary.text()
    index = window.search_pane.model.index(0)
    qtbot.mouseClick(window.search_pane.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.search_pane.view.visualRect(index).center())
    assert window.opened is not None and window.opened.article.relpath == "004_6991db62635989d8.txt"
    assert window.article_view.browser.textCursor().selectedText() == "茧房"
    assert window.article_view.browser.verticalScrollBar().value() > 0
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.search_field.text() == "" and window.left.currentIndex() == 0


def test_a_highlight_result_opens_that_highlight(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article("000_2e1d597362795e42.txt")
    select(window, "元宇宙")
    highlight_id = window.highlight_selection()
    window.store.update_highlight(highlight_id, note="只有我知道的暗号")  # type: ignore[arg-type]
    window.open_article("003_94866a6898bf0002.txt")
    found = search(qtbot, window, "暗号")
    assert [(r.kind, r.highlight_id) for r in found.results] == [("highlight", highlight_id)]
    window.open_result(found.results[0])
    assert window.opened.article.relpath == "000_2e1d597362795e42.txt"  # type: ignore[union-attr]
    assert window.side_panel.current_highlight_id() == highlight_id


def test_find_in_article(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article("000_2e1d597362795e42.txt")
    qtbot.keyClick(window.article_view.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    window.find_bar.field.setText("隐私")
    expected = window.opened.rendered.text.count("隐私")  # type: ignore[union-attr]
    assert window.find_bar.count.text() == f"1 of {expected}"
    cursor = window.article_view.browser.textCursor()
    assert cursor.selectedText() == "隐私"
    first = cursor.selectionStart()
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.find_bar.count.text() == f"2 of {expected}"
    assert window.article_view.browser.textCursor().selectionStart() > first
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.find_bar.count.text() == f"1 of {expected}"
    window.find_bar.field.setText("没有这个词")
    assert window.find_bar.count.text() == "No matches"
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def _visible_articles(window) -> set[str]:  # type: ignore[no-untyped-def]
    found, pending = set(), [window.tree.rootIndex()]
    model = window.tree.model()
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if relpath := index.data(RELPATH_ROLE):
                found.add(relpath)
            pending.append(index)
    return found


def test_tree_filters_by_tag_and_annotations(make_window: WindowFactory, qtmodeltester, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtmodeltester.check(window.corpus_model)
    assert len(_visible_articles(window)) == 5
    window.filter_bar.tag.setText("人工智能")
    window.filter_bar.tag.returnPressed.emit()
    qtbot.waitUntil(lambda: not window.is_scanning())
    assert _visible_articles(window) == {"003_94866a6898bf0002.txt", "004_6991db62635989d8.txt"}
    folders = window.corpus_model.index(0, 0)
    assert window.corpus_model.index(0, 0, folders).data() != "Folders"  # counts follow the filter
    window.filter_bar.tag.clear()
    qtbot.waitUntil(lambda: not window.is_scanning())
    window.open_article("001_6217f8390a32708c.txt")
    select(window, "AIGC")
    window.highlight_selection()
    window.filter_bar.annotated.setChecked(True)
    qtbot.waitUntil(lambda: not window.is_scanning())
    assert _visible_articles(window) == {"001_6217f8390a32708c.txt"}
    qtmodeltester.check(window.corpus_model)
    window.filter_bar.annotated.setChecked(False)
    qtbot.waitUntil(lambda: not window.is_scanning())
    assert len(_visible_articles(window)) == 5


def test_search_results_model(make_window: WindowFactory, qtmodeltester, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    search(qtbot, window, "AIGC")
    qtmodeltester.check(window.search_pane.model)
    assert window.search_pane.model.rowCount() == 5


def test_the_index_is_searched_off_the_ui_thread_and_only_the_newest_query_shows(
        make_window: WindowFactory, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    threads: list[threading.Thread] = []
    search_here = Library.search

    def search_on_record(library: Library, text: str, limit: int = 20) -> SearchResults:
        threads.append(threading.current_thread())
        return search_here(library, text, limit)

    monkeypatch.setattr(Library, "search", search_on_record)
    shown: list[list[str]] = []
    window.search_pane.searched.connect(lambda _line, found: shown.append(found.query.words()))
    window.search_pane.search("AIGC")
    window.search_pane.search("茧房")  # typed on before the first results came
    qtbot.waitUntil(lambda: shown == [["茧房"]])
    qtbot.wait(100)
    assert shown == [["茧房"]] and {r.relpath for r in _results(window)} == {"004_6991db62635989d8.txt"}
    assert threads and threading.main_thread() not in threads


def test_a_search_that_fails_says_so(make_window: WindowFactory, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()

    def broken(_library: Library, _text: str, _limit: int = 20) -> SearchResults:
        raise LecternError("the search index cannot be read")

    monkeypatch.setattr(Library, "search", broken)
    window.search_pane.search("AIGC")
    qtbot.waitUntil(lambda: "Search failed: the search index cannot be read" in window.search_pane.summary.text())
    monkeypatch.undo()
    assert search(qtbot, window, "AIGC").results  # the next one works


def test_filtering_the_tree_leaves_the_reader_alone(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article("000_2e1d597362795e42.txt")  # not tagged 人工智能: not in the filtered tree
    window.tree.setFocus()
    opened: list[str] = []
    window.article_view.document_shown.connect(lambda: opened.append(window._opening or ""))
    window.filter_bar.choose_tag("人工智能")
    qtbot.waitUntil(lambda: not window.is_scanning())
    qtbot.wait(50)  # the view's place is restored at the next turn
    assert window.opened is not None and window.opened.article.relpath == "000_2e1d597362795e42.txt"
    window.filter_bar.choose_tag(None)
    qtbot.waitUntil(lambda: not window.is_scanning())
    qtbot.wait(50)
    assert window.opened.article.relpath == "000_2e1d597362795e42.txt"
    assert window.tree.currentIndex().data(RELPATH_ROLE) == "000_2e1d597362795e42.txt"
    assert opened == []  # no article was opened meanwhile
