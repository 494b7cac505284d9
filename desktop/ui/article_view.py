"""The reader: an article's header and its rendered body, highlights painted over the text.

Highlights are ExtraSelections (they never edit the document), placed through a TextMap between the
article's canonical plain text and the text Qt laid out."""

from __future__ import annotations

import html
from collections import deque
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPoint, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QFont,
    QHelpEvent,
    QImage,
    QImageReader,
    QMouseEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import QLabel, QTextBrowser, QTextEdit, QToolTip, QVBoxLayout, QWidget

from desktop.core.colours import COLOURS, colour_hex, colour_label
from desktop.core.model import Article
from desktop.core.textmap import TextMap, Utf16Offsets
from desktop.library import OpenedArticle, PlacedHighlight
from desktop.memory import give_back_freed_memory
from desktop.ui.formula_copy import text_with_tex
from desktop.ui.next_turn import next_turn
from desktop.ui.themes import THEMES, Theme, document_style_sheet
from desktop.ui.typography import Typography, space_loose_text

__all__ = ["ArticleView", "ReaderBrowser"]

_DOCUMENT_MARGIN = 24  # pixels around the text (and at least this at each side of the reading column)
# An image's own size, kept on its format when it is fitted to the column (to fit it again on a resize).
_NATURAL_WIDTH = QTextFormat.Property.UserProperty.value + 1
_NATURAL_HEIGHT = _NATURAL_WIDTH + 1
_OBJECT = "\ufffc"  # how an image stands in the document's text
_NOTE_SHOWN = 120  # characters of a highlight's note in its hover text
_EMPTY_BLOCK = "<p style='-qt-paragraph-type:empty'></p>"  # Qt's HTML for a block with nothing in it


