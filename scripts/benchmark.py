"""Measure what the issues name, on this machine, and print Markdown tables for the README.

    python scripts/benchmark.py open [--repeat N]
    python scripts/benchmark.py search [--articles 50000] [--source DIR ...] [--work DIR]
    python scripts/benchmark.py scale [--articles 60000] [--corpus DIR] [--source DIR ...] [--work DIR]
    python scripts/benchmark.py images [--images 200] [--repeat 15]
    python scripts/benchmark.py notebook [--highlights 10000] [--articles 2000]

open: from the click (the tree's current item changes) to the article's text laid out and painted,
through the real window, for every seed and every test sample post; reported by file size.

search: generates a corpus at scale from real posts (the seeds and tests/data/sample unless --source
names folders of posts), each article a variation (its own title, date, tags, a cut of its body and a
passage of another post); then times the first full index, a restart with nothing changed, one
changed file, and a query set (Chinese of one, two and more characters, English words and prefixes,
mixed queries, filters) against `grep -rlF` over the same files.

scale: generates a corpus with the real corpus's shape (one flat _posts folder, 40 % CSDN-HTML bodies,
about 10,000 distinct tags and 7,500 categories with a long tail, one post in five repeating a key, a
few files over 1 MB) unless --corpus names a real folder; then, through the real window (offscreen):
first open to tree shown, tree complete and index ready; the first full index headless against the
reference pipeline (scripts/reference_index.py) in the same run; a restart (a new process) to tree
complete with the largest article open, its memory; the longest UI stall in each phase (filtering,
searching, switching corpora); search p50/max over the query set.

images: keeping images for offline reading from a server on the loopback address (tests/image_server.py):
images per second for --images images of about 100 KB with 4 connections (the default limits); then,
through the real window, opening a sample post with 20 remote images, first with none kept
(placeholders), then with all 20 kept: the median of --repeat opens each (click → laid out and painted,
rendering included), and the difference.

notebook: a generated corpus of --articles posts with --highlights highlights spread over them (five
colours, a tag and a note on some), then, through the real window: View → Notebook to every row
listed, filtering by text, sorting by quote, choosing every row (Ctrl+A), and the longest UI stall."""

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


