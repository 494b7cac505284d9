"""Lectern: a desktop reader and annotator for a local corpus of articles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lectern")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
