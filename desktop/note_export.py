"""Writing exported notes into a folder the user may have edited: each note is merged with what is
there (desktop.core.export_merge) against a record of what Lectern wrote last time.

The record lives in the export folder itself, in `.lectern/` (one JSON file per note: the note's parts
as Lectern rendered them). It has to live as long as the export does and travel with it: kept in the
cache folder it would vanish whenever the cache is cleared (which is always allowed), and a folder
moved, synced to another machine or put in an Obsidian vault (which ignores dot-folders) would lose it.
Without it, Lectern could not tell the user's edits from its own, and would have to set its version
aside each time. A note that cannot be merged safely is never overwritten: Lectern's version is
written beside it as `<name>.lectern.md`, and the report says so."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.errors import LecternError
from desktop.core.export import ArticleNotes, NoteStyle, article_note, index_note, notebook_note, safe_filename
from desktop.core.export_merge import merge_note
from desktop.core.note_template import NotePart, article_key, compose
from desktop.files import atomic_write

__all__ = ["ExportReport", "SetAside", "Notebook", "write_notes", "article_notes", "notebook_notes", "RECORD_FOLDER",
           "SIDE_SUFFIX"]

log = logging.getLogger(__name__)
RECORD_FOLDER = ".lectern"
SIDE_SUFFIX = ".lectern.md"
_RECORD_FORMAT = 1
INDEX_KEY = "index"


@dataclass(frozen=True)
class SetAside:
    """A note Lectern could not merge: its own version went to `side`, the user's note is untouched."""

    note: Path
    side: Path
    reasons: tuple[str, ...]

    def message(self) -> str:
        return (f"{self.note.name} was not changed: {'; '.join(self.reasons)}. Lectern's version is beside it"
                f" as {self.side.name}; merge what you want by hand.")


@dataclass
class ExportReport:
    """What an export did: the notes written (or already up to date), and those set aside."""

    out_dir: Path
    written: list[Path] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)

    def summary(self) -> str:
        line = f"Exported {len(self.written)} note{'s' if len(self.written) != 1 else ''} to {self.out_dir}."
        if self.set_aside:
            line += (f" {len(self.set_aside)} could not be merged with your edits: Lectern's version is beside"
                     f" each as …{SIDE_SUFFIX}.")
        return line


@dataclass(frozen=True)
class Notebook:
    """Highlights gathered from many articles into one note: its title, and what gathered them."""

    title: str
    description: str

    @property
    def key(self) -> str:
        return f"notebook:{self.title}"  # the user's name for it: the same title, the same note


@dataclass(frozen=True)
class _Record:
    key: str
    parts: tuple[NotePart, ...]


def _read_records(folder: Path) -> dict[str, tuple[str, _Record]]:
    """note file name → record, for every readable record (a damaged one is as if there were none:
    that note is then set aside rather than merged)."""
    records: dict[str, tuple[str, _Record]] = {}
    if not folder.is_dir():
        return records
    for path in sorted(folder.glob("*.md.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            record = _Record(str(data["key"]), tuple(NotePart(str(k), str(t)) for k, t in data["parts"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring the export record %s: %s", path, error)
            continue
        records[path.name.removesuffix(".json")] = (record.key, record)
    return records


_RECORD_README = """Lectern keeps here what it last exported into this folder, one file per note, so that exporting
again merges with what you wrote in the notes. Deleting this folder loses none of your notes: the next
export then cannot tell your edits from Lectern's, and writes its version beside each note you edited
(NAME.lectern.md) instead of merging.
"""


def _write_record(folder: Path, name: str, key: str, parts: Sequence[NotePart]) -> None:
    data = {"format": _RECORD_FORMAT, "key": key, "parts": [[part.key, part.text] for part in parts]}
    atomic_write(folder / f"{name}.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    if not (folder / "README.txt").exists():
        atomic_write(folder / "README.txt", _RECORD_README)


def _read_note(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise LecternError(f"{path.name} is not UTF-8 text") from None
    except OSError as error:
        raise LecternError(f"{path.name} cannot be read: {error.strerror}") from None


def _write_note(out_dir: Path, name: str, key: str, parts: list[NotePart], record: _Record | None,
                report: ExportReport) -> None:
    path = out_dir / name
    reasons: tuple[str, ...]
    try:
        user = _read_note(path)
        outcome = merge_note(record.parts if record else None, user, parts)
    except LecternError as error:
        user, reasons = None, (str(error),)
    else:
        reasons = outcome.conflicts
        if outcome.text is not None:
            if outcome.text != user:
                atomic_write(path, outcome.text)
            _write_record(out_dir / RECORD_FOLDER, name, key, parts)
            report.written.append(path)
            return
    # The base record is kept: once the user has merged by hand, the next export merges cleanly.
    side = path.with_name(name.removesuffix(".md") + SIDE_SUFFIX)
    atomic_write(side, compose(parts))
    report.set_aside.append(SetAside(path, side, reasons))


def write_notes(out_dir: Path, notes: Iterable[tuple[str, str, list[NotePart]]],
                index: Sequence[ArticleNotes] | None = None) -> ExportReport:
    """Write notes given as (key, title, parts) into `out_dir`, each merged with the note already there,
    and with `index`, an `index.md` linking the articles' notes. A note keeps the file name it was
    first exported under, whatever its title has become."""
    records = _read_records(out_dir / RECORD_FOLDER)
    by_key = {key: name for name, (key, _) in records.items()}
    taken = {name.casefold() for name in records} | {"index.md"}
    report = ExportReport(out_dir)

    def write(key: str, name: str, parts: list[NotePart]) -> None:
        record = records.get(name, (None, None))[1]
        _write_note(out_dir, name, key, parts, record if record and record.key == key else None, report)

    for key, title, parts in notes:
        name = by_key[key] if key in by_key else safe_filename(title, taken)
        by_key[key] = name
        write(key, name, parts)
    if index is not None:
        write(INDEX_KEY, "index.md", index_note([(by_key[article_key(item.relpath)], item) for item in index]))
    return report


def article_notes(notes: Sequence[ArticleNotes], style: NoteStyle) -> list[tuple[str, str, list[NotePart]]]:
    """One note per article, as `write_notes` takes them."""
    return [(article_key(item.relpath), item.title, article_note(item, style)) for item in notes]


def notebook_notes(notebook: Notebook, notes: Sequence[ArticleNotes], style: NoteStyle
                   ) -> list[tuple[str, str, list[NotePart]]]:
    """The one note of a notebook, as `write_notes` takes it."""
    return [(notebook.key, notebook.title, notebook_note(notebook.title, notebook.description, notes, style))]
