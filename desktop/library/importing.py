"""Importing W3C Web Annotations (an export of Lectern's, or annotations made on the web) into a corpus."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from desktop.core.anchoring import CHANGED, EXACT, MOVED, ORPHANED, Located, make_anchor, relocate
from desktop.core.colours import MAX_MEANING
from desktop.core.corpus import find_article_files
from desktop.core.documents import load_article, web_address
from desktop.core.errors import DocumentError, LecternError
from desktop.core.model import Anchor
from desktop.core.urls import split_url
from desktop.core.webannotation import IncomingAnnotation, read_annotation_file
from desktop.library.placing import GONE
from desktop.store.database import write_transaction

if TYPE_CHECKING:
    from desktop.library.library import Library

__all__ = ["ImportReport", "AnnotationImport"]


@dataclass
class ImportReport:
    imported: int = 0
    already_present: int = 0
    orphaned: list[str] = field(default_factory=list)  # one line per annotation kept but not anchored
    unusable: int = 0
    meanings_added: list[str] = field(default_factory=list)  # colours that had no meaning and got the file's
    meanings_kept: list[str] = field(default_factory=list)  # one line per meaning of the user's the file differs from


def _imported(item: IncomingAnnotation, text: str | None) -> tuple[Anchor, Located, bool]:
    """An imported annotation's anchor, where it is in `text` (None: no such file) and whether the
    anchor was made in `text`. Its quote (white space folded, a list number allowed) is looked for near
    its position; found as it is, the anchor is made anew here, keeping the state an export of
    Lectern's gave (moved, or changed with the quote as highlighted); found approximately, or not at
    all, the anchor keeps the quote as given."""
    start, end = (item.start, item.end) if item.start is not None and item.end is not None else (0, len(item.exact))
    quoted = Anchor(start, end, item.exact, item.prefix, item.suffix)
    located = relocate(quoted, text) if text is not None else GONE
    if located.span is None or text is None:
        return quoted, GONE, False
    if item.original is not None or located.state == CHANGED:
        exact, prefix, suffix = item.original or (item.exact, item.prefix, item.suffix)
        score = item.score if item.score is not None and located.state != CHANGED else located.score
        return Anchor(*located.span, exact, prefix, suffix), replace(located, state=CHANGED, score=score), False
    state = MOVED if item.state == MOVED else EXACT
    return make_anchor(text, *located.span), replace(located, state=state, score=1.0), True


class AnnotationImport:
    """One import of annotations into `library`'s corpus."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.root, self.store, self.corpus = library.root, library.store, library.corpus

    def _key(self, relpath: str) -> tuple[str, str]:
        return self.corpus, relpath

    def _resolve_source(self, item: IncomingAnnotation, by_name: dict[str, list[str]],
                        by_address: Callable[[], dict[str, str]]) -> str:
        """An annotation's article as a corpus path: the path an export of Lectern's names, the file a
        `file:` URI names inside the corpus, the article whose front matter gives the web address, a
        corpus path as such (files of earlier versions), else the one file of the same name."""
        source = item.source
        candidates = [item.path] if item.path else []
        lowered = source.lower()
        parts = split_url(source)  # None: a source that is no URL, found by its name if at all
        if lowered.startswith("file:") and parts is not None:
            local = Path(unquote(parts.path))
            with suppress(OSError, ValueError):  # a file outside the corpus: found by its name, if at all
                candidates.append(local.resolve().relative_to(self.root).as_posix())
        elif lowered.startswith(("http://", "https://")) and (found := by_address().get(source)):
            candidates.append(found)
        candidates.append(source.removeprefix("./"))
        for relpath in candidates:
            try:
                if (self.root / relpath).resolve().is_relative_to(self.root) and (self.root / relpath).is_file():
                    return relpath
            except (OSError, ValueError):  # a name no file system takes: it is not a file here
                pass
        named = by_name.get(PurePosixPath(parts.path if parts is not None and "://" in source else source).name, [])
        return named[0] if len(named) == 1 else (item.path or source.removeprefix("./"))

    def _web_addresses(self) -> dict[str, str]:
        """Web address → corpus path of the articles whose front matter names one (read on demand: only
        an import of annotations made on the web needs it)."""
        found: dict[str, str] = {}
        for path in find_article_files(self.root):
            try:
                address = web_address(load_article(path, self.root).metadata)
            except DocumentError:
                continue
            if address:
                found.setdefault(address, path.relative_to(self.root).as_posix())
        return found

    def run(self, text: str) -> ImportReport:
        """Import Web Annotations, all of them or (on any failure) none; with an export of Lectern's,
        also its article tags (added to the user's) and colour meanings (only for colours without one)."""
        found = read_annotation_file(text)
        report = ImportReport(unusable=found.unusable)
        by_name: dict[str, list[str]] = {}
        for path in find_article_files(self.root):
            by_name.setdefault(path.name, []).append(path.relative_to(self.root).as_posix())
        addresses: dict[str, str] | None = None

        def by_address() -> dict[str, str]:
            nonlocal addresses
            if addresses is None:
                addresses = self._web_addresses()
            return addresses

        with write_transaction(self.store.db):
            self._import(found.annotations, lambda item: self._resolve_source(item, by_name, by_address), report)
            for relpath, tags in found.article_tags.items():
                key = self._key(relpath)
                self.store.set_article_tags(key, self.store.article_tags(key) + tags)
            mine = self.store.colour_meanings()
            for colour, meaning in found.meanings.items():
                if not mine.get(colour):
                    self.store.set_colour_meaning(colour, meaning[:MAX_MEANING])
                    report.meanings_added.append(colour)
                elif mine[colour] != meaning:
                    report.meanings_kept.append(f"{colour} keeps your meaning “{mine[colour]}” (the file says"
                                                f" “{meaning}”)")
        return report

    def _import(self, incoming: list[IncomingAnnotation], resolve: Callable[[IncomingAnnotation], str],
                report: ImportReport) -> None:
        texts: dict[str, str | None] = {}
        for item in incoming:
            highlight_id = item.id
            found = self.store.whereabouts(highlight_id)
            if found is not None and found[0] == self.corpus:
                if found[1]:  # deleted here: importing it again brings it back
                    self.store.restore_highlight(highlight_id)
                    report.imported += 1
                else:
                    report.already_present += 1
                continue
            if found is not None:  # the same annotation belongs to another corpus (a copy of this one)
                highlight_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.corpus}\n{highlight_id}"))
                if self.store.whereabouts(highlight_id) is not None:
                    report.already_present += 1
                    continue
            relpath = resolve(item)
            if relpath not in texts:
                texts[relpath] = self._text_of(relpath)
            text = texts[relpath]
            anchor, located, anchored = _imported(item, text)
            if located.state == ORPHANED:
                report.orphaned.append(f"{relpath}: “{item.exact[:60]}” was not found; kept as orphaned")
            self.store.add_highlight(self._key(relpath), anchor, item.colour, item.note, item.tags,
                                     highlight_id=highlight_id, created=item.created, updated=item.modified,
                                     text=text, found=located, anchored=anchored)
            report.imported += 1

    def _text_of(self, relpath: str) -> str | None:
        try:
            article = self.library.load(relpath)
        except LecternError:
            return None
        self.store.remember_document(self._key(relpath), article.title, article.source_id, article.content_hash)
        return self.library.render(article).text
