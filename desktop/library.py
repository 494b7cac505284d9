"""What a user can do with a corpus and its annotations: the use-cases the window and the command
line share. Composes the core (documents, rendering, anchoring, export) with the store."""

from __future__ import annotations

import hashlib
import logging
import operator
import shutil
import time
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TypedDict, cast
from urllib.parse import unquote, urlsplit

from desktop.core.anchoring import CHANGED, EXACT, MOVED, ORPHANED, Located, make_anchor, relocate
from desktop.core.code_colours import DEFAULT_PALETTE
from desktop.core.colours import COLOURS, MAX_MEANING, colours_named, tidy_meaning
from desktop.core.corpus import (
    Cancelled,
    FileStamp,
    ListedFile,
    Progress,
    find_article_files,
    list_article_files,
    list_article_names,
)
from desktop.core.documents import load_article, web_address
from desktop.core.errors import DocumentError, LecternError, StoreError
from desktop.core.export import ArticleNotes, HighlightSelection, NoteStyle, safe_filename
from desktop.core.images import ImageLookup, candidate_image_urls
from desktop.core.model import (
    Anchor,
    Article,
    BodyKind,
    CorpusEntry,
    CorpusScan,
    Highlight,
    IndexReport,
    PlacedHighlight,
    RenderedArticle,
    SkippedFile,
)
from desktop.core.note_template import NoteTemplate
from desktop.core.render import render_article
from desktop.core.search_text import SearchQuery, parse_query
from desktop.core.sentences import sentence_around
from desktop.core.snippets import Snippet, make_snippet
from desktop.core.webannotation import ArticleFacts, IncomingAnnotation, read_annotation_file, to_collection
from desktop.file_check import FileCheck, FileChecker, HelperStopped
from desktop.files import atomic_write
from desktop.indexer import BatchDone, update_index
from desktop.note_export import ExportReport, Notebook, article_notes, notebook_notes, write_notes
from desktop.paths import cache_dir, resources_dir
from desktop.renderer import ArticleRenderer
from desktop.store.annotations import AnnotationStore, Placement, text_key
from desktop.store.database import database_path, open_database, write_transaction
from desktop.store.image_cache import ImageCache, default_image_folder
from desktop.store.reading_positions import reading_position, remember_reading_position
from desktop.store.search_index import Knowledge, KnownFile, SearchIndex

__all__ = [
    "Library", "CorpusListing", "KnownFile", "Knowledge", "FileCheck", "FileChecker", "OpenedArticle",
    "PreparedArticle", "PlacedHighlight", "ImportReport", "Reconciliation", "CheckReport",
    "STATES", "atomic_write", "write_markdown_export", "SearchResult", "SearchResults", "default_index_path",
    "NotesPlan", "notes_from_plan", "ExportReport", "Notebook", "HighlightSelection", "DEFAULT_TEMPLATE",
    "HighlightFields", "LibraryAddress", "index_path_of",
]

log = logging.getLogger(__name__)
_RENDER_CACHE_SIZE = 32
_RELPATH = operator.attrgetter("relpath")
LARGE_ARTICLE_BYTES = 100 * 1024  # p99 of real posts is ~58 KB; bigger ones (or hostile ones) render on a worker

STATES = (EXACT, MOVED, CHANGED, ORPHANED)  # how a highlight was found again, best first
_GONE = Located(None, ORPHANED, 0.0, "")
DEFAULT_TEMPLATE = "note-template.md"  # in resources/: the default layout of exported notes


@dataclass(frozen=True)
class OpenedArticle:
    article: Article
    rendered: RenderedArticle
    highlights: tuple[PlacedHighlight, ...]  # reading order; orphans last
    user_tags: tuple[str, ...]


@dataclass(frozen=True)
class PreparedArticle:
    """An article read and rendered off the UI thread, with the remote images it may show looked up
    (on a 1 MB article, looking for them takes ~100 ms: not to be done again on the UI thread)."""

    article: Article
    rendered: RenderedArticle
    images: ImageLookup


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "article" or "highlight"
    relpath: str
    title: str
    snippet: Snippet
    score: float
    highlight_id: str | None = None

    @property
    def where(self) -> str:
        return self.relpath if self.kind == "article" else f"highlight in {self.relpath}"


class HighlightFields(TypedDict, total=False):
    """What the user edits of a highlight: any of its colour, note and tags."""

    colour: str
    note: str
    tags: Sequence[str]


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    results: list[SearchResult]
    elapsed_ms: float


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


