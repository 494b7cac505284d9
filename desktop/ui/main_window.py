"""The main window: corpus tree, reader and side panel; and the controller that turns what the user
asks for into library calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.colours import COLOURS, DEFAULT_COLOUR
from desktop.core.corpus import ARTICLE_SUFFIXES
from desktop.core.errors import LecternError
from desktop.core.links import LinkError
from desktop.core.problems import is_informational
from desktop.core.search_text import parse_query
from desktop.core.snippets import find_matches
from desktop.library import (
    ExportReport,
    FileChecker,
    HighlightFields,
    Library,
    OpenedArticle,
    PreparedArticle,
    SearchResult,
    notes_from_plan,
    write_markdown_export,
)
from desktop.logs import milestone
from desktop.store.annotations import AnnotationStore
from desktop.store.backups import make_backup, restore_backup
from desktop.store.database import database_path
from desktop.ui.article_view import ArticleView
from desktop.ui.backups_dialog import RestoreDialog
from desktop.ui.colour_meanings import ColourMeanings
from desktop.ui.contents_pane import ContentsPane
from desktop.ui.corpus_controller import CorpusController
from desktop.ui.corpus_filter import CorpusFilterBar
from desktop.ui.export_template import ExportTemplate
from desktop.ui.file_watcher import LiveFiles
from desktop.ui.find_bar import CommandField, FindBar
from desktop.ui.links import LinkInbox, checked_link
from desktop.ui.messages import describe, show_error, show_warning
from desktop.ui.notebook_controller import NotebookController
from desktop.ui.offline_images import OfflineImagesController
from desktop.ui.reading_controls import ReadingControls
from desktop.ui.recent_corpora import RecentCorpora, resume_target
from desktop.ui.review import ReviewController
from desktop.ui.search_pane import SearchPane
from desktop.ui.searcher import Searcher
from desktop.ui.settings import Settings
from desktop.ui.side_panel import SidePanel
from desktop.ui.tasks import Task, TaskRunner
from desktop.ui.theme_colours import swatch
from desktop.ui.undo_commands import HighlightChange, HighlightPresence

__all__ = ["MainWindow"]

_STATUS_MS = 6000
HIGHLIGHT_SHORTCUT = "Ctrl+Shift+H"


def _column(*widgets: QWidget, stretch: QWidget) -> QWidget:
    """Widgets one above the other; `stretch` takes the spare height."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is stretch else 0)
    return box


