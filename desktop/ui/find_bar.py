"""Find in the open article (Ctrl+F): next, previous and how many matches."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from desktop.core.snippets import find_matches

__all__ = ["FindBar", "CommandField"]


class CommandField(QLineEdit):
    """A field that reports Enter (+1, or -1 with Shift) and Escape."""

    step_requested = Signal(int)
    close_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step_requested.emit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        elif event.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
        else:
            super().keyPressEvent(event)


def _symbol_button(symbol: str, name: str, key: str) -> QToolButton:
    """A button showing only a symbol: a screen reader says its name, a pointer shows it with its key."""
    button = QToolButton()
    button.setText(symbol)
    button.setAccessibleName(name)
    button.setToolTip(f"{name} ({key})")
    return button


class FindBar(QWidget):
    match_chosen = Signal(int, int)  # a match to show, as plain-text offsets
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = CommandField()
        self.field.setPlaceholderText("Find in article")
        self.field.setAccessibleName("Find in article")
        self.field.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setAccessibleName("Matches")
        previous = _symbol_button("▲", "Previous match", "Shift+Enter")
        following = _symbol_button("▼", "Next match", "Enter")
        close = _symbol_button("✕", "Close find bar", "Escape")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        for widget in (self.field, self.count, previous, following, close):
            layout.addWidget(widget)
        self._text = ""
        self._matches: list[tuple[int, int]] = []
        self._current = -1
        self.field.textChanged.connect(self._search)
        self.field.step_requested.connect(self.step)
        self.field.close_requested.connect(self.close_bar)
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        close.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self, text: str) -> None:
        self._text = text
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self._search(self.field.text())

    def set_text(self, text: str) -> None:
        """The article changed under the bar."""
        self._text = text
        if self.isVisible():
            self._search(self.field.text())

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def _search(self, query: str) -> None:
        self._matches = find_matches(self._text, [query]) if query.strip() else []
        self._current = -1
        self.step(1)

    def step(self, direction: int) -> None:
        if not self._matches:
            self.count.setText("No matches" if self.field.text().strip() else "")
            return
        self._current = (self._current + direction) % len(self._matches)
        self.count.setText(f"{self._current + 1} of {len(self._matches)}")
        self.match_chosen.emit(*self._matches[self._current])
