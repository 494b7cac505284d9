"""The `lectern` command: opens the window, or works headless (index, export, import) on the same
library the window uses."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import __version__
from desktop.core.errors import LecternError
from desktop.core.problems import group_problems
from desktop.logs import configure_logging

if TYPE_CHECKING:  # the library is imported only by the commands that use it
    from desktop.library import Reconciliation

__all__ = ["main"]

_COMMANDS = ("index", "search", "export", "import", "check", "backup", "restore")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="the annotation database (default: in your data folder)")
    common.add_argument("--verbose", action="store_true",
                        help="also log to stderr (the log file is always written); list each file `index` skips")
    return common


def _parser() -> argparse.ArgumentParser:
    # The global options (--db, --verbose) are taken out of the arguments before this parser sees them
    # (they may stand anywhere); declared here too so that --help lists them.
    parser = argparse.ArgumentParser(prog="lectern", description="Read and annotate a local corpus of articles.",
                                     parents=[_common()])
    parser.add_argument("--version", action="version", version=f"Lectern {__version__}")
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

    import_ = commands.add_parser("import", help="read Web Annotation JSON into a corpus")
    import_.add_argument("file", type=Path)
    import_.add_argument("--corpus", type=Path, required=True)

    check = commands.add_parser("check", help="find every highlight again after its article changed; count them by"
                                              " state (exit 1 when some need review, 2 on error)")
    check.add_argument("--corpus", type=Path, required=True)
    check.add_argument("--json", action="store_true", help="print the counts as JSON")

    commands.add_parser("backup", help="copy the annotation database into its backups folder")
    restore = commands.add_parser("restore",
                                  help="put a backup in place of the annotation database (the current one is kept)")
    restore.add_argument("file", type=Path, nargs="?", help="a backup (default: list the backups)")
    return parser


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lectern", parents=[_common()],
        epilog=f"Headless commands: {', '.join(_COMMANDS)} (lectern COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"Lectern {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation headless (seeds, rendering, database, export, fonts)")
    parser.add_argument("corpus", nargs="?", type=Path, help="a folder of articles (default: the last one)")
    return parser


def _library(corpus: Path, db_path: Path | None):  # type: ignore[no-untyped-def]
    from desktop.library import Library
    from desktop.paths import default_database
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database

    return Library(corpus, AnnotationStore(open_database(db_path or default_database())))


def _index(args: argparse.Namespace) -> int:
    library = _library(args.corpus, args.db)

    def progress(done: int, total: int) -> None:
        if done == total or done % 1000 == 0:
            print(f"\rindexing {done} of {total}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    scan = library.scan(progress, rebuild=args.rebuild)
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
    library.scan()  # bring the index up to date first: only changed files are read
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


def _export(args: argparse.Namespace) -> int:
    library = _library(args.corpus, args.db)
    _print_reconciliation(library.reconcile(library.scan()))  # notes follow moved files, as in the window
    if args.format == "json":
        written = [library.export_json(args.out, args.article)]
    else:
        written = library.export_markdown(args.out, args.article)
    for path in written:
        print(path)
    return 0


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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Global options may stand before or after the command: take them out first.
    options, rest = _common().parse_known_args(argv)
    configure_logging(options.verbose)
    if not rest or rest[0] not in _COMMANDS:  # `lectern -- search` opens a folder named like a command
        args = _window_parser().parse_args(rest[1:] if rest[:1] == ["--"] else rest, namespace=options)
        if args.self_test:
            from desktop.selftest import run_self_test

            return run_self_test()
        from desktop.ui.app import run_app  # Qt is loaded only for the window

        return run_app(args.corpus, args.db)
    args = _parser().parse_args(rest, namespace=options)
    handlers = {"index": _index, "search": _search, "export": _export, "import": _import, "check": _check,
                "backup": _backup, "restore": _restore}
    try:
        return handlers[args.command](args)
    except LecternError as error:
        print(f"lectern: {error}", file=sys.stderr)
        return 2 if args.command == "check" else 1  # check's 1 says that something needs review
