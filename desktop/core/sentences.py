"""The sentence around a highlighted passage: what comes before it and after it, up to the sentence's
ends (Chinese and Japanese `。！？；`, Latin `. ! ? ;` before a space, and line breaks), so an exported
quote keeps its context. Pure."""

from __future__ import annotations

import re

__all__ = ["sentence_around", "MAX_CONTEXT"]

MAX_CONTEXT = 200  # characters each side: a sentence with no end in sight is cut, with an ellipsis
# A sentence ends at a CJK terminator, a Latin one followed by white space, or a line break; closing
# quotes and brackets right after a terminator still belong to the sentence that ends there.
_CLOSERS = "”’」』）)]》〉\"'"
_END = re.compile(rf"(?:[。！？；!?…]|[.;](?=\s))[{re.escape(_CLOSERS)}]*|\n")
_ENDS_BEFORE = re.compile(rf"(?:[。！？；!?…]|[.;](?=\s))[{re.escape(_CLOSERS)}]*\s*$|\n\s*$")
_ENDS_PASSAGE = re.compile(rf"[。！？；!?….;][{re.escape(_CLOSERS)}]*\s*$|\n\s*$")


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """The passage text[start:end] ends its sentence (a Latin full stop only when a space follows)."""
    match = _ENDS_PASSAGE.search(text, start, end)
    if match is None:
        return False
    return text[match.start()] not in ".;" or end >= len(text) or text[end].isspace() or match.end() > match.start() + 1


def sentence_around(text: str, start: int, end: int, limit: int = MAX_CONTEXT) -> tuple[str, str]:
    """(before, after): the rest of the sentence(s) the passage text[start:end] sits in, each at most
    `limit` characters (cut ones begin or end with "…"). Empty when the passage is a whole sentence."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    window_start = max(0, start - limit)
    before = text[window_start:start]
    sentence_start = 0
    for match in _END.finditer(before):
        sentence_start = match.end()
    ended = _ENDS_BEFORE.search(text, max(0, window_start - 40), window_start)  # the window starts a sentence
    cut_before = sentence_start == 0 and window_start > 0 and not ended
    before = before[sentence_start:].lstrip()
    if start < end and _ends_sentence(text, start, end):
        after = ""
        cut_after = False
    else:
        window = text[end:end + limit]
        found = _END.search(window)
        after = window[:found.end()] if found else window
        cut_after = found is None and end + limit < len(text)
        after = after.rstrip()
    return ("…" if cut_before else "") + before, after + ("…" if cut_after else "")
