"""Keeping images for offline reading, against a server on the loopback address (never the internet):
what is kept, what fails and why, the limits, cancel and resume, and the command line."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.images import FailedImage, FailureReason, KeptImage, image_kind, image_size
from desktop.offline_images import (
    USER_AGENT,
    CacheSize,
    FetchLimits,
    FetchProgress,
    cache_size,
    clear_cache,
    default_image_cache,
    keep_images,
)
from desktop.store.image_cache import ImageCache
from tests.image_server import ImageServer, Route, png_bytes, serving

FAST = FetchLimits(connect_timeout=2.0, read_timeout=0.3, total_timeout=2.0, max_bytes=64 * 1024)


@pytest.fixture
def server() -> Iterator[ImageServer]:
    with serving() as running:
        yield running


@pytest.fixture
def cache(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "cache" / "images")


def test_an_image_is_kept_by_its_content_and_found_after_a_restart(server: ImageServer, cache: ImageCache) -> None:
    image = png_bytes(8, 8)
    server.routes["/a.png"] = Route(image, headers={"Content-Type": "text/plain"})  # the bytes decide, not the type
    server.routes["/same-again.png"] = Route(image)
    report = keep_images([server.url("/a.png"), server.url("/same-again.png")], cache, FAST)
    assert (report.fetched, report.failures, report.bytes) == (2, {}, 2 * len(image))
    found = ImageCache(cache.folder).lookup([server.url("/a.png"), server.url("/same-again.png")])  # a new instance
    first, second = found[server.url("/a.png")], found[server.url("/same-again.png")]
    assert isinstance(first, KeptImage) and first == second  # one file for one content
    assert first.path.read_bytes() == image and first.path.parent.parent == cache.folder
    assert first.path.name.endswith(".png") and len(first.path.stem) == 64
    assert (first.width, first.height) == (8, 8)  # from its header: the reader lays it out without decoding
    assert cache.size().images == 1 and cache.size().bytes == len(image)
    assert set(server.user_agents) == {USER_AGENT}
    assert not list(cache.folder.rglob(".incoming-*"))


@pytest.mark.parametrize(("route", "reason"), [
    (Route(b"gone", 404), FailureReason.NOT_FOUND),
    (Route(b"<html>not an image, whatever it says</html>", headers={"Content-Type": "image/png"}),
     FailureReason.NOT_AN_IMAGE),
    (Route(b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/y"/></svg>',
           headers={"Content-Type": "image/svg+xml"}), FailureReason.NOT_AN_IMAGE),
    (Route(png_bytes(200, 200) + bytes(100 * 1024)), FailureReason.TOO_LARGE),  # said by Content-Length
    (Route(png_bytes(200, 200) + bytes(100 * 1024), chunked=True), FailureReason.TOO_LARGE),  # found while reading
    (Route(png_bytes(), delay=1.0), FailureReason.TIMED_OUT),
    (Route(status=302, headers={"Location": "file:///etc/passwd"}), FailureReason.REFUSED_REDIRECT),
    (Route(status=301, headers={"Location": "ftp://example.invalid/a.png"}), FailureReason.REFUSED_REDIRECT),
    (Route(status=302, headers={"Location": "/loop"}), FailureReason.TOO_MANY_REDIRECTS),
    (Route(status=302, headers={"Location": "http://[::1/a.png"}), FailureReason.BAD_ADDRESS),  # no URL at all
    (Route(b"denied", 403), f"{FailureReason.HTTP_ERROR} (HTTP 403)"),
])
def test_what_cannot_be_kept_is_a_failure_with_its_reason(server: ImageServer, cache: ImageCache, route: Route,
                                                         reason: str) -> None:
    server.routes["/loop"] = server.routes["/x"] = route
    report = keep_images([server.url("/x")], cache, FAST)
    assert report.failures == {server.url("/x"): reason} and report.fetched == 0
    assert cache.lookup([server.url("/x")]) == {server.url("/x"): FailedImage(reason)}
    assert cache.size().images == 0 and not list(cache.folder.rglob(".incoming-*"))


def test_a_redirect_to_http_is_followed(server: ImageServer, cache: ImageCache) -> None:
    server.routes["/old.png"] = Route(status=302, headers={"Location": "/new.png"})
    server.routes["/new.png"] = Route(png_bytes())
    report = keep_images([server.url("/old.png")], cache, FAST)
    assert report.fetched == 1 and isinstance(cache.lookup([server.url("/old.png")])[server.url("/old.png")], KeptImage)


def test_an_unreachable_server_fails_without_waiting_long(cache: ImageCache) -> None:
    with serving() as gone:
        url = gone.url("/a.png")
    report = keep_images([url], cache, FAST)
    assert report.failures == {url: FailureReason.UNREACHABLE}


def test_many_images_keep_to_the_connection_limits(server: ImageServer, cache: ImageCache) -> None:
    urls = []
    for number in range(24):
        server.routes[f"/{number}.png"] = Route(png_bytes(seed=number), delay=0.05)
        urls.append(server.url(f"/{number}.png"))
    seen: list[FetchProgress] = []
    limits = FetchLimits(connections=4, per_host=3, read_timeout=5.0)
    report = keep_images(urls, cache, limits, progress=seen.append)
    assert report.fetched == 24 and not report.failures
    assert server.most_connections == 3  # never more than per_host to one server, yet more than one at once
    assert seen[0].done == 0 and seen[-1] == FetchProgress(24, 24, report.bytes, 0)
    assert [item.done for item in seen] == sorted(item.done for item in seen)


def test_cancel_stops_and_a_second_run_goes_on_from_there(server: ImageServer, cache: ImageCache) -> None:
    urls = []
    for number in range(12):
        server.routes[f"/{number}.png"] = Route(png_bytes(seed=number), delay=0.1)
        urls.append(server.url(f"/{number}.png"))
    stop = threading.Event()

    def progress(done: FetchProgress) -> None:
        if done.done >= 3:
            stop.set()

    first = keep_images(urls, cache, FetchLimits(connections=2, per_host=2), progress, stop.is_set)
    assert first.cancelled and 3 <= first.fetched < 12
    assert not list(cache.folder.rglob(".incoming-*"))
    server.requests.clear()
    second = keep_images(urls, cache, FetchLimits(connections=2, per_host=2))
    assert not second.cancelled and second.already == first.fetched and second.fetched == 12 - first.fetched
    assert len(server.requests) == 12 - first.fetched  # what was kept is not fetched again
    assert len(cache.lookup(urls)) == 12


def test_image_kinds_are_judged_by_their_bytes() -> None:
    assert image_kind(png_bytes()) == "png"
    assert image_kind(b"\xff\xd8\xff\xe0" + bytes(20)) == "jpg"
    assert image_kind(b"GIF89a" + bytes(20)) == "gif"
    assert image_kind(b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(20)) == "webp"
    assert image_kind(b"BM" + bytes(40)) == "bmp"
    assert image_kind(b"BM is a two-letter word") is None
    assert image_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert image_kind(b"RIFF\x10\x00\x00\x00WAVEfmt ") is None


def _post(corpus: Path, name: str, *urls: str) -> None:
    images = "\n\n".join(f"![figure {number}]({url})" for number, url in enumerate(urls))
    corpus.joinpath(name).write_text(f"---\ntitle: {name}\n---\nText before.\n\n{images}\n\nText after.\n",
                                     encoding="utf-8")


def test_the_command_keeps_a_corpus_images_and_says_what_failed(server: ImageServer, tmp_path: Path, db_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "posts"  # not the seeds: their images are on the internet
    corpus.mkdir()
    server.routes["/a.png"] = Route(png_bytes())
    server.routes["/b.png"] = Route(png_bytes(seed=1))
    _post(corpus, "one.md", server.url("/a.png"), server.url("/missing.png"))
    _post(corpus, "two.md", server.url("/b.png"), server.url("/a.png"))
    (corpus / "code.md").write_text(f"```html\n<img src=\"{server.url('/in-code.png')}\">\n```\n", encoding="utf-8")
    assert main(["images", "--corpus", str(corpus), "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert "failed: not found: 1 images" in out
    assert "2 images kept for offline reading; 1 failed (not found: 1)" in out
    assert sorted(server.requests) == ["/a.png", "/b.png", "/missing.png"]  # once each; nothing from code
    server.routes["/missing.png"] = Route(png_bytes(seed=2))
    assert main(["images", "--corpus", str(corpus), "--db", str(db_path), "--article", "./one.md"]) == 0
    out = capsys.readouterr().out
    assert "1 images kept for offline reading; 1 already kept" in out
    assert main(["images", "--corpus", str(corpus), "--db", str(db_path), "--article", "nowhere.md"]) == 2
    assert "no article nowhere.md" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["PNG", "JPG", "BMP"])
def test_an_image_size_is_read_from_its_header(kind: str) -> None:
    from PySide6.QtCore import QBuffer
    from PySide6.QtGui import QImage

    image = QImage(123, 45, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    assert image.save(buffer, kind)
    assert image_size(bytes(buffer.data().data())) == (123, 45)


def test_gif_and_webp_sizes_come_from_their_headers_and_nonsense_has_none() -> None:
    assert image_size(b"GIF89a" + (300).to_bytes(2, "little") + (20).to_bytes(2, "little") + bytes(20)) == (300, 20)
    vp8x = b"RIFF\x00\x00\x00\x00WEBPVP8X" + bytes(8) + (639).to_bytes(3, "little") + (479).to_bytes(3, "little")
    assert image_size(vp8x) == (640, 480)
    assert image_size(b"\xff\xd8\xff\xe0" + bytes(30)) is None  # a JPEG cut short: measured by decoding instead
    assert image_size(b"not an image at all") is None


def test_the_system_proxy_is_honoured(server: ImageServer, cache: ImageCache, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loopback server stands in for a proxy: the request for a far host reaches it, whole-URL."""
    monkeypatch.setenv("http_proxy", server.base)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    far = "http://images.example.invalid/figure.png"
    server.routes[far] = Route(png_bytes())
    report = keep_images([far], cache, FAST)
    assert report.fetched == 1 and server.requests == [far]


