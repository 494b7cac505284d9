"""What a user can do with a corpus and its annotations: the use-cases the window and the command line
share, a module each (the library itself: reading, annotating, reviewing, exporting; listing; searching;
placing highlights; notes; importing). Composes the core (documents, rendering, anchoring, export) with
the store, and never loads Qt."""

from desktop.core.export import HighlightSelection
from desktop.core.model import PlacedHighlight
from desktop.file_check import FileCheck, FileChecker
from desktop.files import atomic_write
from desktop.library.importing import ImportReport
from desktop.library.library import (
    LARGE_ARTICLE_BYTES,
    CheckReport,
    HighlightFields,
    Library,
    LibraryAddress,
    OpenedArticle,
    PreparedArticle,
)
from desktop.library.listing import CorpusListing, Reconciliation, default_index_path, index_path_of
from desktop.library.notes import DEFAULT_TEMPLATE, NotesPlan, notes_from_plan, write_markdown_export
from desktop.library.placing import STATES
from desktop.library.searching import SearchResult, SearchResults
from desktop.note_export import ExportReport, Notebook
from desktop.store.search_index import Knowledge, KnownFile

__all__ = [
    "Library", "CorpusListing", "KnownFile", "Knowledge", "FileCheck", "FileChecker", "OpenedArticle",
    "PreparedArticle", "PlacedHighlight", "ImportReport", "Reconciliation", "CheckReport",
    "STATES", "atomic_write", "write_markdown_export", "SearchResult", "SearchResults", "default_index_path",
    "NotesPlan", "notes_from_plan", "ExportReport", "Notebook", "HighlightSelection", "DEFAULT_TEMPLATE",
    "HighlightFields", "LibraryAddress", "index_path_of", "LARGE_ARTICLE_BYTES",
]