class MainWindow(QMainWindow):
    annotations_changed = Signal()  # highlights were made, changed, deleted or brought back

    def __init__(self, store: AnnotationStore, settings: Settings, parent: QWidget | None = None,
                 file_checker: FileChecker | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lectern")
        self.store = store
        self.settings = settings
        self.recent = RecentCorpora(settings)
        self.library: Library | None = None
        self.tasks = TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self._opening: str | None = None  # the article the user asked for last
        self._article_shown = False
        # (relpath, what to do once it is shown): scroll to a search match, say
        self._after_open: tuple[str, Callable[[OpenedArticle], None]] | None = None

        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.filter_bar = CorpusFilterBar()
        self.corpus = CorpusController(store, self.tasks, self.tree, self.filter_bar, self, file_checker)
        self.corpus_model = self.corpus.model
        self.search_field = CommandField()
        self.search_field.setPlaceholderText("Search articles and notes (Ctrl+K)")
        self.search_field.setClearButtonEnabled(True)
        self.searcher = Searcher(self)
        self.search_pane = SearchPane(self.searcher)
        self.left = QStackedWidget()
        self.left.addWidget(_column(self.filter_bar, self.tree, stretch=self.tree))
        self.left.addWidget(self.search_pane)
        self.article_view = ArticleView()
        self.contents = ContentsPane()  # the article's headings, under the tree
        self.find_bar = FindBar()
        self.side_panel = SidePanel()
        self.review = ReviewController(self)  # highlights that moved: the side panel's list, the corpus's
        self.live_files = LiveFiles(self.tasks, self)  # the open file and the corpus folders, as they change
        self.offline_images = OfflineImagesController(  # images kept for offline reading, on request only
            self.tasks, self, lambda: (self.library, self.opened.article.relpath if self.opened else None))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        reader = _column(self.article_view, self.find_bar, stretch=self.article_view)
        self.left_column = QSplitter(Qt.Orientation.Vertical)
        self.left_column.addWidget(self.left)
        self.left_column.addWidget(self.contents)
        self.left_column.setSizes([600, 200])
        for widget, stretch in ((self.left_column, 0), (reader, 1), (self.side_panel, 0)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        # The article gets the room: on a small or scaled screen the panes at its sides give way first.
        self.left_column.setMinimumWidth(180)
        reader.setMinimumWidth(360)
        self.side_panel.setMaximumWidth(520)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([280, 760, 340])
        self.setCentralWidget(self.splitter)

        self.notebook = NotebookController(self)  # every highlight of the corpus, in a dock under the reader
        self.export_template = ExportTemplate(self)  # File → Export Template…
        self.link_inbox = LinkInbox(self)  # lectern:// links followed while this window is open (run_app opens it)
        self.colour_meanings = ColourMeanings(self)
        self.current_colour = settings.get("highlight/colour")
        if self.current_colour not in COLOURS:
            self.current_colour = DEFAULT_COLOUR
        self._build_actions()
        self.reading = ReadingControls(self, self.toolbar)  # View, Go and Help; themes, history, contents
        self.reading.view_menu.addAction(self.notebook.action)
        self._build_status_bar()
        self._connect()
        self._restore_geometry()

    # -- construction ----------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[..., object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action("&Open Folder…", self.choose_corpus, QKeySequence.StandardKey.Open)
        self.export_article_action = self._action("Export Notes of This &Article…",
                                                  lambda: self.choose_export(whole_corpus=False))
        self.export_all_action = self._action("&Export All Notes…", lambda: self.choose_export(whole_corpus=True),
                                              "Ctrl+Shift+E")
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        # Not Ctrl+H: on macOS that is Cmd+H, "Hide application".
        self.highlight_action = self._action("&Highlight Selection", lambda: self.highlight_selection(),
                                             HIGHLIGHT_SHORTCUT)
        self.highlight_action.setToolTip(f"Highlight the selected passage ({HIGHLIGHT_SHORTCUT}) in the current colour")
        self.delete_action = self._action("&Delete Highlight", self.delete_current_highlight)
        # Delete or Backspace deletes the highlight chosen in the side panel (and nothing elsewhere).
        self.delete_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete),
                                         QKeySequence(Qt.Key.Key_Backspace)])
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.side_panel.list.addAction(self.delete_action)
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.search_action = self._action("&Search…", self.focus_search, "Ctrl+K")
        self.search_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+Shift+F")])
        self.find_action = self._action("&Find in Article…", self.open_find_bar, QKeySequence.StandardKey.Find)

        self.colour_actions: dict[str, QAction] = {}
        for number, name in enumerate(COLOURS, start=1):
            action = self._action(name.capitalize(), lambda _c=False, n=name: self.highlight_selection(n),
                                  f"Ctrl+{number}")
            action.setToolTip(f"Highlight in {name} (Ctrl+{number})")
            self.colour_actions[name] = action

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addActions([self.export_article_action, self.export_all_action, self.export_template.action])
        file_menu.addSeparator()
        file_menu.addMenu(self.offline_images.menu)
        file_menu.addAction(self.offline_images.clear_action)
        file_menu.addSeparator()
        self.backup_action = self._action("&Back Up Annotations Now", self.back_up)
        self.restore_action = self._action("&Restore Annotations from a Backup…", self.choose_backup)
        file_menu.addActions([self.backup_action, self.restore_action])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.highlight_action)
        colour_menu = edit_menu.addMenu("Highlight &In")
        colour_menu.addActions(list(self.colour_actions.values()))
        edit_menu.addAction(self.delete_action)
        edit_menu.addSeparator()
        edit_menu.addActions([self.search_action, self.find_action])
        edit_menu.addSeparator()
        self.review_action = self._action("Re&view Highlights That Moved…", self.review.show_dialog)
        edit_menu.addAction(self.review_action)
        edit_menu.addAction(self.colour_meanings.action)

        self.toolbar = toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.open_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Highlight: "))
        toolbar.addActions(list(self.colour_actions.values()))
        toolbar.addSeparator()
        toolbar.addAction(self.export_all_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.search_field.setMinimumWidth(160)  # narrow windows keep it on the toolbar, not in its overflow
        self.search_field.setMaximumWidth(420)
        self.search_field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        toolbar.addWidget(self.search_field)
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        self.corpus_summary = QLabel()
        self.statusBar().addWidget(self.corpus_summary)
        self.statusBar().addPermanentWidget(self.review.status_button)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop indexing; it resumes where it stopped the next time")
        self.cancel_button.clicked.connect(self.corpus.cancel)
        for widget in (self.progress, self.cancel_button):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)

    def _connect(self) -> None:
        browser = self.article_view.browser
        browser.image_undecodable.connect(self.offline_images.image_undecodable)
        self.offline_images.images_changed.connect(self.reload_article)
        browser.highlight_requested.connect(self.highlight_selection)
        browser.internal_link_activated.connect(self._open_link)
        browser.lectern_link_activated.connect(self.open_link)
        self.article_view.highlights_clicked.connect(self._highlights_clicked)
        panel = self.side_panel
        panel.article_tags_change_requested.connect(self._set_article_tags)
        panel.highlight_activated.connect(self._reveal_highlight)
        panel.highlight_change_requested.connect(self._change_highlight)
        panel.highlight_delete_requested.connect(self.delete_highlight)
        review = self.review
        panel.review.accept_requested.connect(review.accept)
        panel.review.mark_wrong_requested.connect(review.mark_wrong)
        panel.review.reattach_requested.connect(review.reattach)
        panel.review.delete_requested.connect(review.delete)
        self.live_files.article_changed.connect(self.reload_article)
        self.live_files.corpus_changed.connect(self.corpus.refresh)
        self.corpus.files_listed.connect(self._watch_corpus)
        self.search_field.textChanged.connect(self._search_text_changed)
        self.search_field.step_requested.connect(lambda _step: self.search_pane.activate_first())
        self.search_field.close_requested.connect(self.search_field.clear)
        self.search_pane.result_activated.connect(self.open_result)
        self.search_pane.searched.connect(lambda line, _found: self.statusBar().showMessage(line, _STATUS_MS))
        self.find_bar.match_chosen.connect(lambda start, end: self.article_view.select_span((start, end)))
        self.article_view.text_changed.connect(self.find_bar.set_text)
        self.find_bar.closed.connect(self.article_view.browser.setFocus)
        corpus = self.corpus
        corpus.library_changed.connect(self._library_changed)
        corpus.article_wanted.connect(self._article_wanted)
        corpus.article_chosen.connect(self._article_chosen)
        corpus.index_progress.connect(self._index_progress)
        corpus.index_finished.connect(self._index_finished)
        corpus.index_finished.connect(self.review.schedule_check)
        corpus.summary_changed.connect(self._summary_changed)
        corpus.message.connect(lambda line: self.statusBar().showMessage(line, _STATUS_MS))
        corpus.failed.connect(self._corpus_failed)
        corpus.library_changed.connect(lambda _library: self.colour_meanings.load())
        corpus.library_changed.connect(lambda _library: self.notebook.changed())
        self.colour_meanings.meanings_changed.connect(self.notebook.panel.set_meanings)
        self.colour_meanings.meanings_changed.connect(self.article_view.set_colour_meanings)
        self.reading.appearance.changed.connect(self._retint)
        self.link_inbox.arrived.connect(self._link_handed_over)
        self._retint()

    def _retint(self) -> None:
        """The colour swatches of the toolbar, the side panel and the notebook in the reading theme's tints."""
        for name, action in self.colour_actions.items():
            action.setIcon(swatch(name))
        self.side_panel.retint()
        self.notebook.panel.retint()

    def _restore_geometry(self) -> None:
        if geometry := self.settings.get("window/geometry"):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 880)
        if state := self.settings.get("window/state"):
            self.restoreState(state)
        if splitter := self.settings.get("window/splitter"):
            self.splitter.restoreState(splitter)
        if left := self.settings.get("window/left_splitter"):
            self.left_column.restoreState(left)

    # -- corpus ------------------------------------------------------------------------------------------
    def open_corpus(self, root: Path, article: str | None = None, position: int = 0) -> Library:
        """Show `root`'s tree at once and index it in the background (desktop.ui.corpus_controller).
        Without an article, the one the user was reading there comes back where they left it."""
        self._remember_position()
        if article is None and (place := self.recent.place(root)) is not None and place.article:
            article, position = place.article, place.position
        return self.corpus.open(root, article, position)

    def resume(self, corpus: Path | None, default: Path) -> Library:
        """Open `corpus`, else the last one, else `default` (see resume_target)."""
        root, article = resume_target(self.settings, corpus, default)
        return self.open_corpus(root, article)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for place in self.recent.places():
            path = Path(place.corpus)
            action = self.recent_menu.addAction(f"{path.name} — {path.parent}")
            action.setEnabled(path.is_dir())
            action.triggered.connect(lambda _checked=False, path=path: self.open_corpus(path))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No folders opened yet").setEnabled(False)

    def _remember_position(self) -> None:
        """Where the user is in the open article, so that reopening its corpus (or the article) comes
        back there."""
        if self.library is not None and self.opened is not None:
            relpath, position = self.opened.article.relpath, self.article_view.top_position()
            self.recent.remember(self.library.root, relpath, position)
            try:
                self.library.remember_reading_position(relpath, position)
            except LecternError as error:  # a busy database: the place is lost, nothing else
                self.statusBar().showMessage(f"Where you stopped was not kept: {describe(error)}", _STATUS_MS)

    def is_scanning(self) -> bool:
        """The corpus is still being listed, indexed or its tree built."""
        return self.corpus.is_busy()

    def _watch_corpus(self) -> None:
        if self.library is not None:
            self.live_files.watch_corpus(self.library.root)

    def _library_changed(self, library: Library) -> None:
        self.undo_stack.clear()
        self.reading.navigator.clear()  # its places are in the other corpus
        library.code_palette = self.reading.appearance.theme.name
        self.library = library
        self._opening = None
        self.search_field.clear()  # results of another corpus would open files that are not here
        self.searcher.set_library(library.address())
        self.search_pane.clear()
        self.setWindowTitle(f"{library.root.name} — Lectern")
        self.article_view.show_placeholder(f"Reading {library.root} …")
        self.side_panel.show_article(None)
        self.review.library_changed()
        self.live_files.leave_corpus()  # its folders are watched once its files are listed
        self.live_files.watch_file(None)
        self.recent.remember(library.root)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Listing")
        self.progress.show()
        self.cancel_button.show()

    def _article_wanted(self, relpath: str, position: int) -> None:
        if self._opening is not None:  # the user opened something (a search result) meanwhile
            return
        if relpath:
            self.open_article(relpath, position)
            return
        for candidate in self.corpus.first_articles():  # the first one that opens (not yet known to be read)
            if self.open_article(candidate):
                return

    def _article_chosen(self, relpath: str) -> None:
        if self.opened is None or self.opened.article.relpath != relpath:
            self.open_article(relpath, None)  # where the user stopped in it

    def _index_progress(self, searchable: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(searchable)
        self.progress.setFormat("Indexing %v of %m")
        self.search_pane.set_coverage(searchable, total)

    def _index_finished(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.search_pane.set_coverage(None, None)

    def _summary_changed(self, line: str, tooltip: str) -> None:
        self.corpus_summary.setText(line)
        self.corpus_summary.setToolTip(tooltip)

    def _corpus_failed(self, error: BaseException) -> None:
        self._index_finished()
        self.article_view.show_placeholder(f"This corpus cannot be read: {describe(error)}")
        show_error(self, "Cannot open the folder", error)

    def choose_corpus(self) -> None:
        start = str(self.library.root) if self.library else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of articles", start)
        if folder:
            self.open_corpus(Path(folder))

    # -- reading -------------------------------------------------------------------------------------------
    @property
    def opened(self) -> OpenedArticle | None:
        return self.article_view.opened

    def open_article(self, relpath: str, position: int | None = 0, record: bool = True) -> bool:
        """Show an article (large ones are read and rendered on a worker) at `position` (None: where the
        user stopped in it), as a new stop of the history unless `record` is False. False if it
        cannot be read."""
        if self.library is None:
            return False
        self.side_panel.save_note()
        self._remember_position()
        if position is None:
            position = self.library.reading_position(relpath)
        if record:
            self.reading.navigator.visit(relpath, position)
        self._opening = relpath
        library = self.library
        if library.is_large(relpath):
            self.article_view.show_placeholder(f"Opening {relpath} …")
            self.side_panel.show_article(None)
            palette = library.code_palette  # the theme may change while the worker renders
            self.tasks.start(
                lambda: library.prepare(relpath, palette),
                finished=lambda prepared: self._prepared(library, relpath, prepared, position, palette),
                failed=lambda error: self._prepare_failed(relpath, error))
            return True
        try:
            opened = library.open_article(relpath)
        except LecternError as error:
            self._show_unreadable(relpath, error)
            return False
        self._show_opened(opened, position)
        return True

    def reload_article(self) -> None:
        """The open article's file changed on disk: read it again (its highlights found again), where the
        reader was."""
        if self.opened is not None:
            self.open_article(self.opened.article.relpath, self.article_view.top_position(), record=False)
            self.review.schedule_check()

    def open_article_then(self, relpath: str, after: Callable[[OpenedArticle], None]) -> None:
        """Open an article (or stay in it) and then do `after` with it."""
        if self.opened is not None and self.opened.article.relpath == relpath:
            after(self.opened)
        else:
            self._after_open = (relpath, after)
            self.open_article(relpath)

    def _prepared(self, library: Library, relpath: str, prepared: PreparedArticle, position: int, palette: str) -> None:
        if library is self.library and self._opening == relpath:  # else the user has moved on
            self._show_opened(library.annotate(prepared, palette=palette), position)
            if palette != library.code_palette:
                self.reading.restyle()

    def _prepare_failed(self, relpath: str, error: BaseException) -> None:
        if self._opening == relpath:  # else the user has moved on
            self._show_unreadable(relpath, error)

    def _show_unreadable(self, relpath: str, error: BaseException) -> None:
        self._after_open = None
        if self.library is not None and relpath in self.library.annotated_relpaths():
            self._show_opened(self.library.missing_article(relpath), 0)  # its notes are still there
            return
        if not isinstance(error, LecternError):
            show_error(self, "Cannot open the article", error)
        self.article_view.show_placeholder(f"{relpath} cannot be opened: {describe(error)}")
        self.side_panel.show_article(None)
        self.statusBar().showMessage(f"{relpath}: {describe(error)}", _STATUS_MS)

    def _show_opened(self, opened: OpenedArticle, position: int) -> None:
        relpath = opened.article.relpath
        self.article_view.show_article(opened)
        self.live_files.watch_file(opened.article.path)
        if not self._article_shown:  # a startup milestone: the first article on screen
            self._article_shown = True
            milestone("article shown")
        self.side_panel.show_article(opened, self.library.tag_names() if self.library is not None else [])
        if self._after_open is not None:
            wanted, after = self._after_open
            self._after_open = None
            if wanted == relpath:
                after(opened)
        if position:
            self.article_view.scroll_to_position(position)
        self.corpus.select(relpath)
        if self.library is not None:
            self.setWindowTitle(f"{opened.article.title} — {self.library.root.name} — Lectern")
            self.recent.remember(self.library.root, relpath, position)
        warnings = [warning for warning in opened.article.warnings + opened.rendered.warnings
                    if not is_informational(warning)]
        if warnings:
            self.statusBar().showMessage(f"⚠ {relpath}: {'; '.join(warnings)}", _STATUS_MS)

    def _open_link(self, target: str) -> None:
        if self.opened is None or self.library is None:
            return
        base = PurePosixPath(self.opened.article.relpath).parent
        path = (self.library.root / base / target).resolve()
        if path.is_file() and path.is_relative_to(self.library.root) and path.suffix.lower() in ARTICLE_SUFFIXES:
            self.open_article(path.relative_to(self.library.root).as_posix())
        else:
            self.statusBar().showMessage(f"{target} is not an article of this corpus.", _STATUS_MS)

    # -- annotating -----------------------------------------------------------------------------------------
    def highlight_selection(self, colour: str | None = None) -> str | None:
        """Highlight the selected passage; returns the new highlight's id."""
        if colour:
            self.current_colour = colour
            self.settings.set("highlight/colour", colour)
        if self.article_view.selection_spans_cells():
            self.statusBar().showMessage("A highlight in a table stays within one cell: select inside a cell.",
                                         _STATUS_MS)
            return None
        span = self.article_view.selected_span()
        if self.opened is None or self.library is None or span is None:
            self.statusBar().showMessage("Select a passage in the article first.", _STATUS_MS)
            return None
        same = next((placed for placed in self.opened.highlights if placed.span == span), None)
        if same is not None:  # the passage is highlighted already: choosing a colour recolours it
            self._change_highlight(same.highlight.id, {"colour": self.current_colour})
            return same.highlight.id
        try:
            highlight = self.library.add_highlight(self.opened, *span, self.current_colour)
        except LecternError as error:
            show_error(self, "The highlight was not saved", error)
            return None
        self.refresh_annotations(select_id=highlight.id)
        self.undo_stack.push(HighlightPresence(self, (highlight.id,), True, f"highlight in {self.current_colour}"))
        return highlight.id

    def delete_highlight(self, highlight_id: str) -> None:
        self.delete_highlights((highlight_id,))

    def delete_highlights(self, highlight_ids: tuple[str, ...]) -> None:
        """Delete highlights as one step that Edit → Undo takes back."""
        if self.library is None or not highlight_ids:
            return
        several = len(highlight_ids) > 1
        try:
            self.library.set_highlights_present(highlight_ids, present=False)
        except LecternError as error:
            show_error(self, f"The highlight{'s were' if several else ' was'} not deleted", error)
            return
        self.refresh_annotations()
        what = f"{len(highlight_ids)} highlights" if several else "highlight"
        self.undo_stack.push(HighlightPresence(self, highlight_ids, False, f"delete {what}"))
        self.statusBar().showMessage(f"{what.capitalize()} deleted. Edit → Undo brings {'them' if several else 'it'}"
                                     " back.", _STATUS_MS)

    def delete_current_highlight(self) -> None:
        if highlight_id := self.side_panel.current_highlight_id():
            self.delete_highlight(highlight_id)

    def refresh_annotations(self, select_id: str | None = None) -> None:
        self.annotations_changed.emit()
        if self.library is None or self.opened is None:
            return
        opened = self.library.refresh(self.opened)
        self.article_view.set_highlights(opened)
        self.side_panel.set_highlights(opened, select_id)

    def _change_highlight(self, highlight_id: str, change: HighlightFields) -> None:
        self.change_highlights({highlight_id: change})

    def change_highlights(self, changes: dict[str, HighlightFields]) -> None:
        """Change highlights' colour, note or tags as one step that Edit → Undo takes back."""
        if self.library is None or not changes:
            return
        try:
            before = self.library.change_highlights(changes)
        except LecternError as error:
            # The editor keeps what the user typed (still unsaved: it is sent again with the next edit).
            show_error(self, "The change was not saved", error)
            return
        self.refresh_annotations()
        self.undo_stack.push(HighlightChange(self, before, changes))

    def _highlights_clicked(self, highlight_ids: list[str]) -> None:
        """A click on highlighted text chooses its highlight in the side panel; where several overlap,
        a menu offers each."""
        if self.opened is None:
            return
        chosen = highlight_ids[0]
        if len(highlight_ids) > 1:
            menu = QMenu(self)
            for placed in self.opened.highlights:
                if placed.highlight.id in highlight_ids:
                    quote = placed.highlight.anchor.exact
                    action = menu.addAction(swatch(placed.highlight.colour),
                                            f"“{quote[:40]}{'…' if len(quote) > 40 else ''}”")
                    action.setData(placed.highlight.id)
            picked = self._pick(menu)
            if picked is None:
                return
            chosen = picked
        self.side_panel.set_highlights(self.opened, chosen)

    def _pick(self, menu: QMenu) -> str | None:
        """The highlight chosen in `menu`, shown at the mouse (a seam for tests)."""
        action = menu.exec(QCursor.pos())
        return str(action.data()) if action is not None else None

    def _reveal_highlight(self, highlight_id: str) -> None:
        if self.opened is None:
            return
        for placed in self.opened.highlights:
            if placed.highlight.id == highlight_id:
                if placed.orphaned:
                    self.statusBar().showMessage("This passage is no longer in the article.", _STATUS_MS)
                self.article_view.reveal(placed)

    def _set_article_tags(self, tags: tuple[str, ...]) -> None:
        if self.library is None or self.opened is None:
            return
        try:
            self.library.set_article_tags(self.opened.article, tags)
        except LecternError as error:
            show_error(self, "The tags were not saved", error)
            return
        opened = self.library.refresh(self.opened)
        self.article_view.set_highlights(opened)  # the view keeps the current copy of the article
        self.side_panel.show_article(opened, self.library.tag_names())
        self.corpus.rebuild()  # the tag filter offers the user's tags, and may now show this article

    # -- searching -----------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _search_text_changed(self, text: str) -> None:
        if text.strip() and self.library is not None:
            self.left.setCurrentWidget(self.search_pane)
            self.search_pane.schedule(text)
        else:
            self.left.setCurrentIndex(0)

    def open_highlight(self, relpath: str, highlight_id: str, not_found: Callable[[], None] | None = None) -> None:
        """Open an article at one of its highlights: chosen in the side panel, scrolled to in the reader;
        `not_found` is called when the article has no such highlight."""
        def reveal(opened: OpenedArticle) -> None:
            placed = next((p for p in opened.highlights if p.highlight.id == highlight_id), None)
            if placed is None:
                if not_found is not None:
                    not_found()
                return
            self.side_panel.set_highlights(opened, highlight_id)
            self.article_view.reveal(placed)

        self.open_article_then(relpath, reveal)

    def _link_handed_over(self, url: str) -> None:
        """A link followed elsewhere (an exported note) while this window is open: here, in front."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self.open_link(url)

    def open_link(self, url: str) -> bool:
        """Follow a `lectern://` link to its corpus, article and highlight, once desktop.ui.links has
        checked it names an article of a corpus the user opened before. False: it was refused (and
        the user told why)."""
        try:
            target = checked_link(url, self.recent)
        except LinkError as error:
            show_error(self, "Cannot follow the link", error)
            return False
        if self.library is None or self.library.root != target.root:
            self.open_corpus(target.root, target.article)
        if target.highlight is None:
            self.open_article(target.article)
            return True
        gone = LinkError(f"The highlight this link points to is no longer in {target.article}; the article is open.")
        self.open_highlight(target.article, target.highlight, lambda: show_error(self, "Cannot follow the link", gone))
        return True

    def open_result(self, result: SearchResult) -> None:
        """Open a result's article scrolled to it: the first match, or the highlight itself."""
        if result.highlight_id is not None:
            self.open_highlight(result.relpath, result.highlight_id)
            return
        words = parse_query(self.search_field.text()).words()

        def reveal(opened: OpenedArticle) -> None:
            matches = find_matches(opened.rendered.text, words, limit=1)
            if matches:
                self.article_view.select_span(matches[0])

        self.open_article_then(result.relpath, reveal)

    def open_find_bar(self) -> None:
        if self.opened is not None:
            self.find_bar.open_bar(self.opened.rendered.text)

    # -- export ------------------------------------------------------------------------------------------------
    def choose_export(self, whole_corpus: bool) -> None:
        if self.library is None or (not whole_corpus and self.opened is None):
            self.statusBar().showMessage("Open an article first.", _STATUS_MS)
            return
        folder = QFileDialog.getExistingDirectory(self, "Export notes into folder", str(Path.home()))
        if folder:
            self.export_notes(Path(folder), whole_corpus)

    def export_notes(self, out_dir: Path, whole_corpus: bool) -> Task | None:
        """Read the database here; read the articles and write the files (merged with the user's edits of
        an earlier export) on a worker."""
        if self.library is None:
            return None
        self.side_panel.save_note()
        relpath = None if whole_corpus or self.opened is None else self.opened.article.relpath
        style = self.export_template.style(self.library)
        if style is None:
            return None
        plans, root = self.library.plan_notes(relpath), self.library.root
        self.statusBar().showMessage(f"Exporting notes to {out_dir} …")
        return self.tasks.start(
            lambda: write_markdown_export(notes_from_plan(root, plans), out_dir, style, whole_corpus=relpath is None),
            finished=self.report_export, failed=lambda error: show_error(self, "Export failed", error))

    def report_export(self, report: ExportReport) -> None:
        self.statusBar().showMessage(report.summary(), _STATUS_MS)
        if report.set_aside:
            show_warning(self, "Some notes were not merged",
                         "\n\n".join(aside.message() for aside in report.set_aside))

    # -- backups ---------------------------------------------------------------------------------------------------
    def back_up(self) -> Path | None:
        self.side_panel.save_note()
        try:
            path = make_backup(self.store.db.conn, database_path(self.store.db), "manual")
        except LecternError as error:
            show_error(self, "No backup was made", error)
            return None
        self.statusBar().showMessage(f"Annotations backed up as {path}.", _STATUS_MS)
        return path

    def choose_backup(self) -> None:
        dialog = RestoreDialog(database_path(self.store.db), self)
        if dialog.exec() and (chosen := dialog.chosen()) is not None:
            self.restore(chosen)

    def restore(self, backup: Path) -> None:
        """Put `backup` in place of the annotations (the current ones are kept aside) and show them."""
        self.side_panel.save_note()
        try:
            aside = restore_backup(backup, database_path(self.store.db))
        except LecternError as error:
            show_error(self, "Nothing was restored", error)
            return
        self.undo_stack.clear()  # its steps refer to the annotations that were replaced
        if self.library is not None:
            self.open_corpus(self.library.root)
        kept = f" The previous annotations are kept as {aside}." if aside else ""
        self.statusBar().showMessage(f"Restored {backup.name}.{kept}", _STATUS_MS)

    # -- quitting ---------------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.side_panel.save_note()
        self.link_inbox.close()
        self.live_files.stop()
        self.corpus.shut_down()
        self.tasks.cancel_all()
        self.tasks.wait()
        self.searcher.close()
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/state", self.saveState())
        self.settings.set("window/splitter", self.splitter.saveState())
        self.settings.set("window/left_splitter", self.left_column.saveState())
        self._remember_position()
        self.settings.sync()
        super().closeEvent(event)
