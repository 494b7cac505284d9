"""When the window is on screen: after its first paint, not when show() returns. That paint is part of
starting (as building the window is), and takes 60-180 ms while a large corpus opens beside it; the
"window shown" milestone and the stall watchdog both start from there."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from desktop.ui.next_turn import next_turn

__all__ = ["once_painted"]


class _FirstExpose(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then = then
        self._after_paint = next_turn(self, self._painted)
        self._window = widget.windowHandle()
        if self._window is None or self._window.isExposed():
            self._after_paint.start()
        else:
            self._window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and self._window is not None and self._window.isExposed():
            self._window.removeEventFilter(self)
            self._after_paint.start()  # the paint this expose asks for is done within it
        return False

    def _painted(self) -> None:
        self.deleteLater()
        self._then()


def once_painted(widget: QWidget, then: Callable[[], object]) -> None:
    """Call `then` at the turn of the event loop after `widget`'s window (shown) is first painted."""
    _FirstExpose(widget, then)
