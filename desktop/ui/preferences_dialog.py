"""Reading preferences: theme, font, size, line spacing and reading width, each applied as it is
changed (the article stays where it is), and kept for the next start."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.appearance import Appearance
from desktop.ui.themes import THEME_CHOICES
from desktop.ui.typography import MAX_FONT_SIZE, MIN_FONT_SIZE, Typography

__all__ = ["PreferencesDialog"]


class PreferencesDialog(QDialog):
    def __init__(self, appearance: Appearance, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reading Preferences")
        self._appearance = appearance
        typography = appearance.typography
        self.theme = QComboBox()
        for name, label in THEME_CHOICES.items():
            self.theme.addItem(label.replace("&", ""), name)
        self.theme.setCurrentIndex(list(THEME_CHOICES).index(appearance.choice))
        self.family = QFontComboBox()
        self.family.setCurrentFont(QFont(typography.family) if typography.family else self.font())
        self.font_size = self._spin(MIN_FONT_SIZE, MAX_FONT_SIZE, typography.size, " pt")
        self.line_spacing = self._spin(80, 300, typography.line_spacing, " %")
        self.line_spacing.setSingleStep(10)
        self.reading_width = self._spin(0, 400, typography.width, " characters")
        self.reading_width.setSingleStep(5)
        self.reading_width.setSpecialValueText("The whole window")
        self.reading_width.setToolTip("Lines are at most this long, in a centred column (0: as wide as the window)")
        form = QFormLayout()
        form.addRow("&Theme:", self.theme)
        form.addRow("&Font:", self.family)
        form.addRow("&Size:", self.font_size)
        form.addRow("&Line spacing:", self.line_spacing)
        form.addRow("Reading &width:", self.reading_width)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self._restore_defaults)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.theme.currentIndexChanged.connect(lambda: appearance.set_choice(str(self.theme.currentData())))
        self.family.currentFontChanged.connect(self._changed)
        for spin in (self.font_size, self.line_spacing, self.reading_width):
            spin.valueChanged.connect(self._changed)

    @staticmethod
    def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    def _changed(self) -> None:
        family = self.family.currentFont().family()
        self._appearance.set_typography(replace(
            self._appearance.typography, family="" if family == self.font().family() else family,
            size=self.font_size.value(), line_spacing=self.line_spacing.value(), width=self.reading_width.value()))

    def _restore_defaults(self) -> None:
        defaults = Typography()
        for spin, value in ((self.font_size, defaults.size), (self.line_spacing, defaults.line_spacing),
                            (self.reading_width, defaults.width)):
            spin.setValue(value)
        self.family.setCurrentFont(self.font())
        self._appearance.set_typography(replace(defaults, zoom=self._appearance.typography.zoom))
