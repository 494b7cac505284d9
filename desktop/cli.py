"""The `lectern` command: opens the window, or works headless (index, export, import) on the same
library the window uses."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import desktop
from desktop.core.errors import LecternError
from desktop.core.problems import group_problems
from desktop.logs import configure_logging

if TYPE_CHECKING:  # the library is imported only by the commands that use it
    from desktop.core.model import CorpusScan
    from desktop.library import Library, Reconciliation

__all__ = ["main"]

_COMMANDS = ("index", "search", "export", "import", "check", "images", "backup", "restore")
# What a shell reports for a program stopped by Ctrl-C (128 + SIGINT), and for one whose reader went
# away, as `| head` does (128 + SIGPIPE).
_INTERRUPTED = 130
_OUTPUT_CLOSED = 141


class _NotThere(LecternError):
    """A command was given something that does not exist (an article): a usage error, exit 2 as argparse's."""


def _global_options() -> argparse.ArgumentParser:
    """The options every command and the window take, before or after the command: declare new ones here."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="the annotation database (default: in your data folder)")
    common.add_argument("--verbose", action="store_true",
                        help="also log to stderr (the log file is always written); list each file `index` skips")
    return common


def _parser() -> argparse.ArgumentParser:
    # The global options (--db, --verbose) are taken out of the arguments before this parser sees them
    # (they may stand anywhere); declared here too so that --help lists them.
    parser = argparse.ArgumentParser(prog="lectern", description="Read and annotate a local corpus of articles.",
                                     parents=[_global_options()])
    parser.add_argument("--version", action="version", version=f"Lectern {desktop.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index",
                                help="bring a corpus's search index up to date; list what could not be read")
    index.add_argument("corpus", type=Path)
    index.add_argument("--rebuild", action="store_true", help="start the index afresh (annotations are untouched)")

    search = commands.add_parser("search", help="search articles and annotations")
    search.add_argument("query", help='words, "a phrase", prefix*, tag:…, category:…, date:2024-01..2024-06')
    search.add_argument("--corpus", type=Path, required=True)
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true", help="print the results as JSON")

    export = commands.add_parser("export", help="write highlights and notes to files")
    export.add_argument("--corpus", type=Path, required=True)
    export.add_argument("--out", type=Path, required=True, help="folder to write into")
    export.add_argument("--article", help="only this article (its path inside the corpus)")
    export.add_argument("--format", choices=("markdown", "json"), default="markdown")
    export.add_argument("--tag", action="append", default=[],
                        help="gather the highlights with this tag, from every article, into one note (repeatable)")
    export.add_argument("--colour", "--color", action="append", default=[], dest="colour",
                        help="gather the highlights of this colour (or colour meaning) into one note (repeatable)")
    export.add_argument("--title", help="the title of a note gathered by --tag or --colour")
    export.add_argument("--template", type=Path,
                        help="lay Markdown notes out with this Jinja2 template (see the README's export templates)")

    import_ = commands.add_parser("import", help="read Web Annotation JSON into a corpus")
    import_.add_argument("file", type=Path)
    import_.add_argument("--corpus", type=Path, required=True)

    check = commands.add_parser("check", help="find every highlight again after its article changed; count them by"
                                              " state (exit 1 when some need review, 2 on error)")
    check.add_argument("--corpus", type=Path, required=True)
    check.add_argument("--json", action="store_true", help="print the counts as JSON")

    images = commands.add_parser("images", help="download the remote images articles show, for offline reading"
                                                " (exit 1 when some failed, 2 on error)")
    images.add_argument("--corpus", type=Path, required=True)
    images.add_argument("--article", help="only this article (its path inside the corpus)")

    commands.add_parser("backup", help="copy the annotation database into its backups folder")
    restore = commands.add_parser("restore",
                                  help="put a backup in place of the annotation database (the current one is kept)")
    restore.add_argument("file", type=Path, nargs="?", help="a backup (default: list the backups)")
    return parser


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lectern", parents=[_global_options()],
        epilog=f"Headless commands: {', '.join(_COMMANDS)} (lectern COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"Lectern {desktop.__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation headless (seeds, rendering, database, export, fonts)")
    # Several are taken (a file manager may pass them) and the first is opened: one corpus per window.
    parser.add_argument("corpus", nargs="*", type=Path,
                        help="a folder of articles (default: the last one); `lectern -- search` or `lectern ./search`"
                             " opens a folder named like a command; a lectern://open?… link opens its highlight")
    return parser


def _library(corpus: Path, db_path: Path | None):  # type: ignore[no-untyped-def]
    from desktop.library import Library
    from desktop.paths import default_database
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database

    return Library(corpus, AnnotationStore(open_database(db_path or default_database())))


@contextmanager
def _progress_on_terminal(doing: str = "indexing", every: int = 1000) -> Iterator[Callable[[int, int], None] | None]:
    """`indexing N of M` (or another `doing`), rewritten in place, only when stderr is a terminal: in a
    file or a pipe the carriage returns would be garbage. The line is wiped when the work ends, so that
    no message runs into it (nothing else writes to the terminal meanwhile)."""
    if not sys.stderr.isatty():
        yield None
        return

    def progress(done: int, total: int) -> None:
        if done == total or done % every == 0:
            sys.stderr.write(f"\r\x1b[K{doing} {done} of {total}")
            sys.stderr.flush()

    try:
        yield progress
    finally:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


@contextmanager
def _ctrl_c_between_batches() -> Iterator[Callable[[], bool]]:
    """Ctrl-C reaches every process of the terminal's process group, so each indexing worker would die
    with its own traceback. SIGINT is blocked instead, here and in the workers (they inherit the mask),
    and the indexer asks between batches whether it came: it then stops after committing the batch and
    shuts its workers down, and KeyboardInterrupt is raised here, where it is quiet."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks, Ctrl-C interrupts at once
        yield lambda: False
        return
    from multiprocessing import resource_tracker

    # multiprocessing's resource tracker unblocks SIGINT once it has started, and the workers would then
    # inherit an open mask: start it first (it is a fork and exec, and the pool would start it anyway).
    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield lambda: signal.SIGINT in signal.sigpending()
    finally:
        interrupted = signal.SIGINT in signal.sigpending()
        if interrupted:
            signal.sigwait({signal.SIGINT})  # take it, or unblocking would deliver it
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if interrupted:
        raise KeyboardInterrupt


