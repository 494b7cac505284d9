"""The notebook panel: its filters, the table of highlights and what can be done with the chosen rows.
It only asks (signals ending in _requested); the notebook controller acts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.colours import COLOURS, colour_label
from desktop.notebook import NotebookContents, NotebookEntry, NotebookFilter
from desktop.ui.notebook_model import COLUMNS, NotebookModel
from desktop.ui.theme_colours import swatch

__all__ = ["NotebookPanel"]

_FILTER_DELAY_MS = 150  # typing a word refilters once, not at each key
_NO_DATE = QDate(2000, 1, 1)  # a date edit at its minimum shows "any"


def _any_date(edit: QDateEdit) -> dt.date | None:
    if edit.date() == edit.minimumDate():
        return None
    return dt.date(edit.date().year(), edit.date().month(), edit.date().day())


class NotebookPanel(QWidget):
    open_requested = Signal(str, str)  # (relpath, highlight id): show it in the reader
    tag_requested = Signal(list, str)  # (entries, tag) to add to each
    recolour_requested = Signal(list, str)  # (entries, colour)
    delete_requested = Signal(list)  # entries
    # (entries, the filter that gathered them; None when they were chosen one by one)
    export_requested = Signal(list, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NotebookModel(self)
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter: words in quote, note or tags; tag:… colour:…")
        self.text.setClearButtonEnabled(True)
        self.colour = QComboBox()
        self.highlight_tag = QComboBox()
        self.article_tag = QComboBox()
        self.since, self.until = QDateEdit(), QDateEdit()
        for edit, what in ((self.since, "from"), (self.until, "until")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(_NO_DATE)
            edit.setSpecialValueText(f"{what}: any day")
            edit.setDate(_NO_DATE)
            edit.setToolTip(f"Highlighted {what} this day (the lowest date: any)")
        self.orphaned_only = QCheckBox("Orphaned only")
        self.orphaned_only.setToolTip("Only highlights whose passage is no longer in their article")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_FILTER_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.text.textChanged.connect(self._timer.start)
        for combo in (self.colour, self.highlight_tag, self.article_tag):
            combo.currentIndexChanged.connect(self.apply_filter)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self.apply_filter)
        self.orphaned_only.toggled.connect(self.apply_filter)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("Article"), Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in zip(COLUMNS, (420, 200, 140, 150, 220, 100, 80), strict=True):
            self.table.setColumnWidth(COLUMNS.index(column), width)
        header.setStretchLastSection(True)
        # Rows are chosen whole, never a column; but a header sharing the table's selection asks, at each
        # paint after the selection changed, whether each column is all selected, through every row of
        # the model (Ctrl+A over 10,000 highlights held the window 377 ms; 25-31 ms with its own, empty one).
        header.setSelectionModel(QItemSelectionModel(self.model, header))
        self.table.activated.connect(self._activated)  # a double-click, or Enter (a click where the platform says so)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)

        self.count = QLabel()
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText("Tag…")
        self.new_tag.setMaximumWidth(160)
        self.new_tag.returnPressed.connect(self._tag)
        self.tag_button = QPushButton("Add Tag")
        self.tag_button.setToolTip("Add this tag to each chosen highlight")
        self.tag_button.clicked.connect(self._tag)
        self.recolour_menu = QMenu(self)
        self.recolour_actions: dict[str, QAction] = {}
        for name in COLOURS:
            action = self.recolour_menu.addAction(swatch(name), name.capitalize())
            action.triggered.connect(lambda _checked=False, colour=name: self._recolour(colour))
            self.recolour_actions[name] = action
        self.recolour_button = QToolButton()
        self.recolour_button.setText("Recolour")
        self.recolour_button.setToolTip("Give each chosen highlight this colour")
        self.recolour_button.setMenu(self.recolour_menu)
        self.recolour_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the chosen highlights (Edit → Undo brings them back)")
        self.delete_button.clicked.connect(self._delete)
        self.delete_action = QAction("Delete Chosen Highlights", self)
        self.delete_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete),
                                         QKeySequence(Qt.Key.Key_Backspace)])
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._delete)
        self.table.addAction(self.delete_action)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Export the chosen highlights into one note; with none chosen, every "
                                      "highlight the filters show")
        self.export_button.clicked.connect(self._export)

        filters = QHBoxLayout()
        filters.addWidget(self.text, 3)
        for choice in (self.colour, self.highlight_tag, self.article_tag, self.since, self.until, self.orphaned_only):
            filters.addWidget(choice)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        for widget in (self.new_tag, self.tag_button, self.recolour_button, self.delete_button, self.export_button):
            actions.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.set_meanings({})
        self._fill_tags()
        self._selection_changed()

    # -- what the controller tells the panel -----------------------------------------------------------
    def show_notebook(self, notebook: NotebookContents) -> None:
        chosen = {entry.id for entry in self.chosen()}
        self.model.set_entries(notebook.entries, notebook.meanings)
        self.set_meanings(notebook.meanings)
        self._fill_tags()
        self.apply_filter()
        self.choose(chosen)

    def show_loading(self, text: str) -> None:
        self.count.setText(text)

    def set_meanings(self, meanings: dict[str, str]) -> None:
        """Colours are named as the user named them, in the filter, the recolour menu and the table."""
        self.model.set_meanings(meanings)
        current = self.colour.currentData()
        self.colour.blockSignals(True)
        self.colour.clear()
        self.colour.addItem("Any colour", None)
        for name in COLOURS:
            self.colour.addItem(swatch(name), colour_label(name, meanings), name)
            self.recolour_actions[name].setText(colour_label(name, meanings))
        self.colour.setCurrentIndex(max(0, self.colour.findData(current)))
        self.colour.blockSignals(False)

    def retint(self) -> None:
        """The reading theme changed: the colour swatches in its tints."""
        for row in range(1, self.colour.count()):
            self.colour.setItemIcon(row, swatch(self.colour.itemData(row)))
        for name, action in self.recolour_actions.items():
            action.setIcon(swatch(name))

    def choose(self, highlight_ids: set[str]) -> None:
        """Select the rows of these highlights (those the filter shows)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in range(self.model.rowCount()):
            if self.model.entry(row).id in highlight_ids:
                selection.select(self.model.index(row, 0), selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)

    def _chosen_rows(self) -> list[int]:
        # From the selection's ranges: selectedRows() asks the model about every cell (a second for
        # ten thousand rows), and a row is chosen whole here anyway.
        selection = self.table.selectionModel().selection()
        spans = (selection.at(number) for number in range(selection.count()))
        rows = {row for span in spans for row in range(span.top(), span.bottom() + 1)}
        return sorted(rows)

    def chosen(self) -> list[NotebookEntry]:
        return [self.model.entry(row) for row in self._chosen_rows()]

    def current_filter(self) -> NotebookFilter:
        return NotebookFilter(colour=self.colour.currentData(), highlight_tag=self.highlight_tag.currentData(),
                              article_tag=self.article_tag.currentData(), text=self.text.text(),
                              since=_any_date(self.since), until=_any_date(self.until),
                              orphaned_only=self.orphaned_only.isChecked())

    def apply_filter(self) -> None:
        self._timer.stop()
        self.model.set_filter(self.current_filter().predicate(self.model.meanings))
        self._show_count()

    # -- internals ---------------------------------------------------------------------------------------
    def _fill_tags(self) -> None:
        for combo, field, anything in ((self.highlight_tag, "tags", "Any highlight tag"),
                                       (self.article_tag, "article_tags", "Any article tag")):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(anything, None)
            for value in self.model.values(field):
                combo.addItem(f"#{value}", value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        chosen = len(self._chosen_rows())
        text = f"{total} highlights" if shown == total else f"{shown} of {total} highlights"
        self.count.setText(text + (f" · {chosen} chosen" if chosen else ""))

    def _selection_changed(self) -> None:
        chosen = self.table.selectionModel().hasSelection()
        for widget in (self.tag_button, self.recolour_button, self.delete_button):
            widget.setEnabled(chosen)
        self.export_button.setEnabled(self.model.rowCount() > 0)
        self._show_count()

    def _activated(self, index: QModelIndex) -> None:
        entry = self.model.entry(index.row())
        self.open_requested.emit(entry.relpath, entry.id)

    def _ask(self, signal: SignalInstance, *arguments: object) -> None:
        if chosen := self.chosen():
            signal.emit(chosen, *arguments)

    def _tag(self) -> None:
        tag = self.new_tag.text().strip()
        if tag:
            self._ask(self.tag_requested, tag)
            self.new_tag.clear()

    def _recolour(self, colour: str) -> None:
        self._ask(self.recolour_requested, colour)

    def _export(self) -> None:
        if chosen := self.chosen():
            self.export_requested.emit(chosen, None)
        elif shown := [self.model.entry(row) for row in range(self.model.rowCount())]:
            self.export_requested.emit(shown, self.current_filter())

    def _delete(self) -> None:
        self._ask(self.delete_requested)

