"""Reviewing what moved (issue 9): highlights that re-anchoring found changed, or did not find.

- `ReviewBox`, in the side panel: the open article's highlights that need review, the quote as
  highlighted beside the text there now, and what can be done: Accept (the new text becomes the
  highlight), Mark as wrong (it is orphaned, its quote kept), Re-attach an orphan to the selection in
  the reader, Delete. It only asks (signals ending in _requested).
- `ReviewDialog`: the articles of the corpus with highlights to review; choosing one opens it there.
- `ReviewController`: does what is asked through the library, each action one undo step, and keeps the
  corpus-wide count (a check on a worker, with a database connection of its own) in the status bar."""

from __future__ import annotations

import difflib
import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.anchoring import CHANGED, ORPHANED
from desktop.core.errors import LecternError
from desktop.core.model import Anchor
from desktop.library import CheckReport, Library, LibraryAddress, OpenedArticle, PlacedHighlight
from desktop.store.annotations import Placement
from desktop.ui.messages import show_error
from desktop.ui.tasks import Task
from desktop.ui.theme_colours import muted, tint
from desktop.ui.undo_commands import _DoneAlready

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["ReviewBox", "ReviewDialog", "ReviewController", "HighlightAnchoring", "needs_review"]

REVIEW_STATES = (CHANGED, ORPHANED)
_STATUS_MS = 6000
_PREVIEW_CHARS = 60


def needs_review(placed: PlacedHighlight) -> bool:
    return placed.state in REVIEW_STATES


