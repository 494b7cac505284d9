"""The corpus's files as a quick listing and the search index see them (no file read), where that index
is, and annotations following files that moved."""

from __future__ import annotations

import hashlib
import logging
import operator
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop.core.corpus import FileStamp, ListedFile
from desktop.core.model import CorpusEntry, CorpusScan, SkippedFile
from desktop.paths import cache_dir
from desktop.store.annotations import AnnotationStore
from desktop.store.database import database_path
from desktop.store.search_index import KnownFile

__all__ = ["default_index_path", "index_path_of", "by_knowledge", "CorpusListing", "Reconciliation",
           "reconcile"]

log = logging.getLogger(__name__)
_RELPATH = operator.attrgetter("relpath")


def default_index_path(database: Path, corpus: Path) -> Path:
    """The search index of `corpus`: derived data, one file per corpus, in the cache folder (so backups
    and sync tools of the data folder do not carry it). An index left beside the annotation database by
    an earlier Lectern is moved over rather than rebuilt."""
    name = f"{corpus.name or 'corpus'}-{hashlib.sha1(str(corpus).encode('utf-8')).hexdigest()[:16]}.db"
    path = cache_dir() / "search-index" / name
    _adopt(database.parent / "search-index" / name, path)
    return path


def index_path_of(store: AnnotationStore, corpus: Path) -> Path:
    """Where the search index of `corpus` is for the annotations in `store`."""
    return default_index_path(database_path(store.db), corpus.resolve())


def _adopt(old: Path, new: Path) -> None:
    if not old.exists() or new.exists():
        return
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):  # the write-ahead log holds committed pages too
            if (part := old.with_name(old.name + suffix)).exists():
                shutil.move(part, new.with_name(new.name + suffix))
        log.info("moved the search index %s to the cache folder %s", old, new)
    except OSError as error:  # it is derived data: a fresh index is built instead
        log.warning("could not move the search index %s to %s: %s", old, new, error)


def by_knowledge(files: Iterable[tuple[str, FileStamp | None]], known: dict[str, KnownFile]
                  ) -> tuple[tuple[CorpusEntry, ...], tuple[SkippedFile, ...], tuple[str, ...]]:
    """Split listed files into those the index knows as they are (readable, or not) and those still to
    read. A file listed without a stamp is taken as unchanged when the index knows it."""
    entries: list[CorpusEntry] = []
    skipped: list[SkippedFile] = []
    pending: list[str] = []
    for relpath, stamp in files:
        stored = known.get(relpath)
        if stored is None or (stamp is not None and stored.stamp != stamp):
            pending.append(relpath)
        elif isinstance(stored.item, SkippedFile):
            skipped.append(stored.item)
        else:
            entries.append(stored.item)
    return tuple(entries), tuple(skipped), tuple(pending)


@dataclass(frozen=True)
class CorpusListing:
    """A corpus as a quick listing sees it (no file read): what the index already knows of its
    unchanged files, and which files are new or changed and still to be read."""

    root: Path
    files: tuple[ListedFile, ...]
    entries: tuple[CorpusEntry, ...]  # unchanged files, from the index
    skipped: tuple[SkippedFile, ...]  # unchanged files that could not be read, from the index
    pending: tuple[str, ...]  # new or changed files, to be read
    removed: int  # files the index knows that are gone

    @property
    def current(self) -> bool:
        """The index holds every file as it is now: the listing is the complete corpus."""
        return not self.pending and not self.removed


@dataclass(frozen=True)
class Reconciliation:
    moved: tuple[tuple[str, str], ...]  # (old relpath, new relpath)
    missing: tuple[str, ...]  # annotated articles whose file is gone


def reconcile(store: AnnotationStore, corpus: str, scan: CorpusScan) -> Reconciliation:
    """After a scan: annotations of files that moved follow them (recognised by a front-matter id,
    else by identical content); those whose file is gone are reported, and kept."""
    annotated = store.annotated_documents(corpus)
    if not annotated:
        return Reconciliation((), ())
    present = set(map(_RELPATH, scan.entries))  # 60,000 of them: the UI thread calls this
    present.update(map(_RELPATH, scan.skipped))
    if all(relpath in present for relpath, _, _ in annotated):  # the usual case: nothing moved
        return Reconciliation((), ())
    by_id: dict[str, list[str]] = {}
    by_content: dict[str, list[str]] = {}
    for entry in scan.entries:
        if entry.source_id:
            by_id.setdefault(entry.source_id, []).append(entry.relpath)
        by_content.setdefault(entry.content_hash, []).append(entry.relpath)
    claimed = {relpath for relpath, _, _ in annotated}
    moved: list[tuple[str, str]] = []
    missing: list[str] = []
    for relpath, source_id, content_hash in annotated:
        if relpath in present:
            continue
        candidates = by_id.get(source_id, []) if source_id else []
        if not candidates and content_hash:
            candidates = by_content.get(content_hash, [])
        candidates = [candidate for candidate in candidates if candidate not in claimed]
        if len(candidates) == 1:
            store.move_document(corpus, relpath, candidates[0])
            claimed.add(candidates[0])
            moved.append((relpath, candidates[0]))
        else:
            missing.append(relpath)
    return Reconciliation(tuple(moved), tuple(missing))
