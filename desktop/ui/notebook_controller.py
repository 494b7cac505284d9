"""View → Notebook: every highlight of the corpus in a dock under the reader. The controller reads the
notebook on a worker (ten thousand highlights take about 0.4 s), reads it again when the notebook is
shown after a change, and does what the panel asks through the window's undoable actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QFileDialog

from desktop.library import HighlightSelection, Library, notes_from_plan, write_markdown_export
from desktop.notebook import NotebookContents, NotebookEntry, NotebookFilter, read_notebook, recoloured, tagged
from desktop.ui.messages import show_error
from desktop.ui.notebook_view import NotebookPanel
from desktop.ui.tasks import Task

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["NotebookController", "NOTEBOOK_SHORTCUT"]

NOTEBOOK_SHORTCUT = "Ctrl+Shift+N"
_STATUS_MS = 6000


def _selection(entries: list[NotebookEntry], by_filter: NotebookFilter | None) -> HighlightSelection:
    """What the note gathers: a colour and a highlight tag, when the filter says no more than that (so
    exporting again merges into the same note, with the highlights coloured or tagged since); else these
    very highlights."""
    if by_filter is not None and (by_filter.colour or by_filter.highlight_tag) and by_filter == NotebookFilter(
            colour=by_filter.colour, highlight_tag=by_filter.highlight_tag):
        return HighlightSelection(tags=(by_filter.highlight_tag,) if by_filter.highlight_tag else (),
                                  colours=(by_filter.colour,) if by_filter.colour else ())
    return HighlightSelection(ids=frozenset(entry.id for entry in entries))


class NotebookController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = NotebookPanel()
        self.dock = QDockWidget("Notebook", window)
        self.dock.setObjectName("notebookDock")  # the window's saved state remembers it by this name
        self.dock.setWidget(self.panel)
        self.dock.hide()
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.action = self.dock.toggleViewAction()
        self.action.setText("&Notebook")
        self.action.setShortcut(NOTEBOOK_SHORTCUT)
        self.action.setToolTip(f"Every highlight of the corpus in one table ({NOTEBOOK_SHORTCUT})")
        self._stale = True
        self._task: Task | None = None
        self._again = False
        self.dock.visibilityChanged.connect(self._visibility_changed)
        window.annotations_changed.connect(self.changed)
        panel = self.panel
        panel.open_requested.connect(self.open_highlight)
        panel.tag_requested.connect(self.tag)
        panel.recolour_requested.connect(self.recolour)
        panel.delete_requested.connect(self.delete)
        panel.export_requested.connect(self.choose_export)

    # -- reading -------------------------------------------------------------------------------------
    def changed(self) -> None:
        """The annotations changed (or the corpus did): read them again now if shown, else when shown."""
        self._stale = True
        if self.dock.isVisible():
            self.reload()

    def _visibility_changed(self, visible: bool) -> None:
        if visible and self._stale:
            self.reload()

    def reload(self) -> Task | None:
        library = self.window.library
        if library is None:
            return None
        if self._task is not None:  # read again once this one is done: it may predate the change
            self._again = True
            return self._task
        self._stale = False
        self.panel.show_loading("Reading the highlights …")
        address = library.address()

        def read() -> NotebookContents:
            with address.open() as own:
                return read_notebook(own)

        self._task = self.window.tasks.start(read, finished=lambda notebook: self._read(library, notebook),
                                             failed=lambda error: self._failed(library, error))
        return self._task

    def _read(self, library: Library, notebook: NotebookContents) -> None:
        self._task = None
        if library is self.window.library:
            self.panel.show_notebook(notebook)
        self._next()

    def _failed(self, library: Library, error: BaseException) -> None:
        self._task = None
        if library is self.window.library:
            self.panel.show_loading("The highlights could not be read.")
            show_error(self.window, "The notebook could not be read", error)
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.reload()

    def is_loading(self) -> bool:
        return self._task is not None

    # -- what the panel asks -------------------------------------------------------------------------
    def open_highlight(self, relpath: str, highlight_id: str) -> None:
        """Open the article at the passage: the highlight chosen in the side panel, the reader there."""
        self.window.open_highlight(relpath, highlight_id, not_found=lambda: self.window.statusBar().showMessage(
            "This highlight is no longer in the article.", _STATUS_MS))

    def tag(self, entries: list[NotebookEntry], tag: str) -> None:
        self.window.change_highlights(tagged(entries, tag))

    def recolour(self, entries: list[NotebookEntry], colour: str) -> None:
        self.window.change_highlights(recoloured(entries, colour))

    def delete(self, entries: list[NotebookEntry]) -> None:
        self.window.delete_highlights(tuple(entry.id for entry in entries))

    def choose_export(self, entries: list[NotebookEntry], by_filter: NotebookFilter | None) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Export the highlights into", str(Path.home()))
        if folder:
            self.export(entries, Path(folder), by_filter)

    def export(self, entries: list[NotebookEntry], out_dir: Path, by_filter: NotebookFilter | None = None
               ) -> Task | None:
        """Gather highlights into one note, grouped by article and merged with what the user made of its
        earlier export (the database is read here; the articles are read and the note written on a
        worker). `by_filter`: the notebook's filter that showed them, when none was chosen by hand."""
        library = self.window.library
        if library is None or not entries:
            return None
        self.window.side_panel.save_note()
        selection = _selection(entries, by_filter)
        style = self.window.export_template.style(library)
        if style is None:
            return None
        plans, root, notebook = library.plan_notes(selection=selection), library.root, library.notebook(selection)
        self.window.statusBar().showMessage(f"Exporting {len(entries)} highlights to {out_dir} …")
        return self.window.tasks.start(
            lambda: write_markdown_export(notes_from_plan(root, plans), out_dir, style, whole_corpus=False,
                                          notebook=notebook),
            # The window's own report of an export (status line, and a warning for notes set aside).
            finished=self.window.report_export, failed=lambda error: show_error(self.window, "Export failed", error))
