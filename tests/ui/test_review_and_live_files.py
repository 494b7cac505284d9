"""Issue 9 in the window: the open article edited on disk is read again and its highlights follow it;
what moved is reviewed (accept, mark as wrong, re-attach to the selection, delete) through the real
widgets, each action undoable; files added to the corpus folder appear in the tree without a restart."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, select

ARTICLE = "002_30faefd5253261df.txt"
TYPO = "与传统的人工智能不同，AIGC不仅仅是对已有数据的分析和预测"  # one character will change inside
MOVES = "多模态生成是指通过一个模型同时生成和理解多种类型的数据"  # a paragraph is inserted before it
GOES = "通过编码器和解码器结构学习数据的潜在空间分布"  # deleted from the file
WAIT_MS = 10_000


def _placed(window: MainWindow, highlight_id: str):  # type: ignore[no-untyped-def]
    assert window.opened is not None
    return next(p for p in window.opened.highlights if p.highlight.id == highlight_id)


def _state(window: MainWindow, highlight_id: str) -> str:
    return str(_placed(window, highlight_id).state)


def _highlight(window: MainWindow, passage: str) -> str:
    select(window, passage)
    highlight_id = window.highlight_selection("yellow")
    assert highlight_id is not None
    return highlight_id


def _edit(path: Path, old: str, new: str, replace_file: bool = False) -> None:
    """Edit the file as an editor does: in place, or by writing a new file and renaming it over the old."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    if replace_file:
        temporary = path.with_name(f".{path.name}.swp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    else:
        path.write_text(text, encoding="utf-8")


def test_open_article_edited_on_disk_is_read_again_and_its_highlights_follow(  # type: ignore[no-untyped-def]
        make_window: WindowFactory, corpus: Path, qtbot) -> None:
    window = make_window()
    window.open_article(ARTICLE)
    typo, moves = _highlight(window, TYPO), _highlight(window, MOVES)
    assert _state(window, typo) == _state(window, moves) == "exact"
    window.article_view.scroll_to_position(window.opened.rendered.text.index(TYPO))  # type: ignore[union-attr]
    position = window.article_view.top_position()

    _edit(corpus / ARTICLE, "数据的分析和预测", "数据的分折和预测")  # in place
    qtbot.waitUntil(lambda: _state(window, typo) == "changed", timeout=WAIT_MS)
    placed = _placed(window, typo)
    assert placed.current is not None and placed.current.exact == TYPO.replace("分析", "分折")
    assert placed.highlight.anchor.exact == TYPO  # the quote as highlighted is kept
    assert _state(window, moves) == "exact"
    assert window.article_view.top_position() == position  # the reader stays where it was
    assert "1 need review" in window.side_panel.count.text()
    assert window.side_panel.review.isVisibleTo(window.side_panel) and window.side_panel.review.list.count() == 1

    _edit(corpus / ARTICLE, MOVES, "新插入的一段话，作者后来加上的。\n\n" + MOVES, replace_file=True)  # a rename
    qtbot.waitUntil(lambda: _state(window, moves) == "moved", timeout=WAIT_MS)
    placed = _placed(window, moves)
    assert placed.current is not None and placed.current.exact == MOVES
    assert window.opened.rendered.text[slice(*placed.span)] == MOVES  # type: ignore[union-attr, misc]
    assert _state(window, typo) == "changed"
    # The file replaced by a rename is still watched: a third edit is seen too.
    _edit(corpus / ARTICLE, "新插入的一段话", "另一段话")
    qtbot.waitUntil(lambda: "另一段话" in window.opened.rendered.text, timeout=WAIT_MS)  # type: ignore[union-attr]
    # Stored, so a second look (export, search, another window) agrees.
    assert window.library is not None
    states = {p.highlight.id: p.state for note in window.library.notes(ARTICLE) for p in note.placed}
    assert states == {typo: "changed", moves: "moved"}


def test_review_accept_mark_wrong_reattach_and_delete_through_the_panel(  # type: ignore[no-untyped-def]
        make_window: WindowFactory, corpus: Path, qtbot) -> None:
    window = make_window()
    window.open_article(ARTICLE)
    typo = _highlight(window, TYPO)
    wrong = _highlight(window, MOVES)
    goes = _highlight(window, GOES)
    _edit(corpus / ARTICLE, "数据的分析和预测", "数据的分折和预测")
    _edit(corpus / ARTICLE, "同时生成和理解多种", "同时生成与理解多种")
    _edit(corpus / ARTICLE, GOES, "")
    qtbot.waitUntil(lambda: [_state(window, i) for i in (typo, wrong, goes)] == ["changed", "changed", "orphaned"],
                    timeout=WAIT_MS)
    review = window.side_panel.review
    assert review.list.count() == 3 and "3 need review" in window.side_panel.count.text()
    qtbot.waitUntil(lambda: window.review.status_button.text() == "3 need review", timeout=WAIT_MS)

    # Accept: the text there now becomes the highlight, exact; undo puts the change back.
    assert review.choose(typo)
    assert review.was.text().endswith("分<span style='background:#fde68a; font-weight:600'>析</span>和预测")
    assert review.now.text().endswith("分<span style='background:#fde68a; font-weight:600'>折</span>和预测")
    assert review.accept.isVisibleTo(review) and not review.reattach.isVisibleTo(review)
    qtbot.mouseClick(review.accept, Qt.MouseButton.LeftButton)
    assert _state(window, typo) == "exact"
    assert window.store.highlight(typo).anchor.exact == TYPO.replace("分析", "分折")
    assert review.list.count() == 2
    window.undo_stack.undo()
    assert _state(window, typo) == "changed" and window.store.highlight(typo).anchor.exact == TYPO
    window.undo_stack.redo()
    assert _state(window, typo) == "exact"

    # Mark as wrong: orphaned, the quote kept, and not found again when the article is reopened.
    assert review.choose(wrong)
    qtbot.mouseClick(review.mark_wrong, Qt.MouseButton.LeftButton)
    assert _state(window, wrong) == "orphaned" and window.store.highlight(wrong).anchor.exact == MOVES
    window.open_article("000_2e1d597362795e42.txt")
    window.open_article(ARTICLE)
    assert _state(window, wrong) == "orphaned"
    window.undo_stack.undo()
    assert _state(window, wrong) == "changed"
    window.undo_stack.redo()
    assert _state(window, wrong) == "orphaned"

    # Re-attach an orphan to the passage selected in the reader.
    assert review.choose(goes)
    assert review.reattach.isVisibleTo(review) and review.delete.isVisibleTo(review)
    elsewhere = "通过概率模型生成序列数据"
    select(window, elsewhere)
    qtbot.mouseClick(review.reattach, Qt.MouseButton.LeftButton)
    placed = _placed(window, goes)
    assert placed.state == "exact" and placed.current is not None and placed.current.exact == elsewhere
    window.undo_stack.undo()
    assert _state(window, goes) == "orphaned" and window.store.highlight(goes).anchor.exact == GOES

    # Delete an orphan; undo brings it back.
    assert review.choose(goes)
    qtbot.mouseClick(review.delete, Qt.MouseButton.LeftButton)
    assert window.side_panel.model.row_of(goes) == -1 and review.list.count() == 1
    window.undo_stack.undo()
    assert window.side_panel.model.row_of(goes) >= 0 and _state(window, goes) == "orphaned"
    qtbot.waitUntil(lambda: window.review.status_button.text() == "2 need review", timeout=WAIT_MS)


def test_reattach_without_a_selection_says_what_to_do(make_window: WindowFactory, corpus: Path,  # type: ignore[no-untyped-def]
                                                      qtbot) -> None:
    window = make_window()
    window.open_article(ARTICLE)
    goes = _highlight(window, GOES)
    _edit(corpus / ARTICLE, GOES, "")
    qtbot.waitUntil(lambda: _state(window, goes) == "orphaned", timeout=WAIT_MS)
    window.article_view.browser.textCursor().clearSelection()
    cursor = window.article_view.browser.textCursor()
    cursor.clearSelection()
    window.article_view.browser.setTextCursor(cursor)
    qtbot.mouseClick(window.side_panel.review.reattach, Qt.MouseButton.LeftButton)
    assert _state(window, goes) == "orphaned"
    assert "Select the passage" in window.statusBar().currentMessage()


def test_corpus_wide_review_lists_articles_and_opens_one_at_its_highlight(  # type: ignore[no-untyped-def]
        make_window: WindowFactory, corpus: Path, qtbot) -> None:
    window = make_window()
    window.open_article(ARTICLE)
    typo = _highlight(window, TYPO)
    window.open_article("000_2e1d597362795e42.txt")
    _edit(corpus / ARTICLE, "数据的分析和预测", "数据的分折和预测")  # edited while another article is open
    window.review_action.trigger()
    dialog = window.review.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT_MS)
    item = dialog.list.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == ARTICLE and "1 changed" in item.text()
    qtbot.waitUntil(lambda: window.review.status_button.text() == "1 need review", timeout=WAIT_MS)
    dialog.list.itemActivated.emit(item)
    assert window.opened is not None and window.opened.article.relpath == ARTICLE
    assert window.side_panel.review.current_id() == typo and window.side_panel.current_highlight_id() == typo
    qtbot.mouseClick(window.side_panel.review.accept, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() == 0 and not window.review.status_button.isVisible(),
                    timeout=WAIT_MS)


