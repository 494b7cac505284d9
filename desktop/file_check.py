"""Whether a corpus's files are still as the search index last saw them, asked of a process of its own.

A restart must stat() every file (60,000 of them: 0.2 s of system calls, 0.4 s of Python around them).
On a thread beside the tree's build, each of those calls hands the interpreter lock back and waits to
take it again, and the two together took 1.6 s to finish (measured). In another process, started while
the window is being built, the comparison runs on the other core: the window hears only "unchanged", or
gets the listing in small pieces when something changed."""

from __future__ import annotations

import marshal
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, cast

from desktop.core.corpus import FileStamp, ListedFile, list_unless_unchanged
from desktop.helper_process import HelperProcess, HelperStopped
from desktop.store.index_generation import snapshot_stamps

__all__ = ["FileCheck", "FileChecker", "HelperStopped", "check_files"]

_PIECE = 4000  # files per piece of a listing: each is loaded in a few milliseconds, the UI thread never waits long


class FileCheck(NamedTuple):
    generation: str | None  # the index write the files were compared with (None: nothing to compare with)
    files: list[ListedFile] | None  # every file with its stamp; None: each is as that index write knew it


def check_files(request: object) -> tuple[str | None, list[bytes] | None]:
    """In the helper process: (the index generation compared with, None) when nothing changed, else
    (that generation or None, the listing as marshalled pieces)."""
    root, index_path = cast(tuple[Path, Path], request)
    known = snapshot_stamps(index_path)
    generation, stamps = known if known is not None else (None, {})
    listed = list_unless_unchanged(root, stamps)
    if listed is None:
        return generation, None
    return generation, [marshal.dumps(listed[start:start + _PIECE]) for start in range(0, len(listed), _PIECE)]


class FileChecker(HelperProcess):
    def __init__(self) -> None:
        super().__init__("lectern-file-check", check_files)

    def check_ahead(self, root: Path, index_path: Path) -> None:
        """Start comparing now (while the window is being built); `check` of the same corpus takes the answer.
        The files are then as they were a moment after Lectern started, as good as when the corpus opens."""
        self.send_ahead((root, index_path))

    def check(self, root: Path, index_path: Path) -> FileCheck:
        """Compare `root`'s files with the snapshot of what the index at `index_path` knows (from any thread)."""
        answer = self.call((root, index_path), f"checking the files of {root}")
        generation, pieces = cast(tuple[str | None, list[bytes] | None], answer)
        if pieces is None:
            return FileCheck(generation, None)
        return FileCheck(generation, _listed_files(pieces))


def _listed_files(pieces: list[bytes]) -> list[ListedFile]:
    """The checker's answer, pieces of (relpath, size, mtime, ctime) rows, as listed files. Each piece is
    made in C (each tuple by tuple.__new__ through map), and the interpreter lock can change hands between
    pieces: a comprehension calling each named tuple's own constructor, which is Python, kept a worker busy
    ~100 ms for 60,000 files, the UI thread waiting for the lock."""
    files: list[ListedFile] = []
    for piece in pieces:
        rows = marshal.loads(piece)
        stamps = map(tuple.__new__, repeat(FileStamp), map(itemgetter(1, 2, 3), rows))
        files += map(tuple.__new__, repeat(ListedFile), zip(map(itemgetter(0), rows), stamps, strict=True))
    return files
