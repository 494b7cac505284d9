"""Edit → Colour Meanings…: the user says what each colour means (yellow = key idea, pink = disagree).
The meanings are the user's data, kept by the library in the annotation database; this module asks for
them and shows them wherever a colour is chosen or shown (colour actions, side panel, notebook)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.core.colours import COLOURS, MAX_MEANING, colour_label
from desktop.core.errors import LecternError
from desktop.ui.messages import show_error
from desktop.ui.theme_colours import tint

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

__all__ = ["ColourMeaningsDialog", "ColourMeanings"]

_EXAMPLES = {"yellow": "key idea", "green": "agree", "blue": "definition", "pink": "disagree", "purple": "question"}


class ColourMeaningsDialog(QDialog):
    def __init__(self, meanings: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Colour meanings")
        explanation = QLabel("Say what each colour means to you. The meaning is shown beside the colour, "
                             "found by search (colour:disagree) and exported as a tag.")
        explanation.setWordWrap(True)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name in COLOURS:
            field = QLineEdit(meanings.get(name, ""))
            field.setPlaceholderText(f"e.g. {_EXAMPLES.get(name, '')}")
            field.setMaxLength(MAX_MEANING)
            field.setObjectName(f"meaning-{name}")
            swatch = f"<span style='background:{tint(name).name()}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>"
            form.addRow(QLabel(f"{swatch} {name.capitalize()}:"), field)
            self.fields[name] = field
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def meanings(self) -> dict[str, str]:
        """Every colour → the meaning typed for it ("" for none)."""
        return {name: field.text() for name, field in self.fields.items()}


class ColourMeanings(QObject):
    """Asks for the meanings, stores them through the library, and names the colours everywhere."""

    meanings_changed = Signal(dict)  # colour → meaning, for the colours that have one

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.action = QAction("Colour &Meanings…", window)
        self.action.setToolTip("Say what each highlight colour means (yellow = key idea, pink = disagree…)")
        self.action.triggered.connect(self.edit)
        self.dialog: ColourMeaningsDialog | None = None
        self.meanings: dict[str, str] = {}

    def edit(self) -> ColourMeaningsDialog | None:
        """Show the dialog (not modal: the reader stays usable); what is typed is saved on OK."""
        if self.window.library is None:
            self.window.statusBar().showMessage("Open a folder of articles first.", 6000)
            return None
        self.dialog = ColourMeaningsDialog(self.meanings, self.window)
        self.dialog.accepted.connect(lambda: self.save(self.dialog.meanings() if self.dialog else {}))
        self.dialog.open()
        return self.dialog

    def save(self, typed: dict[str, str]) -> None:
        library = self.window.library
        if library is None:
            return
        try:
            for colour, meaning in typed.items():
                if " ".join(meaning.split()) != self.meanings.get(colour, ""):
                    library.set_colour_meaning(colour, meaning)
        except LecternError as error:
            show_error(self.window, "The colour meanings were not all saved", error)
        self.load()

    def load(self) -> None:
        """Read the meanings (after a corpus opens, or a change) and show them."""
        library = self.window.library
        self.meanings = library.colour_meanings() if library is not None else {}
        for name, action in self.window.colour_actions.items():
            action.setText(colour_label(name, self.meanings))
            action.setToolTip(f"Highlight in {colour_label(name, self.meanings)} ({action.shortcut().toString()})")
        self.window.side_panel.set_meanings(self.meanings)
        self.meanings_changed.emit(self.meanings)
