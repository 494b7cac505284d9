"""Committed annotations survive a killed process, a second writer, and a damaged file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.errors import DatabaseDamaged
from desktop.store.backups import daily_backup, list_backups, newest_backup, restore_backup
from desktop.store.database import open_database
from tests.conftest import PROJECT

# Writes highlights forever; prints each id only after its transaction has committed.
WRITER = """
import sys
from desktop.core.model import Anchor
from desktop.store.annotations import AnnotationStore
from desktop.store.database import open_database
store = AnnotationStore(open_database(__import__("pathlib").Path(sys.argv[1])))
for number in range(int(sys.argv[2])):
    highlight = store.add_highlight(("/corpus", f"{sys.argv[3]}-{number % 7}.md"),
                                    Anchor(number, number + 5, "quote " * 20, "before", "after"), "yellow",
                                    note="note " * 50, tags=["t", f"n{number % 13}"])
    print(highlight.id, flush=True)
"""


def _writer(db_path: Path, count: int, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(count), name], cwd=PROJECT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _ids(db_path: Path) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT id FROM highlights")}
    finally:
        conn.close()


def test_killing_the_app_mid_write_loses_nothing_acknowledged(db_path: Path) -> None:
    open_database(db_path).close()
    acknowledged: set[str] = set()
    randomness = random.Random(7)
    for round_ in range(12):
        with _writer(db_path, 100_000, f"round{round_}") as process:
            assert process.stdout is not None
            deadline = time.monotonic() + randomness.uniform(0.4, 1.2)
            while time.monotonic() < deadline:
                line = process.stdout.readline()
                if line:
                    acknowledged.add(line.strip())
            os.kill(process.pid, signal.SIGKILL)  # no cleanup, no atexit: as if power-cut in software
            for line in process.stdout:  # ids printed before the kill are acknowledged too
                acknowledged.add(line.strip())
        stored = _ids(db_path)
        missing = acknowledged - stored
        assert not missing, f"round {round_}: {len(missing)} acknowledged highlights lost"
    assert len(acknowledged) > 50


def test_two_writers_on_one_database(db_path: Path) -> None:
    open_database(db_path).close()
    with _writer(db_path, 150, "first") as first, _writer(db_path, 150, "second") as second:
        for writer in (first, second):
            stdout, stderr = writer.communicate(timeout=120)
            assert writer.returncode == 0, stderr
            assert len(stdout.split()) == 150
    assert len(_ids(db_path)) == 300


def test_daily_backups_are_made_once_a_day_and_a_few_are_kept(db_path: Path) -> None:
    db = open_database(db_path)
    first = daily_backup(db.conn, db_path)
    assert first is not None and daily_backup(db.conn, db_path) is None  # once a day
    for day in range(10):  # older days' copies
        (first.parent / f"annotations-daily-2020010{day}-000000.db").write_bytes(first.read_bytes())
    daily_backup(db.conn, db_path, keep=3)
    assert len(list(first.parent.glob("annotations-daily-*.db"))) == 3
    assert first.exists()  # today's is the newest, and kept
    db.close()


def test_backup_and_restore_commands(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(db_path)
    db.execute("INSERT INTO tags (name) VALUES ('before the backup')")
    db.close()
    assert main(["backup", "--db", str(db_path)]) == 0
    backup = Path(capsys.readouterr().out.strip())
    db = open_database(db_path)
    db.execute("INSERT INTO tags (name) VALUES ('after the backup')")
    db.close()
    assert main(["restore", "--db", str(db_path)]) == 0
    assert str(backup) in capsys.readouterr().out
    assert main(["restore", str(backup), "--db", str(db_path)]) == 0
    assert "previous database is kept" in capsys.readouterr().out
    db = open_database(db_path)
    assert [row["name"] for row in db["tags"].rows] == ["before the backup"]
    db.close()
    kept = list(db_path.parent.glob("annotations.set-aside-*.db"))
    assert len(kept) == 1
    conn = sqlite3.connect(kept[0])
    assert conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 2
    conn.close()


def test_restore_refuses_a_file_that_is_not_a_lectern_database(db_path: Path, tmp_path: Path) -> None:
    open_database(db_path).close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 100)
    with pytest.raises(DatabaseDamaged, match="nothing was changed"):
        restore_backup(junk, db_path)


def test_damaged_database_can_be_restored_from_the_newest_backup(db_path: Path) -> None:
    db = open_database(db_path)
    db.execute("INSERT INTO tags (name) VALUES ('precious')")
    daily_backup(db.conn, db_path)
    db.close()
    damaged = b"SQLite format 3\x00" + os.urandom(4096)
    db_path.write_bytes(damaged)
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    with pytest.raises(DatabaseDamaged):
        open_database(db_path)
    backup = newest_backup(db_path)
    assert backup is not None and backup in list_backups(db_path)
    aside = restore_backup(backup, db_path)
    assert aside is not None and aside.read_bytes() == damaged  # the damaged file, untouched
    db = open_database(db_path)
    assert [row["name"] for row in db["tags"].rows] == ["precious"]
    db.close()


def test_restore_while_lectern_has_the_database_open(db_path: Path) -> None:
    from desktop.core.model import Anchor
    from desktop.store.annotations import AnnotationStore

    store = AnnotationStore(open_database(db_path))
    store.set_article_tags(("/c", "a.md"), ["first"])
    backup = daily_backup(store.db.conn, db_path)
    store.set_article_tags(("/c", "a.md"), ["first", "second"])
    assert backup is not None
    restore_backup(backup, db_path)
    restore_backup(backup, db_path)  # twice in the same second: both earlier states are kept
    assert store.article_tags(("/c", "a.md")) == ("first",)  # the open window sees the restored data
    store.add_highlight(("/c", "a.md"), Anchor(0, 2, "ab"), "yellow")  # and writes into the live file
    store.db.close()
    reopened = AnnotationStore(open_database(db_path))
    assert len(reopened.highlights("/c")) == 1 and reopened.article_tags(("/c", "a.md")) == ("first",)
    reopened.db.close()
    assert len(list(db_path.parent.glob("annotations.set-aside-*.db"))) == 2


def test_backups_in_folders_with_uri_characters(tmp_path: Path) -> None:
    db_path = tmp_path / "My #1 notes?" / "annotations.db"
    db = open_database(db_path)
    made = daily_backup(db.conn, db_path)
    db.close()
    assert newest_backup(db_path) == made
    assert restore_backup(made, db_path) is not None  # type: ignore[arg-type]