def test_https_to_a_server_that_does_not_speak_it_is_a_failed_secure_connection(server: ImageServer,
                                                                                cache: ImageCache) -> None:
    url = server.url("/a.png").replace("http:", "https:")
    report = keep_images([url], cache, FAST)
    assert report.failures == {url: FailureReason.INSECURE}


def test_the_default_cache_is_in_the_cache_folder_and_can_be_measured_and_cleared(server: ImageServer,
                                                                                 tmp_path: Path) -> None:
    cache = default_image_cache()
    assert cache.folder == tmp_path / "cache" / "images"  # LECTERN_CACHE_DIR, set for every test
    server.routes["/a.png"] = Route(png_bytes(10, 10))
    keep_images([server.url("/a.png")], cache, FAST)
    assert cache_size() == CacheSize(1, len(png_bytes(10, 10)))
    clear_cache()
    assert cache_size() == CacheSize(0, 0) and not cache.folder.exists()
    assert cache.lookup([server.url("/a.png")]) == {}


def test_an_image_cache_that_cannot_be_read_never_stops_the_reading(corpus: Path, store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    from desktop.library import Library

    (corpus / "figures.md").write_text("---\ntitle: 图\n---\n前文\n\n![图一](https://img.example/a.png)\n\n后文\n",
                                       encoding="utf-8")
    damaged = ImageCache(tmp_path / "images")
    damaged.folder.mkdir()
    damaged.index_path.write_bytes(b"not a database" * 100)
    library = Library(corpus, store, image_cache=damaged)
    try:
        opened = library.open_article("figures.md")
    finally:
        library.close()
    assert "[image: 图一]" in opened.rendered.text and "后文" in opened.rendered.text  # the placeholder, as offline
    assert "images kept for offline reading are not shown" in caplog.text
