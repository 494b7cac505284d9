"""Which files of a folder are articles, how to tell a changed file from an unchanged one without reading
it, and the callbacks long corpus jobs report through."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from desktop.core.errors import LecternError

__all__ = ["ARTICLE_SUFFIXES", "find_article_files", "list_article_names", "list_article_files",
           "list_unless_unchanged", "FileStamp", "ListedFile", "stamp_of", "Progress", "Cancelled"]

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})
Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


class FileStamp(NamedTuple):
    """What tells whether a file changed without reading it. (Tuples: 60,000 of them are made and
    compared on every start.)"""

    size: int
    mtime_ns: int
    ctime_ns: int  # also changes on a same-size edit whose mtime was put back, and on chmod


class ListedFile(NamedTuple):
    relpath: str
    stamp: FileStamp


def stamp_of(path: Path | str) -> FileStamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return FileStamp(status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def _article_folders(root: Path) -> Iterator[tuple[str, str, list[str]]]:
    """Each folder below `root` holding articles: (its path, its path relative to `root` ending in "/" or
    "" for `root` itself, its article file names). Symbolic links to folders are not followed (no loops);
    hidden folders (.git, .obsidian) are skipped."""
    if not root.is_dir():
        raise LecternError(f"{root} is not a folder")
    top = str(root)
    suffix_of = os.path.splitext
    for folder, subfolders, files in os.walk(top, followlinks=False, onerror=None):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        articles = [name for name in files if suffix_of(name)[1].lower() in ARTICLE_SUFFIXES]
        if articles:
            relative = folder[len(top) + 1:]
            yield folder, relative.replace(os.sep, "/") + "/" if relative else "", articles


def find_article_files(root: Path) -> list[Path]:
    """Article files below `root`, sorted."""
    return sorted(Path(folder) / name for folder, _, names in _article_folders(root) for name in names)


def list_article_names(root: Path) -> list[str]:
    """Article files below `root` as relative paths, sorted, without a stat() each: the quickest
    listing there is (a tenth of a second for 60,000 files), enough to show a tree of file names."""
    names = [relative + name for _, relative, names in _article_folders(root.resolve()) for name in names]
    names.sort()
    return names


@contextlib.contextmanager
def _opened_folder(folder: str) -> Iterator[int | None]:
    """A handle on `folder` to stat() its files relative to, or None where the system cannot."""
    if os.stat not in os.supports_dir_fd:
        yield None
        return
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield None
        return
    try:
        yield handle
    finally:
        os.close(handle)


def list_article_files(root: Path) -> list[ListedFile]:
    """Article files below `root` with their stamps, by relative path: a listing without reading any
    file (a file that vanishes meanwhile is left out)."""
    listed = [ListedFile(relpath, FileStamp(*stamp)) for relpath, stamp in _stamped_files(root)]
    listed.sort()  # by relative path (unique), in C
    return listed


def list_unless_unchanged(root: Path, known: dict[str, tuple[int, int, int]]) -> list[tuple[str, int, int, int]] | None:
    """None when the article files below `root` are exactly those of `known` (relpath: size, mtime_ns,
    ctime_ns), each with the same stamp; else every file with its stamp, sorted, as plain tuples (a
    process of its own answers this, and plain tuples cross the pipe quickest)."""
    listed = list(_stamped_files(root))
    if len(listed) == len(known) and all(known.get(relpath) == stamp for relpath, stamp in listed):
        return None
    return sorted((relpath, *stamp) for relpath, stamp in listed)


def _stamped_files(root: Path) -> Iterator[tuple[str, tuple[int, int, int]]]:
    """(relpath, (size, mtime_ns, ctime_ns)) of each article file below `root`. Each folder is opened once
    and its files stat()ed relative to it, which spares the kernel a path walk per file."""
    for folder, relative, names in _article_folders(root.resolve()):
        with _opened_folder(folder) as handle:
            for name in names:
                try:
                    status = os.stat(name, dir_fd=handle) if handle is not None else os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                yield relative + name, (status.st_size, status.st_mtime_ns, status.st_ctime_ns)
