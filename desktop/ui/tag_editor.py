"""Tags as a line of removable chips plus a field that completes from the tags already in use.
Used for an article's tags and for a highlight's."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.core.tags import normalize_tag

__all__ = ["TagEditor"]


def _once(names: Iterable[str]) -> tuple[str, ...]:
    """`names` without repeats, whatever their case, in order."""
    kept: dict[str, str] = {}
    for name in names:
        kept.setdefault(name.casefold(), name)
    return tuple(kept.values())


class _TagField(QLineEdit):
    """A tag field whose Enter takes the completion highlighted in the open popup (the first one,
    unless another is chosen or the text typed is a tag already): typing 重 while 重要 is offered adds
    重要. Escape closes the popup; Enter then adds the text as typed."""

    def __init__(self, completer: QCompleter) -> None:
        super().__init__()
        self.setCompleter(completer)
        # After the completer has filtered its list for the new text.
        self.textEdited.connect(lambda: QTimer.singleShot(0, self, self._highlight_best_completion))

    def _popup(self) -> QAbstractItemView:
        popup = self.completer().popup()
        assert popup is not None  # a completer makes its popup when first asked for it
        return popup

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self._popup()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and popup.isVisible():
            chosen = popup.currentIndex()
            popup.hide()
            if chosen.isValid():
                self.setText(chosen.data())
            super().keyPressEvent(event)  # returnPressed: the tag is added
            event.accept()  # the completer must not complete the field again after the tag is added
            return
        super().keyPressEvent(event)

    def _highlight_best_completion(self) -> None:
        completer, popup = self.completer(), self._popup()
        if not popup.isVisible():
            return
        offered = completer.completionModel()
        typed = self.text().strip().casefold()
        rows = range(offered.rowCount())
        best = next((row for row in rows if str(offered.index(row, 0).data()).casefold() == typed), 0)
        # Quietly: the completer would put the highlighted tag in the field, and the next character typed
        # would go after it.
        completer.blockSignals(True)
        try:
            popup.setCurrentIndex(offered.index(best, 0))
        finally:
            completer.blockSignals(False)


class _Chips(QLabel):
    """The tags as links: Tab and Shift+Tab go from tag to tag, Enter removes the one with the focus."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setAccessibleName("Tags")
        self.setAccessibleDescription("Tab to a tag, then press Enter to remove it")

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Tabbing in lands on the first tag (Shift+Tab on the last), not on the line of them as a whole.
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.focusNextPrevChild(event.reason() == Qt.FocusReason.TabFocusReason)


class TagEditor(QWidget):
    tags_change_requested = Signal(tuple)  # the complete new list of the user's tags

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: tuple[str, ...] = ()
        self._fixed: tuple[str, ...] = ()
        self._subject: object = None
        self.chips = _Chips()
        self.chips.linkActivated.connect(self._remove)
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field = _TagField(completer)
        self.field.setPlaceholderText(placeholder)
        self.field.setAccessibleName(placeholder.rstrip("…"))
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self._add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chips)
        layout.addWidget(self.field)

    def set_tags(self, tags: Iterable[str], fixed: Iterable[str] = (), subject: object = None) -> None:
        """`tags` are the user's (removable); `fixed` come from the article's front matter. Text typed
        but not entered belongs to `subject` (an article, a highlight): it goes when that changes."""
        if subject != self._subject:
            self.field.clear()
            self._subject = subject
        self._tags, self._fixed = tuple(tags), _once(fixed)  # a tag named like a category: shown once
        # The theme's colours (its palette), so that the chips read on a dark or sepia panel as on a light one.
        palette = self.chips.palette()
        muted, link = (palette.color(QPalette.ColorRole.PlaceholderText).name(),
                       palette.color(QPalette.ColorRole.Link).name())
        chips = [f"<span style='color:{muted}' title='from the article'>#{html.escape(t)}</span>" for t in self._fixed]
        chips += [
            f"<a href='{index}' style='color:{link}; text-decoration:none' title='Remove #{html.escape(t)}'>"
            f"#{html.escape(t)} ✕</a>"
            for index, t in enumerate(self._tags)
        ]
        # Only removable tags are worth a stop on the way through the panel with Tab.
        self.chips.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self._tags else Qt.FocusPolicy.NoFocus)
        self.chips.setText("&nbsp;&nbsp;".join(chips) or f"<span style='color:{muted}'>No tags yet</span>")

    def set_completions(self, names: Iterable[str]) -> None:
        self._completions.setStringList(list(names))

    def tags(self) -> tuple[str, ...]:
        return self._tags

    def _add(self) -> None:
        tag = normalize_tag(self.field.text())
        self.field.clear()
        if tag and tag.casefold() not in {t.casefold() for t in self._tags}:
            self.tags_change_requested.emit(self._tags + (tag,))

    def _remove(self, link: str) -> None:
        index = int(link)
        self.tags_change_requested.emit(self._tags[:index] + self._tags[index + 1:])
