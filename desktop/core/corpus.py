"""Which files of a folder are articles, and the callbacks long corpus jobs report through."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from desktop.core.documents import ARTICLE_SUFFIXES
from desktop.core.errors import LecternError

__all__ = ["find_article_files", "Progress", "Cancelled"]

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


def find_article_files(root: Path) -> list[Path]:
    """Article files below `root`, sorted. Symbolic links to folders are not followed (no loops);
    hidden folders (.git, .obsidian) are skipped."""
    if not root.is_dir():
        raise LecternError(f"{root} is not a folder")
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root, followlinks=False, onerror=None):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(Path(folder) / name for name in files if Path(name).suffix.lower() in ARTICLE_SUFFIXES)
    return sorted(found)
