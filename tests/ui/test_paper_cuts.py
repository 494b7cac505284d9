"""Small things a careful user hits in the first hour (issue 13), each through the real widgets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests.ui.conftest import WindowFactory, restart, search, select

SEED = "000_2e1d597362795e42.txt"


def test_recolour_note_and_tags_are_each_one_undo_step(make_window: WindowFactory) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理")
    highlight_id = window.highlight_selection("yellow")
    assert highlight_id is not None
    select(window, "伦理")
    window.highlight_selection("green")  # the same passage: a recolour
    assert window.store.highlight(highlight_id).colour == "green"
    window.undo_stack.undo()
    assert window.store.highlight(highlight_id).colour == "yellow"  # not deleted: the colour it had
    window.undo_stack.redo()
    assert window.store.highlight(highlight_id).colour == "green"
    for partial in ("待", "待查", "待查证"):  # a note saved as it is typed: one step
        window.side_panel.highlight_change_requested.emit(highlight_id, {"note": partial})
    window.side_panel.highlight_change_requested.emit(highlight_id, {"tags": ["重要"]})
    window.undo_stack.undo()
    assert window.store.highlight(highlight_id).tags == ()
    window.undo_stack.undo()
    assert window.store.highlight(highlight_id).note == ""
    assert window.store.highlight(highlight_id).colour == "green"
    window.undo_stack.redo()
    assert window.store.highlight(highlight_id).note == "待查证"


def test_highlight_shortcut_is_not_macos_hide_and_delete_key_deletes(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.highlight_action.shortcut() != QKeySequence("Ctrl+H")
    assert [window.colour_actions[name].shortcut().toString() for name in window.colour_actions] == [
        f"Ctrl+{number}" for number in range(1, 6)]
    window.open_article(SEED)
    select(window, "伦理")
    highlight_id = window.highlight_selection()
    window.side_panel.list.setFocus()
    window.side_panel.list.setCurrentIndex(window.side_panel.model.index(0))
    qtbot.waitUntil(window.side_panel.list.hasFocus)
    qtbot.keyClick(window.side_panel.list, Qt.Key.Key_Delete)
    assert window.side_panel.model.rowCount() == 0 and window.store.whereabouts(highlight_id)[1]  # type: ignore[index]
    window.undo_stack.undo()
    assert window.side_panel.model.rowCount() == 1


def test_switching_corpus_clears_the_search(make_window: WindowFactory, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.md").write_text("# 别的\n\n内容", encoding="utf-8")
    window = make_window()
    window.search_field.setText("AIGC")
    search(qtbot, window, "AIGC")
    assert window.search_pane.model.rowCount() > 0
    window.open_corpus(other)
    qtbot.waitUntil(lambda: not window.is_scanning())
    assert window.search_field.text() == "" and window.search_pane.model.rowCount() == 0
    assert window.left.currentIndex() == 0  # the tree again


def test_title_names_the_article_and_each_corpus_reopens_where_the_user_was(  # type: ignore[no-untyped-def]
        make_window: WindowFactory, tmp_path: Path, qtbot) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for name in ("a.md", "b.md"):
        (other / name).write_text(f"# 文章{name}\n\n内容", encoding="utf-8")
    window = make_window()
    seeds = window.library.root  # type: ignore[union-attr]
    window.open_article("003_94866a6898bf0002.txt")
    assert window.windowTitle() == f"aigc是什么 — {seeds.name} — Lectern"
    window.open_corpus(other)
    qtbot.waitUntil(lambda: not window.is_scanning() and window.opened is not None)
    window.open_article("b.md")
    window.open_corpus(seeds)  # as Ctrl+O would: the article read there comes back
    qtbot.waitUntil(lambda: not window.is_scanning() and window.opened is not None)
    assert window.opened.article.relpath == "003_94866a6898bf0002.txt"  # type: ignore[union-attr]
    window._fill_recent_menu()
    recent = [action.text() for action in window.recent_menu.actions()]
    assert recent[0].startswith(f"{seeds.name} — ") and recent[1].startswith("other — ")
    window.recent_menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: not window.is_scanning() and window.opened is not None)
    assert window.opened.article.relpath == "b.md"  # type: ignore[union-attr]
    window = restart(window, make_window)
    assert window.opened is not None and window.opened.article.relpath == "b.md"


def test_a_bug_saves_a_crash_report_and_a_second_one_opens_no_second_dialog(qtbot, monkeypatch,  # type: ignore[no-untyped-def]
                                                                             tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.messages import show_bug

    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text())
        try:
            raise KeyError("while the dialog is open")
        except KeyError as again:
            show_bug(KeyError, again, again.__traceback__)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    try:
        raise ValueError("a bug")
    except ValueError as error:
        show_bug(ValueError, error, error.__traceback__)
    reports = sorted((tmp_path / "logs").glob("crash-*.txt"))
    assert len(shown) == 1 and len(reports) == 2
    first = reports[0].read_text(encoding="utf-8")
    assert first.startswith("Lectern ") and "Python " in first and "ValueError: a bug" in first
    assert str(reports[0]) in shown[0]


def test_a_tag_named_like_a_category_shows_once_in_the_header(make_window: WindowFactory, corpus: Path) -> None:
    (corpus / "same.md").write_text("---\ntitle: 同名\ncategories: [Python]\ntags: [python, 教程]\n---\n正文",
                                    encoding="utf-8")
    window = make_window()
    window.open_article("same.md")
    header = window.article_view.header.text()
    assert header.count("ython") == 1 and "#教程" in header


def test_back_up_and_restore_from_the_file_menu(make_window: WindowFactory, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.backups_dialog import RestoreDialog

    window = make_window()
    window.open_article(SEED)
    select(window, "伦理")
    highlight_id = window.highlight_selection()
    window.backup_action.trigger()
    assert "backed up as" in window.statusBar().currentMessage()
    window.delete_highlight(highlight_id)  # type: ignore[arg-type]
    assert window.side_panel.model.rowCount() == 0
    seen: list[str] = []

    def choose_first(dialog: RestoreDialog) -> int:
        model = dialog.list.model()
        seen.extend(model.index(row, 0).data() for row in range(model.rowCount()))
        return 1

    monkeypatch.setattr(RestoreDialog, "exec", choose_first)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: not window.is_scanning() and window.opened is not None)
    assert any(" KB " in line and "manual" in line for line in seen)
    assert "The previous annotations are kept as" in window.statusBar().currentMessage()
    assert [placed.highlight.id for placed in window.opened.highlights] == [highlight_id]  # type: ignore[union-attr]


def test_a_small_scaled_screen_leaves_the_article_room(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1067, 667)  # 1600 × 1000 at a 1.5 scale factor
    qtbot.wait(50)
    reader = window.article_view.width()
    assert reader >= 360 and reader > window.side_panel.width()
    from PySide6.QtWidgets import QToolBar

    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert window.search_field.isVisible() and toolbar.rect().contains(window.search_field.geometry())


def _drag(qtbot, window, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
    """Press at text position `start`, drag to `end`, release: as a hand on a mouse would."""
    from PySide6.QtGui import QTextCursor

    browser = window.article_view.browser

    def point(position: int):  # type: ignore[no-untyped-def]
        cursor = QTextCursor(browser.document())
        cursor.setPosition(position)
        return browser.cursorRect(cursor).center()

    viewport = browser.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(start))
    for step in range(1, 6):
        qtbot.mouseMove(viewport, point(start + (end - start) * step // 5))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(end))


def test_a_drag_that_starts_in_the_selected_highlight_selects(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理")
    highlight_id = window.highlight_selection("yellow")
    shown = window.article_view.browser.document().toPlainText()
    start = shown.index("伦理")
    window.article_view.select_span(window.opened.highlights[0].span)  # type: ignore[union-attr]  # as a search does
    _drag(qtbot, window, start + 1, start + 8)
    selected = window.article_view.browser.textCursor().selectedText()
    assert selected == shown[start + 1:start + 8]
    new_id = window.highlight_selection("green")
    assert new_id != highlight_id and window.store.highlight(highlight_id).colour == "yellow"


def test_overlapping_highlights_show_the_overlap_and_a_click_offers_both(make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                                          qtbot, monkeypatch) -> None:
    window = make_window()
    window.open_article(SEED)
    shown = window.article_view.browser.document().toPlainText()
    start = shown.index("伦理")
    select(window, shown[start:start + 6])
    first = window.highlight_selection("yellow")
    select(window, shown[start + 3:start + 10])
    second = window.highlight_selection("yellow")
    selections = window.article_view.browser.extraSelections()
    assert len(selections) == 3  # two highlights and their overlap, darker
    overlap = [s for s in selections if s.cursor.selectionStart() == start + 3 and s.cursor.selectionEnd() == start + 6]
    assert overlap and overlap[0].format.background().color() != selections[0].format.background().color()
    offered: list[list[str]] = []

    def pick(menu) -> str:  # type: ignore[no-untyped-def]
        offered.append([action.data() for action in menu.actions()])
        return second  # type: ignore[return-value]

    monkeypatch.setattr(window, "_pick", pick)
    _drag(qtbot, window, start + 4, start + 4)  # a click in the overlap
    assert offered == [[first, second]] and window.side_panel.current_highlight_id() == second
    _drag(qtbot, window, start + 1, start + 1)  # in the first only: no question
    assert len(offered) == 1 and window.side_panel.current_highlight_id() == first
