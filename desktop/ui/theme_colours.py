"""Colours of the chrome that follow the reading theme. The highlight colours (toolbar, side panel,
notebook, menus, marked matches) in the theme's tints, so that the colour a user picks looks as its
highlights do on the page, and light text stays readable on a dark theme's marks; the muted grey of
secondary lines. The theme is the application's (desktop.ui.appearance sets it with the palette);
views ask as they paint."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPixmap

from desktop.core.colours import colour_hex

__all__ = ["show_tints_of", "tint", "swatch", "muted"]

_theme = "light"


def show_tints_of(theme: str) -> None:
    """From now on, swatches are in `theme`'s tints (views repaint with the new palette; icons made
    before are made again by their owners)."""
    global _theme
    _theme = theme


def tint(colour: str) -> QColor:
    return QColor(colour_hex(colour, _theme))


def swatch(colour: str, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(tint(colour))
    return QIcon(pixmap)


def muted() -> QColor:
    """Secondary text (a place, a missing passage, an orphan) in the theme's grey."""
    return QGuiApplication.palette().placeholderText().color()
