"""What users do in unusual orders, and what goes wrong around them (a busy database, vanished files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.core.errors import DatabaseLocked
from tests.conftest import SAMPLE
from tests.ui.conftest import WindowFactory, search, select

SEED = "000_2e1d597362795e42.txt"


def _locked(*args: object, **kwargs: object) -> None:
    raise DatabaseLocked("The annotation database is busy: another program is writing to it. Try again.")


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("desktop.ui.main_window.show_error", lambda parent, title, error: shown.append(title))
    monkeypatch.setattr("desktop.ui.undo_commands.show_error", lambda parent, title, error: shown.append(title))
    return shown


def test_a_note_that_cannot_be_saved_stays_in_the_editor(make_window: WindowFactory, qtbot, no_dialogs,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "元宇宙")
    highlight_id = window.highlight_selection()
    with monkeypatch.context() as busy:
        busy.setattr(window.store, "update_highlight", _locked)
        window.side_panel.note.insertPlainText("一条很重要的笔记")
        qtbot.waitUntil(lambda: no_dialogs == ["The change was not saved"], timeout=10_000)
        assert window.side_panel.note.toPlainText() == "一条很重要的笔记"  # not replaced by the stored note
    window.side_panel.save_note()  # the next save (another edit, another highlight, quitting) sends it again
    assert window.store.highlight(highlight_id).note == "一条很重要的笔记"  # type: ignore[arg-type]


def test_a_highlight_or_delete_that_fails_is_not_undoable(make_window: WindowFactory, no_dialogs,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "元宇宙")
    with monkeypatch.context() as busy:
        busy.setattr(window.store, "add_highlight", _locked)
        assert window.highlight_selection() is None
    assert no_dialogs == ["The highlight was not saved"] and window.undo_stack.count() == 0
    highlight_id = window.highlight_selection()
    with monkeypatch.context() as busy:
        busy.setattr(window.store, "delete_highlight", _locked)
        window.delete_highlight(highlight_id)  # type: ignore[arg-type]
    assert window.undo_stack.count() == 1 and window.side_panel.model.rowCount() == 1
    window.undo_stack.undo()  # undoing the highlight works
    assert window.side_panel.model.rowCount() == 0


def test_choosing_a_colour_right_after_highlighting_recolours(make_window: WindowFactory) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "信息泡沫")
    first = window.highlight_selection("yellow")
    assert window.highlight_selection("green") == first
    assert [p.highlight.colour for p in window.opened.highlights] == ["green"]  # type: ignore[union-attr]


def test_selections_across_table_cells_are_refused(make_window: WindowFactory) -> None:
    window = make_window(SAMPLE)
    window.open_article("html/2022-01-12-122460223.md")  # has tables
    browser = window.article_view.browser
    table = browser.document().rootFrame()
    cursor = QTextCursor(browser.document())
    for frame in table.childFrames():
        if frame.__class__.__name__ == "QTextTable":
            cursor = QTextCursor(frame.cellAt(0, 0).firstCursorPosition())
            cursor.setPosition(frame.cellAt(1, 1).lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
            break
    browser.setTextCursor(cursor)
    assert window.article_view.selection_spans_cells()
    assert window.highlight_selection() is None
    assert "within one cell" in window.statusBar().currentMessage()


def test_find_bar_after_the_article_goes_away(make_window: WindowFactory, corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(SEED)
    window.open_find_bar()
    window.find_bar.field.setText("AIGC")
    (corpus / "003_94866a6898bf0002.txt").unlink()
    window.open_article("003_94866a6898bf0002.txt")  # fails: a placeholder is shown
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.find_bar.count.text() == "No matches"


def test_a_failed_result_does_not_scroll_the_next_article(make_window: WindowFactory, corpus: Path,  # type: ignore[no-untyped-def]
                                                          qtbot) -> None:
    window = make_window()
    found = search(qtbot, window, "伦理")
    gone = next(r for r in found.results if r.relpath == "001_6217f8390a32708c.txt")
    (corpus / gone.relpath).unlink()
    window.open_result(gone)
    window.open_article("004_6991db62635989d8.txt")
    assert not window.article_view.browser.textCursor().hasSelection()


def test_enter_right_after_typing_opens_a_result_of_what_was_typed(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.search_field.setText("AIGC")
    search(qtbot, window, "AIGC")
    window.search_field.setText("智能数字化新时代")
    window.search_pane.activate_first()  # Enter before the typing pause (and before its results)
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == "004_6991db62635989d8.txt")


def test_the_article_opened_during_indexing_stays(make_window: WindowFactory, corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_corpus(corpus)
    window.open_article("003_94866a6898bf0002.txt")  # the user is quicker than the scan
    qtbot.waitUntil(lambda: not window.is_scanning(), timeout=10_000)
    assert window.opened is not None and window.opened.article.relpath == "003_94866a6898bf0002.txt"


def test_unsubmitted_tag_text_stays_with_its_article(make_window: WindowFactory) -> None:
    window = make_window()
    window.open_article(SEED)
    window.side_panel.article_tags.field.insert("半截标签")
    window.open_article("002_30faefd5253261df.txt")
    assert window.side_panel.article_tags.field.text() == ""


def test_tag_filter_merges_case_and_offers_highlight_tags(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article("001_6217f8390a32708c.txt")
    window.side_panel.article_tags.field.insert("aigc")
    window.side_panel.article_tags.field.returnPressed.emit()
    select(window, "AIGC")
    highlight_id = window.highlight_selection()
    window.store.update_highlight(highlight_id, tags=["todo"])  # type: ignore[arg-type]
    window.corpus.rebuild()
    qtbot.waitUntil(lambda: not window.is_scanning())
    choices = window.filter_bar._names.stringList()
    assert "todo" in choices and [c.casefold() for c in choices].count("aigc") == 1
    from tests.ui.test_search_ui import _visible_articles

    window.filter_bar.choose_tag("todo")  # a highlight's tag: the article holding that highlight
    qtbot.waitUntil(lambda: not window.is_scanning())
    assert _visible_articles(window) == {"001_6217f8390a32708c.txt"}
    window.filter_bar.choose_tag("AIGC")
    qtbot.waitUntil(lambda: not window.is_scanning())
    assert _visible_articles(window) == {"000_2e1d597362795e42.txt", "001_6217f8390a32708c.txt",
                                         "002_30faefd5253261df.txt", "003_94866a6898bf0002.txt",
                                         "004_6991db62635989d8.txt"}


def test_links_to_files_that_are_not_articles(make_window: WindowFactory, corpus: Path) -> None:
    from PySide6.QtCore import QUrl

    (corpus / "img").mkdir()
    (corpus / "img" / "r.png").write_bytes(b"\x89PNG")
    window = make_window()
    window.open_article(SEED)
    window.article_view.browser.anchorClicked.emit(QUrl("img/r.png"))
    assert window.opened is not None and window.opened.article.relpath == SEED
    assert "not an article" in window.statusBar().currentMessage()


def test_a_deleted_last_article_falls_back_to_the_first(make_window: WindowFactory, corpus: Path) -> None:
    from tests.ui.conftest import restart

    window = make_window()
    window.open_article("003_94866a6898bf0002.txt")
    window.close()
    window.store.db.close()
    (corpus / "003_94866a6898bf0002.txt").unlink()
    window = make_window()
    assert window.opened is not None and window.opened.article.relpath == window.corpus_model.first_article()
    assert restart  # (the same path as a restart, with the file gone in between)


def test_problems_are_grouped_by_kind(make_window: WindowFactory, corpus: Path) -> None:
    (corpus / "bin.md").write_bytes(b"\x00\x01\x02")
    window = make_window()
    problems = window.corpus_model.index(4, 0)
    assert problems.data() == "Problems (1)"
    kind = window.corpus_model.index(0, 0, problems)
    assert kind.data() == "Not text (binary files) (1)"
    assert window.corpus_model.index(0, 0, kind).data() == "bin.md: this is a binary file, not text"


def test_reading_position_of_a_long_article_survives_a_restart(make_window: WindowFactory, corpus: Path,  # type: ignore[no-untyped-def]
                                                              qtbot) -> None:
    from tests.ui.conftest import restart

    paragraphs = "\n\n".join(f"第{number}段：很长的文章，测试恢复阅读位置。" * 8 for number in range(900))
    (corpus / "long.md").write_text(f"---\ntitle: 长文\n---\n{paragraphs}\n", encoding="utf-8")
    window = make_window()
    window.open_article("long.md")
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == "long.md", timeout=10_000)
    target = window.opened.rendered.text.index("第700段")  # type: ignore[union-attr]
    window.article_view.scroll_to_position(target)
    qtbot.waitUntil(lambda: window.article_view.top_position() >= target - 200, timeout=10_000)
    window = restart(window, make_window)
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == "long.md", timeout=10_000)
    qtbot.waitUntil(lambda: abs(window.article_view.top_position() - target) < 200, timeout=10_000)


def test_an_article_file_given_as_the_corpus_opens_its_folder_at_that_article(make_window: WindowFactory,
                                                                               corpus: Path) -> None:
    window = make_window(corpus / "003_94866a6898bf0002.txt")  # a file manager's "Open With Lectern"
    assert window.library is not None and window.library.root == corpus.resolve()
    assert window.opened is not None and window.opened.article.relpath == "003_94866a6898bf0002.txt"
