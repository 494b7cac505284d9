"""What the window does when files vanish and when the database is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.store.annotations import AnnotationStore
from desktop.store.backups import daily_backup
from desktop.store.database import open_database
from desktop.ui import app
from tests.ui.conftest import WindowFactory, select

SEED = "004_6991db62635989d8.txt"


def test_notes_of_a_vanished_article_stay_visible(make_window: WindowFactory, corpus: Path) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "Transformer")
    window.highlight_selection()
    window.close()
    window.store.db.close()
    (corpus / SEED).unlink()
    window = make_window(corpus)
    labels = [window.corpus_model.index(row, 0).data() for row in range(window.corpus_model.rowCount())]
    assert "Notes of missing files (1)" in labels
    window.open_article(SEED)
    assert window.opened is not None and window.opened.article.title == "AIGC和智能数字化新时代"
    assert window.side_panel.model.rowCount() == 1 and window.opened.highlights[0].orphaned
    assert "file is gone" in window.article_view.browser.toPlainText()


@pytest.fixture
def damaged(db_path: Path) -> Path:
    db = open_database(db_path)
    AnnotationStore(db).set_article_tags(("/c", "a.md"), ["precious"])
    daily_backup(db.conn, db_path)
    db.close()
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8192)
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    return db_path


def test_damaged_database_restored_from_backup(damaged: Path, monkeypatch: pytest.MonkeyPatch, qapp) -> None:  # type: ignore[no-untyped-def]
    offered: list[Path | None] = []
    monkeypatch.setattr(app, "_ask_recovery", lambda error, backup: offered.append(backup) or "restore")
    store = app.open_store(damaged)
    assert store is not None and offered[0] is not None
    assert store.article_tags(("/c", "a.md")) == ("precious",)
    assert len(list(damaged.parent.glob("annotations.set-aside-*.db"))) == 1  # the damaged file, kept
    store.db.close()


def test_damaged_database_replaced_by_a_fresh_one_or_left_alone(damaged: Path, monkeypatch: pytest.MonkeyPatch,
                                                                qapp) -> None:  # type: ignore[no-untyped-def]
    before = damaged.read_bytes()
    monkeypatch.setattr(app, "_ask_recovery", lambda error, backup: "quit")
    assert app.open_store(damaged) is None and damaged.read_bytes() == before
    monkeypatch.setattr(app, "_ask_recovery", lambda error, backup: "fresh")
    store = app.open_store(damaged)
    assert store is not None and store.tag_names() == []
    assert [p.read_bytes() for p in damaged.parent.glob("annotations.set-aside-*.db")] == [before]
    store.db.close()
