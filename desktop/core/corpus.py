"""Scanning a corpus folder into entries for the tree, with progress, cancellation and a reason for
every file that could not be read."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from desktop.core.documents import ARTICLE_SUFFIXES, load_article
from desktop.core.errors import DocumentError, LecternError
from desktop.core.model import CorpusEntry, CorpusScan, SkippedFile

__all__ = ["find_article_files", "scan_corpus", "Progress", "Cancelled"]

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


def scan_corpus(root: Path, progress: Progress | None = None, cancelled: Cancelled | None = None) -> CorpusScan:
    root = root.resolve()
    files = find_article_files(root)
    entries: list[CorpusEntry] = []
    skipped: list[SkippedFile] = []
    for done, path in enumerate(files, start=1):
        if cancelled is not None and cancelled():
            return CorpusScan(root, tuple(entries), tuple(skipped), cancelled=True)
        try:
            entries.append(CorpusEntry.of(load_article(path, root)))
        except DocumentError as error:
            skipped.append(SkippedFile(path.relative_to(root).as_posix(), str(error)))
        if progress is not None:
            progress(done, len(files))
    return CorpusScan(root, tuple(entries), tuple(skipped))
