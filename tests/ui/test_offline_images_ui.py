"""Images for offline reading through the real window: opening never fetches, File → Keep Images
fetches on request (with progress, cancel and a summary), the reader then shows the images offline,
highlights stay where they were, and the cache can be cleared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument, QTextImageFormat

from desktop.core.images import FailureReason
from desktop.ui.main_window import MainWindow
from tests.image_server import ImageServer, Route, png_bytes, serving
from tests.ui.conftest import WindowFactory, restart, select


@pytest.fixture
def server() -> Iterator[ImageServer]:
    with serving() as running:
        yield running


def _posts(root: Path, server: ImageServer) -> Path:
    """A corpus of its own (the seeds' images are on the internet): one post with two images on the
    loopback server, one with a missing image, in a folder."""
    server.routes["/wide.png"] = Route(png_bytes(1600, 400))
    server.routes["/small.png"] = Route(png_bytes(40, 30, seed=3))
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "figures.md").write_text(
        "---\ntitle: Figures\n---\nThe first paragraph.\n\n"
        f"![a wide diagram]({server.url('/wide.png')})\n\n"
        f"Between the figures. ![]({server.url('/small.png')}) After the small one.\n\n"
        "The passage after the images.\n", encoding="utf-8")
    (root / "notes" / "missing.md").write_text(
        f"---\ntitle: Missing\n---\nOne image. ![gone]({server.url('/gone.png')})\n", encoding="utf-8")
    (root / "other.md").write_text(f"---\ntitle: Other\n---\n![x]({server.url('/small.png')})\n", encoding="utf-8")
    return root


def _images(window: MainWindow) -> list[QTextImageFormat]:
    document = window.article_view.browser.document()
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if fmt.isImageFormat():
                found.append(fmt.toImageFormat())
            iterator += 1
        block = block.next()
    return found


def _keep(window: MainWindow, qtbot, action) -> None:  # type: ignore[no-untyped-def]
    window.offline_images._enable()
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: not window.offline_images.is_running(), timeout=10_000)


def _figures_kept(make_window: WindowFactory, server: ImageServer, qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on `_posts`, reading notes/figures.md with its two images kept."""
    window = make_window(_posts(tmp_path / "posts", server))
    assert window.open_article("notes/figures.md")
    _keep(window, qtbot, window.offline_images.article_action)
    return window


def test_opening_articles_fetches_nothing_even_when_the_images_are_reachable(
        make_window: WindowFactory, server: ImageServer, tmp_path: Path) -> None:
    window = make_window(_posts(tmp_path / "posts", server))
    for relpath in ("notes/figures.md", "notes/missing.md", "other.md"):
        assert window.open_article(relpath)
    window.search_field.setText("figures")
    assert server.requests == []
    assert _images(window) == []  # placeholders only
    assert "[image: x]" in window.article_view.browser.document().toPlainText()


def test_keep_this_article_then_read_it_offline_with_its_images(
        make_window: WindowFactory, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with serving() as server:
        window = make_window(_posts(tmp_path / "posts", server))
        assert window.open_article("notes/figures.md")
        text_before = window.opened.rendered.text  # type: ignore[union-attr]
        assert select(window, "The passage after") == "The passage after"
        window.highlight_selection("green")
        _keep(window, qtbot, window.offline_images.article_action)
        dialog = window.offline_images.dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.status.text().startswith("2 images kept for offline reading") and dialog.failures.isHidden()
        assert sorted(server.requests) == ["/small.png", "/wide.png"]
    # The server is gone: reading is offline from here on.
    window = restart(window, make_window)
    assert window.open_article("notes/figures.md")
    images = _images(window)
    assert [image.property(QTextImageFormat.Property.ImageAltText) for image in images] == ["a wide diagram", None]
    assert images[0].toolTip() == "a wide diagram"
    # Laid out from the size the cache keeps (no decoding needed): the wide one at the column's width.
    column = window.article_view.browser._column_width()
    assert [(image.width(), image.height()) for image in images] == [(column, 400 * column / 1600), (40, 30)]
    document = window.article_view.browser.document()
    wide = document.resource(QTextDocument.ResourceType.ImageResource.value, QUrl(images[0].name()))
    assert not wide.isNull() and wide.deviceIndependentSize().width() <= window.article_view.browser.viewport().width()
    assert window.opened.rendered.text == text_before  # type: ignore[union-attr]
    (placed,) = window.opened.highlights  # type: ignore[union-attr]
    cursor = window.article_view._cursor(placed.span)  # type: ignore[arg-type]
    assert cursor.selectedText() == "The passage after"
    # A new highlight after the images is stored at the same offsets as one made without them.
    assert select(window, "After the small one") == "After the small one"
    assert window.article_view.selected_span() == (text_before.index("After the small one"),
                                                   text_before.index("After the small one") + 19)


def test_a_folder_with_a_failure_shows_the_summary_and_the_reason_on_hover(
        make_window: WindowFactory, server: ImageServer, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(_posts(tmp_path / "posts", server))
    assert window.open_article("notes/missing.md")
    _keep(window, qtbot, window.offline_images.folder_action)
    assert sorted(server.requests) == ["/gone.png", "/small.png", "/wide.png"]  # notes/ only, not other.md
    dialog = window.offline_images.dialog
    assert dialog is not None and "1 failed (not found: 1)" in dialog.status.text()
    assert dialog.failures.model().stringList() == ["not found: 1"]  # type: ignore[attr-defined]
    assert window.opened is not None and window.opened.rendered.html.count(
        f'title="Not kept for offline reading: {FailureReason.NOT_FOUND}"') == 1
    browser = window.article_view.browser
    shown = browser.document().toPlainText()
    cursor = browser.textCursor()
    cursor.setPosition(shown.index("[image: gone]") + 3)
    assert cursor.charFormat().toolTip() == f"Not kept for offline reading: {FailureReason.NOT_FOUND}"


def test_cancel_stops_the_download_and_the_corpus_goes_on_later(
        make_window: WindowFactory, server: ImageServer, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "posts"
    root.mkdir()
    for number in range(30):
        server.routes[f"/{number}.png"] = Route(png_bytes(seed=number), delay=0.1)
        (root / f"{number}.md").write_text(f"---\ntitle: P{number}\n---\n![]({server.url(f'/{number}.png')})\n",
                                           encoding="utf-8")
    window = make_window(root)
    window.offline_images.corpus_action.trigger()
    dialog = window.offline_images.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: "Fetching 3 of 30" in dialog.status.text() or "Fetching 4 of 30" in dialog.status.text(),
                    timeout=10_000)
    dialog.buttons.rejected.emit()  # Cancel
    qtbot.waitUntil(lambda: not window.offline_images.is_running(), timeout=10_000)
    assert "cancelled" in dialog.status.text()
    first = len(server.requests)
    assert first < 30
    dialog.close()
    _keep(window, qtbot, window.offline_images.corpus_action)
    assert "already kept" in window.offline_images.dialog.status.text()  # type: ignore[union-attr]
    assert len(server.requests) <= 30 + 4  # the ones in flight when cancelled are fetched again, no more


def test_clear_image_cache_says_its_size_and_brings_the_placeholders_back(
        make_window: WindowFactory, server: ImageServer, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _figures_kept(make_window, server, qtbot, tmp_path)
    assert len(_images(window)) == 2
    asked: list[str] = []
    monkeypatch.setattr("desktop.ui.offline_images.confirm",
                        lambda _parent, _title, text, _action: asked.append(text) or True)
    window.offline_images.clear_action.trigger()
    size = len(png_bytes(1600, 400)) + len(png_bytes(40, 30, seed=3))
    assert asked and f"2 images, {size / 1_000_000:.1f} MB" in asked[0]
    assert window.library is not None and window.library.image_cache.size().images == 0
    assert _images(window) == [] and "[image: a wide diagram]" in window.article_view.browser.document().toPlainText()


@pytest.mark.qt_log_ignore("libpng")
def test_an_image_qt_cannot_decode_becomes_a_failed_image(
        make_window: WindowFactory, server: ImageServer, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = _posts(tmp_path / "posts", server)
    server.routes["/small.png"] = Route(b"\x89PNG\r\n\x1a\n" + b"not really a png at all" * 4)
    window = make_window(root)
    assert window.open_article("other.md")
    _keep(window, qtbot, window.offline_images.article_action)
    qtbot.waitUntil(lambda: "cannot be decoded" in window.opened.rendered.html, timeout=5000)  # type: ignore[union-attr]
    assert _images(window) == []


def test_on_a_hidpi_screen_an_image_is_decoded_at_the_screen_resolution(
        make_window: WindowFactory, server: ImageServer, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _figures_kept(make_window, server, qtbot, tmp_path)
    browser = window.article_view.browser
    monkeypatch.setattr(browser, "devicePixelRatioF", lambda: 2.0)
    column = browser._column_width()
    assert column < 800  # so that the 1600-pixel image is wider than the column at twice its pixels
    wide = browser._fitted_image(Path(QUrl(_images(window)[0].name()).toLocalFile()))
    assert wide is not None and (wide.width(), wide.devicePixelRatio()) == (2 * column, 2.0)
    assert wide.deviceIndependentSize().width() == column  # laid out exactly as wide as the column
    small = browser._fitted_image(Path(QUrl(_images(window)[1].name()).toLocalFile()))
    assert small is not None and small.width() == 40 and small.devicePixelRatio() == 1.0  # never blown up
