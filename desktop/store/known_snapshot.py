"""A snapshot, beside the search index, of what the index knows of each file (stamp, title, facets): the
rows a restart needs to show the whole corpus tree. Read back from SQLite and split into fields, 60,000
rows cost about 0.8 s; loaded from this file, about a third of that.

It is derived from derived data: it names the index generation it was taken at, and anything unexpected
(another generation, another format, a damaged file) makes the caller read the index instead."""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["read_snapshot", "write_snapshot", "snapshot_path"]

_FORMAT = "lectern-known-1"
# Rows per marshal record. Loading one record holds the interpreter lock throughout; in records of a few
# thousand rows (a few milliseconds each) the UI thread is never kept waiting long.
_CHUNK = 4000
_LENGTH = 8  # bytes before each record: its length

Row = tuple[Any, ...]


def snapshot_path(index_path: Path) -> Path:
    return index_path.with_name(index_path.name + ".known")


def _chunks(rows: Sequence[Row]) -> list[list[Row]]:
    return [list(rows[start:start + _CHUNK]) for start in range(0, len(rows), _CHUNK)]


def write_snapshot(path: Path, generation: str, rows: Sequence[Row]) -> None:
    """Replace the snapshot at once (a reader sees the old one or the new one). Failing to write is not
    an error: the index is still there to read."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".known-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            records: list[Any] = [(_FORMAT, generation, len(rows)), *_chunks(rows)]
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
        data = memoryview(path.read_bytes())  # marshal.load() on a file reads it in small pieces: slow
        records = _records(data)
        header = next(records)
        if not (isinstance(header, tuple) and header[:2] == (_FORMAT, generation)):
            return None
        rows: list[Row] = []
        for chunk in records:
            rows += chunk
    except (OSError, EOFError, ValueError, TypeError, IndexError, StopIteration):
        return None
    return rows if len(rows) == header[2] else None


def _records(data: memoryview) -> Iterator[Any]:
    at = 0
    while at < len(data):
        length = int.from_bytes(data[at:at + _LENGTH], "little")
        at += _LENGTH
        if at + length > len(data):
            raise EOFError("the snapshot is cut short")
        yield marshal.loads(data[at:at + length])
        at += length
