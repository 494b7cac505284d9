"""Following a `lectern://` link (desktop.core.links) in the window. A link comes from anywhere, so it
is checked before anything is opened: it may only name an article inside a corpus the user has opened
in Lectern before (File → Open Recent keeps those); it never writes, runs or fetches anything. A link
that cannot be followed is explained, never a crash."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.corpus import ARTICLE_SUFFIXES
from desktop.core.links import LinkError, parse_link
from desktop.link_handover import LinkListener
from desktop.ui.recent_corpora import RecentCorpora

__all__ = ["checked_link", "LinkTarget", "LinkInbox"]


@dataclass(frozen=True)
class LinkTarget:
    """What a checked link opens: a corpus the user knows, an article inside it, maybe a highlight."""

    root: Path
    article: str
    highlight: str | None


def checked_link(url: str, recent: RecentCorpora) -> LinkTarget:
    """Parse `url` and check it names an article of a corpus in `recent`; raise LinkError otherwise."""
    link = parse_link(url)
    known = {place.corpus for place in recent.places()}
    try:
        root = Path(link.corpus).resolve()
    except (OSError, ValueError):
        root = None
    if root is None or str(root) not in known or not root.is_dir():
        raise LinkError(f"This Lectern link points into {link.corpus}, which is not a folder you have opened in"
                        " Lectern. Open that folder first (File → Open Folder), then follow the link again.")
    try:
        article = (root / link.article).resolve()
        inside = article.is_relative_to(root) and article.is_file() and article.suffix.lower() in ARTICLE_SUFFIXES
    except (OSError, ValueError):
        inside = False
    if not inside:
        raise LinkError(f"This Lectern link names {link.article}, which is not an article in {root}.")
    return LinkTarget(root, link.article, link.highlight)


class LinkInbox(QObject):
    """The links a later `lectern LINK` hands over while this window is open (desktop.link_handover),
    delivered on the UI thread as `arrived`."""

    arrived = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener = LinkListener(self.arrived.emit)  # emitted on the listener's thread: queued to this one

    def open(self) -> bool:
        """Start taking links; False when another window of these folders takes them already."""
        return self._listener.start()

    def close(self) -> None:
        self._listener.close()
