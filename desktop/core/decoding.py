"""Bytes to text: byte-order marks, UTF-8, the GB18030 family common in Chinese corpora, and guards
against binary and oversized files."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import BinaryFile, FileTooLarge, UnreadableFile

__all__ = ["MAX_FILE_BYTES", "DecodedText", "decode_bytes", "read_text_file"]

MAX_FILE_BYTES = 20 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control bytes that never occur in text files (tab, newline, carriage return and form feed do).
_BINARY_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    lossy: bool = False  # some bytes could not be decoded and were replaced with U+FFFD


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    odd = sum(sample.count(bytes([b])) for b in _BINARY_BYTES)
    return odd > len(sample) * 0.02


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a text file's bytes; raise BinaryFile when they are not text at all."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return DecodedText(data[len(bom):].decode(encoding, errors="replace"), encoding)
    if _looks_binary(data):
        raise BinaryFile("this is a binary file, not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    return DecodedText(data.decode("utf-8", errors="replace"), "utf-8", lossy=True)


def read_text_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> DecodedText:
    """Read and decode one file, turning every way it can fail into a DocumentError with a reason."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLarge(
                f"the file is {size / 1048576:.1f} MB; Lectern opens files up to {max_bytes // 1048576} MB"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except FileNotFoundError:
        raise UnreadableFile("the file no longer exists") from None
    except IsADirectoryError:
        raise UnreadableFile("this is a folder, not a file") from None
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    if len(data) > max_bytes:  # it grew between stat() and read()
        raise FileTooLarge(f"the file is larger than {max_bytes // 1048576} MB")
    return decode_bytes(data)
