"""A small HTTP server on the loopback address for the image-download tests and scripts: it serves
given bodies by path, with a few misbehaviours on purpose, and counts requests and the connections
open at once. Never the internet."""

from __future__ import annotations

import random
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["png_bytes", "Route", "ImageServer", "serving"]


def png_bytes(width: int = 4, height: int = 3, colour: tuple[int, int, int] = (200, 60, 40), seed: int = 0,
              noise: bool = False) -> bytes:
    """A valid RGB PNG; `seed` varies its pixels, so that images of one size differ in content; with
    `noise` its pixels are random, so it barely compresses (about width × height × 3 bytes)."""
    red, green, blue = colour
    if noise:
        pixels = random.Random(seed).randbytes(width * height * 3)
        rows = b"".join(b"\x00" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
    else:
        rows = b"".join(b"\x00" + b"".join(bytes((red, (green + x + seed) % 256, (blue + y) % 256))
                                            for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before answering
    chunked: bool = False  # no Content-Length: the size is known only by reading


class ImageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        self.open_connections = 0
        self.most_connections = 0
        self._lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def connected(self, change: int) -> None:
        with self._lock:
            self.open_connections += change
            self.most_connections = max(self.most_connections, self.open_connections)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: connections are reused, as a real server allows
    server: ImageServer

    def setup(self) -> None:
        super().setup()
        self.server.connected(+1)

    def finish(self) -> None:
        self.server.connected(-1)
        super().finish()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests read the counts instead

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        self.server.user_agents.append(self.headers.get("User-Agent", ""))
        route = self.server.routes.get(self.path, Route(b"no such thing", 404))
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(route.body), 8192):
                piece = route.body[start:start + 8192]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        try:
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (too large, cancelled)
            self.close_connection = True


@contextmanager
def serving() -> Iterator[ImageServer]:
    server = ImageServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
