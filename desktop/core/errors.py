"""Errors Lectern expects and can explain to a person; anything else is a bug."""

from __future__ import annotations

__all__ = [
    "LecternError",
    "DocumentError",
    "FileTooLarge",
    "BinaryFile",
    "UnreadableFile",
    "StoreError",
    "DatabaseLocked",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "ImportFormatError",
]


class LecternError(Exception):
    """A problem caused by the user's files or environment. `str(error)` is fit to show to a person."""


class DocumentError(LecternError):
    """An article file cannot be read at all (as opposed to read with warnings)."""


class FileTooLarge(DocumentError):
    pass


class BinaryFile(DocumentError):
    pass


class UnreadableFile(DocumentError):
    pass


class StoreError(LecternError):
    """The annotation database cannot be used."""


class DatabaseLocked(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class DatabaseTooNew(StoreError):
    pass


class ImportFormatError(LecternError):
    """A file given to `lectern import` is not Web Annotation JSON."""
