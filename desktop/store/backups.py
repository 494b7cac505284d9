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
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")


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
    return copy_database(conn, backup_dir(db_path) / f"{db_path.stem}-{reason}-{_stamp()}.db")


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
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
    aside = db_path.with_name(f"{db_path.stem}.set-aside-{_stamp()}{db_path.suffix}")
    for suffix in ("", *_SIDE_FILES):
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            os.replace(source, aside.with_name(aside.name + suffix))
    return aside


def restore_backup(source: Path, db_path: Path) -> Path | None:
    """Make `source` the database. The current file is set aside, never overwritten; returns where."""
    if not _is_sound(source):
        raise DatabaseDamaged(f"{source} is not a sound Lectern database; nothing was changed.")
    if source.resolve() == db_path.resolve():
        raise StoreError(f"{source} is the database itself.")
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        staged = copy_database(conn, db_path.with_name(db_path.name + ".restoring"))
    finally:
        conn.close()
    aside = set_aside(db_path)
    os.replace(staged, db_path)
    return aside