def _scan(library: Library, rebuild: bool = False) -> CorpusScan:
    with _progress_on_terminal() as progress, _ctrl_c_between_batches() as interrupted:
        return library.scan(progress, interrupted, rebuild=rebuild)


def _index(args: argparse.Namespace) -> int:
    library = _library(args.corpus, args.db)
    try:
        scan = _scan(library, rebuild=args.rebuild)
    except KeyboardInterrupt:
        print("lectern: interrupted; the index keeps what was read, and `lectern index` goes on from there",
              file=sys.stderr)
        return _INTERRUPTED
    print(f"Read {len(scan.entries)} articles from {scan.root}.")
    print(f"Index: {scan.summary}")
    _print_reconciliation(library.reconcile(scan))  # notes follow moved files, as in the window
    for group in group_problems(scan.entries, scan.skipped):  # one line per kind; the files with --verbose
        print(f"{'note' if group.kind.informational else 'problem'}: {group.kind.label}: {group.count} files")
        if args.verbose:
            for relpath, message, _ in group.files:
                print(f"    {relpath}: {message}")
    return 0


def _search(args: argparse.Namespace) -> int:
    library = _library(args.corpus, args.db)
    _scan(library)  # bring the index up to date first: only changed files are read
    found = library.search(args.query, args.limit)
    if args.json:
        print(json.dumps({
            "query": args.query,
            "elapsed_ms": round(found.elapsed_ms, 2),
            "results": [{"kind": r.kind, "path": r.relpath, "title": r.title, "snippet": r.snippet.text,
                         "marks": [list(mark) for mark in r.snippet.marks], "score": round(r.score, 4),
                         "highlight": r.highlight_id} for r in found.results],
        }, ensure_ascii=False, indent=2))
        return 0
    for problem in found.query.problems:
        print(f"not understood: {problem}", file=sys.stderr)
    for result in found.results:
        print(f"{result.where}\t{result.title}\t{result.score:.2f}\n    {result.snippet.marked('[', ']')}")
    print(f"{len(found.results)} results in {found.elapsed_ms:.1f} ms")
    return 0


def _print_reconciliation(found: Reconciliation) -> None:
    for old, new in found.moved:
        print(f"moved: {old} → {new} (its notes follow it)")
    for relpath in found.missing:
        print(f"missing: {relpath} (its notes are kept)")


