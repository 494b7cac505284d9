"""`lectern --self-test`: a headless check that this installation (a source tree, a wheel or the
frozen bundle) works: everything imports, the bundled seeds open and render, a highlight is saved,
exported to Markdown and JSON and read back, and a font can show Chinese."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["run_self_test"]


class SelfTestFailure(Exception):
    pass


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


def _seeds_render() -> str:
    from desktop.core.corpus import find_article_files
    from desktop.core.documents import load_article
    from desktop.core.render import render_article
    from desktop.paths import resources_dir, seeds_dir

    seeds = seeds_dir()
    for name in ("style.qss", "lectern.png", "lectern.desktop"):
        _check((resources_dir() / name).is_file(), f"resource {name} is missing from {resources_dir()}")
    files = find_article_files(seeds)
    _check(len(files) == 5, f"expected 5 seeds in {seeds}, found {len(files)}")
    for path in files:
        rendered = render_article(load_article(path, seeds))
        _check(len(rendered.text) > 500, f"{path.name} rendered to almost nothing")
    return f"{len(files)} seeds in {seeds} read and rendered"


def _annotations_round_trip() -> str:
    from desktop.library import Library
    from desktop.paths import seeds_dir
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database

    with tempfile.TemporaryDirectory(prefix="lectern-self-test-") as scratch:
        folder = Path(scratch)
        first = open_database(folder / "a.db")
        library = Library(seeds_dir(), AnnotationStore(first))
        scan = library.scan()
        _check(len(scan.entries) == 5 and not scan.skipped, f"the index of the seeds is wrong: {scan.summary}")
        found = library.search("伦理")
        _check(bool(found.results), "searching the seeds for 伦理 found nothing")
        opened = library.open_article(scan.entries[0].relpath)
        start = len(opened.rendered.text) // 3
        highlight = library.add_highlight(opened, start, start + 12, "green")
        library.store.update_highlight(highlight.id, note="self-test note", tags=["self-test"])
        markdown = library.export_markdown(folder / "md")
        _check(any("self-test note" in path.read_text(encoding="utf-8") for path in markdown.written),
               "the Markdown export lacks the note")
        exported = library.export_json(folder / "json")
        second = open_database(folder / "b.db")
        fresh = Library(seeds_dir(), AnnotationStore(second))
        report = fresh.import_annotations(exported.read_text(encoding="utf-8"))
        same = fresh.store.highlights(fresh.corpus) == library.store.highlights(library.corpus)
        for done in (library, fresh):
            done.close()
        first.close()
        second.close()
        _check(report.imported == 1 and not report.orphaned and same, f"JSON round trip differs: {report}")
    return "seeds indexed and searched; highlight saved, exported to Markdown and JSON, imported back identical"


def _window_and_fonts() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.ui.window_check import check_window_and_fonts

    return check_window_and_fonts()


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("seeds and resources", _seeds_render),
    ("annotations", _annotations_round_trip),
    ("window and fonts", _window_and_fonts),
]


def run_self_test() -> int:
    from desktop import __version__

    print(f"Lectern {__version__} self-test ({'frozen bundle' if getattr(sys, 'frozen', False) else 'Python'})")
    for name, check in CHECKS:
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as error:  # noqa: BLE001 - any failure is reported, with its reason
            print(f"FAIL {name}: {error}")
            return 1
        print(f"ok   {name}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)")
    print("self-test passed")
    return 0
