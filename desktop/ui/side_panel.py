"""The side panel: the article's tags, its highlights, and an editor for the chosen highlight.
It only asks (signals ending in _requested); the window acts."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.colours import COLOURS, colour_label
from desktop.library import OpenedArticle, PlacedHighlight
from desktop.ui.highlights_model import HIGHLIGHT_ID_ROLE, HighlightsModel
from desktop.ui.review import ReviewBox
from desktop.ui.tag_editor import TagEditor
from desktop.ui.theme_colours import swatch

__all__ = ["SidePanel"]

_NOTE_SAVE_DELAY_MS = 600


class SidePanel(QWidget):
    article_tags_change_requested = Signal(tuple)
    highlight_activated = Signal(str)  # the user chose a highlight in the list: show it
    highlight_change_requested = Signal(str, dict)  # id, {"colour"|"note"|"tags": value}
    highlight_delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(260)
        self.article_tags = TagEditor("Tag this article…")
        self.article_tags.tags_change_requested.connect(self.article_tags_change_requested)

        self.model = HighlightsModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the quotes when the panel resizes
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.clicked.connect(self._activated)
        self.count = QLabel()
        self.review = ReviewBox()  # the highlights re-anchoring found changed or did not find
        self.review.highlight_activated.connect(self._review_activated)
        self.empty_hint = QLabel("Select a passage in the article, then press Ctrl+Shift+H, Ctrl+1…5 or a "
                                 "colour on the toolbar to highlight it.")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); padding: 4px;")

        self.editor = QGroupBox("Selected highlight")
        self.colours = QButtonGroup(self)
        colour_row = QHBoxLayout()
        for name in COLOURS:
            button = QToolButton()
            button.setIcon(swatch(name, 18))
            button.setCheckable(True)
            button.setToolTip(f"Colour this highlight {name}")
            # Its icon says nothing to a screen reader.
            button.setAccessibleName(f"{name.capitalize()} highlight colour")
            button.setObjectName(f"colour-{name}")
            self.colours.addButton(button)
            button.clicked.connect(lambda _checked=False, colour=name: self._request("colour", colour))
            colour_row.addWidget(button)
        self.colour_name = QLabel()  # the chosen colour and what the user says it means
        self.colour_name.setStyleSheet("color: palette(placeholder-text);")
        colour_row.addWidget(self.colour_name)
        colour_row.addStretch(1)
        self._meanings: dict[str, str] = {}
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Write a note…")
        self.note.setTabChangesFocus(True)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(_NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)
        self.note.textChanged.connect(self._note_timer.start)
        self.highlight_tags = TagEditor("Tag this highlight…")
        self.highlight_tags.tags_change_requested.connect(lambda tags: self._request("tags", tags))
        self.delete = QPushButton("Delete highlight")
        self.delete.clicked.connect(self._delete)
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.addLayout(colour_row)
        editor_layout.addWidget(self.note, 1)
        editor_layout.addWidget(self.highlight_tags)
        editor_layout.addWidget(self.delete, 0, Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel("<b>Article tags</b>")
        layout.addWidget(title)
        layout.addWidget(self.article_tags)
        layout.addSpacing(8)
        layout.addWidget(self.count)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.review)
        layout.addWidget(self.editor, 2)
        self._current_id: str | None = None
        self._loading = False
        self._saving = False
        self._reloading = False
        self.show_article(None)

    # -- what the window tells the panel -------------------------------------------------------
    def show_article(self, opened: OpenedArticle | None, completions: list[str] | None = None) -> None:
        self.save_note()
        self.setEnabled(opened is not None)
        if opened is None:
            self.article_tags.set_tags(())
            self.model.set_highlights(())
            self.review.set_highlights(())
            self.count.setText("<b>Highlights</b>")
            self._show_highlight(None)
            return
        self.article_tags.set_tags(opened.user_tags, opened.article.tags + opened.article.categories,
                                   subject=opened.article.relpath)
        for editor in (self.article_tags, self.highlight_tags):
            editor.set_completions(completions or [])
        self.set_highlights(opened)

    def set_highlights(self, opened: OpenedArticle, select_id: str | None = None) -> None:
        keep = select_id or self._current_id
        self.save_note()
        self.model.set_highlights(opened.highlights)
        pending = self.review.set_highlights(opened.highlights, select_id)
        text = f"<b>Highlights ({len(opened.highlights)})</b>"
        self.count.setText(text + (f" · <span style='color:#b45309'>{pending} need review</span>" if pending else ""))
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self._reloading = True  # the model holds the stored note now (an undo, say): the editor's is stale
            try:
                self.list.selectionModel().setCurrentIndex(
                    self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
            finally:
                self._reloading = False
        self._show_highlight(self.model.placed(row) if row >= 0 else None)

    def set_meanings(self, meanings: dict[str, str]) -> None:
        """Name the colours as the user named them (pink — disagree): buttons, list tooltips, editor."""
        self._meanings = dict(meanings)
        for button in self.colours.buttons():
            name = button.objectName().removeprefix("colour-")
            button.setToolTip(f"Colour this highlight {colour_label(name, meanings)}")
        self.model.set_meanings(meanings)
        self._show_colour_name()

    def retint(self) -> None:
        """The reading theme changed: the colour buttons in its tints."""
        for button in self.colours.buttons():
            button.setIcon(swatch(button.objectName().removeprefix("colour-"), 18))

    def _show_colour_name(self) -> None:
        row = self.model.row_of(self._current_id) if self._current_id else -1
        colour = self.model.placed(row).highlight.colour if row >= 0 else None
        self.colour_name.setText(colour_label(colour, self._meanings) if colour else "")

    def current_highlight_id(self) -> str | None:
        return self._current_id

    # -- internals -----------------------------------------------------------------------------------
    def _show_highlight(self, placed: PlacedHighlight | None) -> None:
        self._loading = True
        self._current_id = placed.highlight.id if placed else None
        self.editor.setVisible(placed is not None)
        self.empty_hint.setVisible(self.model.rowCount() == 0)
        highlight = placed.highlight if placed else None
        for button in self.colours.buttons():
            button.setChecked(highlight is not None and button.objectName() == f"colour-{highlight.colour}")
        if highlight is None or self.note.toPlainText() != highlight.note:
            self.note.setPlainText(highlight.note if highlight else "")
        self._note_timer.stop()
        self.highlight_tags.set_tags(highlight.tags if highlight else (), subject=self._current_id)
        self._show_colour_name()
        self._loading = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.save_note()
        self._show_highlight(self.model.placed(current.row()) if current.isValid() else None)

    def _review_activated(self, highlight_id: str) -> None:
        """A highlight chosen in the review list is chosen in the highlight list too, and shown."""
        row = self.model.row_of(highlight_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))
        self.highlight_activated.emit(highlight_id)

    def _activated(self, index: QModelIndex) -> None:
        self.highlight_activated.emit(index.data(HIGHLIGHT_ID_ROLE))

    def _request(self, field: str, value: object) -> None:
        if self._current_id is not None and not self._loading:
            self.highlight_change_requested.emit(self._current_id, {field: value})

    def save_note(self) -> None:
        """Send a pending note edit now (also called before anything else changes)."""
        self._note_timer.stop()
        if self._note_dirty() and not self._saving and not self._reloading:
            self._saving = True  # saving refreshes the panel, which would save again
            try:
                self._request("note", self.note.toPlainText())
            finally:
                self._saving = False

    def _note_dirty(self) -> bool:
        row = self.model.row_of(self._current_id) if self._current_id else -1
        return row >= 0 and self.model.placed(row).highlight.note != self.note.toPlainText()

    def _delete(self) -> None:
        if self._current_id is not None:
            self.highlight_delete_requested.emit(self._current_id)
