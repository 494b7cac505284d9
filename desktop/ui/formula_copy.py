"""Copying a passage that holds formulas: each formula goes to the clipboard as its TeX source.

A formula is shown as italic Unicode text whose tooltip is its TeX (desktop.core.maths); in the laid
out document that is a run of italic fragments sharing one tooltip, which becomes `$TeX$` once."""

from __future__ import annotations

from PySide6.QtGui import QTextBlock, QTextCursor, QTextFragment

__all__ = ["text_with_tex"]

# What Qt's plain text of a selection turns into a newline or a space (paragraph and line separators,
# no-break spaces); the object replacement character of an image carries no text.
_PLAIN = str.maketrans({"\u2029": "\n", "\u2028": "\n", "\u00a0": " ", "\ufffc": None})


def _formula(fragment: QTextFragment) -> str:
    """The fragment's TeX when it is part of a formula, else ""."""
    fmt = fragment.charFormat()
    if fmt.isAnchor() or not fmt.fontItalic():
        return ""
    return fmt.toolTip()


def _fragments(block: QTextBlock) -> list[QTextFragment]:
    fragments = []
    iterator = block.begin()
    while not iterator.atEnd():
        fragments.append(iterator.fragment())
        iterator += 1
    return fragments


def text_with_tex(cursor: QTextCursor) -> str | None:
    """The selection's plain text with each formula it touches as `$TeX$`; None when it touches none
    (or selects table cells, whose text Qt's own copy arranges), so Qt's own text stands."""
    if not cursor.hasSelection() or cursor.hasComplexSelection():
        return None
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    document = cursor.document()
    parts: list[str] = []
    found = False
    block = document.findBlock(start)
    while block.isValid() and block.position() <= end:
        if parts:
            parts.append("\n")
        formula = ""  # the TeX of the formula the last fragment belonged to
        for fragment in _fragments(block):
            first, last = max(fragment.position(), start), min(fragment.position() + fragment.length(), end)
            if first >= last:
                continue
            tex = _formula(fragment)
            if tex:
                found = True
                if tex != formula:
                    parts.append(f"${tex}$")
            else:
                parts.append(fragment.text()[first - fragment.position():last - fragment.position()])
            formula = tex
        block = block.next()
    return "".join(parts).translate(_PLAIN) if found else None
