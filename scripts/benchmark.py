"""Measure what the issues name, on this machine, and print a Markdown table for the README.

    QT_QPA_PLATFORM=offscreen python scripts/benchmark.py [--repeat N]

Open an article: from the click (the tree's current item changes) to the text laid out and painted,
through the real window, for every seed and every sample post; reported by file size."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT = Path(__file__).resolve().parents[1]
CORPORA = [PROJECT / "seeds", PROJECT / "tests" / "data" / "sample"]


def bench_open(repeat: int) -> list[str]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.core.corpus import find_article_files
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="lectern-bench-"))
    rows = []
    for root in CORPORA:
        store = AnnotationStore(open_database(scratch / f"{root.name}.db"))
        window = MainWindow(store, Settings(QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)))
        window.resize(1400, 880)
        window.show()
        window.open_corpus(root)
        window.tasks.wait()
        app.processEvents()
        for path in find_article_files(root):
            relpath = path.relative_to(root).as_posix()
            timings = []
            for _ in range(repeat):
                window.article_view.show_placeholder("")
                window.library._rendered.clear()  # a first open: nothing cached
                app.processEvents()
                started = time.perf_counter()
                window.open_article(relpath)
                window.article_view.browser.viewport().repaint()  # painted, not just queued
                timings.append((time.perf_counter() - started) * 1000)
            rows.append((path.stat().st_size, statistics.median(timings)))
        window.close()
        store.db.close()
    table = ["| Open an article (click → text painted) | articles | median | slowest |", "|---|---|---|---|"]
    for label, low, high in (("up to 12 KB (the corpus median is ~6 KB)", 0, 12), ("12–64 KB", 12, 64),
                             ("over 64 KB", 64, 1 << 30)):
        bucket = [ms for size, ms in rows if low * 1024 <= size < high * 1024]
        if bucket:
            table.append(f"| {label} | {len(bucket)} | {statistics.median(bucket):.0f} ms | {max(bucket):.0f} ms |")
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("\n".join(bench_open(args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