def _by_knowledge(files: Iterable[tuple[str, FileStamp | None]], known: dict[str, KnownFile]
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


@dataclass
class ImportReport:
    imported: int = 0
    already_present: int = 0
    orphaned: list[str] = field(default_factory=list)  # one line per annotation kept but not anchored
    unusable: int = 0
    meanings_added: list[str] = field(default_factory=list)  # colours that had no meaning and got the file's
    meanings_kept: list[str] = field(default_factory=list)  # one line per meaning of the user's the file differs from


@dataclass(frozen=True)
class CheckReport:
    """What `Library.check` found: how many highlights are in each state, the articles with some to
    review (changed or orphaned: relpath → count per state), and the files that moved or are gone."""

    states: dict[str, int]
    review: dict[str, dict[str, int]]
    reconciliation: Reconciliation

    @property
    def needs_review(self) -> bool:
        return bool(self.review)


@dataclass(frozen=True)
class _Reanchored:
    """An article's highlights as re-anchoring placed them in its text, and what the store lacks of it."""

    placed: tuple[PlacedHighlight, ...]  # reading order, orphans last
    text: str | None  # the article's text; None when its file is gone
    found: dict[str, Located]  # placements not yet stored for this text
    confirmed: tuple[str, ...]  # found exactly at an anchor whose text was not kept: keep this one


_KeptTexts = Callable[[set[str]], Mapping[str, str]]  # the kept article texts with these keys


def _imported(item: IncomingAnnotation, text: str | None) -> tuple[Anchor, Located, bool]:
    """An imported annotation's anchor, where it is in `text` (None: no such file) and whether the
    anchor was made in `text`. Its quote (white space folded, a list number allowed) is looked for near
    its position; found as it is, the anchor is made anew here, keeping the state an export of
    Lectern's gave (moved, or changed with the quote as highlighted); found approximately, or not at
    all, the anchor keeps the quote as given."""
    start, end = (item.start, item.end) if item.start is not None and item.end is not None else (0, len(item.exact))
    quoted = Anchor(start, end, item.exact, item.prefix, item.suffix)
    located = relocate(quoted, text) if text is not None else _GONE
    if located.span is None or text is None:
        return quoted, _GONE, False
    if item.original is not None or located.state == CHANGED:
        exact, prefix, suffix = item.original or (item.exact, item.prefix, item.suffix)
        score = item.score if item.score is not None and located.state != CHANGED else located.score
        return Anchor(*located.span, exact, prefix, suffix), replace(located, state=CHANGED, score=score), False
    state = MOVED if item.state == MOVED else EXACT
    return make_anchor(text, *located.span), replace(located, state=state, score=1.0), True


def _place(stored: Iterable[tuple[Highlight, Placement]], text: str | None, kept_texts: _KeptTexts) -> _Reanchored:
    """Place each highlight in `text`: where the store says when it was found in this very text (opening
    an unedited article costs a hash), else by re-anchoring, with the text its anchor was made in when
    kept (asked of `kept_texts` only then)."""
    stored = list(stored)
    key = None if text is None else text_key(text)
    stale = [(highlight, placement) for highlight, placement in stored if placement.found_in != key]
    kept = kept_texts({p.anchored_in for _, p in stale if p.anchored_in}) if text is not None and stale else {}
    found: dict[str, Located] = {}
    confirmed: list[str] = []
    placed: list[PlacedHighlight] = []
    for highlight, placement in stored:
        located = placement.located
        if text is None:
            located = _GONE
            if placement.located != _GONE or placement.found_in is not None:
                found[highlight.id] = located
        elif placement.found_in != key:
            located = relocate(highlight.anchor, text, kept.get(placement.anchored_in or ""))
            found[highlight.id] = located
            if placement.anchored_in is None and located.state == EXACT:
                confirmed.append(highlight.id)
        if located.state == EXACT and located.span == (highlight.anchor.start, highlight.anchor.end):
            current: Anchor | None = highlight.anchor  # where and as it was made: nothing to cut again
        else:
            current = make_anchor(text, *located.span) if text is not None and located.span is not None else None
        placed.append(PlacedHighlight(highlight, located.state, current, located.score))
    placed.sort(key=lambda item: (item.span is None, item.span or (0, 0)))
    return _Reanchored(tuple(placed), text, found, tuple(confirmed))


@dataclass(frozen=True)
class NotesPlan:
    relpath: str
    highlights: tuple[tuple[Highlight, Placement], ...]
    user_tags: tuple[str, ...]
    title: str  # as last seen, for an article whose file is gone
    kept_texts: Mapping[str, str]  # the texts its highlights' anchors were made in, by key


def _contexts(placed: Iterable[PlacedHighlight], text: str | None) -> dict[str, tuple[str, str]]:
    """The sentence around each highlight: in the article's text where it is found, else in the
    context its anchor kept (an orphan's, or one in a file that is gone)."""
    contexts = {}
    for item in placed:
        if text is not None and item.span is not None:
            contexts[item.highlight.id] = sentence_around(text, *item.span)
        else:
            anchor = item.highlight.anchor
            kept = anchor.prefix + anchor.exact + anchor.suffix
            before, after = sentence_around(kept, len(anchor.prefix), len(anchor.prefix) + len(anchor.exact))
            contexts[item.highlight.id] = (before, after)
    return contexts


def _reanchor_plan(root: Path, plan: NotesPlan) -> tuple[ArticleNotes, _Reanchored]:
    def kept_texts(_: set[str]) -> Mapping[str, str]:
        return plan.kept_texts

    try:
        path = (root / plan.relpath).resolve()
        if not path.is_relative_to(root):
            raise DocumentError(f"{plan.relpath} is outside the corpus")
        article = load_article(path, root)
    except DocumentError:  # the file is gone: its highlights are all orphaned, but still exported
        reanchored = _place(plan.highlights, None, kept_texts)
        return ArticleNotes(plan.relpath, plan.title, None, plan.user_tags, reanchored.placed,
                            contexts=_contexts(reanchored.placed, None)), reanchored
    text = render_article(article).text
    reanchored = _place(plan.highlights, text, kept_texts)
    tags = tuple(dict.fromkeys(article.tags + plan.user_tags))
    return ArticleNotes(plan.relpath, article.title, article.date, tags, reanchored.placed,
                        web_address(article.metadata), _contexts(reanchored.placed, text)), reanchored


def notes_from_plan(root: Path, plans: list[NotesPlan]) -> list[ArticleNotes]:
    """Read, render and anchor each planned article: no database, so it may run on a worker (what it
    finds is stored the next time each article is opened or checked)."""
    return [_reanchor_plan(root, plan)[0] for plan in plans]


def write_markdown_export(notes: list[ArticleNotes], out_dir: Path, style: NoteStyle, whole_corpus: bool,
                          notebook: Notebook | None = None) -> ExportReport:
    """Write notes gathered beforehand (so this part can run on a worker thread), each merged with what
    the user made of its earlier export: one note per article (with an index for the whole corpus),
    or the one note of a `notebook`."""
    if notebook is not None:
        return write_notes(out_dir, notebook_notes(notebook, notes, style))
    return write_notes(out_dir, article_notes(notes, style), index=notes if whole_corpus else None)


@dataclass(frozen=True)
class LibraryAddress:
    """Where a library's files are: enough for a worker thread to open the same library on a database
    connection of its own (SQLite connections take turns; one is never shared across threads)."""

    database: Path
    root: Path
    index_path: Path

    @contextmanager
    def open(self) -> Iterator[Library]:
        db = open_database(self.database)
        library = Library(self.root, AnnotationStore(db), self.index_path)
        try:
            yield library
        finally:
            library.close()  # its search connection and rendering process, if it started them
            db.close()


class Library:
    """One corpus folder and the user's annotations of it."""

    def __init__(self, root: Path, store: AnnotationStore, index_path: Path | None = None,
                 image_cache: ImageCache | None = None) -> None:
        self.root = root.resolve()
        self.store = store
        self.index_path = index_path or index_path_of(store, self.root)
        # Images kept for offline reading (desktop.offline_images fetches them, on request only).
        self.image_cache = image_cache or ImageCache(default_image_folder(cache_dir()))
        self._rendered: OrderedDict[str, RenderedArticle] = OrderedDict()
        self._index: SearchIndex | None = None  # this thread's connection, for searching
        self._renderer = ArticleRenderer()
        self.code_palette = DEFAULT_PALETTE  # the reading theme's code colours (desktop.core.code_colours)

    def address(self) -> LibraryAddress:
        """Where this library is, for opening it again on a worker thread (call on its own thread)."""
        return LibraryAddress(database_path(self.store.db), self.root, self.index_path)

    @property
    def corpus(self) -> str:
        return str(self.root)

    def _key(self, relpath: str) -> tuple[str, str]:
        return self.corpus, relpath

    # -- reading -------------------------------------------------------------------------------
    def knowledge(self) -> Knowledge:
        """What the search index knows of each file (its stamp, title, tags…): the stored metadata."""
        index = SearchIndex(self.index_path)
        try:
            return index.knowledge()
        finally:
            index.close()

    def preview_corpus(self, known: dict[str, KnownFile]) -> CorpusListing:
        """The corpus as last seen, before a single file is stat()ed: the files the index knows (taken as
        unchanged until `list_corpus` has compared the stamps), or, when it knows none, the file names
        alone (a quick listing without stat). Files new since then appear once the stamps are compared."""
        files = ((relpath, None) for relpath in (sorted(known) if known else list_article_names(self.root)))
        entries, skipped, pending = _by_knowledge(files, known)
        return CorpusListing(self.root, (), entries, skipped, pending, 0)

    def check_files(self, checker: FileChecker | None = None) -> FileCheck:
        """The corpus's files with their stamps, without reading any (one stat() each, 0.4-0.65 s for
        60,000 files); with a `checker` process, compared there with what the index knows, and only
        listed when some file differs."""
        if checker is not None:
            try:
                return checker.check(self.root, self.index_path)
            except HelperStopped as error:  # a speed-up only: the files are listed here instead (an error of
                # the folder itself is raised as it is: listing it again here would only meet it again)
                log.warning("the files of %s are listed without the checker: %s", self.root, error)
        return FileCheck(None, list_article_files(self.root))

    def list_corpus(self, known: dict[str, KnownFile] | None = None,
                    files: list[ListedFile] | None = None) -> CorpusListing:
        """List the corpus's files with their stamps, without reading them, and what the index knows of
        the unchanged ones (`known`, `files`: the index's knowledge and the listing, when the caller has
        them already)."""
        if files is None:
            files = list_article_files(self.root)
        if known is None:
            known = self.knowledge().files
        entries, skipped, pending = _by_knowledge(files, known)
        removed = len(known.keys() - {listed.relpath for listed in files})
        return CorpusListing(self.root, tuple(files), entries, skipped, pending, removed)

    def update_index(self, listing: CorpusListing | None = None, progress: Progress | None = None,
                     cancelled: Cancelled | None = None, rebuild: bool = False,
                     batch_done: BatchDone | None = None) -> CorpusScan:
        """Bring the search index up to date with the files (reading only what changed) and list the
        corpus from it. Safe on a worker thread: it uses a connection of its own."""
        if listing is not None and listing.current and not rebuild:  # just listed: the index holds it all
            count = len(listing.entries) + len(listing.skipped)
            report = IndexReport(count, 0, 0, count, 0, len(listing.skipped), 0.0)
            return CorpusScan(self.root, listing.entries, listing.skipped, False, report)
        index = SearchIndex(self.index_path)
        try:
            if rebuild:
                index.rebuild()
            report = update_index(self.root, index, progress, cancelled,
                                  list(listing.files) if listing is not None and not rebuild else None, batch_done)
            entries, skipped = index.entries()
        finally:
            index.close()
        return CorpusScan(self.root, tuple(entries), tuple(skipped), report.cancelled, report)

    def scan(self, progress: Progress | None = None, cancelled: Cancelled | None = None,
             rebuild: bool = False) -> CorpusScan:
        """List and index in one go (the command line's way)."""
        return self.update_index(None, progress, cancelled, rebuild)

    # -- searching ---------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> SearchResults:
        """Articles and highlights matching `text` (see desktop.core.search_text for the syntax)."""
        started = time.perf_counter()
        query = parse_query(text)
        if self._index is None:
            self._index = SearchIndex(self.index_path)
        words = query.words()
        colours, unknown = self._colours_of(query)
        query = replace(query, problems=query.problems + unknown)
        results = [] if colours is not None else [  # a colour is a highlight's: it filters out every article
            SearchResult("article", hit.relpath, hit.title, make_snippet(hit.text, words), hit.score)
            for hit in self._index.search(query, limit, self.store.tagged_articles(self.corpus))
        ]
        highlights = self.store.search_highlights(self.corpus, words, query.tags, limit, colours)
        facts = self._index.article_facts(h.relpath for h in highlights)
        titles = self.store.document_titles(self.corpus)
        for highlight in highlights:
            title, date, categories = facts.get(highlight.relpath, (titles.get(highlight.relpath, ""), None, ()))
            if query.categories and not {c.casefold() for c in query.categories} & {c.casefold() for c in categories}:
                continue
            if (query.date_from or query.date_to) and not (
                    date and (query.date_from or date) <= date <= (query.date_to or date)):
                continue
            searched = "\n".join([highlight.anchor.exact, highlight.note, " ".join(highlight.tags)])
            results.append(SearchResult("highlight", highlight.relpath, title or highlight.relpath,
                                        make_snippet(searched, words), 0.0, highlight.id))
        return SearchResults(query, results, (time.perf_counter() - started) * 1000)

    def _colours_of(self, query: SearchQuery) -> tuple[set[str] | None, tuple[str, ...]]:
        """The colours the query's colour: filters name (every filter must hold; None without any), and
        a problem for each name that is neither a colour nor a meaning the user gave one."""
        if not query.colours:
            return None, ()
        meanings = self.colour_meanings()
        wanted, unknown = set(COLOURS), []
        for name in query.colours:
            named = colours_named(name, meanings)
            if not named:
                unknown.append(f"colour:{name} (no colour is named so or means that)")
            wanted &= named
        return wanted, tuple(unknown)

    def close(self) -> None:
        self._renderer.close()
        if self._index is not None:
            self._index.close()
            self._index = None

    def load(self, relpath: str) -> Article:
        path = (self.root / relpath).resolve()
        if not path.is_relative_to(self.root):
            raise DocumentError(f"{relpath} is outside the corpus")
        return load_article(path, self.root)

    def _images(self, article: Article) -> ImageLookup:
        """What the image cache knows of the remote images the article may show (nothing is fetched). The
        cache is derived data: one that cannot be read shows placeholders, it never stops the reading."""
        if "//" not in article.body:
            return {}
        try:
            return self.image_cache.lookup(candidate_image_urls(article.body))
        except StoreError as error:
            log.warning("images kept for offline reading are not shown: %s", error)
            return {}

    def _render_key(self, article: Article, images: ImageLookup, palette: str | None = None) -> str:
        # The same text renders anew once its images are kept (or have failed), and in other code colours.
        return (f"{article.path}\0{article.content_hash}\0{hash(frozenset(images.items()))}"
                f"\0{palette or self.code_palette}")

    def render(self, article: Article) -> RenderedArticle:
        """Rendering costs more than reading; keep recent results by content (and images, code colours)."""
        images = self._images(article)
        key = self._render_key(article, images)
        if key in self._rendered:
            self._rendered.move_to_end(key)
            return self._rendered[key]
        rendered = render_article(article, self.code_palette, images=images)
        self._remember(key, rendered)
        return rendered

    def _remember(self, key: str, rendered: RenderedArticle) -> None:
        self._rendered[key] = rendered
        if len(self._rendered) > _RENDER_CACHE_SIZE:
            self._rendered.popitem(last=False)

    def open_article(self, relpath: str) -> OpenedArticle:
        article = self.load(relpath)
        return self.refresh(OpenedArticle(article, self.render(article), (), ()))  # render() kept it already

    def is_large(self, relpath: str) -> bool:
        """Worth reading and rendering off the UI thread (prepare on a worker, then annotate)."""
        try:
            return (self.root / relpath).stat().st_size > LARGE_ARTICLE_BYTES
        except OSError:
            return False

    def prepare(self, relpath: str, palette: str | None = None) -> PreparedArticle:
        """Read and render (in the rendering process; in `palette`'s code colours, by default the current
        ones) without touching the database or the render cache: safe on a worker thread (the image
        cache is asked through a connection of its own)."""
        article = self.load(relpath)
        images = self._images(article)
        rendered = self._renderer.render(article, palette or self.code_palette, images)
        text_key(rendered.text)  # kept by text_key's cache: annotating on the UI thread finds it there
        return PreparedArticle(article, rendered, images)

    def annotate(self, prepared: PreparedArticle, palette: str | None = None) -> OpenedArticle:
        """The prepared article (in `palette`'s code colours, by default the current ones) with its
        annotations."""
        article, rendered = prepared.article, prepared.rendered
        self._remember(self._render_key(article, prepared.images, palette), rendered)
        return self.refresh(OpenedArticle(article, rendered, (), ()))

    def refresh(self, opened: OpenedArticle) -> OpenedArticle:
        """The same article with its annotations read again (after a change), without re-rendering.
        What re-anchoring finds that the store lacks is stored, so exports, search and other windows
        agree; an empty text (a missing file's) holds no highlight."""
        relpath = opened.article.relpath
        reanchored = _place(self.store.placed_highlights(self.corpus, relpath), opened.rendered.text or None,
                            self.store.kept_texts)
        try:
            self._store_reanchored([reanchored])
        except LecternError as error:  # nothing of the user's is lost: it is found again next time
            log.warning("could not store where the highlights of %s are now: %s", relpath, error)
        return replace(opened, highlights=reanchored.placed, user_tags=self.store.article_tags(self._key(relpath)))

    def _store_reanchored(self, articles: Iterable[_Reanchored]) -> None:
        changes = [item for item in articles if item.found or item.confirmed]
        if changes:
            with write_transaction(self.store.db):
                for item in changes:
                    self.store.save_placements(item.text, item.found, item.confirmed)

    # -- annotating ------------------------------------------------------------------------------
    def cached_rendering(self, article: Article) -> RenderedArticle | None:
        """The article's rendering in the current code colours, if one is kept."""
        return self._rendered.get(self._render_key(article, self._images(article)))

    def render_in(self, article: Article, palette: str) -> RenderedArticle:
        """Render in `palette`'s code colours (in the rendering process) without touching the cache: safe
        on a worker thread."""
        return self._renderer.render(article, palette, self._images(article))

    def with_rendering(self, opened: OpenedArticle, rendered: RenderedArticle, palette: str) -> OpenedArticle:
        """The open article with another rendering of it (in `palette`'s code colours), kept for reuse.
        The plain text is the same whatever the colours, so every highlight stays where it is."""
        self._remember(self._render_key(opened.article, self._images(opened.article), palette), rendered)
        return replace(opened, rendered=rendered)

    # -- where the user stopped in each article ---------------------------------------------------
    def reading_position(self, relpath: str) -> int:
        """The plain-text offset the user had reached in the article (0 when never read)."""
        return reading_position(self.store.db, self.corpus, relpath)

    def remember_reading_position(self, relpath: str, position: int) -> None:
        remember_reading_position(self.store.db, self.corpus, relpath, position)

    def add_highlight(self, opened: OpenedArticle, start: int, end: int, colour: str) -> Highlight:
        """One transaction: the highlight, what its article is, and its text (for re-anchoring after an edit)."""
        article, text = opened.article, opened.rendered.text
        with write_transaction(self.store.db):
            self.store.remember_document(self._key(article.relpath), article.title, article.source_id,
                                         article.content_hash)
            return self.store.add_highlight(self._key(article.relpath), make_anchor(text, start, end), colour,
                                            text=text)

    def set_article_tags(self, article: Article, tags: Iterable[str]) -> tuple[str, ...]:
        self.store.remember_document(self._key(article.relpath), article.title, article.source_id,
                                     article.content_hash)
        return self.store.set_article_tags(self._key(article.relpath), tags)

    def annotated_relpaths(self) -> set[str]:
        return self.store.annotated_relpaths(self.corpus)

    def highlight(self, highlight_id: str) -> Highlight:
        return self.store.highlight(highlight_id)

    def document_titles(self) -> dict[str, str]:
        """Each annotated article of the corpus → its title as last seen (kept if its file goes)."""
        return self.store.document_titles(self.corpus)

    def tag_names(self) -> list[str]:
        """Every tag in use (of articles and highlights, in any corpus), for completion."""
        return self.store.tag_names()

    def change_highlights(self, changes: Mapping[str, HighlightFields]) -> dict[str, HighlightFields]:
        """Give each highlight its new colour, note or tags, all in one transaction; returns what those
        fields were before, for an undo."""
        before: dict[str, HighlightFields] = {}
        with write_transaction(self.store.db):
            for highlight_id, change in changes.items():
                current = self.store.highlight(highlight_id)
                was = {"colour": current.colour, "note": current.note, "tags": current.tags}
                before[highlight_id] = cast(HighlightFields, {key: was[key] for key in change})  # what changes
                self.store.update_highlight(highlight_id, colour=change.get("colour"), note=change.get("note"),
                                            tags=change.get("tags"))
        return before

    def set_highlights_present(self, highlight_ids: Iterable[str], present: bool) -> None:
        """Delete the highlights (a tombstone each, so nothing is lost) or bring them back, in one transaction."""
        with write_transaction(self.store.db):
            for highlight_id in highlight_ids:
                if present:
                    self.store.restore_highlight(highlight_id)
                else:
                    self.store.delete_highlight(highlight_id)

    # -- colour meanings ---------------------------------------------------------------------------
    def colour_meanings(self) -> dict[str, str]:
        """Colour name (a key of COLOURS) → what the user says it means; only colours that have one.
        Meanings are the user's, kept in the annotation database for every corpus."""
        return self.store.colour_meanings()

    def set_colour_meaning(self, colour: str, meaning: str) -> None:
        """Say what `colour` means ("" clears it), in one transaction."""
        if colour not in COLOURS:
            raise LecternError(f"There is no colour named “{colour}”: the colours are {', '.join(COLOURS)}.")
        meaning = tidy_meaning(meaning)
        if len(meaning) > MAX_MEANING:
            raise LecternError(f"A colour's meaning is a short label: at most {MAX_MEANING} characters"
                               f" (this one has {len(meaning)}).")
        self.store.set_colour_meaning(colour, meaning)

    def user_tags(self) -> dict[str, set[str]]:
        """The user's tags (of articles and of highlights) → the articles that carry them."""
        return self.store.user_tags(self.corpus)

    def reconcile(self, scan: CorpusScan) -> Reconciliation:
        """After a scan: annotations of files that moved follow them (recognised by a front-matter id,
        else by identical content); those whose file is gone are reported, and kept."""
        annotated = self.store.annotated_documents(self.corpus)
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
                self.store.move_document(self.corpus, relpath, candidates[0])
                claimed.add(candidates[0])
                moved.append((relpath, candidates[0]))
            else:
                missing.append(relpath)
        return Reconciliation(tuple(moved), tuple(missing))

    def missing_article(self, relpath: str) -> OpenedArticle:
        """An annotated article whose file is gone: no text, every highlight orphaned but listed."""
        title = self.store.document_titles(self.corpus).get(relpath) or PurePosixPath(relpath).stem
        article = Article(relpath, self.root / relpath, title, "", BodyKind.MARKDOWN,
                          warnings=("the file is gone; its annotations are kept",))
        return self.refresh(OpenedArticle(article, RenderedArticle("", ""), (), ()))

    def check(self, progress: Progress | None = None, *, rescan: bool = True) -> CheckReport:
        """Follow moved and renamed files, re-anchor every annotated article and store what is found (one
        transaction); count the highlights in each state. Without `rescan` the files are not listed and
        indexed first (the window has just done so): only the annotated articles are read."""
        reconciliation = self.reconcile(self.scan(progress)) if rescan else Reconciliation((), ())
        states: Counter[str] = Counter()
        review: dict[str, dict[str, int]] = {}
        for notes in self.notes():
            counts = Counter(placed.state for placed in notes.placed)
            states.update(counts)
            if counts[CHANGED] or counts[ORPHANED]:
                review[notes.relpath] = {state: counts[state] for state in STATES if counts[state]}
        return CheckReport({state: states[state] for state in STATES}, review, reconciliation)

    # -- reviewing what moved ----------------------------------------------------------------------
    def anchoring(self, highlight_id: str) -> tuple[Anchor, Placement]:
        """All that reviewing a highlight changes (its anchor and where it was found): for undo."""
        return self.store.anchoring(highlight_id)

    def restore_anchoring(self, highlight_id: str, anchoring: tuple[Anchor, Placement]) -> None:
        self.store.set_anchoring(highlight_id, *anchoring)

    def accept_change(self, opened: OpenedArticle, highlight_id: str) -> None:
        """The text where a changed (or moved) highlight was found becomes the highlight: it is exact there."""
        placed = next((p for p in opened.highlights if p.highlight.id == highlight_id), None)
        if placed is None or placed.span is None:
            raise LecternError("this highlight is not in the article: re-attach it to a selection instead")
        self.reattach(opened, highlight_id, *placed.span)

    def reattach(self, opened: OpenedArticle, highlight_id: str, start: int, end: int) -> None:
        """The highlight is the passage start..end of the open article now (an orphan found by the user)."""
        text = opened.rendered.text
        anchor = make_anchor(text, start, end)
        found = Located((start, end), EXACT, 1.0, anchor.exact)
        self.store.remember_document(self._key(opened.article.relpath), opened.article.title,
                                     opened.article.source_id, opened.article.content_hash)
        self.store.set_anchoring(highlight_id, anchor, Placement(found, text_key(text), None), text=text)

    def mark_wrong(self, opened: OpenedArticle, highlight_id: str) -> None:
        """What re-anchoring found is not the highlighted passage: the highlight is orphaned in this text
        (not looked for again until the article changes), its quote as highlighted kept."""
        anchor, placement = self.store.anchoring(highlight_id)
        text = opened.rendered.text
        self.store.set_anchoring(highlight_id, anchor, replace(placement, located=_GONE,
                                                               found_in=text_key(text) if text else None))

    # -- export ----------------------------------------------------------------------------------
    def plan_notes(self, relpath: str | None = None, selection: HighlightSelection | None = None) -> list[NotesPlan]:
        """What the database knows of the annotated articles (or the one given; with `selection`, only
        the highlights it selects, and only their articles): quick, for the UI thread; turning it into
        notes reads files, so `notes_from_plan` can run on a worker."""
        by_article: dict[str, list[tuple[Highlight, Placement]]] = {}
        for highlight, placement in self.store.placed_highlights(self.corpus, relpath):
            if selection is None or selection.matches(highlight):
                by_article.setdefault(highlight.relpath, []).append((highlight, placement))
        relpaths = set(by_article) | (set() if selection else {relpath} if relpath else self.annotated_relpaths())
        titles = self.store.document_titles(self.corpus)
        plans = []
        for path in sorted(relpaths):
            highlights = tuple(by_article.get(path, []))
            kept = self.store.kept_texts(placement.anchored_in for _, placement in highlights
                                         if placement.anchored_in)
            plans.append(NotesPlan(path, highlights, self.store.article_tags(self._key(path)),
                                   titles.get(path) or PurePosixPath(path).stem, kept))
        return plans

    def notes(self, relpath: str | None = None, selection: HighlightSelection | None = None) -> list[ArticleNotes]:
        """Annotated articles (or the one given) with their highlights (those `selection` selects),
        ready to export; where each highlight is now is stored too."""
        done = [_reanchor_plan(self.root, plan) for plan in self.plan_notes(relpath, selection)]
        self._store_reanchored(reanchored for _, reanchored in done)
        return [notes for notes, _ in done]

    def note_style(self, template: Path | None = None) -> NoteStyle:
        """How notes are laid out: the user's template file (Jinja2), or Lectern's default; the colours'
        meanings; and this corpus, for the links back. A template that cannot be read or compiled
        raises a LecternError naming the file and line."""
        path = template or resources_dir() / DEFAULT_TEMPLATE
        try:
            source = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise LecternError(f"The export template {path} cannot be read: {error}") from None
        name = f"the export template {path.name}" if template else "Lectern's export template"
        return NoteStyle(NoteTemplate(source, name), self.corpus, self.colour_meanings())

    def export_markdown(self, out_dir: Path, relpath: str | None = None, template: Path | None = None) -> ExportReport:
        """Write one note per annotated article (or the one given; with an index for the whole corpus),
        each merged with what the user made of its earlier export."""
        style = self.note_style(template)
        return write_markdown_export(self.notes(relpath), out_dir, style, whole_corpus=relpath is None)

    def colour_named(self, name: str) -> str:
        """The colour called `name`, or whose meaning is `name` (case-insensitive)."""
        meanings_of = self.colour_meanings()
        if named := colours_named(name, meanings_of):
            own = tidy_meaning(name).casefold()  # a colour's own name comes first; then the first colour meant
            return own if own in named else min(named, key=list(COLOURS).index)
        meanings = ", ".join(f"{c} = {m}" for c, m in meanings_of.items())
        raise LecternError(f"No colour or colour meaning is called “{name}”: the colours are {', '.join(COLOURS)}"
                           + (f" ({meanings})." if meanings else "."))

    def notebook(self, selection: HighlightSelection, title: str | None = None) -> Notebook:
        """The notebook gathering `selection`: titled `title`, else after what it gathers."""
        description = selection.describe(self.colour_meanings())
        return Notebook(" ".join((title or f"Notebook — {description}").split()), description)

    def export_notebook(self, out_dir: Path, selection: HighlightSelection, title: str | None = None,
                        template: Path | None = None) -> ExportReport:
        """Gather the highlights `selection` selects, from every article, into one note grouped by
        article (merged with what the user made of its earlier export, as every export is)."""
        style = self.note_style(template)
        notebook = self.notebook(selection, title)
        notes = self.notes(selection=selection)
        if not notes:
            raise LecternError(f"No highlight matches {notebook.description}: nothing was exported.")
        return write_markdown_export(notes, out_dir, style, whole_corpus=False, notebook=notebook)

    def export_json(self, out_dir: Path, relpath: str | None = None) -> Path:
        """W3C Web Annotation JSON of the annotated articles (or the one given), with the user's article
        tags and colour meanings."""
        notes = self.notes(relpath)
        highlights = [placed for article in notes for placed in article.placed]
        articles = {item.relpath: ArticleFacts(item.url or (self.root / item.relpath).as_uri(),
                                               self.store.article_tags(self._key(item.relpath))) for item in notes}
        name = (safe_filename(notes[0].title, set())[:-3] if relpath else "annotations") + ".json"
        path = out_dir / name
        atomic_write(path, to_collection(highlights, f"Lectern annotations of {self.root.name}", articles,
                                         self.colour_meanings()))
        return path

    # -- import ----------------------------------------------------------------------------------
    def _resolve_source(self, item: IncomingAnnotation, by_name: dict[str, list[str]],
                        by_address: Callable[[], dict[str, str]]) -> str:
        """An annotation's article as a corpus path: the path an export of Lectern's names, the file a
        `file:` URI names inside the corpus, the article whose front matter gives the web address, a
        corpus path as such (files of earlier versions), else the one file of the same name."""
        source = item.source
        candidates = [item.path] if item.path else []
        lowered = source.lower()
        if lowered.startswith("file:"):
            local = Path(unquote(urlsplit(source).path))
            with suppress(OSError, ValueError):  # a file outside the corpus: found by its name, if at all
                candidates.append(local.resolve().relative_to(self.root).as_posix())
        elif lowered.startswith(("http://", "https://")) and (found := by_address().get(source)):
            candidates.append(found)
        candidates.append(source.removeprefix("./"))
        for relpath in candidates:
            try:
                if (self.root / relpath).resolve().is_relative_to(self.root) and (self.root / relpath).is_file():
                    return relpath
            except (OSError, ValueError):  # a name no file system takes: it is not a file here
                pass
        named = by_name.get(PurePosixPath(urlsplit(source).path if "://" in source else source).name, [])
        return named[0] if len(named) == 1 else (item.path or source.removeprefix("./"))

    def _web_addresses(self) -> dict[str, str]:
        """Web address → corpus path of the articles whose front matter names one (read on demand: only
        an import of annotations made on the web needs it)."""
        found: dict[str, str] = {}
        for path in find_article_files(self.root):
            try:
                address = web_address(load_article(path, self.root).metadata)
            except DocumentError:
                continue
            if address:
                found.setdefault(address, path.relative_to(self.root).as_posix())
        return found

    def import_annotations(self, text: str) -> ImportReport:
        """Import Web Annotations, all of them or (on any failure) none; with an export of Lectern's,
        also its article tags (added to the user's) and colour meanings (only for colours without one)."""
        found = read_annotation_file(text)
        report = ImportReport(unusable=found.unusable)
        by_name: dict[str, list[str]] = {}
        for path in find_article_files(self.root):
            by_name.setdefault(path.name, []).append(path.relative_to(self.root).as_posix())
        addresses: dict[str, str] | None = None

        def by_address() -> dict[str, str]:
            nonlocal addresses
            if addresses is None:
                addresses = self._web_addresses()
            return addresses

        with write_transaction(self.store.db):
            self._import(found.annotations, lambda item: self._resolve_source(item, by_name, by_address), report)
            for relpath, tags in found.article_tags.items():
                key = self._key(relpath)
                self.store.set_article_tags(key, self.store.article_tags(key) + tags)
            mine = self.store.colour_meanings()
            for colour, meaning in found.meanings.items():
                if not mine.get(colour):
                    self.store.set_colour_meaning(colour, meaning[:MAX_MEANING])
                    report.meanings_added.append(colour)
                elif mine[colour] != meaning:
                    report.meanings_kept.append(f"{colour} keeps your meaning “{mine[colour]}” (the file says"
                                                f" “{meaning}”)")
        return report

    def _import(self, incoming: list[IncomingAnnotation], resolve: Callable[[IncomingAnnotation], str],
                report: ImportReport) -> None:
        texts: dict[str, str | None] = {}
        for item in incoming:
            highlight_id = item.id
            found = self.store.whereabouts(highlight_id)
            if found is not None and found[0] == self.corpus:
                if found[1]:  # deleted here: importing it again brings it back
                    self.store.restore_highlight(highlight_id)
                    report.imported += 1
                else:
                    report.already_present += 1
                continue
            if found is not None:  # the same annotation belongs to another corpus (a copy of this one)
                highlight_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.corpus}\n{highlight_id}"))
                if self.store.whereabouts(highlight_id) is not None:
                    report.already_present += 1
                    continue
            relpath = resolve(item)
            if relpath not in texts:
                texts[relpath] = self._text_of(relpath)
            text = texts[relpath]
            anchor, located, anchored = _imported(item, text)
            if located.state == ORPHANED:
                report.orphaned.append(f"{relpath}: “{item.exact[:60]}” was not found; kept as orphaned")
            self.store.add_highlight(self._key(relpath), anchor, item.colour, item.note, item.tags,
                                     highlight_id=highlight_id, created=item.created, updated=item.modified,
                                     text=text, found=located, anchored=anchored)
            report.imported += 1

    def _text_of(self, relpath: str) -> str | None:
        try:
            article = self.load(relpath)
        except LecternError:
            return None
        self.store.remember_document(self._key(relpath), article.title, article.source_id, article.content_hash)
        return self.render(article).text

