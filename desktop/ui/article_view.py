"""The reader: an article's header and its rendered body, highlights painted over the text.

Highlights are ExtraSelections (they never edit the document), placed through a TextMap between the
article's canonical plain text and the text Qt laid out."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QImage,
    QImageReader,
    QMouseEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QLabel, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

from desktop.core.colours import COLOURS, colour_hex
from desktop.core.textmap import TextMap
from desktop.library import OpenedArticle, PlacedHighlight

__all__ = ["ArticleView", "ReaderBrowser", "DOCUMENT_STYLESHEET"]

# Qt's own heading sizes put <h5> below body text; sizes here are relative to the reader's font.
DOCUMENT_STYLESHEET = """
h1 { font-size: x-large; } h2 { font-size: large; } h3 { font-size: large; }
h4 { font-size: medium; } h5 { font-size: medium; } h6 { font-size: medium; color: #555; }
p, li { margin-top: 4px; margin-bottom: 8px; }
pre { background-color: #f4f4f5; font-family: monospace; }
code { background-color: #f4f4f5; font-family: monospace; }
blockquote { color: #444; margin-left: 16px; }
table { border-collapse: collapse; margin: 8px 0; }
td, th { border: 1px solid #d4d4d8; padding: 4px 8px; }
th { background-color: #f4f4f5; }
a { color: #1d4ed8; }
.image-placeholder { color: #71717a; background-color: #f4f4f5; }
"""


# An image's own size, kept on its format when it is fitted to the column (to fit it again on a resize).
_NATURAL_WIDTH = QTextFormat.Property.UserProperty.value + 1
_NATURAL_HEIGHT = _NATURAL_WIDTH + 1
_OBJECT = "\ufffc"  # how an image stands in the document's text


class ReaderBrowser(QTextBrowser):
    """A read-only QTextBrowser that never fetches anything remote and hands links to the window."""

    highlight_requested = Signal(str)  # colour name, from the context menu
    internal_link_activated = Signal(str)  # a link to another file, relative to the article
    clicked_at = Signal(int)  # a click without a drag, at this position of the document
    image_undecodable = Signal(Path)  # a local image file that Qt cannot decode (it shows a broken image)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.2)
        self.document().setDefaultFont(font)
        self.document().setDefaultStyleSheet(DOCUMENT_STYLESHEET)
        self.document().setDocumentMargin(24)
        self.document().setUndoRedoEnabled(False)  # read-only: fitting images to the column is no edit
        self.anchorClicked.connect(self._follow)
        self._pressed_at: int | None = None
        self._images: set[str] = set()  # the images of this document, scaled to the column's width
        self._images_width = 0  # …of that width
        self._rescale = QTimer(self, singleShot=True, interval=150)  # once a resize settles
        self._rescale.timeout.connect(self._rescale_images)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            # A press inside the current selection would start dragging it away (Qt's text drag),
            # leaving that selection, often a highlight just revealed, to be recoloured by the next
            # colour key. In a reader a press always starts a new selection.
            self._pressed_at = self.cursorForPosition(event.position().toPoint()).position()
            if self.textCursor().hasSelection():
                cursor = self.textCursor()
                cursor.setPosition(self._pressed_at)
                self.setTextCursor(cursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self._pressed_at is not None:
            if not self.textCursor().hasSelection() and not self.anchorAt(event.position().toPoint()):
                self.clicked_at.emit(self._pressed_at)
            self._pressed_at = None

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """Only local files (already resolved by the sanitizer: images beside the article, images kept for
        offline reading) are loaded; nothing from a network. Images are fitted to the column."""
        url = QUrl(url)
        if not url.isLocalFile() or not Path(url.toLocalFile()).is_file():
            return None
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, url)
        image = self._fitted_image(Path(url.toLocalFile()))
        if image is not None:
            self._images.add(url.toString())
        return image

    def setHtml(self, text: str) -> None:
        self._images.clear()
        super().setHtml(text)
        if "<img" in text:
            self._fit_images()

    def _fit_images(self) -> None:
        """Lay images that say their size (kept ones do) out at most as wide as the column, without
        decoding them: Qt decodes an image only when it is painted, so opening stays quick."""
        limit = self._images_width = self._column_width()
        document = self.document()
        cursor = QTextCursor(document)
        text = document.toPlainText()  # one character per position: an image is an object character
        at = text.find(_OBJECT)
        while at >= 0:
            cursor.setPosition(at + 1)  # the format of the character before the cursor: the image's
            image = cursor.charFormat().toImageFormat()
            if image.isValid():
                if not image.hasProperty(_NATURAL_WIDTH):  # as the HTML says, before any fitting
                    image.setProperty(_NATURAL_WIDTH, image.width())
                    image.setProperty(_NATURAL_HEIGHT, image.height())
                width, height = image.property(_NATURAL_WIDTH), image.property(_NATURAL_HEIGHT)
                if width > 0 and height > 0 and image.width() != min(width, limit):
                    image.setWidth(min(width, limit))
                    image.setHeight(height * min(width, limit) / width)
                    cursor.setPosition(at, QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image)
            at = text.find(_OBJECT, at + 1)

    def _column_width(self) -> int:
        return max(self.viewport().width() - 2 * int(self.document().documentMargin()) - 4, 120)

    def _fitted_image(self, path: Path) -> QImage | None:
        """The image at its own size, or scaled down to the column's width; decoded at the screen's
        resolution, so it stays sharp on a HiDPI screen. None (Qt then shows a broken image) when it
        cannot be decoded: the window is told, never a crash."""
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        natural = reader.size()
        limit = self._images_width = self._column_width()
        scale = 1.0
        if natural.isValid() and natural.width() > limit:
            pixels = min(natural.width(), round(limit * self.devicePixelRatioF()))
            reader.setScaledSize(QSize(pixels, max(1, round(natural.height() * pixels / natural.width()))))
            scale = pixels / limit  # this many pixels to a point: laid out at exactly the column's width
        image = reader.read()
        if image.isNull():
            self.image_undecodable.emit(path)
            return None
        image.setDevicePixelRatio(scale)
        return image

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._images_width and abs(self._column_width() - self._images_width) > 8:
            self._rescale.start()

    def _rescale_images(self) -> None:
        self._fit_images()
        document = self.document()
        for name in self._images:
            image = self._fitted_image(Path(QUrl(name).toLocalFile()))
            if image is not None:
                document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), image)
        document.markContentsDirty(0, document.characterCount())

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in {"http", "https", "mailto"}:
            QDesktopServices.openUrl(url)  # leaves the app only when the user clicks
        elif url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())
        elif not url.scheme() and url.path():
            self.internal_link_activated.emit(url.path())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.textCursor().hasSelection():
            menu.addSeparator()
            highlight_menu = menu.addMenu("Highlight")
            for name in COLOURS:
                action = highlight_menu.addAction(name.capitalize())
                action.triggered.connect(lambda _checked=False, colour=name: self.highlight_requested.emit(colour))
        menu.exec(event.globalPos())
        menu.deleteLater()


class ArticleView(QWidget):
    """Header (title, date, categories, tags) above the reader."""

    text_changed = Signal(str)  # the plain text now shown ("" for a placeholder): what Find searches
    highlights_clicked = Signal(list)  # ids of the highlights under a click (several where they overlap)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel()
        self.header.setObjectName("articleHeader")
        self.header.setWordWrap(True)
        self.browser = ReaderBrowser()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.browser, 1)
        self.browser.clicked_at.connect(self._clicked_at)
        self._opened: OpenedArticle | None = None
        self._map: TextMap | None = None
        self.show_placeholder("Choose an article in the tree on the left.")

    @property
    def opened(self) -> OpenedArticle | None:
        return self._opened

    def show_placeholder(self, message: str) -> None:
        self._opened = self._map = None
        self.header.setText("")
        self.header.hide()
        self.browser.setHtml(f"<p style='color:#71717a'>{html.escape(message)}</p>")
        self.text_changed.emit("")

    def show_article(self, opened: OpenedArticle) -> None:
        article = opened.article
        details = [article.date.isoformat()] if article.date else []
        details += [html.escape(category) for category in article.categories]
        named = {category.casefold() for category in article.categories}  # a tag named like a category: once
        tags = " ".join(f"<span style='color:#2563eb'>#{html.escape(tag)}</span>" for tag in article.tags
                        if tag.casefold() not in named)
        self.header.setText(
            f"<div style='font-size:20px; font-weight:600'>{html.escape(article.title)}</div>"
            f"<div style='color:#52525b'>{' · '.join(details)} {tags}</div>"
        )
        self.header.show()
        if opened.rendered.html.strip():
            self.browser.setHtml(opened.rendered.html)
        else:
            reason = "; ".join(article.warnings) or "this article has no text"
            self.browser.setHtml(f"<p style='color:#71717a'>{html.escape(reason.capitalize())}.</p>")
        self._opened = opened
        # A kept image stands for its placeholder in the plain text: highlights after it stay in place.
        self._map = TextMap(opened.rendered.text, self.browser.document().toPlainText(), opened.rendered.image_texts)
        self.set_highlights(opened)
        self.text_changed.emit(opened.rendered.text)

    def set_highlights(self, opened: OpenedArticle) -> None:
        """Paint `opened`'s highlights (the article itself is unchanged: no re-layout, no scroll). Where
        highlights overlap the colour is darker, so two of one colour never look like one."""
        self._opened = opened
        placed = sorted(((item.span, item.highlight.colour) for item in opened.highlights if item.span is not None),
                        key=lambda item: item[0])
        if self._map is None:
            placed = []
        selections = [self._selection(span, QColor(colour_hex(colour))) for span, colour in placed]
        reach = 0  # the furthest any highlight so far reaches: text before it is already highlighted
        for (start, end), colour in placed:
            if start < reach:
                selections.append(self._selection((start, min(end, reach)), QColor(colour_hex(colour)).darker(125)))
            reach = max(reach, end)
        self.browser.setExtraSelections(selections)

    def _selection(self, span: tuple[int, int], colour: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(span)
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        selection.format = fmt
        return selection

    def _clicked_at(self, position: int) -> None:
        if self._map is None or self._opened is None:
            return
        offset = self._map.to_canonical(position, position + 1)[0]
        under = [item.highlight.id for item in self._opened.highlights
                 if item.span is not None and item.span[0] <= offset < item.span[1]]
        if under:
            self.highlights_clicked.emit(under)

    def _cursor(self, span: tuple[int, int]) -> QTextCursor:
        assert self._map is not None
        start, end = self._map.to_view(*span)
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def selection_spans_cells(self) -> bool:
        """Qt selects across table rows as a block of cells, which no single passage describes."""
        return self.browser.textCursor().hasComplexSelection()

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as offsets into the article's plain text, or None if nothing is selected."""
        cursor = self.browser.textCursor()
        if self._map is None or not cursor.hasSelection():
            return None
        start, end = self._map.to_canonical(cursor.selectionStart(), cursor.selectionEnd())
        return (start, end) if start < end else None

    def select_span(self, span: tuple[int, int]) -> None:
        """Select a passage given in plain-text offsets (and scroll to it)."""
        if self._map is None:
            return
        self.browser.setTextCursor(self._cursor(span))
        self.browser.ensureCursorVisible()

    def top_position(self) -> int:
        """Where reading has got to: the plain-text offset of the first character in view."""
        if self._map is None:
            return 0
        shown = self.browser.cursorForPosition(QPoint(0, 0)).position()
        return self._map.to_canonical(shown, self.browser.document().characterCount())[0]

    def scroll_to_position(self, offset: int, attempts: int = 20) -> None:
        """Scroll so that plain-text `offset` is at the top. Qt lays long articles out a piece at a
        time, so until the layout reaches it the scroll bar is too short: try again shortly."""
        if self._map is None or offset <= 0:
            return
        document = self.browser.document()
        block = document.findBlock(self._map.to_view(offset, offset + 1)[0])
        top = int(document.documentLayout().blockBoundingRect(block).top())
        bar = self.browser.verticalScrollBar()
        bar.setValue(top)
        if bar.value() < top and attempts > 0:
            opened = self._opened
            # With `self` as context: a view closed meanwhile takes its pending retry with it.
            QTimer.singleShot(50, self, lambda: self._retry_scroll(opened, offset, attempts - 1))

    def _retry_scroll(self, opened: OpenedArticle | None, offset: int, attempts: int) -> None:
        if self._opened is opened:  # still the same article
            self.scroll_to_position(offset, attempts)

    def reveal(self, placed: PlacedHighlight) -> None:
        """Scroll to a highlight and put the caret at its start, so it is plain to see."""
        if placed.span is None or self._map is None:
            return
        cursor = self._cursor(placed.span)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        cursor.setPosition(cursor.selectionStart())
        self.browser.setTextCursor(cursor)