def _reading_window(root: Path, scratch: Path):  # type: ignore[no-untyped-def]
    """The real window (offscreen) on `root`, indexed and idle: (app, window, store)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = AnnotationStore(open_database(scratch / f"{root.name}.db"))
    window = MainWindow(store, Settings(QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)))
    window.resize(1400, 880)
    window.show()
    window.open_corpus(root)
    window.tasks.wait()
    app.processEvents()
    return app, window, store


def bench_open(repeat: int) -> list[str]:
    from desktop.core.corpus import find_article_files

    scratch = Path(tempfile.mkdtemp(prefix="lectern-bench-"))
    rows = []
    for root in CORPORA:
        app, window, store = _reading_window(root, scratch)
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


def bench_images(count: int, repeat: int) -> list[str]:
    import shutil

    scratch = Path(tempfile.mkdtemp(prefix="lectern-bench-images-"))
    _isolate(scratch)
    sys.path.insert(0, str(PROJECT))
    from desktop.offline_images import FetchLimits, keep_images
    from desktop.store.image_cache import ImageCache
    from tests.image_server import Route, png_bytes, serving

    limits = FetchLimits()
    with serving() as server:
        urls = []
        for number in range(count):
            server.routes[f"/{number}.png"] = Route(png_bytes(190, 180, seed=number, noise=True))
            urls.append(server.url(f"/{number}.png"))
        started = time.perf_counter()
        report = keep_images(urls, ImageCache(scratch / "throughput"), limits)
        elapsed = time.perf_counter() - started
        # One article: a real sample post's text with 20 remote images spread through it.
        source = PROJECT / "tests" / "data" / "sample" / "markdown" / "2024-09-01-141818023.md"
        corpus = scratch / "corpus"
        corpus.mkdir()
        paragraphs = source.read_text(encoding="utf-8").split("\n\n")
        figures = [server.url(f"/figure-{number}.png") for number in range(20)]
        step = max(1, len(paragraphs) // 20)
        for number, url in enumerate(figures):
            server.routes[f"/figure-{number}.png"] = Route(png_bytes(900, 500, seed=number))
            paragraphs.insert(min(len(paragraphs), (number + 1) * step + number), f"![figure {number}]({url})")
        (corpus / "post.md").write_text("\n\n".join(paragraphs), encoding="utf-8")
        app, window, store = _reading_window(corpus, scratch)
        library = window.library
        assert library is not None
        empty, filled = ImageCache(scratch / "empty"), library.image_cache
        kept = keep_images(figures, filled)
    assert kept.fetched == 20 and len(filled.lookup(figures)) == 20

    def opening(cache: ImageCache) -> float:
        library.image_cache = cache
        window.article_view.show_placeholder("")
        library._rendered.clear()  # a first open: nothing cached
        app.processEvents()
        started = time.perf_counter()
        window.open_article("post.md")
        window.article_view.browser.viewport().repaint()  # painted, not just queued
        return (time.perf_counter() - started) * 1000

    # Taken in turns, so that whatever else the machine does weighs on both alike.
    pairs = [(opening(empty), opening(filled)) for _ in range(repeat)]
    without = statistics.median(pair[0] for pair in pairs)
    with_images = statistics.median(pair[1] for pair in pairs)
    added = statistics.median(pair[1] - pair[0] for pair in pairs)
    window.close()
    store.db.close()
    shutil.rmtree(scratch, ignore_errors=True)
    megabytes = report.bytes / 1_000_000
    return [
        "| Keeping images for offline reading (loopback server) | figure |", "|---|---|",
        f"| {report.fetched} images of ~100 KB ({megabytes:.1f} MB), {limits.connections} connections "
        f"({limits.per_host} per host) | {report.fetched / elapsed:.0f} images/s ({megabytes / elapsed:.1f} MB/s) |",
        f"| open a post with 20 remote images, none kept (placeholders), median of {repeat} | {without:.1f} ms |",
        f"| the same post with its 20 images kept (900×500 PNGs, fitted to the column) | {with_images:.1f} ms |",
        f"| time added by the 20 images (median of the differences, opened in turns) | {added:+.1f} ms |",
    ]


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


def _generated(corpus: Path, generate) -> Path:  # type: ignore[no-untyped-def]
    """`corpus`, generated by `generate(corpus)` unless an earlier run left it there."""
    if not corpus.exists():
        started = time.perf_counter()
        size = generate(corpus)
        print(f"generated {corpus}, {size / 1e6:.0f} MB, in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return corpus


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

    corpus = _generated(work / f"corpus-{count}", lambda target: generate_corpus(sources, target, count))
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




# -- scale ------------------------------------------------------------------------------------------------
_TAG_WORDS = ["Python", "Java", "Linux", "Docker", "Spring", "MySQL", "Redis", "Vue", "React", "算法", "数据结构",
              "人工智能", "深度学习", "机器学习", "前端", "后端", "网络", "安全", "数据库", "架构", "微服务", "容器",
              "大数据", "云计算", "Android", "iOS", "嵌入式", "单片机", "运维", "测试", "面试", "笔记", "教程", "源码"]


def _label(number: int, words: list[str]) -> str:
    return f"{words[number % len(words)]}{'' if number < len(words) else number // len(words)}"


def generate_scale_corpus(sources: list[Path], target: Path, count: int) -> int:
    """`count` posts in one flat `_posts` folder (as Jekyll keeps them), shaped like the real corpus."""
    import random

    from desktop.core.corpus import find_article_files
    from desktop.core.documents import load_article
    from desktop.core.model import BodyKind

    bodies: dict[BodyKind, list[str]] = {BodyKind.HTML: [], BodyKind.MARKDOWN: []}
    for source in sources:
        for path in find_article_files(source):
            article = load_article(path, source)
            bodies[article.kind].append(article.body)
    randomness = random.Random(2026)
    posts = target / "_posts"
    posts.mkdir(parents=True, exist_ok=True)
    tags_total, categories_total = 10_000, 7_500
    written = 0
    for number in range(count):
        kind = BodyKind.HTML if number % 5 < 2 else BodyKind.MARKDOWN  # 40 % CSDN HTML, as in the real corpus
        pool = bodies[kind] or bodies[BodyKind.MARKDOWN] or bodies[BodyKind.HTML]
        body = pool[number % len(pool)]
        start = randomness.randrange(max(1, len(body) - 4000))
        if kind is BodyKind.HTML:  # keep whole elements: cut at tag boundaries
            start = max(0, body.rfind("<", 0, start))
        cut = body[start:start + randomness.randint(1200, 6000)]
        if number % 12_000 == 7:  # a few posts over 1 MB
            cut = (cut + "\n\n") * (1_100_000 // max(1, len(cut.encode("utf-8"))) + 1)
        # A long tail: every tag and category used at least once, a few used very often.
        tags = {_label(int(randomness.paretovariate(0.9)) % 300, _TAG_WORDS) for _ in range(randomness.randint(1, 4))}
        if number * tags_total // count != (number + 1) * tags_total // count:
            tags.add(_label(number * tags_total // count, _TAG_WORDS))
        categories = {_label(int(randomness.paretovariate(1.2)) % 100, _TAG_WORDS)}
        if number * categories_total // count != (number + 1) * categories_total // count:
            categories.add(f"分类{number * categories_total // count}")
        date = f"20{randomness.randint(10, 25)}-{randomness.randint(1, 12):02d}-{randomness.randint(1, 28):02d}"
        artid = 100_000_000 + number
        repeated = "image: /img/a.png\nimage: /img/b.png\n" if number % 5 == 0 else ""
        text = (f"---\nlayout: post\ntitle: \"第{number}篇 {_label(number, _TAG_WORDS)} 实践\"\n"
                f"date: {date} 10:00:00 +0800\ncategories: {sorted(categories)}\ntags: {sorted(tags)}\n"
                f"artid: \"{artid}\"\n{repeated}---\n{cut}\n")
        (posts / f"{date}-{artid}.md").write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
    return written


def _rss_mb() -> tuple[float, float]:
    """(resident now, peak resident) of this process, in MB."""
    status = Path("/proc/self/status").read_text()
    values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(values["VmRSS"].split()[0]) / 1024, int(values["VmHWM"].split()[0]) / 1024


class _Milestones:
    """Records when each startup milestone was logged, by the benchmark's clock."""

    def __init__(self) -> None:
        import logging

        self.seen: dict[str, float] = {}
        self.stalls: list[int] = []
        outer = self

        class Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                message = record.getMessage()
                if record.name == "lectern.startup":
                    outer.seen.setdefault(message.rsplit(" at ", 1)[0], time.perf_counter())
                elif record.name == "lectern.watchdog":
                    outer.stalls.append(int(message.split()[2]))

        logging.getLogger().addHandler(Handler())
        logging.getLogger().setLevel(logging.INFO)

    def reset(self) -> None:
        self.seen.clear()
        self.stalls.clear()

    def longest_stall(self) -> int:
        return max(self.stalls, default=0)


