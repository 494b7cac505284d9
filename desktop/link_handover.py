"""One window takes the `lectern://` links. A link followed while Lectern runs (from an exported note, in
the user's notes app) goes to the window already open, instead of starting another window and another
indexing of the same corpus. The window listens on a socket of its own (a named pipe on Windows), named
after the cache folder so that each set of Lectern's folders has one; `lectern LINK` hands the link over
when a window answers, and opens a window itself when none does. No Qt here: the window wires it."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener
from pathlib import Path

from desktop.paths import cache_dir

__all__ = ["hand_over", "LinkListener", "link_address"]

# Not a secret: it keeps out what is not Lectern. A link that does arrive is checked by the window as
# any link is (desktop.ui.links): it must name an article of a corpus the user opened.
_AUTHKEY = b"lectern-links-1"
_TAKEN = "taken"
_ANSWER_S = 2.0


def link_address() -> str:
    """Where the window of these folders listens (short: a Unix socket's path is limited to ~100 bytes)."""
    name = "lectern-links-" + hashlib.sha1(str(cache_dir().resolve()).encode("utf-8")).hexdigest()[:16]
    if sys.platform == "win32":
        return rf"\\.\pipe\{name}"
    runtime = os.environ.get("XDG_RUNTIME_DIR")  # the user's own, private folder where there is one
    return str(Path(runtime if runtime and Path(runtime).is_dir() else tempfile.gettempdir()) / f"{name}.sock")


def hand_over(link: str) -> bool:
    """Give `link` to the window already open; False when no window listens (or it does not answer)."""
    try:
        with Client(link_address(), authkey=_AUTHKEY) as connection:
            connection.send(link)
            return bool(connection.poll(_ANSWER_S)) and connection.recv() == _TAKEN
    except (OSError, EOFError, AuthenticationError):  # no window, or one gone: this one opens
        return False


class LinkListener:
    """Takes the links handed over while the window is open, on a thread of its own; `take` is called
    on that thread (the window passes the link on to its UI thread)."""

    def __init__(self, take: Callable[[str], None]) -> None:
        self._take = take
        self._listener: Listener | None = None

    def start(self) -> bool:
        """Listen; False when the address cannot be had (the window then works as before, alone)."""
        address = link_address()
        if sys.platform != "win32" and os.path.exists(address) and not _answers(address):
            Path(address).unlink(missing_ok=True)  # left by a Lectern that did not quit: nobody answers there
        try:
            self._listener = Listener(address, authkey=_AUTHKEY)
        except OSError:
            return False
        threading.Thread(target=self._serve, args=(self._listener,), name="lectern-links", daemon=True).start()
        return True

    def _serve(self, listener: Listener) -> None:
        while True:
            try:
                connection = listener.accept()
            except (OSError, EOFError, AuthenticationError):
                if self._listener is None:  # closed: the window quit
                    return
                continue  # something that is not Lectern knocked: keep listening
            with connection:
                try:
                    link = connection.recv()
                    if isinstance(link, str):
                        self._take(link)
                        connection.send(_TAKEN)
                except (OSError, EOFError):
                    continue

    def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            # A thread waiting in accept() is not woken by this (on Linux); it stays, a daemon holding nothing,
            # until the process ends. (Waking it with a connection of our own raced with the handshake.)
            listener.close()


def _answers(address: str) -> bool:
    """Something answers at `address` (a window of Lectern's listening there)."""
    try:
        with Client(address, authkey=_AUTHKEY):
            return True
    except (OSError, EOFError, AuthenticationError):
        return False
