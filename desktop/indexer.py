"""Keeping a corpus's search index in step with its files: only new and changed files are read
(recognised by size and mtime, then by content hash), vanished ones are dropped, and a large first
index runs in worker processes with progress and cancellation. The workers parse, tokenise and compress;
this process only writes. Committed batches stay, so a cancelled index resumes where it stopped."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from desktop.core.corpus import Cancelled, FileStamp, ListedFile, Progress, list_article_files
from desktop.core.indexing import IndexedArticle, extract_many, worker_count
from desktop.core.model import CorpusEntry, IndexReport, SkippedFile
from desktop.store.search_index import SearchIndex

__all__ = ["update_index", "worker_pool", "BatchDone"]

_BATCH = 200  # files per worker task and per transaction
_IN_PROCESS_BELOW = 400  # fewer changed files than this are read here: starting workers costs more
_WORKERS_NICENESS = 10  # what Linux's scheduler gives a nice-10 process beside a nice-0 one: a tenth
BatchDone = Callable[[list[CorpusEntry | SkippedFile]], None]  # what a committed batch changed


def _batches(relpaths: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(relpaths), _BATCH):
        yield relpaths[start:start + _BATCH]


def _extracted(relpaths: list[str], root: Path) -> Iterator[list[IndexedArticle | SkippedFile]]:
    folder = str(root)
    paths = [os.path.join(folder, relpath) for relpath in relpaths]  # not root / relpath: 60,000 Paths took 1 s
    if len(paths) < _IN_PROCESS_BELOW:
        for batch in _batches(paths):
            yield extract_many(batch, str(root))
        return
    workers = worker_count()
    with worker_pool(workers) as pool:
        # A few batches ahead of the writer, not all of them: finished batches waiting to be written
        # would otherwise pile up in memory (hundreds of MB for a 60,000-file corpus).
        ahead: deque[Future[list[IndexedArticle | SkippedFile]]] = deque()
        try:
            for batch in _batches(paths):
                ahead.append(pool.submit(extract_many, batch, str(root)))
                if len(ahead) > 2 * workers:
                    yield ahead.popleft().result()
            while ahead:
                yield ahead.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _in_the_background() -> None:
    """In each worker: give way to the window. Indexing is background work, and its workers would
    otherwise take a core each that the UI thread and the article's rendering want (measured on 60,000
    posts: UI-thread stalls of 80-140 ms while a first index ran, the window's work waiting for a core)."""
    if hasattr(os, "nice"):
        os.nice(_WORKERS_NICENESS)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """The processes that parse, tokenise and compress, at a lower priority than the window's."""
    # spawn, not fork: the caller may be a thread of a Qt application.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_in_the_background)


def update_index(root: Path, index: SearchIndex, progress: Progress | None = None,
                 cancelled: Cancelled | None = None, listed: list[ListedFile] | None = None,
                 batch_done: BatchDone | None = None) -> IndexReport:
    """Index what changed since the index last saw the corpus. `listed`: the corpus's files, when the
    caller has just listed them; `batch_done` hears of each committed batch's new entries."""
    started = time.perf_counter()
    root = root.resolve()
    known = index.stamps()
    stamps: dict[str, FileStamp] = {item.relpath: item.stamp for item in listed or list_article_files(root)}
    changed = [relpath for relpath, stamp in stamps.items() if relpath not in known or known[relpath][0] != stamp]
    removed = [relpath for relpath in known if relpath not in stamps]
    index.remove(removed)
    added = updated = unchanged = skipped = done = 0
    stopped = False
    for batch in _extracted(changed, root):
        fresh: list[tuple[IndexedArticle | SkippedFile, FileStamp]] = []
        for item in batch:
            relpath = item.entry.relpath if isinstance(item, IndexedArticle) else item.relpath
            before = known.get(relpath)
            if isinstance(item, IndexedArticle) and before and before[1] == item.entry.content_hash:
                index.touch(relpath, stamps[relpath])  # rewritten, same content
                unchanged += 1
                continue
            fresh.append((item, stamps[relpath]))
            skipped += isinstance(item, SkippedFile)
            added += before is None
            updated += before is not None
        index.put(fresh)
        done += len(batch)
        if batch_done is not None and fresh:
            batch_done([item.entry if isinstance(item, IndexedArticle) else item for item, _ in fresh])
        if progress is not None:
            progress(done, len(changed))
        if cancelled is not None and cancelled():
            stopped = True
            break
    unchanged += len(stamps) - len(changed)
    return IndexReport(len(stamps), added, updated, unchanged, len(removed), skipped,
                       time.perf_counter() - started, stopped)
