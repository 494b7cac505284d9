"""Measure what the issues name, on this machine, and print Markdown tables for the README.

    python scripts/benchmark.py open [--repeat N]
    python scripts/benchmark.py search [--articles 50000] [--source DIR ...] [--work DIR]

open: from the click (the tree's current item changes) to the article's text laid out and painted,
through the real window, for every seed and every test sample post; reported by file size.

search: generates a corpus at scale from real posts (the seeds and tests/data/sample unless --source
names folders of posts), each article a variation (its own title, date, tags, a cut of its body and a
passage of another post); then times the first full index, a restart with nothing changed, one
changed file, and a query set (Chinese of one, two and more characters, English words and prefixes,
mixed queries, filters) against `grep -rlF` over the same files."""

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
                while window.opened is None or window.opened.article.relpath != relpath:
                    app.processEvents()  # a large article is rendered on a worker
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


QUERIES = {
    "Chinese, 1 character": ["伦", "隐", "模", "链"],
    "Chinese, 2 characters": ["伦理", "隐私", "模型", "数据", "算法", "监管"],
    "Chinese, 3+ characters": ["人工智能", "深度学习", "数据隐私", "区块链技术", '"生成式人工智能"'],
    "English words and prefixes": ["transformer", "python", "docker", "config*", "kube*"],
    "mixed Chinese and English": ["AIGC 伦理", "python 数据", "Spring Boot 配置", "linux 内核"],
    "with filters": ["tag:人工智能 模型", "date:2024 数据", "category:未分类 AIGC"],
}
_GREP_WORDS = {"伦", "隐", "模", "链", "伦理", "隐私", "模型", "数据", "算法", "监管", "人工智能", "深度学习",
               "数据隐私", "区块链技术", "生成式人工智能", "transformer", "python", "docker"}


def _split_front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            return text[4:end], text[end + 4:]
    return "", text


def generate_corpus(sources: list[Path], target: Path, count: int) -> int:
    """Write `count` article variations into `target`; returns the bytes written."""
    import random

    from desktop.core.corpus import find_article_files
    from desktop.core.documents import load_article

    posts = []
    for source in sources:
        for path in find_article_files(source):
            article = load_article(path, source)
            posts.append((article, _split_front_matter(path.read_text(encoding=article.encoding, errors="replace"))[1]))
    tags = sorted({tag for article, _ in posts for tag in article.tags}) or ["notes"]
    randomness = random.Random(2026)
    written = 0
    for number in range(count):
        article, body = posts[number % len(posts)]
        _, extra = posts[randomness.randrange(len(posts))]
        cut = body[:randomness.randint(3500, 13000)]
        passage_start = randomness.randrange(max(1, len(extra) - 1200))
        folder = target / f"part-{number // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        date = f"20{randomness.randint(15, 25)}-{randomness.randint(1, 12):02d}-{randomness.randint(1, 28):02d}"
        chosen = randomness.sample(tags, k=min(3, len(tags)))
        text = (f"---\ntitle: \"{article.title} #{number}\"\ndate: {date} 10:00:00 +0800\n"
                f"tags: {chosen}\ncategories: {list(article.categories)}\nartid: \"{900000000 + number}\"\n---\n"
                f"{cut}\n\n{extra[passage_start:passage_start + 1200]}\n")
        suffix = ".md"
        (folder / f"{number:06d}{suffix}").write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
    return written


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def bench_search(count: int, sources: list[Path], work: Path) -> list[str]:
    import shutil
    import subprocess

    from desktop.library import Library
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database

    corpus = work / f"corpus-{count}"
    if not corpus.exists():
        started = time.perf_counter()
        size = generate_corpus(sources, corpus, count)
        print(f"generated {count} articles, {size / 1e6:.0f} MB, in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    size_mb = sum(path.stat().st_size for path in corpus.rglob("*.md")) / 1e6
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    library = Library(corpus, AnnotationStore(open_database(data / "annotations.db")))
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 10:
            last[0] = time.perf_counter()
            print(f"indexing {done} of {total}", file=sys.stderr)

    first = library.scan(progress)
    unchanged = library.scan()
    changed_file = next(iter(sorted(corpus.rglob("*.md"))))
    changed_file.write_text(changed_file.read_text(encoding="utf-8") + "\n新增的一段话。\n", encoding="utf-8")
    one_changed = library.scan()
    index_mb = library.index_path.stat().st_size / 1e6
    assert first.report and unchanged.report and one_changed.report
    rows = [
        f"| Corpus | {count} generated articles, {size_mb:.0f} MB |",
        "|---|---|",
        f"| first full index (background, 2 worker processes) | {first.report.seconds:.1f} s |",
        f"| restart, nothing changed | {unchanged.report.seconds:.2f} s ({unchanged.report.added} new, "
        f"{unchanged.report.updated} changed, {unchanged.report.unchanged} unchanged) |",
        f"| one file changed | {one_changed.report.seconds:.2f} s ({one_changed.report.updated} re-indexed) |",
        f"| index size (derived, separate file) | {index_mb:.0f} MB |",
        "",
        "| Query set (5 runs each) | queries | median | slowest | `grep -rlF` median | Lectern faster by |",
        "|---|---|---|---|---|---|",
    ]
    all_times: list[float] = []
    for label, queries in QUERIES.items():
        times, greps = [], []
        for query in queries:
            library.search(query)  # warm
            times += [library.search(query).elapsed_ms for _ in range(5)]
            word = query.strip('"')
            if word in _GREP_WORDS:
                greps.append(_timed(lambda w=word: subprocess.run(["grep", "-rlF", w, str(corpus)],
                                                                  stdout=subprocess.DEVNULL, check=False)))
        all_times += times
        grep = f"{statistics.median(greps):.0f} ms" if greps else "–"
        ratio = f"{statistics.median(greps) / statistics.median(times):.0f}×" if greps else "–"
        rows.append(f"| {label} | {len(queries)} | {statistics.median(times):.1f} ms | {max(times):.1f} ms | "
                    f"{grep} | {ratio} |")
    rows.append(f"| **all queries** | {sum(map(len, QUERIES.values()))} | **{statistics.median(all_times):.1f} ms** |"
                f" **{max(all_times):.1f} ms** | | |")
    library.close()
    library.store.db.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    opening = commands.add_parser("open")
    opening.add_argument("--repeat", type=int, default=3)
    searching = commands.add_parser("search")
    searching.add_argument("--articles", type=int, default=50_000)
    searching.add_argument("--source", type=Path, action="append", help="a folder of posts (repeatable)")
    searching.add_argument("--work", type=Path, default=PROJECT / "bench-corpus")
    args = parser.parse_args()
    if args.command == "open":
        print("\n".join(bench_open(args.repeat)))
    else:
        print("\n".join(bench_search(args.articles, args.source or CORPORA, args.work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
