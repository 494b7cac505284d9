"""The reader's typography: body font and size, line spacing, reading width and zoom, as kept in the
settings, and what each means on screen."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QFont, QFontMetricsF, QTextBlockFormat, QTextCursor, QTextDocument

from desktop.ui.settings import Settings

__all__ = ["Typography", "ZOOM_STEPS", "MIN_FONT_SIZE", "MAX_FONT_SIZE", "space_loose_text"]

ZOOM_STEPS = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)  # percent, as browsers step
MIN_FONT_SIZE, MAX_FONT_SIZE = 6, 48
_MAX_SPACED = 5_000
_KEYS = {"family": "view/font_family", "size": "view/font_size", "line_spacing": "view/line_spacing",
         "width": "view/reading_width", "zoom": "view/zoom"}


@dataclass(frozen=True)
class Typography:
    family: str = ""  # "": the system's font
    size: int = 12  # points, before zoom
    line_spacing: int = 150  # percent
    width: int = 80  # characters per line at most; 0: as wide as the window
    zoom: int = 100  # percent

    @classmethod
    def load(cls, settings: Settings) -> Typography:
        values = {name: settings.get(key) for name, key in _KEYS.items()}
        loaded = cls(str(values["family"]), int(values["size"]), int(values["line_spacing"]),
                     int(values["width"]), int(values["zoom"]))
        return loaded.clamped()

    def save(self, settings: Settings) -> None:
        for name, key in _KEYS.items():
            settings.set(key, getattr(self, name))

    def clamped(self) -> Typography:
        """Values a hand-edited settings file may hold, brought into a readable range."""
        return replace(self, size=min(max(self.size, MIN_FONT_SIZE), MAX_FONT_SIZE),
                       line_spacing=min(max(self.line_spacing, 80), 300),
                       width=0 if self.width <= 0 else min(max(self.width, 30), 400),
                       zoom=min(max(self.zoom, ZOOM_STEPS[0]), ZOOM_STEPS[-1]))

    def zoomed(self, step: int) -> Typography:
        """One zoom step in (+1) or out (-1), or back to 100% (0)."""
        if step == 0:
            return replace(self, zoom=100)
        if step > 0:
            return replace(self, zoom=next((z for z in ZOOM_STEPS if z > self.zoom), ZOOM_STEPS[-1]))
        return replace(self, zoom=next((z for z in reversed(ZOOM_STEPS) if z < self.zoom), ZOOM_STEPS[0]))

    def font(self, base: QFont) -> QFont:
        """The article's font: the chosen family (else `base`'s) at the chosen size, zoomed."""
        font = QFont(base)
        if self.family:
            font.setFamily(self.family)
        font.setPointSizeF(self.size * self.zoom / 100)
        return font

    def column_width(self, font: QFont) -> float | None:
        """The reading column in pixels, as CSS's `ch` measures (the width of "0"); None: no limit."""
        if self.width <= 0:
            return None
        return self.width * QFontMetricsF(font).horizontalAdvance("0")


def space_loose_text(document: QTextDocument, line_spacing: int) -> None:
    """Give the line spacing to text outside any paragraph (CSDN's posts put text straight into the
    body, between <br>s), which no style sheet rule reaches. Code and headings keep theirs. About
    15 ms for 900 blocks: a document of more than _MAX_SPACED blocks is left as it is, so that the UI
    thread is never held up by it."""
    if document.blockCount() > _MAX_SPACED:
        return
    spacing = QTextBlockFormat()
    spacing.setLineHeight(line_spacing, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    cursor = QTextCursor(document)
    cursor.beginEditBlock()  # one layout pass for all of them
    block = document.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if (fmt.lineHeightType() == QTextBlockFormat.LineHeightTypes.SingleHeight.value and not fmt.headingLevel()
                and "monospace" not in (block.charFormat().fontFamilies() or ())):
            cursor.setPosition(block.position())
            cursor.mergeBlockFormat(spacing)
        block = block.next()
    cursor.endEditBlock()
