"""A corpus folder and the user's annotations of it: the use-cases the window and the command line share,
reading, annotating, reviewing and exporting here, the rest in the modules beside this one."""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TypedDict, cast

from desktop.core.anchoring import CHANGED, EXACT, ORPHANED, Located, make_anchor
from desktop.core.code_colours import DEFAULT_PALETTE
from desktop.core.colours import COLOURS, MAX_MEANING, colours_named, tidy_meaning
from desktop.core.corpus import Cancelled, ListedFile, Progress, list_article_files, list_article_names
from desktop.core.documents import load_article
from desktop.core.errors import DocumentError, LecternError, StoreError
from desktop.core.export import ArticleNotes, HighlightSelection, NoteStyle, safe_filename
from desktop.core.images import ImageLookup, candidate_image_urls
from desktop.core.model import (
    Anchor,
    Article,
    BodyKind,
    CorpusScan,
    Highlight,
    IndexReport,
    PlacedHighlight,
    RenderedArticle,
)
from desktop.core.note_template import NoteTemplate
from desktop.core.render import render_article
from desktop.core.webannotation import ArticleFacts, to_collection
from desktop.file_check import FileCheck, FileChecker, HelperStopped
from desktop.files import atomic_write
from desktop.indexer import BatchDone, update_index
from desktop.library.importing import AnnotationImport, ImportReport
from desktop.library.listing import CorpusListing, Reconciliation, by_knowledge, index_path_of, reconcile
from desktop.library.notes import DEFAULT_TEMPLATE, NotesPlan, reanchor_plan, write_markdown_export
from desktop.library.placing import GONE, STATES, Reanchored, place
from desktop.library.searching import SearchResults, search
from desktop.note_export import ExportReport, Notebook
from desktop.paths import cache_dir, resources_dir
from desktop.renderer import ArticleRenderer
from desktop.store.annotations import AnnotationStore, Placement, text_key
from desktop.store.database import database_path, open_database, write_transaction
from desktop.store.image_cache import ImageCache, default_image_folder
from desktop.store.reading_positions import reading_position, remember_reading_position
from desktop.store.search_index import Knowledge, KnownFile, SearchIndex

__all__ = ["Library", "LibraryAddress", "OpenedArticle", "PreparedArticle", "HighlightFields", "CheckReport",
           "LARGE_ARTICLE_BYTES"]

log = logging.getLogger(__name__)
_RENDER_CACHE_SIZE = 32
LARGE_ARTICLE_BYTES = 100 * 1024  # p99 of real posts is ~58 KB; bigger ones (or hostile ones) render on a worker


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


class HighlightFields(TypedDict, total=False):
    """What the user edits of a highlight: any of its colour, note and tags."""

    colour: str
    note: str
    tags: Sequence[str]


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
        entries, skipped, pending = by_knowledge(files, known)
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
        entries, skipped, pending = by_knowledge(files, known)
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
        if self._index is None:
            self._index = SearchIndex(self.index_path)
        return search(self._index, self.store, self.corpus, self.colour_meanings(), text, limit)

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
        reanchored = place(self.store.placed_highlights(self.corpus, relpath), opened.rendered.text or None,
                            self.store.kept_texts)
        try:
            self._store_reanchored([reanchored])
        except LecternError as error:  # nothing of the user's is lost: it is found again next time
            log.warning("could not store where the highlights of %s are now: %s", relpath, error)
        return replace(opened, highlights=reanchored.placed, user_tags=self.store.article_tags(self._key(relpath)))

    def _store_reanchored(self, articles: Iterable[Reanchored]) -> None:
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
        return reconcile(self.store, self.corpus, scan)

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
        self.store.set_anchoring(highlight_id, anchor, replace(placement, located=GONE,
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
        done = [reanchor_plan(self.root, plan) for plan in self.plan_notes(relpath, selection)]
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

    def import_annotations(self, text: str) -> ImportReport:
        """Import Web Annotations, all of them or (on any failure) none; with an export of Lectern's,
        also its article tags (added to the user's) and colour meanings (only for colours without one)."""
        return AnnotationImport(self).run(text)
