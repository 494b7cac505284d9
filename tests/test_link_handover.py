"""A `lectern://` link followed while a window is open goes to that window (desktop.link_handover)."""

from __future__ import annotations

import time
from pathlib import Path

from desktop.core.links import make_link
from desktop.library import Library
from desktop.link_handover import LinkListener, hand_over, link_address
from tests.test_lectern_url_cli import SEED, remember_corpus
from tests.window_process import run_lectern


def test_a_link_goes_to_the_window_that_listens_and_to_no_other() -> None:
    assert not hand_over("lectern://open?corpus=/c&article=a.md")  # no window: the caller opens one
    taken: list[str] = []
    first = LinkListener(taken.append)
    assert first.start()
    try:
        assert hand_over("lectern://open?corpus=/c&article=a.md")
        assert taken == ["lectern://open?corpus=/c&article=a.md"]
        assert not LinkListener(taken.append).start()  # a second window does not take the first one's place
    finally:
        first.close()
    assert not hand_over("lectern://open?corpus=/c&article=b.md")  # the window quit
    assert taken == ["lectern://open?corpus=/c&article=a.md"]


def test_a_socket_left_by_a_lectern_that_did_not_quit_is_taken_over() -> None:
    left = Path(link_address())
    left.write_text("")  # where nobody answers
    taken: list[str] = []
    listener = LinkListener(taken.append)
    try:
        assert listener.start()
        assert hand_over("lectern://open?corpus=/c&article=a.md") and taken == ["lectern://open?corpus=/c&article=a.md"]
    finally:
        listener.close()


def test_lectern_link_hands_the_link_to_the_open_window(library: Library, corpus: Path, tmp_path: Path) -> None:
    """`lectern LINK`, as the desktop runs it, while a window is open: that window gets the link, and the
    command ends at once instead of opening a second window."""
    remember_corpus(tmp_path, corpus)
    link = make_link(str(corpus.resolve()), SEED)
    taken: list[str] = []
    window = LinkListener(taken.append)
    assert window.start()
    try:
        started = time.monotonic()
        assert run_lectern([link]) == 0
        assert taken == [link] and time.monotonic() - started < 30
    finally:
        window.close()
