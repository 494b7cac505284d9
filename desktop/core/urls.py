"""URLs as documents write them, which may be anything: urllib's parser raises ValueError on some (a
host that Unicode normalisation changes, an unclosed IPv6 bracket), and a document never crashes
Lectern. Such a URL leads nowhere."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

__all__ = ["split_url"]


def split_url(url: str) -> SplitResult | None:
    """`url`'s parts, or None when it cannot be read as a URL."""
    try:
        return urlsplit(url)
    except ValueError:
        return None
