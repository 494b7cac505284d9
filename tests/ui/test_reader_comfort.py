"""Reading for hours: themes, typography and zoom (kept across restarts, applied without moving the
reader), back and forward, the contents pane, keyboard-only reading, per-article positions, formulas
copied as TeX, and the View, Go and Help menus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QIcon, QPalette, QStyleHints, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.core.colours import THEME_TINTS
from desktop.core.errors import LecternError
from desktop.ui.corpus_model import RELPATH_ROLE
from desktop.ui.help_dialogs import AboutDialog, data_places, shortcut_rows
from desktop.ui.main_window import MainWindow
from desktop.ui.navigation import History, Stop
from desktop.ui.themes import THEMES
from tests.ui.conftest import WindowFactory, restart, select

LONG = "long.md"
OTHER = "other.md"


def _long_article() -> str:
    sections = []
    for number in range(1, 9):
        paragraphs = "\n\n".join(f"Section {number}, paragraph {line}: " + "words to read slowly " * 30
                                 for line in range(1, 7))
        sections.append(f"## Part {number}\n\n{paragraphs}\n\n### Detail {number}\n\nMore about part {number}.")
    return ("---\ntitle: A long read\n---\n"
            "Jump to <a href=\"#far\">the far end</a>. The energy is $E=mc^2$ in the formula.\n\n"
            + "\n\n".join(sections) + "\n\n<p id=\"far\">The far end of the article.</p>\n")


@pytest.fixture
def reading_corpus(corpus: Path) -> Path:
    (corpus / LONG).write_text(_long_article(), encoding="utf-8")
    (corpus / OTHER).write_text("---\ntitle: Another read\n---\n" + "\n\n".join(
        f"Other paragraph {line}. " + "more words here " * 40 for line in range(60)), encoding="utf-8")
    return corpus


def _open(window: MainWindow, relpath: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    index = window.corpus_model.find(relpath)
    assert index.isValid()
    window.tree.setCurrentIndex(index)
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == relpath)


def _scroll_to_text(window: MainWindow, text: str) -> int:
    view = window.article_view
    view.scroll_to_position(view.opened.rendered.text.index(text))  # type: ignore[union-attr]
    return view.top_position()


def _read_both(window: MainWindow, qtbot, in_long: str, in_other: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Read the long article down to `in_long`, then the other one down to `in_other`: where each stopped."""
    _open(window, LONG, qtbot)
    long_position = _scroll_to_text(window, in_long)
    _open(window, OTHER, qtbot)
    return long_position, _scroll_to_text(window, in_other)


def _restyled(window: MainWindow) -> bool:
    """The article is shown in the code colours of the current theme (rendered again on a worker)."""
    library, opened = window.library, window.opened
    assert library is not None and opened is not None
    return library.cached_rendering(opened.article) is opened.rendered


def _top_line(window: MainWindow) -> str:
    """The text of the first line in view."""
    browser = window.article_view.browser
    cursor = browser.cursorForPosition(browser.top_left())
    block = cursor.block()
    line = block.layout().lineForTextPosition(cursor.position() - block.position())
    return block.text()[line.textStart():line.textStart() + line.textLength()]


def _same_line(window: MainWindow, before: int, after: int) -> bool:
    text = window.article_view.opened.rendered.text  # type: ignore[union-attr]
    return abs(after - before) < 200 and "\n" not in text[min(before, after):max(before, after)]


# -- themes -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("theme", ["light", "sepia", "dark"])
def test_a_theme_colours_the_article_and_the_window_and_is_kept(make_window: WindowFactory, reading_corpus: Path,
                                                                 qtbot, theme: str) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _open(window, LONG, qtbot)
    window.reading.appearance.theme_actions[theme].trigger()
    colours = THEMES[theme]
    browser = window.article_view.browser
    sheet = browser.document().defaultStyleSheet()
    assert f"a {{ color: {colours.link}; }}" in sheet
    assert f"background-color: {colours.code_background}" in sheet
    assert colours.paper in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    assert browser.viewport().palette().color(QPalette.ColorRole.Base) == QColor(colours.paper)
    assert browser.palette().color(QPalette.ColorRole.Text) == QColor(colours.text)
    assert window.article_view.header.text().count(colours.muted) == 1
    window = restart(window, make_window)
    assert window.settings.get("view/theme") == theme
    assert window.reading.appearance.theme_actions[theme].isChecked()
    assert f"a {{ color: {colours.link}; }}" in window.article_view.browser.document().defaultStyleSheet()
    assert colours.muted in window.side_panel.article_tags.chips.text()  # the article's tags, in the theme's grey


