"""The bar above the corpus tree that narrows it: to one tag (the articles' own or the user's), typed with
completion among thousands, and to annotated articles. The tree itself is rebuilt, filtered, on a worker."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QCompleter, QHBoxLayout, QLineEdit, QWidget

__all__ = ["CorpusFilterBar"]

_TYPING_PAUSE_MS = 250


class CorpusFilterBar(QWidget):
    filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag = QLineEdit()
        self.tag.setPlaceholderText("Filter by tag…")
        self.tag.setClearButtonEnabled(True)
        self.tag.setToolTip("Show only articles with this tag (the article's own or yours)")
        self.tag.setAccessibleName("Filter by tag")
        self._names = QStringListModel(self)
        self._offered: list[str] = []
        self._folded: dict[str, str] = {}
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._changed)
        self.tag.setCompleter(completer)
        self.annotated = QCheckBox("Annotated")
        self.annotated.setToolTip("Show only articles with highlights or tags of yours")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tag, 1)
        layout.addWidget(self.annotated)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(_TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._changed)
        self.tag.textEdited.connect(lambda _text: self._pause.start())
        self.tag.returnPressed.connect(self._changed)
        self.tag.textChanged.connect(self._text_changed)
        self.annotated.toggled.connect(self.filter_changed)
        self._applied: str | None = None

    def set_tags(self, names: list[str], spellings: dict[str, str]) -> None:
        """The tags offered (one spelling each, in order), and the same by case-folded name."""
        if names != self._offered:  # compared here: asking Qt for 10,000 strings back costs more
            self._offered = names
            self._names.setStringList(names)
            self._folded = spellings

    def chosen_tag(self) -> str | None:
        """The tag typed, when it is one of the tags offered (in any case)."""
        return self._folded.get(self.tag.text().strip().casefold())

    def choose_tag(self, name: str | None) -> None:
        self.tag.setText(name or "")
        self._changed()

    def _text_changed(self, text: str) -> None:
        if not text:  # the clear button: no need to wait for a pause
            self._changed()

    def _changed(self) -> None:
        self._pause.stop()
        chosen = self.chosen_tag()
        if chosen != self._applied:
            self._applied = chosen
            self.filter_changed.emit()