def _relpath_in(root: Path, article: str) -> str:
    """`article` as a path inside the corpus, however it was written (./a.md, an absolute path)."""
    path = Path(os.path.normpath(article))
    if path.is_absolute():
        with suppress(ValueError):
            path = path.relative_to(root)
    return path.as_posix()


def _export(args: argparse.Namespace) -> int:
    library = _library(args.corpus, args.db)
    scan = _scan(library)
    found = library.reconcile(scan)
    _print_reconciliation(found)  # notes follow moved files, as in the window
    article = None
    if args.article is not None:
        article = _relpath_in(scan.root, args.article)
        # An article is in the corpus, or gone but with notes kept: anything else is a mistyped path.
        if article not in {entry.relpath for entry in scan.entries} and article not in found.missing:
            raise _NotThere(f"no article {args.article} in {scan.root}")
    gathering = bool(args.tag or args.colour)
    if gathering and (args.article is not None or args.format == "json"):
        raise _NotThere("--tag and --colour gather highlights into one Markdown note: not with --article or json")
    if args.format == "json":
        print(library.export_json(args.out, article))
        return 0
    if gathering:
        from desktop.core.export import HighlightSelection

        selection = HighlightSelection(tuple(args.tag), tuple(library.colour_named(name) for name in args.colour))
        report = library.export_notebook(args.out, selection, args.title, args.template)
    else:
        report = library.export_markdown(args.out, article, args.template)
    for path in report.written:
        print(path)
    for aside in report.set_aside:  # on stderr, and exit 1: the user has something to look at
        print(f"lectern: {aside.message()}", file=sys.stderr)
    return 1 if report.set_aside else 0


def _import(args: argparse.Namespace) -> int:
    library = _library(args.corpus, args.db)
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise LecternError(f"cannot read {args.file}: {error}") from None
    report = library.import_annotations(text)
    print(f"Imported {report.imported} annotations; {report.already_present} were already there.")
    if report.unusable:
        print(f"{report.unusable} items had no target or quote and were ignored.")
    for line in report.orphaned:
        print(line)
    if report.meanings_added:
        print(f"Colour meanings taken from the file for: {', '.join(report.meanings_added)}.")
    for line in report.meanings_kept:
        print(f"Not imported: {line}.")
    return 0


def _check(args: argparse.Namespace) -> int:
    report = _library(args.corpus, args.db).check()
    found = report.reconciliation
    if args.json:
        print(json.dumps({"states": report.states, "review": report.review, "moved": [list(m) for m in found.moved],
                          "missing": list(found.missing)}, ensure_ascii=False, indent=2))
    else:
        _print_reconciliation(found)
        for relpath, counts in report.review.items():
            print(f"review: {relpath}: {', '.join(f'{count} {state}' for state, count in counts.items())}")
        print("Highlights: " + ", ".join(f"{count} {state}" for state, count in report.states.items()))
    return 1 if report.needs_review else 0


def _images(args: argparse.Namespace) -> int:
    from desktop.offline_images import find_remote_images, keep_images, relpaths_for

    library = _library(args.corpus, args.db)
    article = None
    if args.article is not None:
        article = _relpath_in(library.root, args.article)
        if not (library.root / article).is_file():
            raise _NotThere(f"no article {args.article} in {library.root}")
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda _signal, _frame: stop.set())  # finish politely, then report
    try:
        with _progress_on_terminal("finding images in articles:", 50) as finding:
            urls = find_remote_images(library, relpaths_for(library, article), stop.is_set, finding)
        with _progress_on_terminal("fetching images:", 1) as fetching:
            report = keep_images(urls, library.image_cache, cancelled=stop.is_set,
                                 progress=(lambda done: fetching(done.done, done.total)) if fetching else None)
    finally:
        signal.signal(signal.SIGINT, previous)
    for reason, count in report.by_reason():
        print(f"failed: {reason}: {count} images")
        if args.verbose:
            for url in (url for url, why in report.failures.items() if why == reason):
                print(f"    {url}")
    print(report.summary())
    if report.cancelled:
        return _INTERRUPTED
    return 1 if report.failures else 0


def _database_path(args: argparse.Namespace) -> Path:
    from desktop.paths import default_database

    return args.db or default_database()


def _backup(args: argparse.Namespace) -> int:
    from desktop.store.backups import make_backup
    from desktop.store.database import open_database

    db = open_database(_database_path(args))
    try:
        print(make_backup(db.conn, _database_path(args), "manual"))
    finally:
        db.close()
    return 0


