"""`lectern URL`, as the desktop runs it for a clicked link: the window opens at the link's article."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.core.links import make_link
from desktop.library import Library
from desktop.ui.recent_corpora import RecentCorpora
from desktop.ui.settings import Settings
from tests.window_process import run_window_until

SEED = "000_2e1d597362795e42.txt"
OTHER = "003_94866a6898bf0002.txt"


def remember_corpus(tmp_path: Path, corpus: Path, article: str = OTHER) -> Path:
    """The user opened `corpus` before (and read `article` there last): links into it may be followed.
    The settings file, where QSettings keeps Lectern's under XDG_CONFIG_HOME."""
    conf = tmp_path / "config" / "Lectern" / "Lectern.conf"
    settings = QSettings(str(conf), QSettings.Format.IniFormat)
    RecentCorpora(Settings(settings)).remember(corpus, article)
    settings.sync()
    return conf


def test_lectern_url_opens_the_window_at_the_links_article(library: Library, corpus: Path, db_path: Path,
                                                          tmp_path: Path) -> None:
    opened = library.open_article(SEED)
    start = opened.rendered.text.index("伦理与风险")
    highlight = library.add_highlight(opened, start, start + 5, "yellow")
    library.store.db.close()
    conf = remember_corpus(tmp_path, corpus, OTHER)  # the user read another article there last

    link = make_link(str(corpus.resolve()), SEED, highlight.id)
    assert run_window_until(["--db", str(db_path), link], "article shown") == 0
    # Closing remembers what was open: the link's article, not the one read last.
    recent = json.loads(str(QSettings(str(conf), QSettings.Format.IniFormat).value("corpus/recent")))
    assert recent[0]["corpus"] == str(corpus.resolve()) and recent[0]["article"] == SEED
