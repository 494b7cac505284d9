"""Remote images as data: which URLs an article may show, what the image cache knows of each (passed
to rendering as a plain mapping, so rendering stays a pure function), and which bytes are an image.

Nothing here touches the network or a database."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

from desktop.core.urls import split_url

__all__ = [
    "KeptImage", "FailedImage", "ImageState", "ImageLookup", "candidate_image_urls", "is_remote_image_url",
    "absolute_url", "image_kind", "image_size", "FailureReason",
]


@dataclass(frozen=True, slots=True)
class KeptImage:
    """A remote image downloaded on request: the local copy to show instead of the placeholder, and its
    size in pixels when known (so the reader lays it out without decoding it)."""

    path: Path
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class FailedImage:
    """A remote image that could not be kept: the placeholder stays, with the reason on hover."""

    reason: str


ImageState = KeptImage | FailedImage
ImageLookup = dict[str, ImageState]  # remote URL → what the cache knows (URLs it does not know are absent)


class FailureReason:
    """Why an image was not kept, in words for a person (also the keys of the failure summaries)."""

    NOT_FOUND = "not found"
    HTTP_ERROR = "refused by the server"
    TOO_LARGE = "too large"
    NOT_AN_IMAGE = "not an image"
    TIMED_OUT = "timed out"
    REFUSED_REDIRECT = "refused redirect"
    TOO_MANY_REDIRECTS = "too many redirects"
    UNREACHABLE = "server unreachable"
    INSECURE = "secure connection failed"  # a certificate that does not check out, say
    UNDECODABLE = "cannot be decoded"
    BAD_ADDRESS = "not a valid address"


# Every http(s) URL in a body: a superset of the images it shows (links, code samples), cheap enough to
# run on every open; the cache is asked about these and rendering uses the ones it really shows.
_URL = re.compile(r"""(?:https?:)?//[^\s"'<>()\\]+""", re.I)


def is_remote_image_url(src: str) -> bool:
    """An `<img src>` that would need the network: http, https or scheme-relative."""
    parts = split_url(src)
    return parts is not None and (parts.scheme.lower() in {"http", "https"} or src.startswith("//"))


def candidate_image_urls(body: str) -> list[str]:
    """URLs that may be images of this body, in the form rendering looks them up by."""
    found = dict.fromkeys(absolute_url(match.group(0).rstrip(".,;:!?")) for match in _URL.finditer(body))
    return [url for url in found if url]


def absolute_url(src: str) -> str:
    """A scheme-relative URL (`//host/x.png`) is read as https: the lookup key and what is fetched."""
    src = src.strip()
    return f"https:{src}" if src.startswith("//") else src


# Magic bytes at offset 0 and the kind they start. SVG is not here: it is a document that can reference
# other resources, and is never kept.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
)


def image_kind(data: bytes) -> str | None:
    """The image format `data` starts with (png, jpg, gif, webp, bmp), judged by its bytes alone (a
    server's Content-Type is often wrong), or None for anything else."""
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            if kind == "bmp" and len(data) < 26:  # a 2-byte "BM" text file is not a bitmap
                return None
            return kind
    return None


_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start-of-frame markers (not DHT, JPG, DAC)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height in pixels, read from the header of an image `image_kind` accepts (None when the
    header does not say: the reader then measures it by decoding)."""
    kind = image_kind(data)
    size: tuple[int, int] | None = None
    if kind == "png" and len(data) >= 24:
        size = struct.unpack(">II", data[16:24])
    elif kind == "gif" and len(data) >= 10:
        size = struct.unpack("<HH", data[6:10])
    elif kind == "bmp" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        size = (width, abs(height))
    elif kind == "jpg":
        size = _jpeg_size(data)
    elif kind == "webp":
        size = _webp_size(data)
    return size if size is not None and 0 < size[0] <= 65535 and 0 < size[1] <= 65535 else None
