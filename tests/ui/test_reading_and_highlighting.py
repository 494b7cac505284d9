"""What a user does in the window: open, select, highlight, annotate, quit, start again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.conftest import DATA, SAMPLE, SEED_FACTS
from tests.ui.conftest import WindowFactory, restart, select

SEED = "000_2e1d597362795e42.txt"
MARKDOWN_SEED = "002_30faefd5253261df.txt"
EMOJI_POST = DATA / "rendering" / "markdown" / "2025-09-02-151116527.md"


def test_window_opens_the_first_article_with_its_header(make_window: WindowFactory) -> None:
    window = make_window()
    assert window.opened is not None
    header = window.article_view.header.text()
    assert window.opened.article.title in header and window.opened.article.date.isoformat() in header  # type: ignore[union-attr]
    assert window.corpus_model.rowCount() == 4
    assert window.corpus_summary.text() == "5 articles"


# Passages inside a paragraph, across paragraphs, in a list, in headings, with Latin and CJK mixed.
PASSAGES = {
    SEED: ["伦理和风险问题", "未来趋势。 \n技术应用 \nAIGC技术已经在", "新壹科技的“秒创”平台",
           "AIGC技术在内容创作领域的最新应用案例有哪些"],
    MARKDOWN_SEED: ["生成式人工智能（AIGC，Artificial Intelligence Generated Content）", "伦理监管"],
    "004_6991db62635989d8.txt": ["AIGC的意义", "Transformer"],
}


@pytest.mark.parametrize(("relpath", "passage"), [(r, p) for r, ps in PASSAGES.items() for p in ps])
def test_stored_quote_equals_the_selected_text(make_window: WindowFactory, relpath: str, passage: str) -> None:
    window = make_window()
    assert window.open_article(relpath)
    selected = select(window, passage)
    assert selected == passage
    highlight_id = window.highlight_selection("green")
    assert highlight_id is not None
    stored = window.store.highlight(highlight_id)
    assert stored.anchor.exact == selected
    assert stored.colour == "green"


def test_after_an_emoji_highlights_and_headings_are_where_they_are_shown(make_window: WindowFactory, corpus: Path,  # type: ignore[no-untyped-def]
                                                                        qtbot) -> None:
    shutil.copy(EMOJI_POST, corpus)  # a 👋 before its passage: one character of Python, two positions of Qt
    window = make_window()
    assert window.open_article(EMOJI_POST.name)
    passage = "上海奇虎科技有限公司"
    assert select(window, passage) == passage
    highlight_id = window.highlight_selection("blue")
    assert window.store.highlight(highlight_id).anchor.exact == passage  # type: ignore[arg-type]
    assert [selection.cursor.selectedText() for selection in window.article_view.browser.extraSelections()] == [passage]
    contents = window.contents.model()
    [chosen] = contents.match(contents.index(0, 0), Qt.ItemDataRole.DisplayRole, "作者介绍", 1,
                              Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    window.contents.clicked.emit(chosen)
    top = window.article_view.top_position()
    assert window.opened.rendered.text[top:].startswith("作者介绍")  # type: ignore[union-attr]


def test_selecting_with_the_mouse(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(SEED)
    browser = window.article_view.browser
    shown = browser.document().toPlainText()
    start = shown.index("算法偏见")
    cursor = browser.textCursor()
    cursor.setPosition(start)
    first = browser.cursorRect(cursor).center()
    cursor.setPosition(start + len("算法偏见和数据隐私"))
    last = browser.cursorRect(cursor).center()
    viewport = browser.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=first + QPoint(1, 0))
    qtbot.mouseMove(viewport, last)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=last)
    selected = browser.textCursor().selectedText()
    assert "算法偏见" in selected
    highlight_id = window.highlight_selection()
    assert window.store.highlight(highlight_id).anchor.exact == selected  # type: ignore[arg-type]


def test_highlight_note_and_tags_survive_a_restart(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(MARKDOWN_SEED)
    select(window, "多层自注意力机制")
    highlight_id = window.highlight_selection("pink")
    panel = window.side_panel
    assert panel.current_highlight_id() == highlight_id
    panel.note.setFocus()
    panel.note.insertPlainText("注意力是关键")  # as an input method would type it (QTest types ASCII only)
    qtbot.waitUntil(lambda: window.store.highlight(highlight_id).note == "注意力是关键", timeout=10_000)
    qtbot.keyClicks(panel.highlight_tags.field, "Transformer")
    qtbot.keyClick(panel.highlight_tags.field, Qt.Key.Key_Return)
    panel.article_tags.field.insert("综述")
    qtbot.keyClick(panel.article_tags.field, Qt.Key.Key_Return)
    window.article_view.browser.verticalScrollBar().setValue(900)
    reading_at = window.article_view.top_position()
    assert reading_at > 0

    window = restart(window, make_window)
    assert window.opened is not None and window.opened.article.relpath == MARKDOWN_SEED
    # Back at the same paragraph: its start is the first thing in view.
    qtbot.waitUntil(lambda: window.article_view.top_position() > 0, timeout=10_000)
    paragraph_start = window.opened.rendered.text.rfind("\n", 0, reading_at + 1) + 1
    assert paragraph_start <= window.article_view.top_position() <= reading_at
    placed = window.opened.highlights
    assert len(placed) == 1 and placed[0].highlight.note == "注意力是关键"
    assert placed[0].highlight.tags == ("Transformer",) and placed[0].highlight.colour == "pink"
    assert window.opened.user_tags == ("综述",)
    painted = window.article_view.browser.extraSelections()
    assert [selection.cursor.selectedText() for selection in painted] == ["多层自注意力机制"]
    assert window.side_panel.model.rowCount() == 1


def test_overlapping_highlights_are_all_painted(make_window: WindowFactory) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "算法偏见和数据隐私问题")
    window.highlight_selection("yellow")
    select(window, "数据隐私问题是AIGC技术")
    window.highlight_selection("blue")
    painted = [s.cursor.selectedText() for s in window.article_view.browser.extraSelections()]
    assert painted == ["算法偏见和数据隐私问题", "数据隐私问题是AIGC技术", "数据隐私问题"]  # and their overlap


def test_choosing_a_highlight_in_the_panel_scrolls_to_it(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(MARKDOWN_SEED)
    text = window.article_view.browser.document().toPlainText()
    last_paragraph = text.strip().splitlines()[-1][:12]
    select(window, last_paragraph)
    window.highlight_selection()
    bar = window.article_view.browser.verticalScrollBar()
    bar.setValue(0)
    panel = window.side_panel
    index = panel.model.index(0)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualRect(index).center())
    assert bar.value() > 0
    cursor_rect = window.article_view.browser.cursorRect()
    assert window.article_view.browser.viewport().rect().intersects(cursor_rect)


def test_delete_and_undo(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(SEED)
    select(window, "元宇宙")
    highlight_id = window.highlight_selection()
    qtbot.mouseClick(window.side_panel.delete, Qt.MouseButton.LeftButton)
    assert window.side_panel.model.rowCount() == 0 and window.article_view.browser.extraSelections() == []
    window.undo_stack.undo()
    assert window.side_panel.model.rowCount() == 1
    assert window.store.highlight(highlight_id).anchor.exact == "元宇宙"  # type: ignore[arg-type]
    window.undo_stack.undo()  # undoing the highlight itself
    assert window.side_panel.model.rowCount() == 0
    window.undo_stack.redo()
    assert window.side_panel.model.rowCount() == 1


def test_keyboard_shortcut_and_colour_shortcuts(make_window: WindowFactory, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(SEED)
    window.activateWindow()
    qtbot.waitActive(window)
    select(window, "元宇宙")
    qtbot.keyClick(window.article_view.browser, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.side_panel.model.rowCount() == 1, timeout=10_000)
    assert window.opened.highlights[0].highlight.colour == "blue"  # type: ignore[union-attr]
    select(window, "信息泡沫")
    qtbot.keyClick(window.article_view.browser, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.side_panel.model.rowCount() == 2, timeout=10_000)


def test_nothing_selected_is_explained(make_window: WindowFactory) -> None:
    window = make_window()
    assert window.highlight_selection() is None
    assert "Select a passage" in window.statusBar().currentMessage()


def test_front_matter_tags_show_apart_from_the_users(make_window: WindowFactory) -> None:
    window = make_window()
    window.open_article("003_94866a6898bf0002.txt")
    chips = window.side_panel.article_tags.chips.text()
    for tag in SEED_FACTS["003_94866a6898bf0002.txt"][1]:
        assert f"#{tag}" in chips
    assert "from the article" in chips and "✕" not in chips


def test_a_tag_named_like_a_category_shows_once(make_window: WindowFactory, corpus: Path) -> None:
    (corpus / "java.md").write_text("---\ntitle: J\ntags: [Java]\ncategories: [java]\n---\n正文\n", encoding="utf-8")
    window = make_window()
    window.open_article("java.md")
    assert window.side_panel.article_tags.chips.text().casefold().count("#java") == 1


def test_export_from_the_window(make_window: WindowFactory, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理与风险")
    window.highlight_selection()
    window.export_notes(tmp_path / "export", whole_corpus=True)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported 2 notes"), timeout=10_000)
    assert "> 伦理与风险" in (tmp_path / "export" / "如何看待AIGC技术.md").read_text(encoding="utf-8")
    assert (tmp_path / "export" / "index.md").exists()


def test_opening_another_corpus_and_articles_that_cannot_be_read(make_window: WindowFactory,
                                                                 tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "ok.md").write_text("# Fine\n\ntext", encoding="utf-8")
    (other / "bad.md").write_bytes(b"\x00\x00binary")
    window = make_window(other)
    assert window.opened is not None and window.opened.article.title == "Fine"
    assert window.corpus_model.index(4, 0).data() == "Problems (1)"
    assert not window.open_article("bad.md")
    assert "binary" in window.statusBar().currentMessage()


def test_remote_images_are_never_loaded(make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window(SAMPLE)
    browser = window.article_view.browser
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    image = QTextDocument.ResourceType.ImageResource.value
    assert browser.loadResource(image, QUrl("http://example.org/x.png")) is None
    assert browser.loadResource(image, QUrl("file:///nonexistent/x.png")) is None


def test_a_large_article_opens_without_blocking_the_window(make_window: WindowFactory, qtbot,  # type: ignore[no-untyped-def]
                                                           corpus: Path) -> None:
    paragraphs = "\n\n".join(f"第{number}段：大型文章的内容，用来测试后台渲染。" * 20 for number in range(600))
    (corpus / "big.md").write_text(f"---\ntitle: 大文章\n---\n{paragraphs}\n", encoding="utf-8")
    window = make_window()
    assert window.library is not None and window.library.is_large("big.md")
    assert window.open_article("big.md")
    assert window.opened is None and "Opening big.md" in window.article_view.browser.toPlainText()
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.title == "大文章", timeout=10_000)
    qtbot.waitUntil(lambda: window.article_view.complete)  # shown a piece at a time
    select(window, "第599段")
    assert window.highlight_selection() is not None


def test_links_web_ones_leave_internal_ones_stay(make_window: WindowFactory, corpus: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    (corpus / "notes").mkdir()
    (corpus / "notes" / "links.md").write_text(
        "# Links\n\n[web](https://example.org/x) [seed](../003_94866a6898bf0002.txt) [js](javascript:alert(1))\n",
        encoding="utf-8")
    opened_urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened_urls.append(url.toString()) or True)
    window = make_window()
    window.open_article("notes/links.md")
    browser = window.article_view.browser
    assert "href=\"javascript" not in browser.toHtml()  # markdown-it leaves it as plain text
    browser.anchorClicked.emit(QUrl("https://example.org/x"))
    assert opened_urls == ["https://example.org/x"]
    browser.anchorClicked.emit(QUrl("../003_94866a6898bf0002.txt"))
    assert window.opened is not None and window.opened.article.title == "aigc是什么"
