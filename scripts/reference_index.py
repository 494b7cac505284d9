"""A reference indexing pipeline, for comparison only (scripts/benchmark.py scale): the same work as
Lectern's first full index (front matter, the article's text, the same CJK-bigram FTS5 columns, the
compressed text for snippets, the same tables) done the plainest way with the fastest parsers there are:
the C YAML loader, selectolax (lexbor) for HTML, cmarkgfm (C) for Markdown, two worker processes and one
writer. Needs `pip install selectolax cmarkgfm` (the `bench` extra).

    python scripts/reference_index.py CORPUS INDEX.db
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import sqlite3
import sys
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.search_text import index_columns  # noqa: E402 - the same tokens as Lectern's index
from desktop.store.search_index import SearchIndex  # noqa: E402 - only to create the same tables

_FRONT = re.compile(r"\A---\s*\n(.*?)^---\s*$", re.S | re.M)
_BATCH = 200
_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")


def _listed(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item) for item in value if item is not None)
    return (str(value),) if value else ()


def _one(root: str, relpath: str) -> tuple:  # type: ignore[type-arg]
    import cmarkgfm
    from selectolax.lexbor import LexborHTMLParser

    path = os.path.join(root, relpath)
    status = os.stat(path)
    raw = Path(path).read_bytes()
    text = raw.decode("utf-8", "replace")
    metadata: dict = {}  # type: ignore[type-arg]
    body = text
    if match := _FRONT.match(text):
        try:
            loaded = yaml.load(match.group(1), Loader=yaml.CSafeLoader)
            metadata = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError:
            metadata = {}
        body = text[match.end():]
    html = body if body.lstrip().startswith("<") else cmarkgfm.github_flavored_markdown_to_html(body)
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, svg, .katex-mathml"):
        node.decompose()
    plain = tree.text(separator=" ") if tree.body is not None else ""
    title = str(metadata.get("title") or Path(relpath).stem)
    tags, categories = _listed(metadata.get("tags")), _listed(metadata.get("categories"))
    description = str(metadata.get("description") or "")
    date = str(metadata.get("date") or "")[:10] or None
    columns = index_columns(title, plain, tags, categories, description)
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    return (relpath, status.st_size, status.st_mtime_ns, status.st_ctime_ns, digest, title, date, tags, categories,
            description, columns, zlib.compress(plain.encode("utf-8"), 6))


def _batch(root: str, relpaths: list[str]) -> list[tuple]:  # type: ignore[type-arg]
    return [_one(root, relpath) for relpath in relpaths]


def _extracted(root: str, batches: list[list[str]]) -> Iterator[list[tuple]]:  # type: ignore[type-arg]
    """Batches parsed by two worker processes. cmarkgfm's binding leaks about 50 KB a call, so the
    workers are replaced every 60 batches (Python 3.11's max_tasks_per_child can hang the pool)."""
    for start in range(0, len(batches), 60):
        part = batches[start:start + 60]
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield from pool.map(_batch, [root] * len(part), part)


def reference_index(corpus: Path, index: Path) -> float:
    """Index `corpus` into a fresh `index`; returns the seconds it took."""
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    SearchIndex(index).close()
    relpaths = sorted(os.path.relpath(os.path.join(folder, name), corpus)
                      for folder, _, names in os.walk(corpus) for name in names if name.endswith(_SUFFIXES))
    batches = [relpaths[start:start + _BATCH] for start in range(0, len(relpaths), _BATCH)]
    conn = sqlite3.connect(index)
    conn.execute("PRAGMA synchronous = NORMAL")
    for rows in _extracted(str(corpus), batches):
        with conn:
            for (relpath, size, mtime, ctime, digest, title, date, tags, categories, description, columns,
                 compressed) in rows:
                file_id = conn.execute(
                    "INSERT INTO files (relpath, size, mtime_ns, ctime_ns, content_hash, title, date, tags,"
                    " categories, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [relpath, size, mtime, ctime, digest, title, date, "\x1f".join(tags),
                     "\x1f".join(categories), description]).lastrowid
                conn.executemany("INSERT INTO labels VALUES (?, ?, ?)",
                                 [(file_id, "tag", tag) for tag in tags]
                                 + [(file_id, "category", category) for category in categories])
                conn.execute("INSERT INTO texts VALUES (?, ?)", [file_id, compressed])
                conn.execute("INSERT INTO fts (rowid, title, body, tags, categories, description)"
                             " VALUES (?, ?, ?, ?, ?, ?)", [file_id, *columns])
    conn.close()
    return time.perf_counter() - started


if __name__ == "__main__":
    print(f"{reference_index(Path(sys.argv[1]), Path(sys.argv[2])):.1f} s")
