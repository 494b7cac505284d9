"""Lectern: a desktop reader and annotator for a local corpus of articles."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # `__version__`, looked up when first asked for: importlib.metadata takes ~60 ms to import, and the
    # helper processes (desktop.helper_process), which import this package first, never ask.
    if name != "__version__":
        raise AttributeError(f"module 'desktop' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("lectern")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0+unknown"
    globals()["__version__"] = found  # asked once
    return found
