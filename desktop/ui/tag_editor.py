"""Tags as a line of removable chips plus a field that completes from the tags already in use.
Used for an article's tags and for a highlight's."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.core.tags import normalize_tag

__all__ = ["TagEditor"]


class TagEditor(QWidget):
    tags_change_requested = Signal(tuple)  # the complete new list of the user's tags

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: tuple[str, ...] = ()
        self._fixed: tuple[str, ...] = ()
        self._subject: object = None
        self.chips = QLabel()
        self.chips.setWordWrap(True)
        self.chips.setTextFormat(Qt.TextFormat.RichText)
        self.chips.linkActivated.connect(self._remove)
        self.field = QLineEdit()
        self.field.setPlaceholderText(placeholder)
        self.field.setClearButtonEnabled(True)
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)
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
        self._tags, self._fixed = tuple(tags), tuple(fixed)
        chips = [f"<span style='color:#52525b' title='from the article'>#{html.escape(t)}</span>" for t in self._fixed]
        chips += [
            f"<a href='{index}' style='color:#1d4ed8; text-decoration:none' title='remove'>#{html.escape(t)} ✕</a>"
            for index, t in enumerate(self._tags)
        ]
        self.chips.setText("&nbsp;&nbsp;".join(chips) or "<span style='color:#a1a1aa'>No tags yet</span>")

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
