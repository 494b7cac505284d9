"""The linters the README promises: ruff everywhere, mypy strict on every package (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT


def test_ruff() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], capture_output=True, text=True,
                            cwd=PROJECT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_everywhere() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
