"""A long article is shown a piece at a time (desktop.core.render.PIECE_CHARACTERS): its beginning at
once, the rest one piece per turn of the event loop, and in the end the very document its whole HTML
makes, with its highlights, reading place and contents as for any article."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.documents import load_article, parse_article
from desktop.core.model import Article
from desktop.core.render import render_article
from desktop.library import OpenedArticle
from desktop.ui.article_view import ArticleView
from tests.conftest import SAMPLE, SEEDS
from tests.core.test_render import _long_markdown
from tests.ui.conftest import WindowFactory, select


def _long_article(folder: Path, sections: int = 200) -> Article:
    path = folder / "long.md"
    path.write_text(f"---\ntitle: 长文章\n---\n{_long_markdown(sections)}\n", encoding="utf-8")
    return load_article(path, folder)


def _filled(view: ArticleView) -> None:
    while view.browser.filling:
        QApplication.processEvents()


def _as_a_whole(article: Article) -> str:
    """The document the article's whole HTML makes, read at once as a short article is."""
    view = ArticleView()
    view.show_article(OpenedArticle(article, replace(render_article(article), breaks=()), (), ()))
    return view.browser.document().toHtml()


def test_the_beginning_shows_at_once_and_the_end_is_the_whole_document(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = _long_article(tmp_path)
    rendered = render_article(article)
    assert len(rendered.breaks) >= 3
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_article(OpenedArticle(article, rendered, (), ()))
    shown = view.browser.toPlainText()
    assert view.browser.filling and "第0节" in shown and "第199节" not in shown
    qtbot.waitUntil(lambda: not view.browser.filling)
    assert "第199节" in view.browser.toPlainText()
    assert view.browser.document().toHtml() == _as_a_whole(article)


_BLOCKS = st.sampled_from([
    "<h1>标题</h1>", "<h3>小标题</h3>", "<p>一段<b>粗体</b>文字</p>", "<ul><li>甲</li><li>乙</li></ul>",
    "<ol><li>一</li></ol>", "<pre><code>x = 1\n    y = 2</code></pre>", "<blockquote><p>引文</p></blockquote>",
    "<table><tr><th>列</th></tr><tr><td>值</td></tr></table>", "<hr>", "正文直接在里面<br>", "<div>块</div>",
    "<p style='text-align:center'>居中</p>", "<dl><dt>词</dt><dd>释义</dd></dl>", "<p></p>", "<h2>二</h2>尾巴<b>粗</b>",
    "<ol start='3'><li>三</li><li>四</li></ol>", "<pre><code>末行\n\n</code></pre>",
    "<p><img alt='图' src='x.png'></p>",
])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_BLOCKS, st.sampled_from(["", "\n", " \n\n"])), min_size=2, max_size=14))
def test_any_sequence_of_blocks_pieced_together_is_the_whole(qapp, blocks: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    body = "".join(block + space for block, space in blocks)
    article = parse_article(body, Path("/nonexistent/post.html"), "post.html")
    with mock.patch("desktop.core.render.PIECE_CHARACTERS", 1):  # a piece at every block that may start one
        rendered = render_article(article)
    view = ArticleView()
    view.show_article(OpenedArticle(article, rendered, (), ()))
    _filled(view)
    assert view.browser.document().toHtml() == _as_a_whole(article)


def test_what_waits_for_the_whole_article_is_done_then_or_dropped(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = _long_article(tmp_path)
    rendered = render_article(article)
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.show_article(OpenedArticle(article, rendered, (), ()))
    place = rendered.text.index("第150节")
    view.scroll_to_position(place)
    assert view.top_position() == place  # leaving now keeps the place it was going to
    qtbot.waitUntil(lambda: not view.browser.filling)
    assert abs(view.top_position() - place) < 40  # scrolled there once it was all in
    view.show_article(OpenedArticle(article, rendered, (), ()))
    view.scroll_to_position(place)
    view.show_placeholder("别的")  # the user moved on: nothing more of the long article comes in
    qtbot.wait(50)
    assert not view.browser.filling and view.browser.toPlainText() == "别的"
    assert view.top_position() == 0


def test_a_long_article_reopens_at_its_place_with_its_highlights(make_window: WindowFactory, corpus: Path,  # type: ignore[no-untyped-def]
                                                                  qtbot) -> None:
    _long_article(corpus)
    window = make_window()
    view = window.article_view
    window.open_article("long.md")
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == "long.md"
                    and view.complete, timeout=10_000)
    select(window, "第195节")
    assert window.highlight_selection("yellow") is not None
    assert window.opened is not None
    place = window.opened.rendered.text.index("第120节")
    view.scroll_to_position(place)
    window.open_article("000_2e1d597362795e42.txt")
    window.open_article("long.md", position=None)  # where the reader left it
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == "long.md"
                    and view.complete, timeout=10_000)
    assert abs(view.top_position() - place) < 40
    assert len(view.browser.extraSelections()) == 1  # the highlight, found again at the end of the article
    model = window.contents.model()

    def listed() -> list[str]:
        found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, "第", -1,
                            Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive)
        return [index.data() for index in found]

    qtbot.waitUntil(lambda: len(listed()) == 200)  # the contents list every heading, the last pieces' too
    assert window.contents.currentIndex().data() == "第120节"  # and show where the reader is


def test_real_posts_cut_at_every_break_they_allow_are_the_whole(qapp) -> None:  # type: ignore[no-untyped-def]
    """The seeds and the sample posts (CSDN HTML, Markdown), each cut into as many pieces as it can be."""
    cut = 0
    for root in (SEEDS, SAMPLE):
        for path in sorted(path for path in root.rglob("*") if path.is_file()):
            article = load_article(path, root)
            with mock.patch("desktop.core.render.PIECE_CHARACTERS", 1):
                rendered = render_article(article)
            if rendered.breaks:
                cut += 1
                view = ArticleView()
                view.show_article(OpenedArticle(article, rendered, (), ()))
                _filled(view)
                assert view.browser.document().toHtml() == _as_a_whole(article), path.name
    assert cut >= 10


def test_a_long_article_all_in_gives_back_what_its_pieces_took(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.ui.article_view

    given_back: list[bool] = []
    monkeypatch.setattr(desktop.ui.article_view, "give_back_freed_memory", lambda: given_back.append(True))
    article = _long_article(tmp_path)
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_article(OpenedArticle(article, render_article(article), (), ()))
    assert given_back == []
    qtbot.waitUntil(lambda: view.complete)
    assert given_back == [True]

