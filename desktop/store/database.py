"""Opening the annotation database safely: WAL, a busy timeout, an integrity check, a backup before
any migration, refusal of a database from a newer Lectern, and SQLite errors turned into
LecternErrors a person can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from desktop.core.errors import DatabaseDamaged, DatabaseLocked, DatabaseTooNew, StoreError
from desktop.store.backups import make_backup
from desktop.store.migrations import MIGRATIONS, known_migrations

__all__ = ["open_database", "write_transaction", "translate_errors", "database_path"]

BUSY_TIMEOUT_MS = 10_000


@contextmanager
def translate_errors(path: Path | str) -> Iterator[None]:
    """Turn sqlite3 errors into LecternErrors that name the file and say what to do."""
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
        raise  # Lectern's own mistake, not the file's: a bug report, not "your database is damaged"
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseLocked(
                f"The annotation database {path} is busy: another program is writing to it. Try again."
            ) from error
        raise StoreError(f"The annotation database {path} cannot be used: {error}") from error
    except sqlite3.DatabaseError as error:
        raise DatabaseDamaged(
            f"The annotation database {path} is damaged ({error}). It has been left untouched."
        ) from error


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One user action, one transaction. IMMEDIATE takes the write lock up front, so a second
    Lectern on the same file waits for its turn instead of failing half-way."""
    conn = db.conn
    with translate_errors(database_path(db)):
        if conn.in_transaction:  # one step of a larger action (an import): all of it or none
            conn.execute("SAVEPOINT lectern_step")
            try:
                yield db
            except BaseException:
                # SQLite may have rolled back the whole transaction (a full disk, a trigger's
                # RAISE(ROLLBACK)): its savepoint is gone, and the step's own error is the one to report.
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO lectern_step")
                    conn.execute("RELEASE lectern_step")
                raise
            conn.execute("RELEASE lectern_step")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
            conn.execute("COMMIT")
        except BaseException:
            # A failed COMMIT (a deferred constraint, a busy reader) leaves the transaction open: every
            # later action would be nested in it and never committed. SQLite may also have rolled back
            # already (a full disk).
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def database_path(db: Database) -> Path:
    return Path(db.conn.execute("PRAGMA database_list").fetchone()[2])


def _check(db: Database, path: Path) -> None:
    result = db.conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise DatabaseDamaged(f"The annotation database {path} is damaged ({result}). It has been left untouched.")
    known = set(known_migrations())
    applied = {migration.name for migration in MIGRATIONS.applied(db)}
    if applied - known:
        raise DatabaseTooNew(
            f"The annotation database {path} was written by a newer version of Lectern "
            f"(it has {', '.join(sorted(applied - known))}). Update Lectern to open it; it was not changed."
        )


def _migrate(db: Database, path: Path) -> None:
    pending = MIGRATIONS.pending(db)
    if not pending:
        return
    if MIGRATIONS.applied(db):  # an existing database: keep a copy of it as it was
        make_backup(db.conn, path, f"before-{pending[0].name}")
    MIGRATIONS.apply(db)


def _check_untouched(path: Path) -> None:
    """Check an existing file through a read-only connection: a damaged or too-new database must
    not be changed, not even by switching it to WAL."""
    if not path.exists() or path.stat().st_size == 0:
        return
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        _check(Database(conn), path)
    finally:
        conn.close()


def _casefold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else text


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate the annotation database at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with translate_errors(path):
        _check_untouched(path)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")  # annotations are sacred: durable at each commit
            conn.execute("PRAGMA foreign_keys = ON")
            # SQLite's lower() folds ASCII only; searching notes in any language needs Python's.
            conn.create_function("casefold", 1, _casefold, deterministic=True)
            db = Database(conn)
            _migrate(db, path)
        except BaseException:
            conn.close()
            raise
    return db

