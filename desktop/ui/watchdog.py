"""Notices when the UI thread was blocked: a timer that should tick every few milliseconds, and a
WARNING `UI stalled NNN ms` in the log whenever a tick comes late by more than the threshold. It costs
nothing to leave on, so every build says where the window froze."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Qt, QTimer

__all__ = ["StallWatchdog", "STALL_THRESHOLD_MS"]

STALL_THRESHOLD_MS = 100
_TICK_MS = 20
log = logging.getLogger("lectern.watchdog")


class StallWatchdog(QObject):
    def __init__(self, parent: QObject | None = None, threshold_ms: int = STALL_THRESHOLD_MS) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.longest_ms = 0  # the longest stall seen, for benchmarks
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(_TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        stalled = round((now - self._last) * 1000) - _TICK_MS
        self._last = now
        if stalled > self.threshold_ms:
            self.longest_ms = max(self.longest_ms, stalled)
            log.warning("UI stalled %d ms", stalled)
