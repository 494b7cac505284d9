"""Lectern's log: a rotating file in the user's log folder (every build, every command), faulthandler's
tracebacks in the same file, and stderr as well with --verbose. Startup milestones are logged with the
time since the process started, so anyone can see where the time goes."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from desktop.paths import log_dir

__all__ = ["configure_logging", "milestone", "process_age_ms", "LOG_FILE_NAME"]

LOG_FILE_NAME = "lectern.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_IMPORTED = time.monotonic()
_fault_file: TextIO | None = None  # kept open: faulthandler writes to its descriptor when the process dies
log = logging.getLogger("lectern.startup")


def _process_start() -> float:
    """When this process started, on the monotonic clock. Linux knows it exactly (/proc); elsewhere the
    moment Lectern's code was first imported stands in for it (a few tens of milliseconds later)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_ticks = int(fields[19])  # field 22 of stat(5), counted after the ")" of the command name
        since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
        age = since_boot - started_ticks / os.sysconf("SC_CLK_TCK")
        return time.monotonic() - max(0.0, age)
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED


_STARTED = _process_start()


def process_age_ms() -> int:
    return round((time.monotonic() - _STARTED) * 1000)


def milestone(words: str) -> None:
    """Log that `words` happened now, as `words at NNN ms` (since the process started)."""
    log.info("%s at %d ms", words, process_age_ms())


def configure_logging(verbose: bool = False, folder: Path | None = None) -> Path | None:
    """Log INFO and up to `lectern.log` (1 MB, 3 old files kept) and, when `verbose`, to stderr too.
    Returns the log file, or None when the folder cannot be written (logging must never stop Lectern)."""
    global _fault_file
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "lectern", False):  # configured before (tests, a second window): replace
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(_FORMAT)
    path: Path | None = (folder or log_dir()) / LOG_FILE_NAME
    handlers: list[logging.Handler] = []
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(path, maxBytes=1 << 20, backupCount=3,
                                                             encoding="utf-8"))
        if _fault_file is None and not faulthandler.is_enabled():
            _fault_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
            faulthandler.enable(_fault_file)
    except OSError as error:
        print(f"lectern: cannot write the log in {path}: {error}", file=sys.stderr)
        path = None
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.lectern = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return path
