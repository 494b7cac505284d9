"""Work split across turns of the event loop, so that what is pending (a paint, the stall watchdog's
tick) runs in between and no single turn holds the UI thread long."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

__all__ = ["next_turn"]


def next_turn(parent: QObject, slot: Callable[[], object]) -> QTimer:
    """A single-shot timer that calls `slot` at the next turn of the event loop once started (`start()`;
    `stop()` drops it). A timer, not QTimer.singleShot(0) or a queued call: those run before the loop
    turns, in the same pass as the work that asked for them."""
    timer = QTimer(parent, singleShot=True, interval=0)
    timer.timeout.connect(slot)
    return timer
