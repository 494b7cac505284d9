"""Freed memory goes back to the system where the C library allows (desktop.memory)."""

from __future__ import annotations

import platform

import pytest

from desktop.memory import give_back_freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_is_given_back_where_the_c_library_can() -> None:
    freed = [bytearray(64 * 1024) for _ in range(200)]  # ~13 MB in the C heap, then freed
    del freed
    assert give_back_freed_memory()
