"""Keep images for offline reading: find the remote images articles show, download them into the image
cache when the user asks (politely and safely), and report what failed and why; the cache's size and
clearing it.

Only the use-cases here that a user starts (File → Keep Images for Offline Reading, `lectern images`)
open network connections, through desktop.image_fetch (urllib3, imported only then)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from desktop import __version__
from desktop.core.corpus import list_article_files
from desktop.core.errors import DocumentError
from desktop.core.images import FailureReason, KeptImage
from desktop.core.render import render_article
from desktop.library import Library
from desktop.paths import cache_dir
from desktop.store.image_cache import CacheSize, ImageCache, default_image_folder

__all__ = ["FetchLimits", "FetchProgress", "FetchReport", "find_remote_images", "keep_images", "default_image_cache",
           "CacheSize", "cache_size", "clear_cache", "forget_undecodable", "USER_AGENT", "relpaths_for"]

USER_AGENT = f"Lectern/{__version__}"


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

    # Only a download needs the HTTP client (urllib3 and ssl: 12 MB and 60 ms that reading never pays).
    from desktop.image_fetch import Cancelled, Client, Failed, Kept, fetch_one

    client = Client(limits)
    report_progress()
    try:
        with ThreadPoolExecutor(max_workers=max(1, limits.connections), thread_name_prefix="image-fetch") as pool:
            pending: dict[Future[Kept], str] = {}
            queue: Iterator[str] = iter(todo)
            stopped = False
            while True:
                while not stopped and len(pending) < limits.connections and (url := next(queue, None)):
                    pending[pool.submit(fetch_one, client, url, cache, cancelled, downloaded)] = url
                if not pending:
                    break
                finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                stopped = stopped or cancelled()
                for future in finished:
                    url = pending.pop(future)
                    try:
                        kept = future.result()
                    except Cancelled:
                        continue
                    except Failed as failure:
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
