"""Downloading one image into the image cache, politely and safely: the only code of Lectern that opens a
network connection, run only by the use-cases a user starts (desktop.offline_images). urllib3 is the
client: connection pools with a per-host limit, streaming reads and separate connect/read timeouts are
what this needs, without requests' session machinery (cookies, automatic redirects) that would have to
be switched off again, or httpx's async stack and extra dependencies. Imported only when a download
starts."""

from __future__ import annotations

import ipaddress
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError, TimeoutError

from desktop.core.images import FailureReason, image_kind, image_size
from desktop.core.urls import split_url
from desktop.offline_images import USER_AGENT, FetchLimits
from desktop.store.image_cache import ImageCache, IncomingImage

__all__ = ["Client", "Failed", "Cancelled", "Kept", "fetch_one"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_SNIFF = 16  # bytes enough to tell every kept image format apart


class Failed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Cancelled(Exception):
    pass


@dataclass(frozen=True)
class Kept:
    digest: str
    kind: str
    size: int
    pixels: tuple[int, int] | None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Client:
    """Connection pools (one per proxy) that follow the limits; one per run, shared by its threads."""

    def __init__(self, limits: FetchLimits) -> None:
        self.limits = limits
        self._timeout = urllib3.Timeout(connect=limits.connect_timeout, read=limits.read_timeout)
        # block=True: a host's pool never opens more than per_host connections; the others wait.
        self._options = {"num_pools": 32, "maxsize": limits.per_host, "block": True,
                         "headers": {"User-Agent": USER_AGENT}}
        self._direct = urllib3.PoolManager(**self._options)  # type: ignore[arg-type]
        self._proxied: dict[str, urllib3.ProxyManager] = {}
        self._proxies = urllib.request.getproxies()  # the system's settings (environment, registry, macOS)
        self._lock = threading.Lock()

    def _manager(self, url: str) -> urllib3.PoolManager:
        parts = urlsplit(url)
        proxy = self._proxies.get(parts.scheme)
        host = parts.hostname or ""
        if not proxy or _is_loopback(host) or urllib.request.proxy_bypass(host):
            return self._direct
        with self._lock:
            if proxy not in self._proxied:
                self._proxied[proxy] = urllib3.ProxyManager(proxy, **self._options)  # type: ignore[arg-type]
            return self._proxied[proxy]

    def open(self, url: str) -> urllib3.BaseHTTPResponse:
        return self._manager(url).request("GET", url, redirect=False, retries=False, preload_content=False,
                                          timeout=self._timeout)

    def close(self) -> None:
        self._direct.clear()
        for manager in self._proxied.values():
            manager.clear()


def fetch_one(client: Client, url: str, cache: ImageCache, cancelled: Callable[[], bool],
              downloaded: Callable[[int], None]) -> Kept:
    """Download one image into the cache. Raises Failed with the reason."""
    limits = client.limits
    deadline = time.monotonic() + limits.total_timeout
    for _ in range(limits.max_redirects + 1):
        parts = split_url(url)
        if parts is None:
            raise Failed(FailureReason.BAD_ADDRESS)
        if parts.scheme.lower() not in {"http", "https"}:
            raise Failed(FailureReason.REFUSED_REDIRECT)
        try:
            response = client.open(url)
        except NewConnectionError:  # refused, no route, unknown host (urllib3 files it under timeouts)
            raise Failed(FailureReason.UNREACHABLE) from None
        except SSLError:
            raise Failed(FailureReason.INSECURE) from None
        except TimeoutError:
            raise Failed(FailureReason.TIMED_OUT) from None
        except (HTTPError, OSError, ValueError):
            raise Failed(FailureReason.UNREACHABLE) from None
        if response.status in _REDIRECTS:
            location = response.headers.get("Location")
            response.drain_conn()  # a redirect's body is short: read it, so the connection can be reused
            if not location:
                raise Failed(FailureReason.HTTP_ERROR)
            try:
                url = urljoin(url, location)  # followed here, so that only http(s) is ever followed
            except ValueError:  # a Location that is no URL at all
                raise Failed(FailureReason.BAD_ADDRESS) from None
            continue
        try:
            return _read_image(response, cache, limits, deadline, cancelled, downloaded)
        except BaseException:
            response.close()  # a body left unread makes the connection useless: it is not reused
            raise
        finally:
            response.release_conn()
    raise Failed(FailureReason.TOO_MANY_REDIRECTS)


def _read_image(response: urllib3.BaseHTTPResponse, cache: ImageCache, limits: FetchLimits, deadline: float,
                cancelled: Callable[[], bool], downloaded: Callable[[int], None]) -> Kept:
    if response.status in {404, 410}:
        raise Failed(FailureReason.NOT_FOUND)
    if response.status != 200:
        raise Failed(f"{FailureReason.HTTP_ERROR} (HTTP {response.status})")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise Failed(FailureReason.TOO_LARGE)
    incoming = cache.incoming()
    try:
        kind = _stream(response, incoming, limits, deadline, cancelled, downloaded)
        digest, path = incoming.keep(kind)
    except BaseException:
        incoming.discard()
        raise
    # Its size in pixels, read once here (on a worker), so that opening an article need not decode it.
    return Kept(digest, kind, incoming.size, image_size(path.read_bytes()))


def _stream(response: urllib3.BaseHTTPResponse, incoming: IncomingImage, limits: FetchLimits, deadline: float,
            cancelled: Callable[[], bool], downloaded: Callable[[int], None]) -> str:
    """Copy the body into the cache file, judging the format from its first bytes and stopping at the
    size limit, the deadline or a cancel; the image's kind."""
    head = b""
    kind: str | None = None
    try:
        while chunk := response.read1(_CHUNK):
            if cancelled():
                raise Cancelled
            if time.monotonic() > deadline:
                raise Failed(FailureReason.TIMED_OUT)
            if incoming.size + len(chunk) > limits.max_bytes:
                raise Failed(FailureReason.TOO_LARGE)
            if kind is None:
                head += chunk
                if len(head) >= _SNIFF:
                    kind = image_kind(head)
                    if kind is None:
                        raise Failed(FailureReason.NOT_AN_IMAGE)
            incoming.write(chunk)
            downloaded(len(chunk))
    except TimeoutError:
        raise Failed(FailureReason.TIMED_OUT) from None
    except (HTTPError, OSError):
        raise Failed(FailureReason.UNREACHABLE) from None
    kind = kind or image_kind(head)
    if kind is None:
        raise Failed(FailureReason.NOT_AN_IMAGE)
    return kind
