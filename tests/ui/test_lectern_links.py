"""Following a `lectern://` link: the window opens the corpus, the article and the highlight; a link into
a folder the user never opened, to a file outside the corpus, or malformed is refused with a message
before anything is opened; the command line says so in one line and exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from desktop.cli import main
from desktop.core.links import make_link
from desktop.link_handover import hand_over
from tests.ui.conftest import WindowFactory, select

SEED = "000_2e1d597362795e42.txt"
OTHER = "003_94866a6898bf0002.txt"


def test_a_link_opens_its_corpus_article_and_highlight(make_window: WindowFactory, qtbot, corpus: Path,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理与风险")
    highlight_id = window.highlight_selection()
    assert highlight_id is not None
    link = make_link(str(corpus.resolve()), SEED, highlight_id)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "note.md").write_text("# 别处\n\n另一篇。\n", encoding="utf-8")
    window.open_corpus(elsewhere)
    window.open_article("note.md")

    assert window.open_link(link)
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == SEED, timeout=10_000)
    assert window.library is not None and window.library.root == corpus.resolve()
    assert window.side_panel.current_highlight_id() == highlight_id
    # An article link (no highlight) opens the article.
    assert window.open_link(make_link(str(corpus.resolve()), OTHER))
    assert window.opened is not None and window.opened.article.relpath == OTHER


def test_a_link_followed_while_the_window_is_open_comes_to_it(make_window: WindowFactory, qtbot,  # type: ignore[no-untyped-def]
                                                              corpus: Path) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理与风险")
    highlight_id = window.highlight_selection()
    window.open_article(OTHER)
    assert window.link_inbox.open()
    # As `lectern LINK` does when the user clicks a link in an exported note.
    assert hand_over(make_link(str(corpus.resolve()), SEED, highlight_id))
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == SEED, timeout=10_000)
    assert window.side_panel.current_highlight_id() == highlight_id


def test_a_link_back_inside_an_article_is_followed(make_window: WindowFactory, qtbot, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    """A note of the user's kept in the corpus links back to a passage, as exported notes do."""
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理与风险")
    highlight_id = window.highlight_selection()
    link = make_link(str(corpus.resolve()), SEED, highlight_id)
    (corpus / "my-note.md").write_text(f"---\ntitle: 读书笔记\n---\n见 [原文]({link})。\n", encoding="utf-8")
    window.open_article("my-note.md")
    assert f'href="{link}"'.replace("&", "&amp;") in window.opened.rendered.html  # type: ignore[union-attr]
    window.article_view.browser.anchorClicked.emit(QUrl(link))  # as a click on it does
    qtbot.waitUntil(lambda: window.opened is not None and window.opened.article.relpath == SEED, timeout=10_000)
    assert window.side_panel.current_highlight_id() == highlight_id


@pytest.mark.parametrize(("link", "said"), [
    ("lectern://open?corpus=/never/opened&article=a.md", "not a folder you have opened in Lectern"),
    ("lectern://open?corpus={corpus}&article=../outside.md", "not a path inside its corpus"),
    ("lectern://open?corpus={corpus}&article=no/such.md", "not an article in"),
    ("lectern://delete?everything", "Lectern only opens passages"),
    ("lectern://open?corpus={corpus}&article=" + SEED + "&highlight=00000000-0000-4000-8000-000000000000",
     "no longer in " + SEED),
])
def test_a_link_that_cannot_be_followed_is_explained(make_window: WindowFactory, qtbot, corpus: Path,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path, shown_warnings: list[tuple[str, str]],
                                                     link: str, said: str) -> None:
    (tmp_path / "outside.md").write_text("# outside\n", encoding="utf-8")
    window = make_window()
    window.open_article(OTHER)
    window.open_link(link.format(corpus=corpus.resolve()))
    qtbot.waitUntil(lambda: bool(shown_warnings), timeout=10_000)
    [(title, text)] = shown_warnings
    assert title == "Cannot follow the link" and said in text
    assert window.library is not None and window.library.root == corpus.resolve()


@pytest.mark.parametrize("link", ["lectern://open?corpus=/never/opened&article=a.md", "lectern://open?%zz",
                                  "lectern:nonsense"])
def test_the_command_line_refuses_a_bad_link_in_one_line(link: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([link]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lectern: ") and err.count("\n") == 1
