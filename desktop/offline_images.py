"""Keep images for offline reading: find the remote images articles show, download them into the image
cache when the user asks (politely and safely), and report what failed and why; the cache's size and
clearing it.

This is the only module of Lectern that opens network connections, and only the use-cases here that a
user starts (File → Keep Images for Offline Reading, `lectern images`) call it. urllib3 is the client:
connection pools with a per-host limit, streaming reads and separate connect/read timeouts are what
this needs, without requests' session machinery (cookies, automatic redirects) that would have to be
switched off again, or httpx's async stack and extra dependencies."""

from __future__ import annotations

import ipaddress
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError, TimeoutError

from desktop import __version__
from desktop.core.corpus import list_article_files
from desktop.core.errors import DocumentError
from desktop.core.images import FailureReason, KeptImage, image_kind, image_size
from desktop.core.render import render_article
from desktop.library import Library
from desktop.paths import cache_dir
from desktop.store.image_cache import CacheSize, ImageCache, IncomingImage, default_image_folder

__all__ = ["FetchLimits", "FetchProgress", "FetchReport", "find_remote_images", "keep_images", "default_image_cache",
           "CacheSize", "cache_size", "clear_cache", "forget_undecodable", "USER_AGENT", "relpaths_for"]

USER_AGENT = f"Lectern/{__version__}"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_SNIFF = 16  # bytes enough to tell every kept image format apart


def default_image_cache() -> ImageCache:
    return ImageCache(default_image_folder(cache_dir()))


def cache_size(cache: ImageCache | None = None) -> CacheSize:
    """How many images the cache keeps, and their bytes (the default cache unless one is given)."""
    return (cache or default_image_cache()).size()


def clear_cache(cache: ImageCache | None = None) -> None:
    """Delete every kept image: articles show their placeholders until the images are kept again."""
    (cache or default_image_cache()).clear()


def forget_undecodable(cache: ImageCache, path: Path) -> bool:
    """A kept file the reader could not decode becomes a failed image (False: not one of the cache's)."""
    if not path.is_relative_to(cache.folder):
        return False  # an image beside an article: not the cache's to judge
    cache.record_undecodable(path, FailureReason.UNDECODABLE)
    return True


@dataclass(frozen=True)
class FetchLimits:
    """How politely and how far a download goes (tests shrink the timeouts)."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # between two pieces of one image
    total_timeout: float = 60.0  # for the whole of one image
    connections: int = 4  # at a time, in all
    per_host: int = 2  # at a time, to one server
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchProgress:
    done: int  # images fetched or failed so far (the already kept ones are not counted)
    total: int  # images to fetch
    bytes: int  # downloaded so far
    failed: int


@dataclass(frozen=True)
class FetchReport:
    total: int  # distinct remote images the articles show
    already: int  # kept before: skipped
    fetched: int
    bytes: int
    failures: dict[str, str] = field(default_factory=dict)  # URL → reason
    cancelled: bool = False

    def by_reason(self) -> list[tuple[str, int]]:
        """The failures counted by reason, the commonest first."""
        return Counter(self.failures.values()).most_common()

    def summary(self) -> str:
        """One line for a person: what was kept, what failed and why."""
        parts = [f"{self.fetched} images kept for offline reading"]
        if self.already:
            parts.append(f"{self.already} already kept")
        if self.failures:
            parts.append(f"{len(self.failures)} failed (" +
                         ", ".join(f"{reason}: {count}" for reason, count in self.by_reason()) + ")")
        line = "; ".join(parts) + f"; {_megabytes(self.bytes)} downloaded"
        return line + (" (cancelled: run it again to go on)" if self.cancelled else "")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def find_remote_images(library: Library, relpaths: Sequence[str], cancelled: Callable[[], bool] = lambda: False,
                       progress: Callable[[int, int], None] | None = None) -> list[str]:
    """The remote images these articles show, once each, in reading order (as rendering sees them:
    nothing in code samples or hidden markup). Unreadable articles are passed over; `progress` is told
    how many articles were read, of how many."""
    urls: dict[str, None] = {}
    for done, relpath in enumerate(relpaths):
        if cancelled():
            break
        if progress is not None and done % 50 == 0:
            progress(done, len(relpaths))
        try:
            # Rendered afresh without colours or a cache lookup: only which images it shows matters.
            urls.update(dict.fromkeys(render_article(library.load(relpath), None).remote_images))
        except DocumentError:
            continue
    return list(urls)


class _Failed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Cancelled(Exception):
    pass


@dataclass(frozen=True)
class _Kept:
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


class _Client:
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


def _fetch_one(client: _Client, url: str, cache: ImageCache, cancelled: Callable[[], bool],
              downloaded: Callable[[int], None]) -> _Kept:
    """Download one image into the cache. Raises _Failed with the reason."""
    limits = client.limits
    deadline = time.monotonic() + limits.total_timeout
    for _ in range(limits.max_redirects + 1):
        if urlsplit(url).scheme.lower() not in {"http", "https"}:
            raise _Failed(FailureReason.REFUSED_REDIRECT)
        try:
            response = client.open(url)
        except NewConnectionError:  # refused, no route, unknown host (urllib3 files it under timeouts)
            raise _Failed(FailureReason.UNREACHABLE) from None
        except SSLError:
            raise _Failed(FailureReason.INSECURE) from None
        except TimeoutError:
            raise _Failed(FailureReason.TIMED_OUT) from None
        except (HTTPError, OSError, ValueError):
            raise _Failed(FailureReason.UNREACHABLE) from None
        if response.status in _REDIRECTS:
            location = response.headers.get("Location")
            response.drain_conn()  # a redirect's body is short: read it, so the connection can be reused
            if not location:
                raise _Failed(FailureReason.HTTP_ERROR)
            url = urljoin(url, location)  # followed here, so that only http(s) is ever followed
            continue
        try:
            return _read_image(response, cache, limits, deadline, cancelled, downloaded)
        except BaseException:
            response.close()  # a body left unread makes the connection useless: it is not reused
            raise
        finally:
            response.release_conn()
    raise _Failed(FailureReason.TOO_MANY_REDIRECTS)


def _read_image(response: urllib3.BaseHTTPResponse, cache: ImageCache, limits: FetchLimits, deadline: float,
                cancelled: Callable[[], bool], downloaded: Callable[[int], None]) -> _Kept:
    if response.status in {404, 410}:
        raise _Failed(FailureReason.NOT_FOUND)
    if response.status != 200:
        raise _Failed(f"{FailureReason.HTTP_ERROR} (HTTP {response.status})")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _Failed(FailureReason.TOO_LARGE)
    incoming = cache.incoming()
    try:
        kind = _stream(response, incoming, limits, deadline, cancelled, downloaded)
        digest, path = incoming.keep(kind)
    except BaseException:
        incoming.discard()
        raise
    # Its size in pixels, read once here (on a worker), so that opening an article need not decode it.
    return _Kept(digest, kind, incoming.size, image_size(path.read_bytes()))


def _stream(response: urllib3.BaseHTTPResponse, incoming: IncomingImage, limits: FetchLimits, deadline: float,
            cancelled: Callable[[], bool], downloaded: Callable[[int], None]) -> str:
    """Copy the body into the cache file, judging the format from its first bytes and stopping at the
    size limit, the deadline or a cancel; the image's kind."""
    head = b""
    kind: str | None = None
    try:
        while chunk := response.read1(_CHUNK):
            if cancelled():
                raise _Cancelled
            if time.monotonic() > deadline:
                raise _Failed(FailureReason.TIMED_OUT)
            if incoming.size + len(chunk) > limits.max_bytes:
                raise _Failed(FailureReason.TOO_LARGE)
            if kind is None:
                head += chunk
                if len(head) >= _SNIFF:
                    kind = image_kind(head)
                    if kind is None:
                        raise _Failed(FailureReason.NOT_AN_IMAGE)
            incoming.write(chunk)
            downloaded(len(chunk))
    except TimeoutError:
        raise _Failed(FailureReason.TIMED_OUT) from None
    except (HTTPError, OSError):
        raise _Failed(FailureReason.UNREACHABLE) from None
    kind = kind or image_kind(head)
    if kind is None:
        raise _Failed(FailureReason.NOT_AN_IMAGE)
    return kind