def _icon_colour(icon: QIcon) -> str:
    return icon.pixmap(16, 16).toImage().pixelColor(8, 8).name()


def test_highlights_take_the_themes_tint(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _open(window, LONG, qtbot)
    select(window, "the far end")
    window.highlight_selection("yellow")
    for theme in ("light", "sepia", "dark"):
        window.reading.appearance.set_choice(theme)
        painted = {selection.format.background().color().name()
                   for selection in window.article_view.browser.extraSelections()}
        assert painted == {THEME_TINTS[theme]["yellow"]}
        # The colour picked in the chrome looks as the highlight does on the page.
        panel = window.side_panel
        yellow_button = next(button for button in panel.colours.buttons() if button.objectName() == "colour-yellow")
        shown = {_icon_colour(yellow_button.icon()), _icon_colour(window.colour_actions["yellow"].icon()),
                 panel.model.index(0).data(Qt.ItemDataRole.DecorationRole).name()}
        assert shown == {THEME_TINTS[theme]["yellow"]}
    assert len(set(tints["yellow"] for tints in THEME_TINTS.values())) == 3


def test_code_colours_follow_the_theme(make_window: WindowFactory, corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    (corpus / "code.md").write_text("---\ntitle: Code\n---\n```python\ndef f():\n    return 1\n```\n", encoding="utf-8")
    window = make_window()
    _open(window, "code.md", qtbot)
    text = window.opened.rendered.text  # type: ignore[union-attr]
    window.reading.appearance.set_choice("light")
    qtbot.waitUntil(lambda: _restyled(window))
    assert "#d73a49" in window.opened.rendered.html  # type: ignore[union-attr]  # light's keyword colour
    window.reading.appearance.set_choice("dark")
    qtbot.waitUntil(lambda: _restyled(window))
    assert "#c678dd" in window.opened.rendered.html  # type: ignore[union-attr]  # dark's
    assert window.opened.rendered.text == text  # type: ignore[union-attr]


def test_switching_theme_neither_reads_the_file_again_nor_moves_the_reader(
        make_window: WindowFactory, reading_corpus: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _open(window, LONG, qtbot)
    before = _scroll_to_text(window, "Section 5, paragraph 3")
    line = _top_line(window)

    def no_reading(relpath: str) -> None:
        raise AssertionError(f"{relpath} was read again")

    monkeypatch.setattr(window.library, "load", no_reading)
    for theme in ("dark", "sepia", "light"):
        window.reading.appearance.set_choice(theme)
        assert _top_line(window) == line  # the colours at once
        qtbot.waitUntil(lambda: _restyled(window))
        assert _top_line(window) == line  # and the code colours rendered on a worker
        assert _same_line(window, before, window.article_view.top_position())


def test_follow_the_system_follows_its_changes(make_window: WindowFactory, reading_corpus: Path, qtbot,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.reading.appearance.set_choice("system")
    scheme = Qt.ColorScheme.Light
    monkeypatch.setattr(QStyleHints, "colorScheme", lambda _self: scheme)
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(scheme)
    assert window.article_view.theme.name == "light"
    scheme = Qt.ColorScheme.Dark
    hints.colorSchemeChanged.emit(scheme)
    assert window.article_view.theme.name == "dark"
    assert THEMES["dark"].link in window.article_view.browser.document().defaultStyleSheet()
    window.reading.appearance.set_choice("sepia")  # a chosen theme no longer follows
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window.article_view.theme.name == "sepia"


# -- typography and zoom ----------------------------------------------------------------------------------
def test_typography_is_applied_in_place_and_kept(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    window = make_window()
    _open(window, LONG, qtbot)
    before = _scroll_to_text(window, "Section 6, paragraph 2")
    line = _top_line(window)
    appearance = window.reading.appearance
    appearance.set_typography(replace(appearance.typography, family="DejaVu Serif", size=15, line_spacing=180))
    document = window.article_view.browser.document()
    assert document.defaultFont().pointSizeF() == 15
    assert "line-height: 180%" in document.defaultStyleSheet()
    paragraph = document.findBlock(document.toPlainText().index("Section 6, paragraph 2"))
    assert paragraph.blockFormat().lineHeight() == 180
    assert _top_line(window).startswith(line[:20]) or line.startswith(_top_line(window)[:20])
    assert _same_line(window, before, window.article_view.top_position())
    window = restart(window, make_window)
    typography = window.reading.appearance.typography
    assert (typography.family, typography.size, typography.line_spacing) == ("DejaVu Serif", 15, 180)
    assert window.article_view.browser.document().defaultFont().pointSizeF() == 15


def test_reading_width_is_a_centred_column(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    window = make_window()
    window.resize(1600, 900)
    _open(window, LONG, qtbot)
    appearance = window.reading.appearance
    browser = window.article_view.browser
    appearance.set_typography(replace(appearance.typography, width=40))
    column = appearance.typography.column_width(browser.document().defaultFont())
    assert column is not None
    assert abs(browser.document().textWidth() - (column + 2 * 24)) <= 1  # 40 "0"s and the document's margins
    margins = browser.viewportMargins()
    assert margins.left() > 100 and abs(margins.left() - margins.right()) <= 1
    line = browser.document().firstBlock().layout().lineAt(0)
    assert line.naturalTextWidth() <= column + 1
    before = browser.document().textWidth()
    window.resize(1200, 900)
    qtbot.waitUntil(lambda: browser.viewportMargins().left() < margins.left())
    assert browser.document().textWidth() == before  # a resize moves the margins, not the text
    appearance.set_typography(replace(appearance.typography, width=0))
    assert browser.viewportMargins().left() == 0
    assert browser.document().textWidth() == browser.viewport().width()
    window = restart(window, make_window)
    assert window.settings.get("view/reading_width") == 0


def test_zoom_keys_and_ctrl_wheel(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    window = make_window()
    _open(window, LONG, qtbot)
    browser = window.article_view.browser
    browser.setFocus()
    base = browser.document().defaultFont().pointSizeF()
    read_again: list[bool] = []
    window.article_view.document_shown.connect(lambda: read_again.append(True))
    qtbot.keyClick(browser, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert not read_again  # a new size is laid out again, the article's HTML is not read again
    assert window.settings.get("view/zoom") == 110
    assert browser.document().defaultFont().pointSizeF() == pytest.approx(base * 1.1)
    qtbot.keyClick(browser, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(browser, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.get("view/zoom") == 90
    qtbot.keyClick(browser, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.get("view/zoom") == 100
    assert browser.document().defaultFont().pointSizeF() == pytest.approx(base)
    wheel = QWheelEvent(QPointF(50, 50), QPointF(50, 50), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(browser.viewport(), wheel)
    assert window.settings.get("view/zoom") == 110
    window = restart(window, make_window)
    assert window.article_view.browser.document().defaultFont().pointSizeF() == pytest.approx(base * 1.1)


# -- navigation -----------------------------------------------------------------------------------------------
def test_back_and_forward_restore_each_place(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    in_long, in_other = _read_both(window, qtbot, "Section 4, paragraph 2", "Other paragraph 30.")
    window.article_view.browser.setFocus()
    qtbot.keyClick(window.article_view.browser, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.opened.article.relpath == LONG)  # type: ignore[union-attr]
    assert _same_line(window, in_long, window.article_view.top_position())
    qtbot.mouseClick(window.article_view.browser.viewport(), Qt.MouseButton.ForwardButton)
    qtbot.waitUntil(lambda: window.opened.article.relpath == OTHER)  # type: ignore[union-attr]
    assert _same_line(window, in_other, window.article_view.top_position())
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.BackButton)
    qtbot.waitUntil(lambda: window.opened.article.relpath == LONG)  # type: ignore[union-attr]
    assert window.reading.navigator.forward_action.isEnabled()
    window.reading.navigator.back_action.trigger()  # the toolbar's arrow: back to the first article shown
    qtbot.waitUntil(lambda: window.opened.article.relpath != LONG)  # type: ignore[union-attr]
    assert not window.reading.navigator.back_action.isEnabled()


def test_history_goes_back_and_forward_with_the_latest_positions() -> None:
    history = History()
    history.visit(None, Stop("a", 0))
    history.visit(Stop("a", 50), Stop("b", 0))
    history.visit(Stop("b", 10), Stop("b", 900))  # a link inside b
    assert history.step(Stop("b", 950), -1) == Stop("b", 10)
    assert history.step(Stop("b", 12), -1) == Stop("a", 50)
    assert history.step(Stop("a", 60), -1) is None and not history.can_step(-1)
    assert history.step(Stop("a", 60), 1) == Stop("b", 12)
    assert history.step(Stop("b", 12), 1) == Stop("b", 950)
    history.step(Stop("b", 950), -1)
    history.visit(Stop("b", 12), Stop("c", 0))  # a new way forward forgets the old one
    assert not history.can_step(1)
    assert history.step(Stop("c", 5), -1) == Stop("b", 12)


def test_back_after_an_in_page_link(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _open(window, LONG, qtbot)
    bar = window.article_view.browser.verticalScrollBar()
    bar.setValue(0)
    window.article_view.browser.anchorClicked.emit(QUrl("#far"))
    assert bar.value() > 0
    far = window.article_view.top_position()
    window.reading.navigator.back_action.trigger()
    assert bar.value() == 0
    window.reading.navigator.forward_action.trigger()
    assert _same_line(window, far, window.article_view.top_position())


def test_the_contents_pane_jumps_and_follows(make_window: WindowFactory, reading_corpus: Path, qtbot,  # type: ignore[no-untyped-def]
                                             qtmodeltester) -> None:
    window = make_window()
    _open(window, LONG, qtbot)
    contents = window.contents
    model = contents.model()
    qtmodeltester.check(model)
    titles = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert titles == [f"Part {number}" for number in range(1, 9)]
    assert model.index(0, 0, model.index(2, 0)).data() == "Detail 3"  # h3 under its h2
    part5 = model.index(4, 0)
    contents.clicked.emit(part5)
    assert _top_line(window).startswith("Part 5")
    assert contents.currentIndex() == part5
    _scroll_to_text(window, "Section 7, paragraph 4")
    assert contents.currentIndex().data() == "Part 7"
    window.reading.navigator.back_action.trigger()  # a jump from the contents is a step of the history
    assert contents.currentIndex().data() != "Part 5"


def test_keyboard_only_reading(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _open(window, LONG, qtbot)
    window.tree.setFocus()
    order = [window.contents, window.article_view.browser, window.side_panel.list, window.tree]
    for widget in order:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        assert QApplication.focusWidget() is widget
    qtbot.keyClick(window.tree, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.side_panel.list
    browser = window.article_view.browser
    browser.setFocus()
    qtbot.keyClick(browser, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert browser.verticalScrollBar().value() == browser.verticalScrollBar().maximum() > 0
    qtbot.keyClick(browser, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert browser.verticalScrollBar().value() == 0
    shown = window.opened.article.relpath  # type: ignore[union-attr]
    qtbot.keyClick(browser, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opened.article.relpath != shown)  # type: ignore[union-attr]
    assert window.tree.currentIndex().data(RELPATH_ROLE) == window.opened.article.relpath  # type: ignore[union-attr]
    qtbot.keyClick(browser, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.opened.article.relpath == shown)  # type: ignore[union-attr]


def test_each_article_reopens_where_the_reader_stopped(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    in_long, in_other = _read_both(window, qtbot, "Section 3, paragraph 5", "Other paragraph 20.")
    _open(window, LONG, qtbot)
    assert _same_line(window, in_long, window.article_view.top_position())
    window = restart(window, make_window)  # the last article comes back; the other one remembers too
    assert window.opened.article.relpath == LONG  # type: ignore[union-attr]
    _open(window, OTHER, qtbot)
    assert _same_line(window, in_other, window.article_view.top_position())


def test_a_busy_database_loses_the_place_not_the_reading(make_window: WindowFactory, reading_corpus: Path, qtbot,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _open(window, LONG, qtbot)
    _scroll_to_text(window, "Section 3, paragraph 5")

    def busy(relpath: str, position: int) -> None:
        raise LecternError("The annotation database is busy")

    monkeypatch.setattr(window.library, "remember_reading_position", busy)
    _open(window, OTHER, qtbot)
    assert "was not kept" in window.statusBar().currentMessage()


# -- maths ------------------------------------------------------------------------------------------------------
def test_copying_a_formula_copies_its_tex(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _open(window, LONG, qtbot)
    browser = window.article_view.browser
    shown = browser.document().toPlainText()
    start = shown.index("The energy is")
    end = shown.index("in the formula") + len("in the formula")
    cursor = QTextCursor(browser.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    browser.setTextCursor(cursor)
    assert "E=mc2" in cursor.selectedText()  # on screen: Unicode (the 2 a superscript)
    browser.copy()
    assert QApplication.clipboard().text() == "The energy is $E=mc^2$ in the formula"
    select(window, "the far end")
    browser.copy()
    assert QApplication.clipboard().text() == "the far end"  # no formula: Qt's own text


# -- menus --------------------------------------------------------------------------------------------------------
def test_panes_are_kept_hidden_across_restarts(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    tree, contents, notes = window.reading.pane_actions
    contents.trigger()
    notes.trigger()
    assert not window.contents.isVisible() and not window.side_panel.isVisible()
    window = restart(window, make_window)
    tree, contents, notes = window.reading.pane_actions
    assert tree.isChecked() and not contents.isChecked() and not notes.isChecked()
    assert window.left.isVisible() and not window.contents.isVisible() and not window.side_panel.isVisible()


def test_the_shortcuts_list_is_read_from_the_real_actions(make_window: WindowFactory, reading_corpus: Path) -> None:
    from PySide6.QtGui import QAction

    window = make_window()
    rows = shortcut_rows(window.menuBar(), window)
    listed = {command for _menu, command, _keys in rows}
    with_keys = {action.text().replace("&", "") for action in window.findChildren(QAction) if action.shortcuts()}
    assert with_keys <= listed
    by_command = {command: keys for _menu, command, keys in rows}
    assert by_command["Zoom In"].startswith("Ctrl+=")
    assert "Alt+Left" in by_command["Back"] and "Alt+Right" in by_command["Forward"]
    assert by_command["Next Pane"] == "F6"
    assert by_command["Next Article"] == "Ctrl+PgDown"
    assert ("View", "Zoom Out", "Ctrl+-") in rows


def test_about_says_where_everything_lives_and_opens_the_data_folder(
        make_window: WindowFactory, db_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    places = data_places(db_path)
    dialog = AboutDialog(places, db_path.parent, window)
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    for label in ("Annotations", "Backups", "Search indexes", "Images kept for offline reading", "Log"):
        assert label in text
    assert "0 images, 0.0 MB" in text  # the image cache's size
    assert str(db_path) in text and "Qt 6." in text and "Python 3." in text
    dialog.open_folder.click()
    assert opened == [QUrl.fromLocalFile(str(db_path.parent))]


def test_text_outside_paragraphs_gets_the_line_spacing_too(make_window: WindowFactory, corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    (corpus / "loose.html").write_text("<p>A paragraph.</p>Loose text, as CSDN writes it.<br/>More of it."
                                       "<pre><code>code = 1</code></pre>"
                                       "<div><pre><code>nested = 2</code></pre></div>", encoding="utf-8")
    window = make_window()
    _open(window, "loose.html", qtbot)
    document = window.article_view.browser.document()
    shown = document.toPlainText()

    def spacing(text: str) -> float:
        return document.findBlock(shown.index(text)).blockFormat().lineHeight()

    assert spacing("A paragraph") == spacing("Loose text") == 150
    assert spacing("code = 1") == spacing("nested = 2") == 100  # code keeps single spacing


def test_the_preferences_dialog_applies_each_change_at_once(make_window: WindowFactory, reading_corpus: Path,
                                                           qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.preferences_dialog import PreferencesDialog

    window = make_window()
    _open(window, LONG, qtbot)
    dialog = PreferencesDialog(window.reading.appearance, window)
    qtbot.addWidget(dialog)
    dialog.font_size.setValue(16)
    dialog.line_spacing.setValue(200)
    dialog.reading_width.setValue(60)
    dialog.theme.setCurrentIndex(dialog.theme.findData("sepia"))
    document = window.article_view.browser.document()
    assert document.defaultFont().pointSizeF() == 16
    assert "line-height: 200%" in document.defaultStyleSheet()
    assert THEMES["sepia"].link in document.defaultStyleSheet()
    assert (window.settings.get("view/font_size"), window.settings.get("view/line_spacing"),
            window.settings.get("view/reading_width"), window.settings.get("view/theme")) == (16, 200, 60, "sepia")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert (dialog.font_size.value(), window.settings.get("view/font_size")) == (12, 12)


def test_the_shortcuts_dialog_shows_every_row(make_window: WindowFactory, reading_corpus: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.help_dialogs import ShortcutsDialog

    window = make_window()
    rows = shortcut_rows(window.menuBar(), window)
    dialog = ShortcutsDialog(rows, window)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == len(rows) > 20
    assert [dialog.model.item(0, column).text() for column in range(3)] == list(rows[0])


def test_a_theme_chosen_while_a_large_article_opens_colours_its_code(make_window: WindowFactory, corpus: Path,
                                                                    qtbot) -> None:  # type: ignore[no-untyped-def]
    padding = "\n\n".join(f"Paragraph {number} " + "filler text " * 40 for number in range(250))
    (corpus / "large.md").write_text(f"---\ntitle: Large\n---\n```python\ndef f():\n    return 1\n```\n\n{padding}\n",
                                     encoding="utf-8")
    window = make_window()
    window.reading.appearance.set_choice("light")
    assert window.library is not None and window.library.is_large("large.md")
    window.tree.setCurrentIndex(window.corpus_model.find("large.md"))
    window.reading.appearance.set_choice("dark")  # before the worker's rendering is shown
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == "large.md")
    qtbot.waitUntil(lambda: _restyled(window))
    assert "#c678dd" in window.opened.rendered.html  # type: ignore[union-attr]  # dark's keyword colour
    assert "#c678dd" in window.library.cached_rendering(window.opened.article).html  # type: ignore[union-attr]
