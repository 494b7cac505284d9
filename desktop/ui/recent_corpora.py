"""The corpora the user opened, most recent first, each with the article they were reading there and
where: File → Open Recent, and reopening a corpus where the user left it. UI state, kept in settings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop.ui.settings import Settings

__all__ = ["RecentCorpora", "Place"]

_KEPT = 10


@dataclass(frozen=True)
class Place:
    corpus: str
    article: str = ""
    position: int = 0  # plain-text offset at the top of the reader (pixels change with layout)


class RecentCorpora:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def places(self) -> list[Place]:
        try:
            stored = json.loads(self._settings.get("corpus/recent") or "[]")
            return [Place(str(item["corpus"]), str(item.get("article", "")), int(item.get("position", 0)))
                    for item in stored if isinstance(item, dict) and "corpus" in item]
        except (ValueError, TypeError):  # a hand-edited settings file: start the list afresh
            return []

    def place(self, corpus: Path) -> Place | None:
        key = str(corpus.resolve())
        return next((place for place in self.places() if place.corpus == key), None)

    def remember(self, corpus: Path, article: str | None = None, position: int | None = None) -> None:
        """Put `corpus` first; keep its article and position unless new ones are given."""
        key = str(corpus.resolve())
        before = self.place(corpus) or Place(key)
        place = Place(key, before.article if article is None else article,
                      before.position if position is None else position)
        places = [place] + [other for other in self.places() if other.corpus != key][:_KEPT - 1]
        self._settings.set("corpus/recent", json.dumps([asdict(item) for item in places], ensure_ascii=False))
        self._settings.set("corpus/last", key)


def resume_target(settings: Settings, corpus: Path | None, default: Path) -> tuple[Path, str | None]:
    """The corpus folder to open at start, and the article to open in it (None: where the user was last):
    `corpus`, else the last one, else `default`. An article file given instead of a folder (a file
    manager's "Open With") opens its folder at that article."""
    last = settings.get("corpus/last")
    if corpus is None:
        corpus = Path(last) if last and Path(last).is_dir() else default
    if corpus.is_file():
        return corpus.parent, corpus.name
    return corpus, None
