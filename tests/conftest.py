"""Shared fixtures. Every test gets its own database, data folder and settings: no shared state."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "sample"

# The five seed articles: file → (title, tags, categories, body kind).
SEED_FACTS = {
    "000_2e1d597362795e42.txt": ("如何看待AIGC技术", ("Aigc",), ("未分类",), "html"),
    "001_6217f8390a32708c.txt": ("大模型技术视野下的AIGC机遇与挑战并存", ("Ai",), ("未分类",), "html"),
    "002_30faefd5253261df.txt": ("2024年AIGC技术未来发展趋势与挑战从应用创新到伦理监管", ("Aigc",), ("Chatgpt",),
                                 "markdown"),
    "003_94866a6898bf0002.txt": ("aigc是什么", ("算法", "人工智能", "Aigc"), (), "html"),
    "004_6991db62635989d8.txt": ("AIGC和智能数字化新时代", ("人工智能", "Aigc"), ("未分类",), "markdown"),
}


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real data folder and settings out of every test."""
    monkeypatch.setenv("LECTERN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LECTERN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LECTERN_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the seeds, so a test may change or remove articles."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db" / "annotations.db"


@pytest.fixture
def store(db_path: Path):  # type: ignore[no-untyped-def]
    from desktop.store.annotations import AnnotationStore
    from desktop.store.database import open_database

    db = open_database(db_path)
    yield AnnotationStore(db)
    db.close()


@pytest.fixture
def library(corpus: Path, store):  # type: ignore[no-untyped-def]
    from desktop.library import Library

    library = Library(corpus, store)
    yield library
    library.close()


@pytest.fixture
def library_for(store):  # type: ignore[no-untyped-def]
    """A library of any folder, on the test's database."""
    from desktop.library import Library

    return lambda root: Library(root, store)
