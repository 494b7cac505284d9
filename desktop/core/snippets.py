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


def _longest_token(word: str) -> str:
    """What to look for when `word` as written is not in the text (node.js vs node-js)."""
    tokens = _TOKENS.findall(word)
    return max(tokens, key=len).casefold() if len(tokens) > 1 else ""


def _occurrences(folded: str, needle: str, limit: int) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    start = folded.find(needle) if needle else -1
    while start >= 0 and len(found) < limit:
        found.append((start, start + len(needle)))
        start = folded.find(needle, start + len(needle))
    return found


def find_matches(text: str, words: list[str], limit: int = 1000) -> list[tuple[int, int]]:
    """Where the words occur in `text` (ignoring case), in order, without overlaps: each word as
    written, else its longest token; of two matches at one place, the longer."""
    folded = text.casefold()
    if len(folded) != len(text):  # casefold changed lengths (ß → ss): search the text as it is
        folded = text.lower() if len(text.lower()) == len(text) else text
    found: list[tuple[int, int]] = []
    for word in words:
        for needle in (word.casefold(), _longest_token(word)):
            occurrences = _occurrences(folded, needle, limit - len(found))
            if occurrences:
                found += occurrences
                break
    found.sort(key=lambda span: (span[0], -span[1]))
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
