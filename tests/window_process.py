"""Run Lectern's window in a process of its own, as a desktop starts it, until it reaches a milestone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.conftest import PROJECT


def run_window_until(args: list[str], milestone: str) -> int:
    """Start `lectern ARGS` (offscreen, logging to stderr), wait for `milestone` in its log, then send
    SIGTERM (as a logout or `kill` does); return its exit status."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "-m", "desktop", "--verbose", *args], cwd=PROJECT, env=env,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and milestone not in process.stderr.readline():
            pass
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=30)
    finally:
        process.kill()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()


def run_lectern(args: list[str], timeout: float = 60) -> int:
    """Run `lectern ARGS` (offscreen) to its end; its exit status."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=PROJECT, env=env, timeout=timeout,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
