"""View → Notebook, through the real widgets: every highlight of the corpus in one table, its filters
and sorting, acting on several rows at once (one undo step each), opening a row at its passage; and
colours with meanings, shown wherever a colour is and found by search."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QToolTip

from desktop.library import SearchResult
from desktop.ui.main_window import MainWindow
from desktop.ui.notebook_model import COLUMNS, NotebookModel
from desktop.ui.search_results import RESULT_ROLE
from tests.ui.conftest import WindowFactory, restart, search, select

SEED = "000_2e1d597362795e42.txt"
MARKDOWN_SEED = "002_30faefd5253261df.txt"
TAGGED_SEED = "003_94866a6898bf0002.txt"  # front matter tags: 算法, 人工智能, Aigc
# (article, passage, colour, note, highlight tags)
MADE = [
    (SEED, "伦理和风险问题", "pink", "不同意", ("伦理",)),
    (SEED, "元宇宙", "yellow", "", ()),
    (SEED, "算法偏见", "green", "see the ethics chapter", ("伦理", "todo")),
    (MARKDOWN_SEED, "伦理监管", "pink", "", ("todo",)),
    (MARKDOWN_SEED, "多层自注意力机制", "blue", "Transformer 的核心", ()),
    (TAGGED_SEED, "人工智能", "purple", "", ()),
]


def _make(window: MainWindow) -> dict[str, str]:
    """The highlights of MADE, made as a user makes them (select, then a colour); passage → id."""
    ids = {}
    for relpath, passage, colour, note, tags in MADE:
        assert window.open_article(relpath)
        select(window, passage)
        highlight_id = window.highlight_selection(colour)
        assert highlight_id is not None
        if note or tags:
            window.change_highlights({highlight_id: {"note": note, "tags": tags}})
        ids[passage] = highlight_id
    window.undo_stack.clear()
    return ids


def _open_notebook(window: MainWindow, qtbot) -> NotebookModel:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.notebook.dock.isVisible()
    _wait(window, qtbot)
    return window.notebook.panel.model


def _wait(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.notebook.is_loading() and not window.notebook._stale, timeout=10_000)


def _column(model: NotebookModel, name: str) -> list[str]:
    return [model.index(row, COLUMNS.index(name)).data() for row in range(model.rowCount())]


def _quotes(model: NotebookModel) -> list[str]:
    return [model.entry(row).quote for row in range(model.rowCount())]


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window()


def test_the_notebook_lists_every_highlight_of_the_corpus(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _make(window)
    model = _open_notebook(window, qtbot)
    assert sorted(_quotes(model)) == sorted(passage for _, passage, *_ in MADE)
    row = _quotes(model).index("算法偏见")
    cells = {name: model.index(row, column).data() for column, name in enumerate(COLUMNS)}
    assert cells["Quote"] == "“算法偏见”" and cells["Note"] == "see the ethics chapter"
    assert cells["Tags"] == "#todo #伦理" and cells["Colour"] == "Green" and cells["State"] == "exact"
    assert cells["Article"] == "如何看待AIGC技术" and cells["Highlighted"] == dt.datetime.now(dt.UTC).date().isoformat()
    assert window.notebook.panel.count.text() == f"{len(MADE)} highlights"
    # A highlight made while the notebook is shown appears in it.
    window.open_article("004_6991db62635989d8.txt")
    select(window, "茧房")
    window.highlight_selection("blue")
    _wait(window, qtbot)
    assert "茧房" in _quotes(model)


def test_filters(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _make(window)
    model = _open_notebook(window, qtbot)
    panel = window.notebook.panel
    panel.colour.setCurrentIndex(panel.colour.findData("pink"))
    assert sorted(_quotes(model)) == ["伦理和风险问题", "伦理监管"]
    panel.highlight_tag.setCurrentIndex(panel.highlight_tag.findData("todo"))
    assert _quotes(model) == ["伦理监管"]
    assert panel.count.text() == f"1 of {len(MADE)} highlights"
    panel.colour.setCurrentIndex(0)
    panel.highlight_tag.setCurrentIndex(0)
    panel.article_tag.setCurrentIndex(panel.article_tag.findData("算法"))  # a front-matter tag of its article
    assert _quotes(model) == ["人工智能"]
    panel.article_tag.setCurrentIndex(0)
    # Text as in search: Chinese words of any length, in quote, note or tags; tag: and colour: too.
    ethics = ["伦理和风险问题", "伦理监管", "算法偏见"]  # 伦理 in the quote, or as a tag
    for text, expected in [("伦理", ethics), ("理", ethics), ("核心", ["多层自注意力机制"]), ("ETHICS", ["算法偏见"]),
                           ("伦理 tag:todo", ["伦理监管", "算法偏见"]), ("colour:pink 风险", ["伦理和风险问题"]),
                           ("没有的词", [])]:
        qtbot.keyClicks(panel.text, "x")  # typed, then replaced: the filter waits for the typing to pause
        panel.text.setText(text)
        qtbot.waitUntil(lambda expected=expected: sorted(_quotes(model)) == sorted(expected), timeout=5_000)
    panel.text.clear()
    panel.apply_filter()
    # Dates: nothing was highlighted yesterday; everything today.
    yesterday = QDate.currentDate().addDays(-1)
    panel.until.setDate(yesterday)
    assert model.rowCount() == 0
    panel.until.setDate(panel.until.minimumDate())
    panel.since.setDate(yesterday)
    assert model.rowCount() == len(MADE)
    panel.since.setDate(panel.since.minimumDate())
    # Orphaned only: a highlight whose passage is marked as not there any more.
    window.open_article(SEED)
    window.review.mark_wrong(ids["元宇宙"])
    _wait(window, qtbot)
    panel.orphaned_only.setChecked(True)
    assert _quotes(model) == ["元宇宙"] and _column(model, "State") == ["orphaned"]


def test_sorting_keeps_the_chosen_rows(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _make(window)
    model = _open_notebook(window, qtbot)
    panel = window.notebook.panel
    header = panel.table.horizontalHeader()
    panel.choose({model.entry(0).id})
    chosen = model.entry(0).id
    quote_column = COLUMNS.index("Quote")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(quote_column) + 10, header.height() // 2))
    assert header.sortIndicatorSection() == quote_column
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _quotes(model) == sorted(_quotes(model), key=str.casefold, reverse=descending)
    panel.table.sortByColumn(quote_column, Qt.SortOrder.DescendingOrder)
    assert _quotes(model) == sorted(_quotes(model), key=str.casefold, reverse=True)
    panel.table.sortByColumn(COLUMNS.index("Colour"), Qt.SortOrder.AscendingOrder)
    assert _column(model, "Colour") == sorted(_column(model, "Colour"),
                                              key=["Yellow", "Green", "Blue", "Pink", "Purple"].index)
    assert [entry.id for entry in panel.chosen()] == [chosen]  # the same highlight, wherever its row went


def test_select_all_chooses_every_row(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _make(window)
    model = _open_notebook(window, qtbot)
    panel = window.notebook.panel
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(panel.chosen()) == model.rowCount() > 1
    assert panel.count.text().endswith(f"· {model.rowCount()} chosen") and panel.delete_button.isEnabled()


def _choose(window: MainWindow, passages: list[str]) -> None:
    model = window.notebook.panel.model
    window.notebook.panel.choose({model.entry(row).id for row in range(model.rowCount())
                                  if model.entry(row).quote in passages})


def test_bulk_tag_recolour_and_delete_are_each_one_undo_step(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _make(window)
    model = _open_notebook(window, qtbot)
    panel = window.notebook.panel
    library = window.library
    assert library is not None
    three = ["伦理和风险问题", "元宇宙", "多层自注意力机制"]

    _choose(window, three)
    assert panel.count.text() == f"{len(MADE)} highlights · 3 chosen"
    qtbot.keyClicks(panel.new_tag, "reread")
    qtbot.mouseClick(panel.tag_button, Qt.MouseButton.LeftButton)
    assert all("reread" in library.highlight(ids[p]).tags for p in three)
    assert set(library.highlight(ids["伦理和风险问题"]).tags) == {"伦理", "reread"}  # added to what it had
    _wait(window, qtbot)
    assert sorted(entry.quote for entry in panel.chosen()) == sorted(three)  # still chosen after the reload
    window.undo_stack.undo()
    assert all("reread" not in library.highlight(ids[p]).tags for p in three)
    assert library.highlight(ids["伦理和风险问题"]).tags == ("伦理",)
    window.undo_stack.redo()
    assert all("reread" in library.highlight(ids[p]).tags for p in three)

    _choose(window, three)
    panel.recolour_actions["purple"].trigger()
    assert {library.highlight(ids[p]).colour for p in three} == {"purple"}
    window.undo_stack.undo()
    assert [library.highlight(ids[p]).colour for p in three] == ["pink", "yellow", "blue"]

    _wait(window, qtbot)
    _choose(window, three)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    _wait(window, qtbot)
    assert sorted(_quotes(model)) == sorted(p for _, p, *_ in MADE if p not in three)
    assert window.undo_stack.undoText() == "delete 3 highlights"
    window.undo_stack.undo()
    _wait(window, qtbot)
    assert model.rowCount() == len(MADE)
    window.undo_stack.redo()
    _wait(window, qtbot)
    assert model.rowCount() == len(MADE) - 3
    # One step each: the tagging, and the deletion (the recolour, undone, made way for it).
    assert [window.undo_stack.text(step) for step in range(window.undo_stack.count())] == [
        "change tags of 3 highlights", "delete 3 highlights"]


def test_double_click_opens_the_article_at_the_passage(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _make(window)
    window.open_article("004_6991db62635989d8.txt")
    model = _open_notebook(window, qtbot)
    table = window.notebook.panel.table
    row = _quotes(model).index("多层自注意力机制")
    rect = table.visualRect(model.index(row, COLUMNS.index("Quote")))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.opened is not None and window.opened.article.relpath == MARKDOWN_SEED
    assert window.side_panel.current_highlight_id() == ids["多层自注意力机制"]
    browser = window.article_view.browser
    cursor = browser.textCursor()
    shown = browser.document().toPlainText()
    assert shown[cursor.position():cursor.position() + len("多层自注意力机制")] == "多层自注意力机制"
    assert browser.viewport().rect().contains(browser.cursorRect(cursor).center())  # on screen
    # From the keyboard: a row made current, then Enter.
    row = _quotes(model).index("人工智能")
    table.setFocus()
    table.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.opened.article.relpath == TAGGED_SEED  # type: ignore[union-attr]
    assert window.side_panel.current_highlight_id() == ids["人工智能"]


def test_colour_meanings_are_named_everywhere(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _make(window)
    model = _open_notebook(window, qtbot)
    dialog = window.colour_meanings.edit()
    assert dialog is not None and dialog.isVisible()
    dialog.fields["pink"].setText("  disagree ")
    dialog.fields["yellow"].setText("key idea")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert window.library is not None and window.library.colour_meanings() == {"pink": "disagree",
                                                                               "yellow": "key idea"}
    # The colour actions (menu and toolbar), the side panel and its list, the notebook.
    assert window.colour_actions["pink"].text() == "Pink — disagree"
    assert "Pink — disagree" in window.colour_actions["pink"].toolTip()
    assert window.colour_actions["green"].text() == "Green"
    window.open_highlight(SEED, ids["伦理和风险问题"])
    panel = window.side_panel
    assert panel.colour_name.text() == "Pink — disagree"
    assert panel.colours.buttons()[3].toolTip() == "Colour this highlight Pink — disagree"
    row = panel.model.row_of(ids["伦理和风险问题"])
    assert panel.model.index(row).data(Qt.ItemDataRole.ToolTipRole).startswith("Pink — disagree\n")
    # Hovering the highlighted passage in the reader says it too.
    browser = window.article_view.browser
    cursor = QTextCursor(browser.document())
    cursor.setPosition(browser.document().toPlainText().index("伦理和风险问题") + 2)
    point = browser.cursorRect(cursor).center()
    QApplication.sendEvent(browser.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                          browser.viewport().mapToGlobal(point)))
    assert QToolTip.text().startswith("Pink — disagree")
    QToolTip.hideText()
    notebook_row = _quotes(model).index("伦理和风险问题")
    assert model.index(notebook_row, COLUMNS.index("Colour")).data() == "Pink — disagree"
    notebook = window.notebook.panel
    assert notebook.colour.itemText(notebook.colour.findData("pink")) == "Pink — disagree"
    notebook.text.setText("colour:disagree")
    notebook.apply_filter()
    assert sorted(_quotes(model)) == ["伦理和风险问题", "伦理监管"]


def test_colour_meanings_outlive_a_restart(make_window: WindowFactory, window: MainWindow) -> None:
    assert window.library is not None
    window.library.set_colour_meaning("pink", "disagree")
    window.colour_meanings.load()
    again = restart(window, make_window)  # the meanings are in the annotation database, not the settings
    assert again.colour_actions["pink"].text() == "Pink — disagree"
    assert again.notebook.panel.colour.itemText(again.notebook.panel.colour.findData("pink")) == "Pink — disagree"


def _results(window: MainWindow) -> list[SearchResult]:
    model = window.search_pane.model
    return [model.index(row).data(RESULT_ROLE) for row in range(model.rowCount())]


def test_colour_search_finds_highlights_by_colour_or_meaning(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _make(window)
    assert window.library is not None
    window.library.set_colour_meaning("pink", "disagree")
    for query in ("colour:pink", "color:PINK", "colour:disagree", 'colour:"disagree"'):
        window.search_field.setText(query)
        qtbot.waitUntil(lambda: len(_results(window)) == 2, timeout=10_000)
        assert {(r.kind, r.highlight_id) for r in _results(window)} == {
            ("highlight", ids["伦理和风险问题"]), ("highlight", ids["伦理监管"])}
        window.search_field.clear()
    found = search(qtbot, window, "colour:pink 风险")
    assert [r.highlight_id for r in found.results] == [ids["伦理和风险问题"]]
    found = search(qtbot, window, "colour:teal")
    assert found.results == [] and "colour:teal" in " ".join(found.query.problems)
    assert "not understood: colour:teal" in window.search_pane.summary.text()


def test_export_the_chosen_highlights(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _make(window)
    _open_notebook(window, qtbot)
    _choose(window, ["伦理监管", "人工智能"])
    task = window.notebook.export(window.notebook.panel.chosen(), tmp_path / "out")
    assert task is not None
    qtbot.waitUntil(lambda: "Exported 1 note" in window.statusBar().currentMessage(), timeout=10_000)
    notes = sorted((tmp_path / "out").glob("*.md"))
    assert len(notes) == 1  # one note gathering the chosen highlights, grouped by article
    text = notes[0].read_text(encoding="utf-8")
    assert "2 chosen highlights" in text
    assert "伦理监管" in text and "人工智能" in text and "元宇宙" not in text
    for passage in ("伦理监管", "人工智能"):  # each with its link back to the passage
        assert f"&highlight={ids[passage]})" in text


def test_export_what_the_filter_shows_merges_into_one_note(window: MainWindow, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _make(window)
    model = _open_notebook(window, qtbot)
    panel = window.notebook.panel
    out = tmp_path / "out"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(out))  # the user picks `out`
    panel.highlight_tag.setCurrentIndex(panel.highlight_tag.findData("todo"))
    assert not panel.chosen() and panel.export_button.isEnabled()
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)  # with none chosen: all the filter shows
    qtbot.waitUntil(lambda: "Exported 1 note" in window.statusBar().currentMessage(), timeout=10_000)
    window.statusBar().clearMessage()
    # Tagged since: exporting the same filter again updates the same note.
    window.change_highlights({ids["元宇宙"]: {"tags": ("todo",)}})
    _wait(window, qtbot)
    assert sorted(_quotes(model)) == ["伦理监管", "元宇宙", "算法偏见"]
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=10_000)
    notes = list(out.glob("*.md"))
    assert len(notes) == 1 and "tag todo" in notes[0].name
    text = notes[0].read_text(encoding="utf-8")
    assert all(passage in text for passage in ("伦理监管", "算法偏见", "元宇宙")) and "伦理和风险问题" not in text


def test_the_notebook_model_passes_the_model_tester(window: MainWindow, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    _make(window)
    model = _open_notebook(window, qtbot)
    qtmodeltester.check(model)
    model.sort(COLUMNS.index("Note"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
