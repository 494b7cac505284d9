"""What went wrong with a corpus's files, grouped by kind: a real corpus has thousands of small
oddities, and the few files that cannot be read must not drown among them. Each message Lectern writes
about a file belongs to one kind; some kinds are only informational (harmless, never shown as problems)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.model import CorpusEntry, SkippedFile

__all__ = ["ProblemKind", "ProblemGroup", "kind_of", "is_informational", "group_problems", "OTHER"]


@dataclass(frozen=True)
class ProblemKind:
    label: str  # says what the files of this kind have in common
    informational: bool = False  # harmless: listed once, collapsed, and not counted as a problem


@dataclass(frozen=True)
class ProblemGroup:
    kind: ProblemKind
    files: tuple[tuple[str, str, bool], ...]  # (relpath, message, opens), by relpath

    @property
    def count(self) -> int:
        return len(self.files)


OTHER = ProblemKind("Other problems")
CANNOT_OPEN = ProblemKind("Cannot be opened")
# Order matters: the first pattern that matches a message names its kind.
_KINDS: tuple[tuple[re.Pattern[str], ProblemKind], ...] = tuple((re.compile(pattern), kind) for pattern, kind in (
    (r"^this is a binary file", ProblemKind("Not text (binary files)")),
    (r"^the file is (larger than|[\d.]+ MB)", ProblemKind("Too large to read")),
    (r"^Lectern could not read it", ProblemKind("Could not be read because of a bug in Lectern (please report)")),
    (r"^(permission denied|the file no longer exists|this is a folder)", CANNOT_OPEN),
    (r"^front matter repeats .* \(not used by Lectern\)$",
     ProblemKind("Front matter repeats a key Lectern does not read (harmless)", informational=True)),
    (r"^front matter repeats ", ProblemKind("Front matter repeats a key (the last value is used)")),
    (r"^front matter is not valid (YAML|TOML)", ProblemKind("Front matter is not valid (metadata ignored)")),
    (r"^front matter (is \d+ KB|nests \d+ levels|is too deeply nested)",
     ProblemKind("Front matter too large or too deep (metadata ignored)")),
    (r"^front matter has no closing line", ProblemKind("Front matter has no closing line")),
    (r"^front matter is a ", ProblemKind("Front matter is not key: value pairs (metadata ignored)")),
    (r"^some bytes are not valid", ProblemKind("Undecodable bytes (shown as �)")),
    (r"^the HTML nests more than", ProblemKind("HTML nested too deeply (shown as plain text)")),
))


@functools.lru_cache(maxsize=4096)  # a corpus repeats the same few messages thousands of times
def kind_of(message: str) -> ProblemKind:
    for pattern, kind in _KINDS:
        if pattern.search(message):
            return kind
    return OTHER


def is_informational(message: str) -> bool:
    return kind_of(message).informational


def group_problems(entries: Iterable[CorpusEntry], skipped: Iterable[SkippedFile]) -> list[ProblemGroup]:
    """Every file with something to say, grouped by kind: real problems first, the largest group first;
    informational kinds last."""
    groups: dict[ProblemKind, list[tuple[str, str, bool]]] = {}
    for item in skipped:  # whatever the system said, a file that cannot be read cannot be opened
        kind = kind_of(item.reason)
        groups.setdefault(CANNOT_OPEN if kind.informational or kind is OTHER else kind, []).append(
            (item.relpath, item.reason, False))
    for entry in entries:
        for warning in entry.warnings:
            groups.setdefault(kind_of(warning), []).append((entry.relpath, warning, True))
    found = [ProblemGroup(kind, tuple(sorted(files))) for kind, files in groups.items()]
    return sorted(found, key=lambda group: (group.kind.informational, -group.count, group.kind.label))