def _restore(args: argparse.Namespace) -> int:
    from desktop.store.backups import list_backups, restore_backup

    path = _database_path(args)
    if args.file is None:
        backups = list_backups(path)
        print("\n".join(str(backup) for backup in backups) if backups else f"No backups of {path} yet.")
        return 0
    aside = restore_backup(args.file, path)
    print(f"Restored {args.file} as {path}." + (f" The previous database is kept as {aside}." if aside else ""))
    return 0


def _command_arguments(options: argparse.Namespace, rest: list[str]) -> argparse.Namespace | None:
    """The command's arguments with the global options, or None when the arguments open the window."""
    if not rest or rest[0] not in _COMMANDS:
        return None
    try:
        return _parser().parse_args(rest, namespace=options)
    except SystemExit:
        if Path(rest[0]).is_dir():
            print(f"lectern: to open the folder {rest[0]}, run `lectern ./{rest[0]}` or `lectern -- {rest[0]}`",
                  file=sys.stderr)
        raise


def _file_uri_as_path(argument: str) -> str:
    """A `file://` URI (what a desktop passes for %u) as the local path it names."""
    if not argument.lower().startswith("file://"):
        return argument
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(argument).path)


def _checked_link(link: str) -> str:
    """A `lectern://` link, checked before the window opens: it must name an article of a corpus the
    user has opened (desktop.ui.links); otherwise one line on stderr and exit 2."""
    from desktop.ui.links import checked_link  # Qt's settings hold the corpora the user opened
    from desktop.ui.recent_corpora import RecentCorpora
    from desktop.ui.settings import Settings

    try:
        checked_link(link, RecentCorpora(Settings()))
    except LecternError as error:
        raise _NotThere(str(error)) from None
    return link


def _open_window(options: argparse.Namespace, rest: list[str]) -> int:
    links = [argument for argument in rest if argument.lower().startswith("lectern:")]
    if links:  # `lectern lectern://open?…`, as the desktop runs it for a link
        try:
            link = _checked_link(links[0])
        except _NotThere as error:
            print(f"lectern: {error}", file=sys.stderr)
            return 2
        from desktop.link_handover import hand_over

        if hand_over(link):  # a window is open: it takes the link, and no second window starts
            return 0
        return _start_window(None, options.db, link)
    rest = [_file_uri_as_path(argument) for argument in rest]
    args = _window_parser().parse_args(rest[1:] if rest[:1] == ["--"] else rest, namespace=options)
    if args.self_test:
        from desktop.selftest import run_self_test

        return run_self_test()
    corpus, *others = args.corpus or [None]
    if others:
        print(f"lectern: one corpus per window: opening {corpus}, not {', '.join(map(str, others))}", file=sys.stderr)
    return _start_window(corpus, args.db)


def _start_window(corpus: Path | None, db: Path | None, link: str | None = None) -> int:
    # The file checker's process is started before the window's modules are imported (~1 s), so that its own
    # start-up is over by the time the corpus opens (desktop.file_check).
    from desktop.file_check import FileChecker

    file_checker = FileChecker()
    file_checker.start()
    from desktop.ui.app import run_app  # Qt is loaded only for the window

    return run_app(corpus, db, link, file_checker)


def _run(options: argparse.Namespace, rest: list[str]) -> int:
    args = _command_arguments(options, rest)
    if args is None:
        return _open_window(options, rest)
    handlers = {"index": _index, "search": _search, "export": _export, "import": _import, "check": _check,
                "images": _images, "backup": _backup, "restore": _restore}
    try:
        status = handlers[args.command](args)
    except LecternError as error:
        print(f"lectern: {error}", file=sys.stderr)
        # check's and images' 1 says that something needs review, or failed
        return 2 if isinstance(error, _NotThere) or args.command in {"check", "images"} else 1
    sys.stdout.flush()  # here, where a reader that went away can be told from a failure
    return status


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Global options may stand before or after the command: take them out first.
    options, rest = _global_options().parse_known_args(argv)
    configure_logging(options.verbose)
    try:
        return _run(options, rest)
    except KeyboardInterrupt:
        print("lectern: interrupted", file=sys.stderr)
        return _INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): what is left to print has nowhere to go, not even at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return _OUTPUT_CLOSED