def keep_images(urls: Iterable[str], cache: ImageCache, limits: FetchLimits = FetchLimits(),
                progress: Callable[[FetchProgress], None] | None = None,
                cancelled: Callable[[], bool] = lambda: False) -> FetchReport:
    """Download every image of `urls` the cache does not keep yet (a failed one is tried again), a few
    at a time; report what was fetched and what failed. Cancelling stops the downloads in flight
    (their partial files are removed); what was fetched stays, so a second run goes on from there."""
    wanted = list(dict.fromkeys(urls))
    known = cache.lookup(wanted)
    todo = [url for url in wanted if not isinstance(known.get(url), KeptImage)]
    counts = {"done": 0, "bytes": 0, "fetched": 0}
    failures: dict[str, str] = {}
    lock = threading.Lock()

    def report_progress() -> None:
        if progress is not None:
            progress(FetchProgress(counts["done"], len(todo), counts["bytes"], len(failures)))

    def downloaded(size: int) -> None:
        with lock:
            counts["bytes"] += size

    client = _Client(limits)
    report_progress()
    try:
        with ThreadPoolExecutor(max_workers=max(1, limits.connections), thread_name_prefix="image-fetch") as pool:
            pending: dict[Future[_Kept], str] = {}
            queue: Iterator[str] = iter(todo)
            stopped = False
            while True:
                while not stopped and len(pending) < limits.connections and (url := next(queue, None)):
                    pending[pool.submit(_fetch_one, client, url, cache, cancelled, downloaded)] = url
                if not pending:
                    break
                finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                stopped = stopped or cancelled()
                for future in finished:
                    url = pending.pop(future)
                    try:
                        kept = future.result()
                    except _Cancelled:
                        continue
                    except _Failed as failure:
                        failures[url] = failure.reason
                        cache.record_failure(url, failure.reason)
                    else:
                        counts["fetched"] += 1
                        cache.record_kept(url, kept.digest, kept.kind, kept.size, kept.pixels)
                    counts["done"] += 1
                    report_progress()
    finally:
        client.close()
    return FetchReport(len(wanted), len(wanted) - len(todo), counts["fetched"], counts["bytes"], failures,
                       cancelled())


def relpaths_for(library: Library, article: str | None = None, folder: str | None = None) -> list[str]:
    """The articles to keep the images of: one `article`, those in a `folder` and below it (its path
    in the corpus, "" for the top), or the whole corpus."""
    if article is not None:
        return [article]
    prefix = f"{folder}/" if folder else ""
    return [listed.relpath for listed in list_article_files(library.root) if listed.relpath.startswith(prefix)]
