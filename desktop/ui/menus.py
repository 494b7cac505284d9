"""The View, Go and Help menus: reading appearance, panes, moving about, and help. The window makes
the actions' owners (appearance, navigator, focus cycle); this module lays their actions out."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from desktop.ui.appearance import Appearance
from desktop.ui.settings import Settings

__all__ = ["pane_action", "add_view_menu", "add_go_menu", "add_help_menu", "command"]


def command(text: str, slot: Callable[[], object], parent: QWidget,
            shortcuts: Iterable[str | QKeySequence.StandardKey] = ()) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(key) for key in shortcuts])
    action.triggered.connect(lambda _checked=False: slot())
    return action


def pane_action(text: str, pane: QWidget, settings: Settings, key: str, parent: QWidget) -> QAction:
    """A checkable action that shows or hides `pane`, its state kept in `key` across restarts."""
    action = QAction(text, parent)
    action.setCheckable(True)
    shown = bool(settings.get(key))
    action.setChecked(shown)
    pane.setVisible(shown)

    def toggled(visible: bool) -> None:
        pane.setVisible(visible)
        settings.set(key, visible)

    action.toggled.connect(toggled)
    return action


def add_view_menu(menu_bar: QMenuBar, appearance: Appearance, preferences: QAction,
                  panes: list[QAction]) -> QMenu:
    view = menu_bar.addMenu("&View")
    themes = view.addMenu("&Theme")
    themes.addActions(list(appearance.theme_actions.values()))
    view.addAction(preferences)
    view.addSeparator()
    view.addActions([appearance.zoom_in_action, appearance.zoom_out_action, appearance.zoom_reset_action])
    view.addSeparator()
    view.addActions(panes)
    return view


def add_go_menu(menu_bar: QMenuBar, groups: list[list[QAction]]) -> None:
    go = menu_bar.addMenu("&Go")
    for number, group in enumerate(groups):
        if number:
            go.addSeparator()
        go.addActions(group)


def add_help_menu(menu_bar: QMenuBar, shortcuts: QAction, about: QAction) -> None:
    help_menu = menu_bar.addMenu("&Help")
    help_menu.addActions([shortcuts, about])
