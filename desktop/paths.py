"""Where Lectern's files are: bundled resources and seeds (source tree, installed wheel or
PyInstaller bundle alike) and the user's data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_cache_path, user_data_path, user_log_path

__all__ = ["resources_dir", "seeds_dir", "data_dir", "default_database", "cache_dir", "log_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    candidates = []
    if hasattr(sys, "_MEIPASS"):  # a PyInstaller bundle
        candidates.append(Path(sys._MEIPASS) / name)
    candidates += [
        _PACKAGE.parent / name,  # a source checkout (also an editable install)
        _PACKAGE / name,  # an installed wheel carries them inside the package
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Lectern's {name} folder is missing (looked in {', '.join(map(str, candidates))})")


def resources_dir() -> Path:
    return _bundled("resources")


def seeds_dir() -> Path:
    return _bundled("seeds")


def data_dir() -> Path:
    """The user's Lectern data (annotations, backups). LECTERN_DATA_DIR overrides it, for tests."""
    override = os.environ.get("LECTERN_DATA_DIR")
    return Path(override) if override else user_data_path("Lectern", appauthor=False)


def default_database() -> Path:
    return data_dir() / "annotations.db"


def cache_dir() -> Path:
    """Derived data (the search indexes): safe to delete, kept out of the data folder so backups and
    sync tools do not carry it. LECTERN_CACHE_DIR overrides it, for tests."""
    override = os.environ.get("LECTERN_CACHE_DIR")
    return Path(override) if override else user_cache_path("Lectern", appauthor=False)


def log_dir() -> Path:
    """Where the log file and crash reports go. LECTERN_LOG_DIR overrides it, for tests."""
    override = os.environ.get("LECTERN_LOG_DIR")
    return Path(override) if override else user_log_path("Lectern", appauthor=False)
