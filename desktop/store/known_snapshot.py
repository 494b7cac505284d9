"""A snapshot, beside the search index, of what the index knows of each file (stamp, title, facets): the
rows a restart needs to show the whole corpus tree. Read back from SQLite and split into fields, 60,000
rows cost about 0.8 s; loaded from this file, about a third of that.

It is derived from derived data: it names the index generation it was taken at, and anything unexpected
(another generation, another format, a damaged file) makes the caller read the index instead.

Its first record after the header holds the files' stamps alone, by path: comparing them with the disk
needs nothing else, and reads a tenth of the file."""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["read_snapshot", "read_stamps", "write_snapshot", "snapshot_path", "Stamps"]

_FORMAT = "lectern-known-3"  # 3: tags and categories interned (desktop.store.search_index._shared)
# Rows per marshal record. Loading one record holds the interpreter lock throughout, and while the window
# paints, each of its many calls into Python may wait for one: records of 4,000 rows took 6-17 ms each,
# of 1,000 rows they take 1.5-4 ms.
_CHUNK = 1000
_LENGTH = 8  # bytes before each record: its length

Row = tuple[Any, ...]
Stamps = dict[str, tuple[int, int, int]]  # relpath: (size, mtime_ns, ctime_ns)


def snapshot_path(index_path: Path) -> Path:
    return index_path.with_name(index_path.name + ".known")


def _chunks(rows: Sequence[Row]) -> list[list[Row]]:
    return [list(rows[start:start + _CHUNK]) for start in range(0, len(rows), _CHUNK)]


def write_snapshot(path: Path, generation: str, rows: Sequence[Row], stamps: Stamps) -> None:
    """Replace the snapshot at once (a reader sees the old one or the new one). Failing to write is not
    an error: the index is still there to read."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".known-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            records: list[Any] = [(_FORMAT, generation, len(rows)), stamps, *_chunks(rows)]
            for record in records:
                data = marshal.dumps(record)
                file.write(len(data).to_bytes(_LENGTH, "little"))
                file.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def read_snapshot(path: Path, generation: str) -> list[Row] | None:
    """The rows taken at `generation`, or None when there is no such snapshot."""
    try:
        count, records = _records(path, generation)
        next(records)  # the stamps: not loaded
        rows: list[Row] = []
        for record in records:
            rows += marshal.loads(record)
    except (OSError, EOFError, ValueError, TypeError, IndexError, StopIteration):
        return None
    return rows if len(rows) == count else None


def read_stamps(path: Path, generation: str) -> Stamps | None:
    """The files' stamps taken at `generation`, or None when there is no such snapshot: the header and
    the stamps are read, not the rows after them."""
    try:
        with path.open("rb") as file:
            count = _count(_record(file), generation)
            stamps = marshal.loads(_record(file))
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        return None
    return stamps if isinstance(stamps, dict) and len(stamps) == count else None


def _record(file: BinaryIO) -> bytes:
    length = int.from_bytes(file.read(_LENGTH), "little")
    data = file.read(length)
    if len(data) < length:
        raise EOFError("the snapshot is cut short")
    return data


def _records(path: Path, generation: str) -> tuple[int, Iterator[memoryview]]:
    """How many rows the snapshot holds, and its records after the header, each still to be loaded."""
    data = memoryview(path.read_bytes())  # marshal.load() on a file reads it in small pieces: slow
    pieces = _pieces(data)
    return _count(next(pieces), generation), pieces


def _count(header_record: bytes | memoryview, generation: str) -> int:
    """The number of rows the header says the snapshot holds. A snapshot of another generation or format
    is as good as none (ValueError)."""
    header = marshal.loads(header_record)
    if not (isinstance(header, tuple) and header[:2] == (_FORMAT, generation)):
        raise ValueError("a snapshot of another index")
    count: int = header[2]
    return count


def _pieces(data: memoryview) -> Iterator[memoryview]:
    at = 0
    while at < len(data):
        length = int.from_bytes(data[at:at + _LENGTH], "little")
        at += _LENGTH
        if at + length > len(data):
            raise EOFError("the snapshot is cut short")
        yield data[at:at + length]
        at += length