class ReaderBrowser(QTextBrowser):
    """A read-only QTextBrowser that never fetches anything remote and hands links to the window."""

    highlight_requested = Signal(str)  # colour name, from the context menu
    internal_link_activated = Signal(str)  # a link to another file, relative to the article
    lectern_link_activated = Signal(str)  # a lectern:// link back to a passage (desktop.core.links)
    anchor_requested = Signal(str)  # a link to a place in this article (its fragment)
    clicked_at = Signal(int)  # a click without a drag, at this position of the document
    zoom_requested = Signal(int)  # Ctrl+wheel: +1 in, -1 out
    image_undecodable = Signal(Path)  # a local image file that Qt cannot decode (it shows a broken image)
    filled = Signal()  # the last piece of a document shown a piece at a time is in

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(_DOCUMENT_MARGIN)
        self.document().setUndoRedoEnabled(False)  # read-only: nothing to undo (fitting images is no edit)
        self.anchorClicked.connect(self._follow)
        self._pressed_at: int | None = None
        self._column: float | None = None  # the reading column's width in pixels; None: the whole width
        self._images: set[str] = set()  # the images of this document, scaled to the column's width
        self.describe_at: Callable[[int], str] | None = None  # what to say of the highlights at a position
        self._images_width = 0  # …of that width
        self._rescale = QTimer(self, singleShot=True, interval=150)  # once a resize settles
        self._rescale.timeout.connect(self._rescale_images)
        self._pieces: deque[str] = deque()  # what is still to come of a document shown a piece at a time
        self._filler = next_turn(self, self._append_piece)

    def set_column_width(self, pixels: float | None) -> None:
        self._column = pixels
        self.fit_column()

    def fit_column(self) -> None:
        """Centre a column of at most the reading width. QTextDocument has no max-width: the text is
        laid out at the column's fixed width and the viewport is narrowed to it by equal margins at
        its sides, so a resize only moves the margins (laying a long article out again at every step
        of a resize took 100-150 ms; this takes about 5). A window narrower than the column wraps
        the text at the window's width, as without a column."""
        scroll_bar = self.verticalScrollBar()
        room = self.width() - 2 * self.frameWidth() - (scroll_bar.sizeHint().width() if scroll_bar.isVisible() else 0)
        wrap = int(self._column + 2 * _DOCUMENT_MARGIN) if self._column else 0
        side = (room - wrap) // 2 if wrap and room > wrap else 0
        if side:
            if self.lineWrapMode() != QTextEdit.LineWrapMode.FixedPixelWidth or self.lineWrapColumnOrWidth() != wrap:
                self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
                self.setLineWrapColumnOrWidth(wrap)
        elif self.lineWrapMode() != QTextEdit.LineWrapMode.WidgetWidth:
            self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (side, room - wrap - side if side else 0):
            self.setViewportMargins(side, 0, room - wrap - side if side else 0, 0)
        if self._images_width and abs(self._column_width() - self._images_width) > 8:
            self._rescale.start()  # images fitted to another width: fit them again once resizing settles

    def viewportEvent(self, event: QEvent) -> bool:
        """Hovering a highlight tells its colour's meaning, its note and tags (and what Qt's own tooltip
        there says: an image's alt text, a formula's TeX)."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.describe_at is not None:
            cursor = self.cursorForPosition(event.pos())
            if described := self.describe_at(cursor.position()):
                own = cursor.charFormat().toolTip()
                QToolTip.showText(event.globalPos(), described + (f"\n\n{own}" if own else ""), self.viewport())
                return True
        return super().viewportEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            self.wheelEvent(event)  # over the margins beside the column too, not only over the text
            return True
        return super().event(event)

    def top_left(self) -> QPoint:
        """The viewport point where the first line in view starts. In the document's margins (left of
        the text, above the first line) Qt's hit test can land on any line of the article."""
        margin = int(self.document().documentMargin())
        return QPoint(margin, max(0, margin - self.verticalScrollBar().value()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_column()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # Qt would zoom the widget's font by itself, apart from the zoom Ctrl+= and the settings know.
            if delta := event.angleDelta().y():
                self.zoom_requested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copied text holds each formula's TeX source (as $…$) rather than its Unicode rendering."""
        copied = super().createMimeDataFromSelection()
        if (text := text_with_tex(self.textCursor())) is None:
            return copied
        # Qt's copy makes its text when asked (its own retrieveData): a plain QMimeData holds ours.
        mime = QMimeData()
        mime.setHtml(copied.html())
        mime.setText(text)
        return mime

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
        self._pieces.clear()
        self._filler.stop()
        self._images.clear()
        self._images_width = 0
        super().setHtml(text)
        if "<img" in text:
            self._fit_images()

    def show_pieces(self, pieces: list[str]) -> None:
        """Show a long document given as pieces of whole blocks: the first at once, then one more at each
        turn of the event loop, and `filled` after the last. Reading and laying out a 1 MB article at
        once held the UI thread 0.3-0.5 s; a piece takes 10-20 ms, and the first is on screen at once."""
        self.setHtml(pieces[0])
        self._pieces.extend(pieces[1:])
        self._filler.start()

    @property
    def filling(self) -> bool:
        """Pieces of the document are still to come."""
        return bool(self._pieces)

    def _append_piece(self) -> None:
        piece = self._pieces.popleft()
        document = self.document()
        part = QTextDocument()
        part.setDefaultStyleSheet(document.defaultStyleSheet())
        part.setDefaultFont(document.defaultFont())
        # A fragment's first block joins the block it is inserted after, in that block's formats (a heading
        # would lose its level, a list item its list): the piece is read after an empty first block, which
        # joins the document's last block and adds nothing to it.
        part.setHtml(_EMPTY_BLOCK + piece)
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertFragment(QTextDocumentFragment(part))
        if "<img" in piece:
            self._fit_images()
        if self._pieces:
            self._filler.start()
        else:
            self.filled.emit()

    def fit_images(self) -> None:
        """Fit the images again when the text's width changed since they were (a scroll bar came with the
        new document): only their layout sizes, nothing is decoded."""
        if self._images_width and self._images_width != self._column_width():
            self._fit_images()

    def _fit_images(self) -> None:
        """Lay images that say their size (kept ones do) out at most as wide as the column, without
        decoding them: Qt decodes an image only when it is painted, so opening stays quick."""
        limit = self._images_width = self._column_width()
        document = self.document()
        cursor = QTextCursor(document)
        text = document.toPlainText()  # an image is an object character
        at = text.find(_OBJECT)
        if at < 0:
            return
        positions = Utf16Offsets(text)  # an emoji is one character of `text` but two positions of the document
        while at >= 0:
            position = positions.to_utf16(at)
            cursor.setPosition(position + 1)  # the format of the character before the cursor: the image's
            image = cursor.charFormat().toImageFormat()
            if image.isValid():
                if not image.hasProperty(_NATURAL_WIDTH):  # as the HTML says, before any fitting
                    image.setProperty(_NATURAL_WIDTH, image.width())
                    image.setProperty(_NATURAL_HEIGHT, image.height())
                width, height = image.property(_NATURAL_WIDTH), image.property(_NATURAL_HEIGHT)
                if width > 0 and height > 0 and image.width() != min(width, limit):
                    image.setWidth(min(width, limit))
                    image.setHeight(height * min(width, limit) / width)
                    cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image)
            at = text.find(_OBJECT, at + 1)

    def _column_width(self) -> int:
        """The width text is laid out at: the reading column's, or the viewport's."""
        fixed = self.lineWrapMode() == QTextEdit.LineWrapMode.FixedPixelWidth
        width = self.lineWrapColumnOrWidth() if fixed else self.viewport().width()
        return max(width - 2 * int(self.document().documentMargin()) - 4, 120)

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
        elif url.scheme() == "lectern":
            self.lectern_link_activated.emit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        elif url.hasFragment() and not url.path():
            self.anchor_requested.emit(url.fragment())
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
    document_shown = Signal()  # a new document is laid out (an article, a placeholder, or a new style)
    jumped = Signal(int, int)  # a jump inside the article (a link, the contents): from, to (plain-text offsets)

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
        self.browser.anchor_requested.connect(self.jump_to_anchor)
        self.browser.filled.connect(self._last_piece_in)
        self.browser.describe_at = self._describe
        self._meanings: dict[str, str] = {}
        self._opened: OpenedArticle | None = None
        self._map: TextMap | None = None
        self._placeholder = ""
        self._waiting: list[Callable[[], None]] = []  # what waits for the article being shown to be all in
        self._scroll_target = 0  # where a waiting scroll goes (as far as anyone asks, the reader is there)
        self._placing = next_turn(self, self._place_then_announce)
        self._announcing = next_turn(self, self._announce_long)
        self._theme = THEMES["light"]
        self._typography = Typography()
        self._base_font = QFont(self.browser.font())
        self._apply_style()
        self.show_placeholder("Choose an article in the tree on the left.")

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def typography(self) -> Typography:
        return self._typography

    def set_style(self, theme: Theme, typography: Typography, restyled: OpenedArticle | None = None) -> None:
        """Show the article in another theme or typography: laid out again from the HTML in memory
        (`restyled`: the same article rendered in the theme's code colours), with the same text at the top."""
        position = self.top_position()
        # The style sheet only takes effect as the HTML is read: colours and line spacing need it read
        # again (about 100 ms for a long article); a font, size or width is laid out again at once.
        read_again = (restyled is not None or theme != self._theme
                      or typography.line_spacing != self._typography.line_spacing)
        self._theme, self._typography = theme, typography
        self._apply_style()
        opened = restyled or self._opened
        if opened is None:
            self.show_placeholder(self._placeholder)
            return
        if read_again:
            self._show(opened)
        else:
            self._show_header(opened.article)
        self.scroll_to_position(position)

    def _apply_style(self) -> None:
        document = self.browser.document()
        document.setDefaultStyleSheet(document_style_sheet(self._theme, self._typography.line_spacing))
        font = self._typography.font(self._base_font)
        document.setDefaultFont(font)
        self.browser.set_column_width(self._typography.column_width(font))

    @property
    def opened(self) -> OpenedArticle | None:
        return self._opened

    def show_placeholder(self, message: str) -> None:
        self._opened = self._map = None
        self._waiting.clear()
        self._placing.stop()
        self._announcing.stop()
        self._placeholder = message
        self.header.setText("")
        self.header.hide()
        self.browser.setHtml(f"<p style='color:{self._theme.muted}'>{html.escape(message)}</p>")
        self._document_complete()
        self.text_changed.emit("")

    def show_article(self, opened: OpenedArticle) -> None:
        self._show(opened)
        self._when_complete(lambda: self.text_changed.emit(opened.rendered.text))

    def _show(self, opened: OpenedArticle) -> None:
        """Show `opened`: a long article a piece at a time, the rest once it is all in."""
        article, rendered = opened.article, opened.rendered
        self._show_header(article)
        self._opened, self._map = opened, None
        self._waiting.clear()
        self._placing.stop()
        self._announcing.stop()
        self._scroll_target = 0
        if rendered.breaks:
            self.browser.show_pieces(rendered.pieces())
            self.browser.fit_column()
            return
        if rendered.html.strip():
            self.browser.setHtml(rendered.html)
        else:
            reason = "; ".join(article.warnings) or "this article has no text"
            self.browser.setHtml(f"<p style='color:{self._theme.muted}'>{html.escape(reason.capitalize())}.</p>")
        self._document_complete()

    def _last_piece_in(self) -> None:
        """A long article is all in: its layout is finished now, its highlights placed at the next turn of the
        event loop, and its headings listed and what waited for it done at the one after (on a 1 MB article,
        40-80 ms each: in one turn they held the UI thread over 100 ms beside a restart's other work)."""
        self._finish_layout()
        self._placing.start()

    def _place_then_announce(self) -> None:
        self._place_highlights()
        self._announcing.start()

    def _announce_long(self) -> None:
        self._announce()
        give_back_freed_memory()  # the documents its pieces were read in (~8 MB for a 1 MB article)

    def _document_complete(self) -> None:
        self._finish_layout()
        self._place_highlights()
        self._announce()

    def _finish_layout(self) -> None:
        """The whole document is in: finish its layout."""
        space_loose_text(self.browser.document(), self._typography.line_spacing)
        self.browser.fit_column()
        self.browser.fit_images()

    def _place_highlights(self) -> None:
        if (opened := self._opened) is not None:
            # A kept image stands for its placeholder in the plain text: highlights after it stay in place.
            self._map = TextMap(opened.rendered.text, self.browser.document().toPlainText(),
                                opened.rendered.image_texts)
            self.set_highlights(opened)

    def _announce(self) -> None:
        """Say that the document is shown (its headings are listed then), and do what waited for it."""
        self.document_shown.emit()
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()

    def headings(self) -> list[tuple[int, int, str]]:
        """(level, document position, words) of each heading shown, from the rendering: walking a long
        document's blocks for them took the UI thread 100-200 ms beside other work."""
        opened, shown = self._opened, self._map
        if opened is None or shown is None:
            return []
        return [(heading.level, shown.to_view(heading.offset, heading.offset + 1)[0], heading.title)
                for heading in opened.rendered.headings]

    @property
    def complete(self) -> bool:
        """What is shown is all in: laid out, its highlights placed, its headings listed."""
        return not self._coming

    @property
    def _coming(self) -> bool:
        """An article shown a piece at a time is not all in (or not announced) yet."""
        return self.browser.filling or self._placing.isActive() or self._announcing.isActive()

    def _when_complete(self, action: Callable[[], None]) -> None:
        """Do `action` now, or once the article being shown a piece at a time is all in (not at all if
        another document is shown first)."""
        if self._coming:
            self._waiting.append(action)
        else:
            action()

    def _show_header(self, article: Article) -> None:
        theme = self._theme
        details = [article.date.isoformat()] if article.date else []
        details += [html.escape(category) for category in article.categories]
        named = {category.casefold() for category in article.categories}  # a tag named like a category: once
        tags = " ".join(f"<span style='color:{theme.accent}'>#{html.escape(tag)}</span>" for tag in article.tags
                        if tag.casefold() not in named)
        title_size = round(self.browser.document().defaultFont().pointSizeF() * 1.45)
        self.header.setText(
            f"<div style='font-size:{title_size}pt; font-weight:600'>{html.escape(article.title)}</div>"
            f"<div style='color:{theme.muted}'>{' · '.join(details)} {tags}</div>"
        )
        self.header.show()

    def set_highlights(self, opened: OpenedArticle) -> None:
        """Paint `opened`'s highlights (the article itself is unchanged: no re-layout, no scroll). Where
        highlights overlap the colour is darker, so two of one colour never look like one."""
        self._opened = opened
        placed = sorted(((item.span, item.highlight.colour) for item in opened.highlights if item.span is not None),
                        key=lambda item: item[0])
        if self._map is None:
            placed = []
        theme = self._theme.name
        selections = [self._selection(span, QColor(colour_hex(colour, theme))) for span, colour in placed]
        reach = 0  # the furthest any highlight so far reaches: text before it is already highlighted
        for (start, end), colour in placed:
            if start < reach:
                tint = QColor(colour_hex(colour, theme))
                overlap = tint.lighter(150) if theme == "dark" else tint.darker(125)  # deeper, either way
                selections.append(self._selection((start, min(end, reach)), overlap))
            reach = max(reach, end)
        self.browser.setExtraSelections(selections)

    def _selection(self, span: tuple[int, int], colour: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(span)
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        selection.format = fmt
        return selection

    def _under(self, position: int) -> list[PlacedHighlight]:
        """The highlights at `position` of the document (several where they overlap)."""
        if self._map is None or self._opened is None:
            return []
        offset = self._map.to_canonical(position, position + 1)[0]
        return [item for item in self._opened.highlights
                if item.span is not None and item.span[0] <= offset < item.span[1]]

    def _clicked_at(self, position: int) -> None:
        if under := self._under(position):
            self.highlights_clicked.emit([item.highlight.id for item in under])

    def set_colour_meanings(self, meanings: dict[str, str]) -> None:
        self._meanings = dict(meanings)

    def _describe(self, position: int) -> str:
        """The hover text of the highlights at `position`: "Pink — disagree", the note's start, the tags."""
        lines = []
        for item in self._under(position):
            highlight = item.highlight
            note = " ".join(highlight.note.split())
            lines.append(" · ".join(part for part in (
                colour_label(highlight.colour, self._meanings),
                note if len(note) <= _NOTE_SHOWN else note[:_NOTE_SHOWN] + "…",
                " ".join(f"#{tag}" for tag in highlight.tags)) if part))
        return "\n".join(lines)

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
        if self._coming:
            self._when_complete(lambda: self.select_span(span))
            return
        if self._map is None:
            return
        self.browser.setTextCursor(self._cursor(span))
        self.browser.ensureCursorVisible()

    def top_position(self) -> int:
        """Where reading has got to: the plain-text offset of the first character in view."""
        if self._coming:
            return self._scroll_target
        if self._map is None:
            return 0
        shown = self.browser.cursorForPosition(self.browser.top_left()).position()
        return self._map.to_canonical(shown, self.browser.document().characterCount())[0]

    def scroll_to_position(self, offset: int, attempts: int = 20) -> None:
        """Scroll so that the line holding plain-text `offset` is at the top. Qt lays long articles out
        a piece at a time, so until the layout reaches it the scroll bar is too short: try again shortly."""
        if self._coming:
            self._scroll_target = offset
            self._when_complete(lambda: self.scroll_to_position(offset, attempts))
            return
        if self._map is None or offset <= 0:
            return
        self.scroll_to_view_position(self._map.to_view(offset, offset + 1)[0], offset, attempts)

    def scroll_to_view_position(self, shown: int, offset: int = -1, attempts: int = 20) -> None:
        """Scroll so that the line holding document position `shown` is at the top."""
        document = self.browser.document()
        block = document.findBlock(shown)
        top = document.documentLayout().blockBoundingRect(block).top()
        line = block.layout().lineForTextPosition(shown - block.position())
        top = int(top + (line.y() if line.isValid() else 0))
        bar = self.browser.verticalScrollBar()
        bar.setValue(top)
        if bar.value() < top and attempts > 0 and offset > 0:
            opened = self._opened
            # With `self` as context: a view closed meanwhile takes its pending retry with it.
            QTimer.singleShot(50, self, lambda: self._retry_scroll(opened, offset, attempts - 1))

    def _retry_scroll(self, opened: OpenedArticle | None, offset: int, attempts: int) -> None:
        if self._opened is opened:  # still the same article
            self.scroll_to_position(offset, attempts)

    def jump_to_anchor(self, name: str) -> None:
        """Follow a link to a place in this article (`#name`)."""
        before = self.top_position()
        self.browser.scrollToAnchor(name)
        self.jumped.emit(before, self.top_position())

    def jump_to_view_position(self, shown: int) -> None:
        """Go to a document position (a heading chosen in the contents)."""
        before = self.top_position()
        self.scroll_to_view_position(shown)
        self.jumped.emit(before, self.top_position())

    def reveal(self, placed: PlacedHighlight) -> None:
        """Scroll to a highlight and put the caret at its start, so it is plain to see."""
        if self._coming:
            self._when_complete(lambda: self.reveal(placed))
            return
        if placed.span is None or self._map is None:
            return
        cursor = self._cursor(placed.span)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        cursor.setPosition(cursor.selectionStart())
        self.browser.setTextCursor(cursor)
