"""The image cache: remote images kept for offline reading, as content-addressed files
(`ab/<sha256>.png`) under one folder, with a small SQLite index from URL to file or failure.

Derived data, shared by every corpus and apart from the annotations and the search indexes: deleting
the folder is always safe (images are fetched again on request)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from desktop.core.errors import StoreError
from desktop.core.images import FailedImage, ImageLookup, KeptImage

__all__ = ["ImageCache", "CacheSize", "IncomingImage", "default_image_folder"]

_SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS images (
    url TEXT PRIMARY KEY,
    sha256 TEXT,            -- the kept file's hash (its name), NULL for a failure
    kind TEXT,              -- png, jpg, gif, webp, bmp
    reason TEXT,            -- why it was not kept, NULL when it was
    bytes INTEGER NOT NULL DEFAULT 0,
    width INTEGER,          -- in pixels, from the file's header (NULL when it does not say)
    height INTEGER,
    fetched_at TEXT NOT NULL
);
"""
_QUERY_CHUNK = 500  # SQLite's limit on bound parameters is 999 in old builds


def default_image_folder(cache_root: Path) -> Path:
    return cache_root / "images"


@dataclass(frozen=True)
class CacheSize:
    images: int
    bytes: int


class IncomingImage:
    """An image being written into the cache while it downloads: hashed as it streams, given its name
    (its hash) only when complete, so a cancelled or failed download leaves nothing behind."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        self._file: BinaryIO = os.fdopen(handle, "wb")
        self._path = Path(name)
        self._folder = folder
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def keep(self, kind: str) -> tuple[str, Path]:
        """Give the complete file its content address; the same image from two URLs is kept once."""
        self._file.close()
        digest = self._hash.hexdigest()
        target = self._folder / digest[:2] / f"{digest}.{kind}"
        target.parent.mkdir(exist_ok=True)
        os.replace(self._path, target)
        return digest, target

    def discard(self) -> None:
        self._file.close()
        self._path.unlink(missing_ok=True)


class ImageCache:
    """The cache folder and its index. Every call opens its own short connection, so one cache may be
    used from any thread (downloads run on workers while the window reads)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index_path = folder / "index.sqlite"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.index_path, timeout=10)) as conn:
                if conn.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
                    # Derived data: an index of another version is started afresh, never migrated.
                    conn.executescript(f"DROP TABLE IF EXISTS images; {_SCHEMA} PRAGMA user_version={_SCHEMA_VERSION};")
                with conn:
                    yield conn
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"the image cache in {self.folder} cannot be used: {error}") from error

    def _file(self, digest: str, kind: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.{kind}"

    def lookup(self, urls: Iterable[str]) -> ImageLookup:
        """What the cache knows of these URLs: kept (with a file that is still there) or failed."""
        wanted = list(dict.fromkeys(urls))
        if not wanted or not self.index_path.exists():  # reading never creates the cache
            return {}
        found: ImageLookup = {}
        with self._connect() as conn:
            for start in range(0, len(wanted), _QUERY_CHUNK):
                chunk = wanted[start:start + _QUERY_CHUNK]
                rows = conn.execute(f"SELECT url, sha256, kind, reason, width, height FROM images WHERE url IN "
                                    f"({','.join('?' * len(chunk))})", chunk)
                for url, digest, kind, reason, width, height in rows:
                    if digest is not None:
                        path = self._file(digest, kind)
                        if path.is_file():
                            found[url] = KeptImage(path, width, height)
                    else:
                        found[url] = FailedImage(reason)
        return found

    def incoming(self) -> IncomingImage:
        return IncomingImage(self.folder)

    def record_kept(self, url: str, digest: str, kind: str, size: int, pixels: tuple[int, int] | None) -> None:
        self._record(url, digest, kind, None, size, pixels or (None, None))

    def record_failure(self, url: str, reason: str) -> None:
        self._record(url, None, None, reason, 0, (None, None))

    def _record(self, url: str, digest: str | None, kind: str | None, reason: str | None, size: int,
                pixels: tuple[int | None, int | None]) -> None:
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO images (url, sha256, kind, reason, bytes, width, height, fetched_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (url, digest, kind, reason, size, *pixels, datetime.now(UTC).isoformat(timespec="seconds")))

    def record_undecodable(self, path: Path, reason: str) -> None:
        """A kept file that turned out not to decode: every URL kept as it becomes a failure, the file goes."""
        with self._connect() as conn:
            conn.execute("UPDATE images SET sha256 = NULL, kind = NULL, reason = ?, bytes = 0 WHERE sha256 = ?",
                         (reason, path.stem))
        path.unlink(missing_ok=True)

    def size(self) -> CacheSize:
        """How many images are kept and the bytes their files take (an image kept for two URLs, once)."""
        if not self.index_path.exists():
            return CacheSize(0, 0)
        with self._connect() as conn:
            images, total = conn.execute(
                "SELECT count(*), coalesce(sum(bytes), 0) FROM "
                "(SELECT max(bytes) AS bytes FROM images WHERE sha256 IS NOT NULL GROUP BY sha256)").fetchone()
        return CacheSize(images, total)

    def clear(self) -> None:
        """Delete every kept image and the index: the articles show placeholders until fetched again."""
        if not self.folder.exists():
            return
        try:
            shutil.rmtree(self.folder)
        except OSError as error:
            raise StoreError(f"the image cache in {self.folder} cannot be cleared: {error}") from error
