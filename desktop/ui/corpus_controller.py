"""The corpus flow: open a folder, show its tree at once from a quick listing, index what changed in the
background while titles and facets fill in, follow moved files, filter the tree, and say what is wrong
in Problems. The window composes; this controller acts. No step runs on the UI thread for long: listing,
indexing and building the tree run on workers, and the model takes each new tree in one step."""

from __future__ import annotations

import gc
import itertools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QPoint, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from desktop.core.corpus import ListedFile
from desktop.core.corpus_tree import CorpusTree, TreeFilter, build_tree, dismantle
from desktop.core.model import CorpusEntry, CorpusScan, SkippedFile
from desktop.library import CorpusListing, FileCheck, FileChecker, Knowledge, KnownFile, Library
from desktop.logs import milestone
from desktop.memory import give_back_freed_memory
from desktop.store.annotations import AnnotationStore
from desktop.ui.corpus_filter import CorpusFilterBar
from desktop.ui.corpus_model import RELPATH_ROLE, CorpusModel
from desktop.ui.next_turn import next_turn
from desktop.ui.tasks import Task, TaskRunner

__all__ = ["CorpusController"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")
REBUILD_EVERY_S = 3.0  # while a first index runs, titles and facets fill in at this pace
REFRESH_RETRY_MS = 500  # a refresh asked for while the corpus is busy tries again after this
_DISMANTLE_PAUSE_S = 0.0005  # after each step of letting go of a tree: ~650 steps at 60,000 articles


def _without_collector(work: Callable[[], _T]) -> _T:
    """Run `work`, which makes a great many objects (a corpus's entries, its tree) and no reference cycles,
    without the cycle collector: its passes stop every thread, the UI's too (measured: 100-400 ms each
    while a 60,000-article tree is built), and would find nothing to free. What `work` made lives until
    the next rebuild; it is left out of later passes as well."""
    gc.disable()
    try:
        return work()
    finally:
        gc.freeze()
        gc.enable()


class _Picture(NamedTuple):
    """The corpus as the controller keeps it, by path: made on a worker (60,000 of each at a restart)."""

    entries: dict[str, CorpusEntry]
    skipped: dict[str, SkippedFile]
    pending: set[str]


def _changed(scan: CorpusScan) -> bool:
    """The index found files added, changed or removed (or stopped part-way): the listing's picture is stale."""
    report = scan.report
    return report is None or bool(report.added or report.updated or report.removed) or scan.cancelled


def _with_picture(scan: CorpusScan) -> tuple[CorpusScan, _Picture | None]:
    """The scan, and (on the worker) its picture when it differs from the listing's; else None."""
    return scan, _picture(scan.entries, scan.skipped, ()) if _changed(scan) else None


def _picture(entries: Iterable[CorpusEntry], skipped: Iterable[SkippedFile], pending: Iterable[str]) -> _Picture:
    return _Picture({entry.relpath: entry for entry in entries}, {item.relpath: item for item in skipped},
                    set(pending))


@dataclass(frozen=True)
class _ViewState:
    """Where the user is in the tree, by keys, so that a rebuilt tree opens the same way."""

    expanded: list[tuple[str, ...]]
    current: tuple[str, ...] | None
    top: tuple[str, ...] | None


class CorpusController(QObject):
    library_changed = Signal(object)  # a Library: another corpus was opened, the reader starts afresh
    tree_shown = Signal()  # the tree is on screen: articles can be opened
    article_wanted = Signal(str, int)  # (relpath, position) to show once the tree is there; "": the first one
    article_chosen = Signal(str)  # the user chose an article in the tree
    index_progress = Signal(int, int)  # (files searchable, files in the corpus) while indexing
    index_finished = Signal()
    # The corpus's files were listed and compared with the index, once per opening: what changes on disk from
    # here on is news. (Not sooner: listing its folders to watch beside a restart's own work took ~0.1 s of
    # the interpreter lock from the tree, and a core from the file checker.)
    files_listed = Signal()
    summary_changed = Signal(str, str)  # (one line for the status bar, its tooltip)
    message = Signal(str)  # something worth a passing note in the status bar
    failed = Signal(object)  # the corpus cannot be read at all (an exception)

    def __init__(self, store: AnnotationStore, tasks: TaskRunner, view: QTreeView, filter_bar: CorpusFilterBar,
                 parent: QObject | None = None, checker: FileChecker | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.checker = checker  # compares the files' stamps in a process of its own (else here, on a worker)
        self.view = view
        self.filter_bar = filter_bar
        self.model = CorpusModel(self)
        view.setModel(self.model)
        view.setUniformRowHeights(True)  # with thousands of rows, Qt need not measure each one
        view.selectionModel().currentChanged.connect(self._current_changed)
        # The open groups, by keys, as the view says they open and close: a rebuilt tree opens the same way
        # without a walk over the open part of the tree (a call into Qt for each of its rows, 500 in an open
        # bucket, each waiting for the interpreter lock while a worker builds a tree: 100-200 ms).
        self._expanded: set[tuple[str, ...]] = set()
        view.expanded.connect(lambda index: self._expanded.add(self.model.node(index).path()))
        view.collapsed.connect(lambda index: self._expanded.discard(self.model.node(index).path()))
        filter_bar.filter_changed.connect(self.rebuild)
        self.library: Library | None = None
        self._generation = 0  # results of an earlier corpus are recognised and dropped
        self._wanted: tuple[str | None, int] = (None, 0)
        self._entries: dict[str, CorpusEntry] = {}
        self._skipped: dict[str, SkippedFile] = {}
        self._pending: set[str] = set()
        self._missing: tuple[str, ...] = ()
        self._listing_task: Task | None = None
        self._files_task: Task | None = None
        self._previewed_as: tuple[Knowledge, CorpusListing] | None = None  # what the index knew and what the
        self._check: FileCheck | None = None  # files are, at open: the two are compared once both are there
        # After the tree is shown, the comparing waits a turn of the event loop, so that the tree is painted first.
        self._comparing = next_turn(self, self._compare_when_checked)
        self._restoring_to: _ViewState | None = None  # a swapped tree's view, to be restored at the next turn
        self._restoring = next_turn(self, self._restore_view)
        self._replaced: list[CorpusTree] = []  # trees taken off screen, to be let go of
        self._wanting = next_turn(self, self._want_article)  # once the tree is shown
        self._index_task: Task | None = None
        self._building = False
        self._build_again = False
        self._built_at = 0.0
        self._complete = False
        self._complete_requested = False  # the newest build asked for holds every article
        self._shown = False
        self._files_listed = False
        self._reading: str | None = None  # the article in the reader, made current again after a filter
        self._refresh_waiting = False

    # -- opening -------------------------------------------------------------------------------------
    def open(self, root: Path, article: str | None = None, position: int = 0) -> Library:
        """Show `root`'s tree at once from what the index knows of it (or its file names, the first time),
        built on a worker; then compare the files' stamps, and index what changed, in the background."""
        self.cancel()
        self._generation += 1
        if self.library is not None:
            self.library.close()
        library = self.library = Library(root, self.store)
        self._wanted = (article, position)
        self._entries, self._skipped, self._pending, self._missing = {}, {}, set(), ()
        self._previewed_as = self._check = None
        self._complete = self._shown = self._complete_requested = self._files_listed = False
        self._reading = None
        self._expanded.clear()
        self._wanting.stop()
        if self._restoring_to is not None:  # the view of the corpus before is not restored
            self._restoring.stop()
            self._restoring_to = None
            self.view.setUpdatesEnabled(True)
        self._put_on_screen(build_tree(()))
        self.summary_changed.emit(f"Listing {library.root} …", "")
        self.library_changed.emit(library)
        generation, chosen = self._generation, self._tree_filter()

        def preview() -> tuple[Knowledge, CorpusListing, _Picture, CorpusTree]:
            knowledge = library.knowledge()
            shown = library.preview_corpus(knowledge.files)
            return knowledge, shown, _picture(shown.entries, shown.skipped, shown.pending), build_tree(
                shown.entries, shown.skipped, shown.pending, allowed=chosen.allowed(shown.entries))

        # Both at once: the stamps are compared (in the checker's process) while the tree of what the index
        # knew is built and shown.
        self._listing_task = self.tasks.start(
            lambda: _without_collector(preview), finished=lambda result: self._previewed(generation, *result),
            failed=lambda error: self._failed(generation, error), in_turn=True)
        self._files_task = self.tasks.start(
            lambda: library.check_files(self.checker), finished=lambda check: self._files_checked(generation, check),
            failed=lambda error: self._failed(generation, error))
        return library

    def _previewed(self, generation: int, knowledge: Knowledge, shown: CorpusListing, preview: _Picture,
                   tree: CorpusTree) -> None:
        """The tree by what the index knew (or by file names) is on screen; the stamps are compared next."""
        if generation != self._generation:
            return
        self._entries, self._skipped, self._pending = preview
        if self._pending:  # search covers only what the index holds so far: say so from the start
            self._indexing(generation, 0, len(self._pending))
        self._show(tree)
        self._previewed_as = knowledge, shown
        self._comparing.start()

    def _files_checked(self, generation: int, check: FileCheck) -> None:
        if generation != self._generation:
            return
        self._files_task = None
        self._check = check
        self._compare_when_checked()

    def _compare_when_checked(self) -> None:
        if self._previewed_as is None or self._check is None:
            return
        (knowledge, shown), check, self._previewed_as, self._check = self._previewed_as, self._check, None, None
        if check.files is None and check.generation is not None and check.generation == knowledge.generation:
            # Every file is as the index knew it when the tree on screen was built: that tree is the corpus.
            self._listed(self._generation, shown, _Picture(self._entries, self._skipped, self._pending))
        else:
            self._list(knowledge.files, check.files)

    def _list(self, known: dict[str, KnownFile] | None = None, files: list[ListedFile] | None = None) -> None:
        """Compare the files' stamps with what the index knows (`known` and `files`, when just read, else
        read now) on a worker."""
        assert self.library is not None
        library, generation = self.library, self._generation
        def listed() -> tuple[CorpusListing, _Picture]:
            listing = library.list_corpus(known, files)
            return listing, _picture(listing.entries, listing.skipped, listing.pending)

        self._listing_task = self.tasks.start(
            listed, finished=lambda result: self._listed(generation, *result),
            failed=lambda error: self._failed(generation, error))

    def refresh(self) -> None:
        """Files were added or removed on disk: list and index the same corpus again, and show the tree as
        it is then, without a restart and without touching the reader. While the corpus is busy (listed,
        indexed or its tree built) this waits its turn."""
        if self.library is None:
            return
        if self.is_busy():
            if not self._refresh_waiting:
                self._refresh_waiting = True
                generation = self._generation  # a refresh of this corpus, not of one opened (or a quit) since
                QTimer.singleShot(REFRESH_RETRY_MS, self, lambda: self._refresh_turn(generation))
            return
        self._list()

    def _refresh_turn(self, generation: int) -> None:
        self._refresh_waiting = False
        if generation == self._generation:
            self.refresh()

    def is_busy(self) -> bool:
        """Listing, indexing or building the tree."""
        return (self._listing_task is not None or self._files_task is not None or self._index_task is not None
                or self._building)

    def is_complete(self) -> bool:
        """Every article of the corpus has its title and facets in the tree."""
        return self._complete

    def cancel(self) -> None:
        """Stop indexing (what was indexed stays, and the next start resumes)."""
        if self._index_task is not None:
            self._index_task.cancel()

    def shut_down(self) -> None:
        """At quit: stop indexing, and drop whatever results are still on their way and the turns still to
        come (a comparison of the files due at the next turn would start a listing after the quit)."""
        self.cancel()
        self._generation += 1
        for turn in (self._comparing, self._restoring, self._wanting):
            turn.stop()
        self._previewed_as = self._check = None
        if self.library is not None:
            self.library.close()

    def _listed(self, generation: int, listing: CorpusListing, picture: _Picture) -> None:
        if generation != self._generation:
            return
        self._listing_task = None
        if not self._files_listed:
            self._files_listed = True
            self.files_listed.emit()
        shown = (self._entries.keys(), self._skipped.keys(), self._pending)
        self._entries, self._skipped, self._pending = picture
        missing = self._missing
        if listing.current:  # the index knows every file as it is: the tree is complete already
            self._reconcile(CorpusScan(listing.root, listing.entries, listing.skipped))
        if listing.current and self._shown and self._missing == missing and shown == (
                self._entries.keys(), self._skipped.keys(), set()):
            self._complete_requested = self._complete = True  # what is on screen is the corpus
            milestone("tree complete")
        else:
            self.rebuild()
        if not listing.current:  # search covers only what the index holds so far: say so from the start
            self._indexing(generation, 0, len(listing.pending))
        assert self.library is not None
        library = self.library
        self._index_task = self.tasks.start(
            lambda progress, cancelled, partial: _with_picture(library.update_index(listing, progress, cancelled,
                                                                                    batch_done=partial)),
            progress=lambda done, total: self._indexing(generation, done, total),
            partial=lambda items: self._indexed_batch(generation, items),
            finished=lambda result: self._indexed(generation, *result),
            failed=lambda error: self._failed(generation, error))
        self._summarise()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._listing_task = self._files_task = self._index_task = None
        log.warning("the corpus cannot be read: %s", error)
        self.failed.emit(error)

    # -- indexing ----------------------------------------------------------------------------------------
    def _indexing(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            searchable = len(self._entries) + len(self._skipped)
            self.index_progress.emit(searchable, searchable + len(self._pending))

    def _indexed_batch(self, generation: int, items: list[CorpusEntry | SkippedFile]) -> None:
        if generation != self._generation:
            return
        for item in items:
            self._pending.discard(item.relpath)
            if isinstance(item, SkippedFile):
                self._skipped[item.relpath] = item
                self._entries.pop(item.relpath, None)
            else:
                self._entries[item.relpath] = item
                self._skipped.pop(item.relpath, None)
        if time.monotonic() - self._built_at > REBUILD_EVERY_S:
            self.rebuild()
        self._summarise()

    def _indexed(self, generation: int, scan: CorpusScan, picture: _Picture | None) -> None:
        if generation != self._generation:
            return
        self._index_task = None
        changed = picture is not None  # else the listing's tree is the corpus already: no second build
        if picture is not None:
            self._entries, self._skipped = picture.entries, picture.skipped
        if not scan.cancelled:
            # A cancelled index saw only part of the corpus: it cannot tell a moved file from an unread one.
            self._pending = set()
            if changed:
                self._reconcile(scan)
        else:
            self._pending -= self._entries.keys() | self._skipped.keys()
        self._summarise(scan.summary)
        if changed or not self._complete_requested:
            self.rebuild()
        milestone("index ready")
        self.index_finished.emit()

    def _reconcile(self, scan: CorpusScan) -> None:
        assert self.library is not None
        found = self.library.reconcile(scan)
        self._missing = found.missing
        if found.moved:
            self.message.emit(f"Notes followed {len(found.moved)} moved or renamed articles "
                              f"({', '.join(f'{old} → {new}' for old, new in found.moved[:3])}).")
            moved = dict(found.moved)
            article, position = self._wanted
            if article in moved:
                self._wanted = (moved[article], position)

    def _summarise(self, tooltip: str = "") -> None:
        articles = len(self._entries) + len(self._pending)
        line = f"{articles:,} articles"
        if self._skipped:
            line += f", {len(self._skipped):,} could not be read"
        if self._pending and self._index_task is None and self._listing_task is None:
            line += " (indexing cancelled: some titles are file names)"
        self.summary_changed.emit(line, f"Search index: {tooltip}" if tooltip else "")

    # -- the tree ----------------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Build the tree from what is known now, on a worker, and show it in place of the current one."""
        if self.library is None or self._listing_task is not None:
            return
        if self._building:
            self._build_again = True
            return
        self._building, self._build_again = True, False
        self._built_at = time.monotonic()
        entries, skipped, pending = list(self._entries.values()), list(self._skipped.values()), list(self._pending)
        missing, chosen = self._missing, self._tree_filter()
        complete = not pending and self._index_task is None
        self._complete_requested = complete
        generation = self._generation

        def build() -> CorpusTree:
            return _without_collector(lambda: build_tree(entries, skipped, pending, missing, chosen.allowed(entries)))

        self.tasks.start(build, finished=lambda tree: self._built(generation, tree, complete),
                         failed=lambda error: self._build_failed(generation, error), in_turn=True)

    def _tree_filter(self) -> TreeFilter:
        assert self.library is not None
        tag = self.filter_bar.chosen_tag()
        tagged: frozenset[str] = frozenset()
        if tag is not None:  # only then: every rebuild asks for the filter
            tagged = frozenset(relpath for name, relpaths in self.library.user_tags().items()
                               if name.casefold() == tag.casefold() for relpath in relpaths)
        annotated = frozenset(self.library.annotated_relpaths()) if self.filter_bar.annotated.isChecked() else None
        return TreeFilter(tag, tagged, annotated)

    def _build_failed(self, generation: int, error: BaseException) -> None:
        self._building = False
        if generation == self._generation:
            self.failed.emit(error)

    def _built(self, generation: int, tree: CorpusTree, complete: bool) -> None:
        self._building = False
        if generation != self._generation:
            return
        self._show(tree)
        if complete and not self._complete:
            self._complete = True
            milestone("tree complete")
        if self._build_again:
            self.rebuild()

    def _show(self, tree: CorpusTree) -> None:
        if self._shown:  # a newer tree in place of the one on screen, looking the same to the user
            self._swap(tree)
            return
        self._put_on_screen(tree)
        self._shown = True
        folders = self.model.index(0, 0)
        self.view.expand(folders)
        if self.model.rowCount(folders) == 1:  # a single folder (Jekyll's _posts): open it too
            self.view.expand(self.model.index(0, 0, folders))
        milestone("tree shown")
        self.tree_shown.emit()
        self._wanting.start()

    def _want_article(self) -> None:
        """The tree is painted: ask for the article to read (at a first open of 60,000 files, the tree and
        the article in one turn held the UI thread over 100 ms beside the files' listing)."""
        article, position = self._wanted
        if article is None or not self._still_there(article):
            article, position = "", 0  # the last one is gone: start afresh
        self.article_wanted.emit(article, position)

    def _swap(self, tree: CorpusTree) -> None:
        """Swap the tree, then open what was open and go where the user was at the next turn of the event
        loop, the view not painted in between. While a first index runs on 60,000 files, a swap in one
        turn took the UI thread 60-110 ms, and as long again to restore the view."""
        if self._restoring_to is None:
            self._restoring_to = self._view_state()
            self.view.setUpdatesEnabled(False)
        self._put_on_screen(tree)
        self._restoring.start()

    def _restore_view(self) -> None:
        if (state := self._restoring_to) is not None:
            self._restoring_to = None
            self._restore(state)
            self.view.setUpdatesEnabled(True)
        self._free_replaced()

    def _put_on_screen(self, tree: CorpusTree) -> None:
        """Show `tree` and offer its tags to the filter. The tree it replaces is let go of once the view is
        restored (at once when there is nothing to restore)."""
        self._replaced.append(self.model.tree)
        self.model.set_tree(tree)
        self._offer_tags(tree)
        if self._restoring_to is None:
            self._free_replaced()

    def _free_replaced(self) -> None:
        """Dismantle the trees replaced on a worker, in steps: freed at once, a 60,000-article tree held the
        interpreter lock 40-80 ms (the UI thread waiting for it), in steps at most ~1.5 ms at a time. Not
        while the view is restored: each of its calls into the model (a bucket of 500 rows opened again)
        then waited for the lock, 80-160 ms in all."""
        if not self._replaced:
            return
        replaced, self._replaced = self._replaced, []  # from here on the only references: no race with the worker

        def free() -> None:
            while replaced:
                dismantle(replaced.pop(), pause=_DISMANTLE_PAUSE_S)
            give_back_freed_memory()

        self.tasks.start(free, in_turn=True)

    def _offer_tags(self, tree: CorpusTree) -> None:
        assert self.library is not None
        offered, spellings = tree.tags, tree.tag_spellings  # made on the worker; the user's own tags are few
        if own := {key: name for name in self.library.user_tags() if (key := name.casefold()) not in spellings}:
            spellings = {**spellings, **own}
            offered = sorted(spellings.values(), key=str.casefold)
        self.filter_bar.set_tags(offered, spellings)

    def _still_there(self, relpath: str) -> bool:
        """The article is in the corpus (or its notes are kept as a missing file's). The tree may come from
        what the index knew, before the files were listed: the disk is asked too."""
        if relpath in self._missing:
            return True
        assert self.library is not None
        return (relpath in self._entries or relpath in self._pending) and (self.library.root / relpath).is_file()

    def first_articles(self, limit: int = 20) -> list[str]:
        """The first articles in the tree, to try in turn when the first one cannot be read."""
        return list(itertools.islice(self.model.tree.articles(), limit))

    def _view_state(self) -> _ViewState:
        current = self.view.currentIndex()
        top = self.view.indexAt(QPoint(1, 1))
        return _ViewState(sorted(self._expanded, key=len),  # parents before their children
                          self.model.node(current).path() if current.isValid() else None,
                          self.model.node(top).path() if top.isValid() else None)

    def _restore(self, state: _ViewState) -> None:
        for path in state.expanded:  # parents come before their children
            index = self.model.find_path(path)
            if index.isValid():
                self.view.setExpanded(index, True)
        current = self.model.find_path(state.current) if state.current is not None else QModelIndex()
        if not current.isValid() and self._reading is not None:
            current = self.model.find(self._reading)  # the article being read, back in the tree (a filter cleared)
        if current.isValid():
            self.view.selectionModel().setCurrentIndex(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if state.top is not None and (top := self.model.find_path(state.top)).isValid():
            self.view.scrollTo(top, QAbstractItemView.ScrollHint.PositionAtTop)

    def select(self, relpath: str) -> None:
        """Make the article current in the tree (it was opened some other way)."""
        self._reading = relpath
        index = self.model.find(relpath)
        if index.isValid() and self.view.currentIndex().data(RELPATH_ROLE) != relpath:
            self.view.setCurrentIndex(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        relpath = current.data(RELPATH_ROLE) if current.isValid() else None
        if relpath:
            self._reading = relpath
            self.article_chosen.emit(relpath)
