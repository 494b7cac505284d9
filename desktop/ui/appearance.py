"""The reading appearance the user chose: the theme (light, sepia, dark, or the system's) and the
typography; kept in the settings, offered as View menu actions, and applied to the whole application.
The window restyles the reader when `changed` fires."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.settings import Settings
from desktop.ui.theme_colours import show_tints_of
from desktop.ui.themes import THEME_CHOICES, Theme, resolve_theme, theme_palette, window_style_sheet
from desktop.ui.typography import Typography

__all__ = ["Appearance"]


class Appearance(QObject):
    changed = Signal()  # the theme or the typography changed

    def __init__(self, settings: Settings, parent: QWidget) -> None:
        super().__init__(parent)
        self._settings = settings
        choice = str(settings.get("view/theme"))
        self.choice = choice if choice in THEME_CHOICES else "system"
        self.typography = Typography.load(settings)
        self._applied: Theme | None = None

        self.theme_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for name, label in THEME_CHOICES.items():
            action = QAction(label, parent)
            action.setCheckable(True)
            action.setChecked(name == self.choice)
            action.triggered.connect(lambda _checked=False, name=name: self.set_choice(name))
            group.addAction(action)
            self.theme_actions[name] = action
        self.zoom_in_action = self._zoom_action("Zoom &In", 1, ["Ctrl+=", "Ctrl++"], parent)
        self.zoom_out_action = self._zoom_action("Zoom &Out", -1, ["Ctrl+-"], parent)
        self.zoom_reset_action = self._zoom_action("&Actual Size", 0, ["Ctrl+0"], parent)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def _zoom_action(self, text: str, step: int, keys: list[str], parent: QWidget) -> QAction:
        action = QAction(text, parent)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.triggered.connect(lambda: self.zoom(step))
        return action

    @property
    def theme(self) -> Theme:
        return resolve_theme(self.choice, QGuiApplication.styleHints().colorScheme())

    def set_choice(self, choice: str) -> None:
        if choice not in THEME_CHOICES:
            raise ValueError(f"unknown theme {choice!r}")
        self.choice = choice
        self.theme_actions[choice].setChecked(True)
        self._settings.set("view/theme", choice)
        self._apply_theme()

    def set_typography(self, typography: Typography) -> None:
        typography = typography.clamped()
        if typography != self.typography:
            self.typography = typography
            typography.save(self._settings)
            self.changed.emit()

    def zoom(self, step: int) -> None:
        """One step in (+1), out (-1), or back to 100% (0): Ctrl+=, Ctrl+-, Ctrl+0 and Ctrl+wheel."""
        self.set_typography(self.typography.zoomed(step))

    def apply(self) -> None:
        """Colour the application in the current theme (at start-up, before anything is shown)."""
        self._applied = None
        self._apply_theme()

    def _apply_theme(self) -> None:
        theme = self.theme
        if theme == self._applied:
            return
        self._applied = theme
        show_tints_of(theme.name)  # before the new palette repaints the views that show swatches
        app = QApplication.instance()
        if isinstance(app, QApplication):  # every window, menu and dialog, not this one alone
            app.setPalette(theme_palette(theme))
            app.setStyleSheet(window_style_sheet(theme))
        self.changed.emit()

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self._apply_theme()
