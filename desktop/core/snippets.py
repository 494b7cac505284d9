"""Snippets: a short window of text around the first match, with every match in it marked."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Snippet", "find_matches", "make_snippet"]

_TOKENS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Snippet:
    text: str
    marks: tuple[tuple[int, int], ...] = ()  # matched ranges in `text`

    def marked(self, before: str = "[", after: str = "]") -> str:
        pieces, last = [], 0
        for start, end in self.marks:
            pieces += [self.text[last:start], before, self.text[start:end], after]
            last = end
        return "".join(pieces) + self.text[last:]


def _needles(words: list[str]) -> list[str]:
    """What to look for: each word as written, else (node.js vs node-js) its longest token."""
    needles = []
    for word in words:
        needles.append(word.casefold())
        tokens = _TOKENS.findall(word)
        if len(tokens) > 1:
            needles.append(max(tokens, key=len).casefold())
    return [needle for needle in needles if needle]


def find_matches(text: str, words: list[str], limit: int = 1000) -> list[tuple[int, int]]:
    """Where the words occur in `text` (ignoring case), in order, without overlaps."""
    folded = text.casefold()
    if len(folded) != len(text):  # casefold changed lengths (ß → ss): search the text as it is
        folded = text.lower() if len(text.lower()) == len(text) else text
    found: list[tuple[int, int]] = []
    for needle in _needles(words):
        start = folded.find(needle)
        while start >= 0 and len(found) < limit:
            found.append((start, start + len(needle)))
            start = folded.find(needle, start + len(needle))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            continue
        merged.append((start, end))
    return merged


def make_snippet(text: str, words: list[str], width: int = 90) -> Snippet:
    matches = find_matches(text, words)
    if not matches:
        return Snippet(" ".join(text[:width].split()))
    first = matches[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    window = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    marks = tuple((s - start + len(prefix), e - start + len(prefix)) for s, e in matches if s >= start and e <= end)
    body = prefix + window.replace("\n", " ") + suffix
    return Snippet(body, marks)