def test_files_added_and_removed_on_disk_come_and_go_in_the_tree(  # type: ignore[no-untyped-def]
        make_window: WindowFactory, corpus: Path, qtbot) -> None:
    window = make_window()
    window.open_article(ARTICLE)
    added = corpus / "fresh" / "new-post.md"
    added.parent.mkdir()
    added.write_text("---\ntitle: 新写的文章\n---\n\n刚刚写好的内容。\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.corpus_model.find("fresh/new-post.md").isValid(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.corpus_model.find("fresh/new-post.md").data() == "新写的文章", timeout=WAIT_MS)
    assert window.opened is not None and window.opened.article.relpath == ARTICLE  # the reader is untouched
    # A file in the new folder is seen too (the folder is watched once listed).
    second = corpus / "fresh" / "second.md"
    qtbot.waitUntil(lambda: str(added.parent) in window.live_files.watcher.directories(), timeout=WAIT_MS)
    second.write_text("---\ntitle: 第二篇\n---\n\n内容。\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.corpus_model.find("fresh/second.md").isValid(), timeout=WAIT_MS)
    (corpus / "004_6991db62635989d8.txt").unlink()
    qtbot.waitUntil(lambda: not window.corpus_model.find("004_6991db62635989d8.txt").isValid(), timeout=WAIT_MS)
    assert window.opened.article.relpath == ARTICLE


def test_a_corpus_is_watched_once_its_files_are_listed_and_the_last_one_no_longer(  # type: ignore[no-untyped-def]
        make_window: WindowFactory, corpus: Path, tmp_path: Path, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: str(corpus) in window.live_files.watcher.directories(), timeout=WAIT_MS)
    other = tmp_path / "other"
    (other / "notes").mkdir(parents=True)
    (other / "notes" / "one.md").write_text("---\ntitle: 一\n---\n\n内容。\n", encoding="utf-8")
    watched_when_listed: list[list[str]] = []
    window.corpus.files_listed.connect(lambda: watched_when_listed.append(window.live_files.watcher.directories()))
    with qtbot.waitSignal(window.corpus.files_listed, timeout=WAIT_MS):
        window.open_corpus(other)
        assert window.live_files.watcher.directories() == []  # the last corpus's changes are not this one's
    assert watched_when_listed == [[]]  # its folders are listed from then on, not beside the listing
    qtbot.waitUntil(lambda: str(other / "notes") in window.live_files.watcher.directories(), timeout=WAIT_MS)
    assert str(corpus) not in window.live_files.watcher.directories()
    (other / "notes" / "two.md").write_text("---\ntitle: 二\n---\n\n内容。\n", encoding="utf-8")
    qtbot.waitUntil(lambda: window.corpus_model.find("notes/two.md").isValid(), timeout=WAIT_MS)
