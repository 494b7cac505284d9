"""Copies of the annotation database: before each migration, once a day (a few kept), on request;
and putting one back, or setting a damaged file aside, without ever changing the damaged file."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from desktop.core.errors import DatabaseDamaged, StoreError

__all__ = [
    "DAILY_BACKUPS_KEPT", "backup_dir", "copy_database", "make_backup", "daily_backup", "list_backups",
    "newest_backup", "restore_backup", "set_aside",
]

DAILY_BACKUPS_KEPT = 7
_SIDE_FILES = ("-wal", "-shm")


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")


def _unused(path: Path) -> Path:
    """`path`, or the same name with a counter: a backup never replaces another."""
    candidate, number = path, 2
    while candidate.exists():
        candidate, number = path.with_name(f"{path.stem}-{number}{path.suffix}"), number + 1
    return candidate


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)  # as_uri escapes # and ?


def copy_database(conn: sqlite3.Connection, destination: Path) -> Path:
    """A consistent copy through SQLite's online backup API, safe while the database is in use."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(destination.name + ".part")
    target = sqlite3.connect(temporary)
    try:
        conn.backup(target)
    finally:
        target.close()
    os.replace(temporary, destination)  # a backup is whole or absent
    return destination


def make_backup(conn: sqlite3.Connection, db_path: Path, reason: str) -> Path:
    return copy_database(conn, _unused(backup_dir(db_path) / f"{db_path.stem}-{reason}-{_stamp()}.db"))


def daily_backup(conn: sqlite3.Connection, db_path: Path, keep: int = DAILY_BACKUPS_KEPT) -> Path | None:
    """Today's copy if there is none yet; only the newest `keep` daily copies are kept."""
    today = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    daily = sorted(backup_dir(db_path).glob(f"{db_path.stem}-daily-*.db"))
    made = None
    if not any(path.name.startswith(f"{db_path.stem}-daily-{today}") for path in daily):
        made = make_backup(conn, db_path, "daily")
        daily.append(made)
    for old in daily[:-keep]:
        old.unlink(missing_ok=True)
    return made


def list_backups(db_path: Path) -> list[Path]:
    """Every backup of this database, newest first."""
    return sorted(backup_dir(db_path).glob(f"{db_path.stem}-*.db"), key=lambda path: path.stat().st_mtime,
                  reverse=True)


def _is_sound(path: Path) -> bool:
    try:
        conn = _read_only(path)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return ok and {"highlights", "documents"} <= tables
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def newest_backup(db_path: Path) -> Path | None:
    return next((path for path in list_backups(db_path) if _is_sound(path)), None)


def set_aside(db_path: Path) -> Path | None:
    """Move the database file (and its WAL files) out of the way, unchanged, under a dated name."""
    if not db_path.exists():
        return None
    aside = _unused(db_path.with_name(f"{db_path.stem}.set-aside-{_stamp()}{db_path.suffix}"))
    for suffix in ("", *_SIDE_FILES):
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            os.replace(source, aside.with_name(aside.name + suffix))
    return aside


def restore_backup(source: Path, db_path: Path) -> Path | None:
    """Make `source` the database; returns where the current one was kept (never overwritten).

    A sound current database is copied aside and then overwritten in place through the backup API,
    so a Lectern window that has it open sees the restored annotations, not a file moved away from
    under it. A damaged one (nobody can have it open) is moved aside as it is."""
    if not _is_sound(source):
        raise DatabaseDamaged(f"{source} is not a sound Lectern database; nothing was changed.")
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise StoreError(f"{source} is the database itself.")
    backup = _read_only(source)
    try:
        if db_path.exists() and _is_sound(db_path):
            live = sqlite3.connect(db_path, timeout=10)
            try:
                kept = copy_database(live, _unused(db_path.with_name(
                    f"{db_path.stem}.set-aside-{_stamp()}{db_path.suffix}")))
                backup.backup(live)
            finally:
                live.close()
            return kept
        staged = copy_database(backup, db_path.with_name(db_path.name + ".restoring"))
    finally:
        backup.close()
    aside = set_aside(db_path)
    os.replace(staged, db_path)
    return aside
