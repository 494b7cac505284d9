"""Moving the keyboard focus between the window's panes (F6 and Shift+F6, as browsers do), so that
an article can be read and left without the mouse or a row of Tab presses."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["FocusCycle"]


class FocusCycle(QObject):
    """`panes` gives, in order, the widget that takes the focus in each pane (hidden ones are skipped)."""

    def __init__(self, panes: Callable[[], list[QWidget]], parent: QWidget) -> None:
        super().__init__(parent)
        self._panes = panes
        self.next_action = QAction("Next &Pane", parent)
        self.next_action.setShortcut(QKeySequence("F6"))
        self.next_action.triggered.connect(lambda: self.move(1))
        self.previous_action = QAction("Previous Pa&ne", parent)
        self.previous_action.setShortcut(QKeySequence("Shift+F6"))
        self.previous_action.triggered.connect(lambda: self.move(-1))

    def move(self, step: int) -> None:
        panes = [pane for pane in self._panes() if pane.isVisible()]
        if not panes:
            return
        focused = QApplication.focusWidget()
        current = next((number for number, pane in enumerate(panes)
                        if focused is not None and (focused is pane or pane.isAncestorOf(focused))), None)
        target = panes[0 if current is None and step > 0 else ((current or 0) + step) % len(panes)]
        target.setFocus()