def _pump(app, until, timeout: float = 1800.0) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + timeout
    while not until():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")


def _window(scratch: Path, watch: _Milestones, resuming: Path | None = None):  # type: ignore[no-untyped-def]
    """The window as the app builds it (desktop.ui.app.run_app), on the scratch folder's settings; when
    `resuming` a corpus, its files are compared while the window is built, as the app does."""
    from desktop.file_check import FileChecker

    file_checker = FileChecker()  # as the app does (desktop.cli): started before the window's modules are imported
    file_checker.start()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database
    from desktop.ui.app import check_ahead, tune_for_large_corpora
    from desktop.ui.first_paint import once_painted
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.watchdog import StallWatchdog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = AnnotationStore(open_database(scratch / "data" / "annotations.db"))
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    if resuming is not None:
        check_ahead(file_checker, store, settings, resuming)
    window = MainWindow(store, settings, file_checker=file_checker)
    tune_for_large_corpora()  # as the app does
    window.resize(1400, 880)
    window.show()
    watchdog = StallWatchdog(app)
    once_painted(window, watchdog.start)  # as the app does: once the window is painted, the event loop watched
    return app, window


def bench_notebook(highlights: int, articles: int, sources: list[Path]) -> list[str]:
    from PySide6.QtCore import Qt

    from desktop.library import Library
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database, write_transaction

    scratch = Path(tempfile.mkdtemp(prefix="lectern-bench-notebook-"))
    _isolate(scratch)
    corpus = scratch / "corpus"
    generate_corpus(sources, corpus, articles)
    store = AnnotationStore(open_database(scratch / "data" / "annotations.db"))
    library = Library(corpus, store)
    scan = library.scan()
    colours = ("yellow", "green", "blue", "pink", "purple")
    made = 0
    with write_transaction(store.db):
        for number, entry in enumerate(scan.entries):
            opened = library.open_article(entry.relpath)
            text = opened.rendered.text
            each = -(-(highlights - made) // (len(scan.entries) - number))  # spread evenly over the articles
            for step in range(min(each, len(text) // 40)):
                start = step * (len(text) // each)
                highlight = library.add_highlight(opened, start, start + 30, colours[made % len(colours)])
                if made % 4 == 0:
                    library.change_highlights({highlight.id: {"note": f"第{made}条笔记", "tags": [f"标签{made % 50}"]}})
                made += 1
    library.close()
    store.db.close()
    watch = _Milestones()
    app, window = _window(scratch, watch)
    window.open_corpus(corpus)
    _pump(app, lambda: not window.is_scanning())
    panel = window.notebook.panel
    watch.reset()

    def timed_until(action, done) -> float:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        action()
        _pump(app, done)
        panel.table.viewport().repaint()  # painted, not just queued
        return (time.perf_counter() - started) * 1000

    listed = timed_until(window.notebook.action.trigger, lambda: panel.model.total() == made)
    filtered = timed_until(lambda: (panel.text.setText("笔记"), panel.apply_filter()),
                           lambda: panel.model.rowCount() < made)
    shown = panel.model.rowCount()
    panel.text.clear()
    panel.apply_filter()
    quote = panel.model.headerData(0, Qt.Orientation.Horizontal)
    sorted_ms = timed_until(lambda: panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder), lambda: True)
    chosen = timed_until(panel.table.selectAll, lambda: True)
    rows = [f"| Notebook: {made:,} highlights over {len(scan.entries):,} articles | |", "|---|---|",
            f"| View → Notebook to every row listed and painted | {listed:.0f} ms |",
            f"| filter by text (\"笔记\": {shown:,} rows) | {filtered:.0f} ms |",
            f"| sort by {quote} | {sorted_ms:.0f} ms |",
            f"| choose every row (Ctrl+A) | {chosen:.0f} ms |",
            f"| longest UI stall meanwhile | {watch.longest_stall()} ms |"]
    window.close()
    return rows


def _isolate(scratch: Path) -> None:
    os.environ["LECTERN_DATA_DIR"] = str(scratch / "data")
    os.environ["LECTERN_CACHE_DIR"] = str(scratch / "cache")
    os.environ["LECTERN_LOG_DIR"] = str(scratch / "logs")


def _scale_first_open(corpus: Path, scratch: Path) -> list[str]:
    """A first open through the window; then filtering, searching and switching corpora."""
    watch = _Milestones()
    largest = max(corpus.rglob("*.md"), key=lambda path: path.stat().st_size).relative_to(corpus).as_posix()
    app, window = _window(scratch, watch)
    started = time.perf_counter()
    window.open_corpus(corpus)
    _pump(app, lambda: "index ready" in watch.seen)
    _pump(app, lambda: not window.is_scanning())
    since = {name: (at - started) for name, at in watch.seen.items()}
    rows = [f"| first open: tree shown (file names) | {since['tree shown'] * 1000:.0f} ms |",
            f"| first open: first article shown | {since.get('article shown', float('nan')) * 1000:.0f} ms |",
            f"| first open: tree complete (titles, facets) | {since['tree complete']:.1f} s |",
            f"| first open: index ready (the window indexing beside the reader) | {since['index ready']:.1f} s |",
            f"| longest UI stall during the first open | {watch.longest_stall()} ms |"]
    watch.reset()
    window.filter_bar.choose_tag(window.filter_bar._names.stringList()[0])
    _pump(app, lambda: not window.is_scanning())
    window.filter_bar.choose_tag(None)
    _pump(app, lambda: not window.is_scanning())
    window.filter_bar.annotated.setChecked(True)
    _pump(app, lambda: not window.is_scanning())
    window.filter_bar.annotated.setChecked(False)
    _pump(app, lambda: not window.is_scanning())
    rows.append(f"| longest UI stall filtering by tag and by annotated | {watch.longest_stall()} ms |")
    watch.reset()
    times: list[float] = []  # searched on the window's search thread, as typing does
    window.search_pane.searched.connect(lambda _line, found: times.append(found.elapsed_ms))
    for queries in QUERIES.values():
        for query in queries:
            asked = len(times)
            window.search_pane.search(query)
            _pump(app, lambda asked=asked: len(times) > asked)
    rows.append(f"| search in the window: {len(times)} queries, median / slowest | {statistics.median(times):.1f} ms"
                f" / {max(times):.1f} ms |")
    rows.append(f"| longest UI stall searching | {watch.longest_stall()} ms |")
    watch.reset()
    window.open_corpus(PROJECT / "seeds")
    _pump(app, lambda: not window.is_scanning())
    window.open_corpus(corpus)
    _pump(app, lambda: not window.is_scanning())
    rows.append(f"| longest UI stall switching to another corpus and back | {watch.longest_stall()} ms |")
    window.open_article(largest)
    _pump(app, lambda: window.opened is not None and window.opened.article.relpath == largest)
    window.close()
    return rows


def _scale_restart(corpus: Path, scratch: Path, which: str) -> list[str]:
    """Run in a new process: start again on the indexed corpus with an article of median size open (as
    most are), or its largest one (`which`)."""
    watch = _Milestones()
    by_size = sorted(corpus.rglob("*.md"), key=lambda path: path.stat().st_size)
    largest = by_size[-1] if which == "largest" else by_size[len(by_size) // 2]
    from PySide6.QtCore import QSettings

    from desktop.ui.recent_corpora import RecentCorpora
    from desktop.ui.settings import Settings

    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    RecentCorpora(settings).remember(corpus, largest.relative_to(corpus).as_posix(), 0)  # read there last
    settings.sync()
    building = time.perf_counter()
    app, window = _window(scratch, watch, resuming=corpus)
    started = time.perf_counter()
    window.resume(None, default=corpus)
    _pump(app, lambda: "index ready" in watch.seen and window.opened is not None)
    _pump(app, lambda: not window.is_scanning() and window.article_view.complete)  # all of it in
    since = {name: (at - started) * 1000 for name, at in watch.seen.items()}
    since_building = {name: (at - building) * 1000 for name, at in watch.seen.items()}
    for _ in range(20):
        app.processEvents()
    resident, peak = _rss_mb()
    window.close()
    size = f"{which} article ({largest.stat().st_size / 1024:,.0f} KB)"
    return [f"| restart, nothing changed, {size} open: tree shown / tree complete (stamps compared) / "
            f"article shown | {since['tree shown']:.0f} ms / {since['tree complete']:.0f} ms / "
            f"{since['article shown']:.0f} ms |",
            f"| the same counted from before the window's modules are imported (as from a launch): tree shown / "
            f"tree complete | "
            f"{since_building['tree shown']:.0f} ms / {since_building['tree complete']:.0f} ms |",
            f"| longest UI stall during that restart | {watch.longest_stall()} ms |",
            f"| memory with the whole tree and the {size} open: resident / peak | {resident:.0f} MB /"
            f" {peak:.0f} MB |"]


def _headless_index(corpus: Path, scratch: Path) -> float:
    from desktop.library import Library
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database

    library = Library(corpus, AnnotationStore(open_database(scratch / "headless.db")),
                      index_path=scratch / "headless-index.db")
    library.index_path.unlink(missing_ok=True)
    scan = library.scan()
    assert scan.report is not None
    return scan.report.seconds


def bench_scale(count: int, corpus: Path | None, sources: list[Path], work: Path) -> list[str]:
    import shutil
    import subprocess

    sys.path.insert(0, str(PROJECT / "scripts"))
    from reference_index import reference_index

    if corpus is None:
        corpus = _generated(work / f"scale-{count}", lambda target: generate_scale_corpus(sources, target, count))
    files = list(corpus.rglob("*.md"))
    size_mb = sum(path.stat().st_size for path in files) / 1e6
    scratch = work / "scale-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    _isolate(scratch)
    ours = _headless_index(corpus, scratch)
    reference = reference_index(corpus, scratch / "reference-index.db")
    print(f"first full index: Lectern {ours:.1f} s, reference {reference:.1f} s", file=sys.stderr)
    rows = [f"| Corpus | {len(files):,} posts, {size_mb:.0f} MB |", "|---|---|",
            f"| first full index, headless: Lectern / reference pipeline | {ours:.1f} s / {reference:.1f} s "
            f"(**{ours / reference:.2f}×**) |"]
    # Each window in a process of its own, as each start of Lectern is: a restart comes after the window
    # before it has quit (its connections, helper processes and threads gone with it).
    for command in (["scale-first-open"], ["scale-restart", "--article", "median"],
                    ["scale-restart", "--article", "largest"]):
        window = subprocess.run([sys.executable, __file__, *command, "--corpus", str(corpus), "--work", str(work)],
                                capture_output=True, text=True, check=True)
        rows += window.stdout.strip().splitlines()
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
    scale = commands.add_parser("scale")
    scale.add_argument("--articles", type=int, default=60_000)
    scale.add_argument("--corpus", type=Path, help="a real corpus folder instead of a generated one")
    scale.add_argument("--source", type=Path, action="append", help="a folder of posts to generate from")
    scale.add_argument("--work", type=Path, default=PROJECT / "bench-corpus")
    images = commands.add_parser("images")
    images.add_argument("--images", type=int, default=200)
    images.add_argument("--repeat", type=int, default=15)
    notebook = commands.add_parser("notebook")
    notebook.add_argument("--highlights", type=int, default=10_000)
    notebook.add_argument("--articles", type=int, default=2_000)
    notebook.add_argument("--source", type=Path, action="append", help="a folder of posts to generate from")
    first_open = commands.add_parser("scale-first-open", help=argparse.SUPPRESS)
    restart = commands.add_parser("scale-restart", help=argparse.SUPPRESS)
    for window in (first_open, restart):
        window.add_argument("--corpus", type=Path, required=True)
        window.add_argument("--work", type=Path, required=True)
    restart.add_argument("--article", choices=("median", "largest"), default="median")
    args = parser.parse_args()
    # Never the user's own data, index or log: a scratch folder for each run, removed after it (scale and
    # its restarts name their own, to share the index between their processes).
    with tempfile.TemporaryDirectory(prefix="lectern-bench-") as scratch:
        _isolate(Path(scratch))
        if args.command == "open":
            print("\n".join(bench_open(args.repeat)))
        elif args.command == "search":
            print("\n".join(bench_search(args.articles, args.source or CORPORA, args.work)))
        elif args.command == "images":
            print("\n".join(bench_images(args.images, args.repeat)))
        elif args.command == "notebook":
            print("\n".join(bench_notebook(args.highlights, args.articles, args.source or CORPORA)))
        elif args.command == "scale":
            print("\n".join(bench_scale(args.articles, args.corpus, args.source or CORPORA, args.work)))
        elif args.command == "scale-first-open":
            _isolate(args.work / "scale-scratch")
            print("\n".join(_scale_first_open(args.corpus, args.work / "scale-scratch")))
        else:
            _isolate(args.work / "scale-scratch")
            print("\n".join(_scale_restart(args.corpus, args.work / "scale-scratch", args.article)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