def _short(text: str, limit: int = _PREVIEW_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _marked(old: str, new: str) -> tuple[str, str]:
    """`old` and `new` as HTML, with what differs between them marked on each side."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    mark = f"background:{tint('yellow').name()}; font-weight:600"  # the theme's yellow: its text reads on it
    left, right = [], []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        a, b = html.escape(old[a0:a1]), html.escape(new[b0:b1])
        if tag == "equal":
            left.append(a)
            right.append(b)
        else:
            left.append(f"<span style='{mark}'>{a}</span>" if a else "")
            right.append(f"<span style='{mark}'>{b}</span>" if b else "")
    return "".join(left), "".join(right)


def _counts(counts: dict[str, int]) -> str:
    return " · ".join(f"{counts[state]} {state}" for state in REVIEW_STATES if counts.get(state))


class ReviewBox(QGroupBox):
    """The open article's highlights that need review, and the actions on the chosen one."""

    highlight_activated = Signal(str)  # show it in the reader
    accept_requested = Signal(str)
    mark_wrong_requested = Signal(str)
    reattach_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Needs review", parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(110)
        self.list.currentItemChanged.connect(lambda current, _previous: self._show(current))
        self.list.itemClicked.connect(lambda item: self.highlight_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.was = QLabel()
        self.now = QLabel()
        for label in (self.was, self.now):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sides = QGridLayout()
        sides.addWidget(QLabel("<small><b>As highlighted</b></small>"), 0, 0)
        sides.addWidget(QLabel("<small><b>Now in the article</b></small>"), 0, 1)
        sides.addWidget(self.was, 1, 0)
        sides.addWidget(self.now, 1, 1)
        sides.setColumnStretch(0, 1)
        sides.setColumnStretch(1, 1)
        self.accept = QPushButton("Accept")
        self.accept.setToolTip("The text there now becomes the highlight")
        self.mark_wrong = QPushButton("Mark as wrong")
        self.mark_wrong.setToolTip("This is not the passage: keep the highlight as orphaned, with its quote")
        self.reattach = QPushButton("Re-attach to selection")
        self.reattach.setToolTip("Select the passage in the article, then attach the highlight to it")
        self.delete = QPushButton("Delete")
        self.delete.setToolTip("Delete the highlight (Edit → Undo brings it back)")
        buttons = QHBoxLayout()
        for button, signal in ((self.accept, self.accept_requested), (self.mark_wrong, self.mark_wrong_requested),
                               (self.reattach, self.reattach_requested), (self.delete, self.delete_requested)):
            button.clicked.connect(lambda _checked=False, signal=signal: self._request(signal))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.list)
        layout.addLayout(sides)
        layout.addLayout(buttons)
        self._placed: dict[str, PlacedHighlight] = {}
        self.set_highlights(())

    def set_highlights(self, highlights: tuple[PlacedHighlight, ...], select_id: str | None = None) -> int:
        """Show those of `highlights` that need review (keeping the chosen one); returns how many."""
        keep = select_id or self.current_id()
        pending = [placed for placed in highlights if needs_review(placed)]
        self._placed = {placed.highlight.id: placed for placed in pending}
        self.list.blockSignals(True)
        self.list.clear()
        for placed in pending:
            if placed.state == CHANGED:
                text = f"changed ({placed.score:.0%}): “{_short(placed.current.exact if placed.current else '')}”"
            else:
                text = f"orphaned: “{_short(placed.highlight.anchor.exact)}”"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, placed.highlight.id)
            self.list.addItem(item)
        rows = [row for row in range(self.list.count()) if self.list.item(row).data(Qt.ItemDataRole.UserRole) == keep]
        self.list.setCurrentRow(rows[0] if rows else 0 if pending else -1)
        self.list.blockSignals(False)
        self._show(self.list.currentItem())
        self.setTitle(f"Needs review ({len(pending)})")
        self.setVisible(bool(pending))
        return len(pending)

    def choose(self, highlight_id: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == highlight_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _show(self, item: QListWidgetItem | None) -> None:
        placed = self._placed.get(str(item.data(Qt.ItemDataRole.UserRole))) if item is not None else None
        changed = placed is not None and placed.state == CHANGED
        for button in (self.accept, self.mark_wrong):
            button.setVisible(changed)
        for button in (self.reattach, self.delete):
            button.setVisible(placed is not None and not changed)
        if placed is None:
            self.was.clear()
            self.now.clear()
            return
        old = placed.highlight.anchor.exact
        if placed.current is None:
            self.was.setText(html.escape(old))
            self.now.setText(f"<i style='color:{muted().name()}'>not found: select the passage and re-attach it, "
                             "or delete the highlight</i>")
        else:
            was, now = _marked(old, placed.current.exact)
            self.was.setText(was)
            self.now.setText(now)

    def _request(self, signal: Signal) -> None:
        if (highlight_id := self.current_id()) is not None:
            signal.emit(highlight_id)  # type: ignore[attr-defined]


class ReviewDialog(QDialog):
    """The corpus's articles with highlights to review (from the last check); one opens its article."""

    article_activated = Signal(str)
    check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Highlights to review")
        self.resize(560, 380)
        self.summary = QLabel("Checking every annotated article …")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda item: self.article_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.list.itemDoubleClicked.connect(
            lambda item: self.article_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.check = QPushButton("Check Again")
        self.check.clicked.connect(self.check_requested)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def checking(self) -> None:
        self.summary.setText("Checking every annotated article …")
        self.check.setEnabled(False)

    def show_report(self, report: CheckReport, titles: dict[str, str]) -> None:
        self.check.setEnabled(True)
        self.list.clear()
        for relpath, counts in sorted(report.review.items()):
            title = titles.get(relpath) or relpath
            item = QListWidgetItem(f"{title} — {_counts(counts)}\n{relpath}")
            item.setData(Qt.ItemDataRole.UserRole, relpath)
            item.setToolTip(relpath)
            self.list.addItem(item)
        total = sum(report.states.values())
        pending = report.states.get(CHANGED, 0) + report.states.get(ORPHANED, 0)
        if pending:
            self.summary.setText(f"{pending} of {total} highlights need review, in {len(report.review)} articles: "
                                 "open one to accept, mark, re-attach or delete them in its side panel.")
        else:
            self.summary.setText(f"All {total} highlights are where they were highlighted, or the same words "
                                 "elsewhere: nothing to review.")

    def failed(self, error: BaseException) -> None:
        self.check.setEnabled(True)
        self.summary.setText(f"The check failed: {error}")


def _check(address: LibraryAddress, rescan: bool) -> tuple[CheckReport, dict[str, str]]:
    """Library.check on a worker, with a database connection of its own (two connections take turns)."""
    with address.open() as library:
        report = library.check(rescan=rescan)
        return report, library.document_titles()


class HighlightAnchoring(_DoneAlready):
    """A highlight's anchor and placement changed by a review (accept, mark as wrong, re-attach)."""

    def __init__(self, window: MainWindow, highlight_id: str, text: str,
                 before: tuple[Anchor, Placement], after: tuple[Anchor, Placement]) -> None:
        super().__init__(window, (highlight_id,), text)
        self._before, self._after = before, after

    def _change(self, forward: bool) -> None:
        self._library().restore_anchoring(self._ids[0], self._after if forward else self._before)


class ReviewController(QObject):
    """Acts on what the review box and dialog ask, and keeps the corpus-wide count of what needs review."""

    count_changed = Signal(int)  # highlights of the corpus that need review, after each check

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.status_button = QPushButton()
        self.status_button.setFlat(True)
        self.status_button.setToolTip("Highlights whose passage changed or is gone: review them")
        self.status_button.clicked.connect(self.show_dialog)
        self.status_button.hide()
        self.dialog: ReviewDialog | None = None
        self.report: CheckReport | None = None
        self._titles: dict[str, str] = {}
        self._task: Task | None = None
        self._again: bool | None = None  # a check asked for while one runs: rescan or not

    # -- the open article's highlights ---------------------------------------------------------
    def accept(self, highlight_id: str) -> None:
        self._act(highlight_id, "accept changed highlight",
                  lambda library, opened: library.accept_change(opened, highlight_id))

    def mark_wrong(self, highlight_id: str) -> None:
        self._act(highlight_id, "mark highlight as wrong",
                  lambda library, opened: library.mark_wrong(opened, highlight_id))

    def reattach(self, highlight_id: str) -> None:
        span = self.window.article_view.selected_span()
        if span is None:
            self.window.statusBar().showMessage("Select the passage in the article first, then re-attach.", _STATUS_MS)
            return
        self._act(highlight_id, "re-attach highlight",
                  lambda library, opened: library.reattach(opened, highlight_id, *span))

    def delete(self, highlight_id: str) -> None:
        self.window.delete_highlight(highlight_id)  # one undo step, as everywhere
        self.schedule_check()

    def _act(self, highlight_id: str, what: str, action: Callable[[Library, OpenedArticle], None]) -> None:
        window, library, opened = self.window, self.window.library, self.window.opened
        if library is None or opened is None:
            return
        try:
            before = library.anchoring(highlight_id)
            action(library, opened)
            after = library.anchoring(highlight_id)
        except LecternError as error:
            show_error(window, f"Could not {what}", error)
            return
        window.refresh_annotations(select_id=highlight_id)
        window.undo_stack.push(HighlightAnchoring(window, highlight_id, what, before, after))
        self.schedule_check()

    def reveal_first(self, opened: OpenedArticle) -> None:
        """Choose the article's first highlight that needs review, and show it."""
        placed = next((p for p in opened.highlights if needs_review(p)), None)
        if placed is None:
            return
        self.window.side_panel.set_highlights(opened, placed.highlight.id)
        self.window.side_panel.review.choose(placed.highlight.id)
        self.window.article_view.reveal(placed)

    # -- the corpus ------------------------------------------------------------------------------
    def schedule_check(self, rescan: bool = False) -> None:
        """Count again what needs review in the whole corpus, on a worker (`rescan`: list and index the
        files first, following moved ones, as `lectern check` does)."""
        library = self.window.library
        if library is None:
            return
        if self._task is not None:
            self._again = rescan or bool(self._again)
            return
        if self.dialog is not None:
            self.dialog.checking()
        address = library.address()
        self._task = self.window.tasks.start(
            lambda: _check(address, rescan),
            finished=lambda result: self._checked(library, result),
            failed=lambda error: self._check_failed(library, error))

    def _checked(self, library: Library, result: tuple[CheckReport, dict[str, str]]) -> None:
        self._task = None
        if library is self.window.library:
            self.report, self._titles = result
            pending = sum(self.report.states.get(state, 0) for state in REVIEW_STATES)
            self.status_button.setText(f"{pending} need review")
            self.status_button.setVisible(pending > 0)
            if self.dialog is not None:
                self.dialog.show_report(self.report, self._titles)
            self.count_changed.emit(pending)
        self._next()

    def _check_failed(self, library: Library, error: BaseException) -> None:
        self._task = None
        if library is self.window.library and self.dialog is not None:
            self.dialog.failed(error)
        self._next()

    def _next(self) -> None:
        if self._again is not None:
            rescan, self._again = self._again, None
            self.schedule_check(rescan)

    def library_changed(self) -> None:
        self.report = None
        self.status_button.hide()
        if self.dialog is not None:
            self.dialog.list.clear()

    def show_dialog(self) -> ReviewDialog:
        """The corpus-wide list, checked afresh (following moved files)."""
        if self.dialog is None:
            self.dialog = ReviewDialog(self.window)
            self.dialog.article_activated.connect(self.open_article)
            self.dialog.check_requested.connect(lambda: self.schedule_check(rescan=True))
        if self.report is not None:
            self.dialog.show_report(self.report, self._titles)
        if self.dialog.isVisible():
            self.dialog.raise_()
        else:
            self.dialog.show()
        self.schedule_check(rescan=True)
        return self.dialog

    def open_article(self, relpath: str) -> None:
        """Open an article of the list at its first highlight that needs review."""
        self.window.open_article_then(relpath, self.reveal_first)
