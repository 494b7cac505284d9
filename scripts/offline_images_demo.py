"""Show a real sample post with its images, read offline, without touching the internet.

    python scripts/offline_images_demo.py OUT [--post tests/data/sample/html/2024-04-29-138316423.md]

Copies the post into OUT/corpus, with each of its remote image URLs rewritten to a server on the
loopback address that serves a generated stand-in figure for it (a labelled drawing: the real images
are on CSDN's servers and are never fetched); runs `lectern images` on the copy with OUT/cache as the
cache folder; stops the server; and prints the command that reads the copy offline (for a screenshot):

    LECTERN_CACHE_DIR=OUT/cache … python -m desktop OUT/corpus"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from desktop.core.documents import load_article  # noqa: E402
from desktop.core.render import render_article  # noqa: E402
from tests.image_server import Route, serving  # noqa: E402

DEFAULT_POST = PROJECT / "tests" / "data" / "sample" / "html" / "2024-04-29-138316423.md"
_PALETTE = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f"]


def figure_png(number: int, label: str) -> bytes:
    """A stand-in figure: boxes and arrows in a colour of its own, its number and where it stands in for."""
    from PySide6.QtCore import QBuffer, QRect, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(1000, 460, QImage.Format.Format_RGB32)
    image.fill(QColor("#f8fafc"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(_PALETTE[number % len(_PALETTE)])
    painter.setPen(QPen(colour, 4))
    for column in range(3):
        box = QRect(60 + column * 320, 150, 240, 130)
        painter.fillRect(box, colour.lighter(170))
        painter.drawRect(box)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, ["输入", "处理", "输出"][column])
        if column < 2:
            painter.drawLine(box.right() + 6, 215, box.right() + 74, 215)
            painter.drawLine(box.right() + 60, 203, box.right() + 74, 215)
            painter.drawLine(box.right() + 60, 227, box.right() + 74, 215)
    font = QFont()
    font.setPointSize(22)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#0f172a"))
    painter.drawText(QRect(0, 30, 1000, 60), Qt.AlignmentFlag.AlignCenter, f"Figure {number + 1}")
    font.setPointSize(12)
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(QColor("#475569"))
    painter.drawText(QRect(0, 330, 1000, 90), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                     f"generated on the loopback server in place of\n{label}")
    painter.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--post", type=Path, default=DEFAULT_POST)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    corpus = out / "corpus"
    shutil.rmtree(out, ignore_errors=True)
    corpus.mkdir(parents=True)
    copy = corpus / args.post.name
    shutil.copyfile(args.post, copy)
    urls = render_article(load_article(copy, corpus)).remote_images
    text = copy.read_text(encoding="utf-8")
    env = {**os.environ, "LECTERN_CACHE_DIR": str(out / "cache"), "LECTERN_DATA_DIR": str(out / "data"),
           "LECTERN_LOG_DIR": str(out / "logs"), "PYTHONPATH": str(PROJECT)}
    with serving() as server:
        for number, url in enumerate(urls):
            parts = urlsplit(url)
            path = f"/{parts.hostname}{parts.path}"
            server.routes[path] = Route(figure_png(number, f"{parts.hostname}{parts.path}"[:90]))
            text = text.replace(url, server.url(path))
        copy.write_text(text, encoding="utf-8")
        elsewhere = [url for url in render_article(load_article(copy, corpus)).remote_images
                     if not url.startswith(server.base)]
        if elsewhere:  # never the internet: stop before fetching anything
            print(f"could not point these at the loopback server: {elsewhere}", file=sys.stderr)
            return 2
        fetched = subprocess.run([sys.executable, "-m", "desktop", "images", "--corpus", str(corpus)], env=env,
                                 capture_output=True, text=True)
    print(fetched.stdout + fetched.stderr, end="")
    print(f"The server is stopped. Read offline with:\n  LECTERN_CACHE_DIR={out / 'cache'} "
          f"LECTERN_DATA_DIR={out / 'data'} LECTERN_LOG_DIR={out / 'logs'} XDG_CONFIG_HOME={out / 'config'} "
          f"{sys.executable} -m desktop {corpus}")
    return fetched.returncode


if __name__ == "__main__":
    sys.exit(main())
