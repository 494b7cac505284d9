"""Re-anchoring benchmark (issue 9): do highlights find their passage again after an edit, and never
the wrong words? Prints Markdown tables for the README.

    python scripts/anchoring_benchmark.py [--per-article N] [--seed S]

Highlights are drawn from the plain text of the seeds and the test sample posts (as Lectern renders
them): quotes of 8-30 characters, and a short-quote set of 4-8 characters half of which occur more
than once in their article. Each article is then edited at the highlight's passage in one of these
ways, with the truth of where the highlight belongs:
- unchanged; a paragraph inserted before (from another post): the same passage, maybe shifted;
- one character changed inside the quote: the passage, approximately;
- reworded (most of the quote's characters replaced) or its paragraph deleted: orphaned;
- its paragraph duplicated earlier: the original (shifted), not the copy.
Each case is re-anchored twice: with the article's text at the time of highlighting (what a stored
copy allows: a diff of old and new text) and by the stored anchor alone (position and quote).
Cases whose truth is ambiguous (the quote with all its context occurs elsewhere too) are skipped.

Timing: 1,000 highlights in the longest post, relocated after one edit of each kind, after an edit
inside every passage (each needs the approximate search), and against an unrelated post (all
orphaned, the worst case)."""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from desktop.core.anchoring import make_anchor, relocate  # noqa: E402
from desktop.core.corpus import find_article_files  # noqa: E402
from desktop.core.documents import load_article  # noqa: E402
from desktop.core.model import Anchor  # noqa: E402
from desktop.core.render import render_article  # noqa: E402

CORPORA = [PROJECT / "seeds", PROJECT / "tests" / "data" / "sample"]
KINDS = ["unchanged", "paragraph inserted before", "one character changed", "reworded", "deleted",
         "duplicated earlier"]
MODES = {"old text known (diff)": True, "anchor alone": False}
Span = tuple[int, int]
Edit = Callable[[str, int, int, random.Random, str], tuple[str, Span | None] | None]


def article_texts() -> list[str]:
    texts = []
    for root in CORPORA:
        for path in find_article_files(root):
            text = render_article(load_article(path, root)).text
            if len(text) >= 1000:
                texts.append(text)
    return texts


def pick_quote(text: str, rng: random.Random, shortest: int, longest: int, repeated: bool) -> Span | None:
    """A span a reader might select: no white space at its ends; when `repeated`, text found elsewhere too."""
    for _ in range(200):
        size = rng.randint(shortest, longest)
        start = rng.randrange(0, len(text) - size)
        quote = text[start:start + size]
        if quote != quote.strip() or (repeated and text.count(quote) < 2):
            continue
        return start, start + size
    return None


def paragraph_around(text: str, start: int, end: int) -> Span:
    """The lines holding [start, end), with the newline after them."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last + 1


def line_starts(text: str, before: int) -> list[int]:
    return [0] + [index + 1 for index, char in enumerate(text[:before]) if char == "\n" and index + 1 < before]


def same_class_char(char: str, donor: str, rng: random.Random) -> str:
    """Another character of the same kind (Chinese, digit, letter): a plausible typo or fix."""
    if char >= "\u2e80":
        pool = [c for c in donor if "\u4e00" <= c <= "\u9fff"]
    elif char.isdigit():
        pool = list("0123456789")
    else:
        pool = list("abcdefghijklmnopqrstuvwxyz")
    while True:
        replacement = rng.choice(pool)
        if replacement != char:
            return replacement


def unchanged(text: str, start: int, end: int, rng: random.Random, donor: str) -> tuple[str, Span | None]:
    return text, (start, end)


def paragraph_inserted(text: str, start: int, end: int, rng: random.Random, donor: str) -> tuple[str, Span | None]:
    paragraph = rng.choice([line for line in donor.split("\n") if len(line) >= 20]) + "\n"
    at = rng.choice(line_starts(text, start + 1))
    return text[:at] + paragraph + text[at:], (start + len(paragraph), end + len(paragraph))


def one_character_changed(text: str, start: int, end: int, rng: random.Random,
                          donor: str) -> tuple[str, Span | None] | None:
    inside = [index for index in range(start, end) if text[index].isalnum()]
    if not inside:
        return None
    at = rng.choice(inside)
    return text[:at] + same_class_char(text[at], donor, rng) + text[at + 1:], (start, end)


def reworded(text: str, start: int, end: int, rng: random.Random, donor: str) -> tuple[str, Span | None] | None:
    """Most of the quote's letters replaced: what is left resembles it by half at most."""
    quote = text[start:end]
    for _ in range(20):
        words = "".join(same_class_char(char, donor, rng) if char.isalnum() and rng.random() < 0.75 else char
                        for char in quote)
        if Levenshtein.normalized_similarity(quote, words) <= 0.5:
            return text[:start] + words + text[end:], None
    return None


def deleted(text: str, start: int, end: int, rng: random.Random, donor: str) -> tuple[str, Span | None] | None:
    """The quote's paragraph deleted; not when the same text results from deleting a stretch that
    spares the quote (next to a repeat of itself, "which copy went" has no answer)."""
    first, last = paragraph_around(text, start, end)
    if last - first > len(text) // 2:
        return None
    right = 0
    while last + right < len(text) and text[first + right] == text[last + right]:
        right += 1
    left = 0
    while first - left > 0 and text[first - left - 1] == text[last - left - 1]:
        left += 1
    if right >= end - first or left >= last - start:
        return None
    return text[:first] + text[last:], None


def duplicated_earlier(text: str, start: int, end: int, rng: random.Random,
                       donor: str) -> tuple[str, Span | None] | None:
    first, last = paragraph_around(text, start, end)
    earlier = line_starts(text, first)[:-1] if first else []  # not right before itself: that copy is no copy
    if not earlier:
        return None
    at = rng.choice(earlier)
    copy = text[first:last] if text[first:last].endswith("\n") else text[first:last] + "\n"
    return text[:at] + copy + text[at:], (start + len(copy), end + len(copy))


EDITS: dict[str, Edit] = dict(zip(KINDS, [unchanged, paragraph_inserted, one_character_changed, reworded, deleted,
                                          duplicated_earlier], strict=True))


@dataclass(frozen=True)
class Case:
    group: str
    kind: str
    anchor: Anchor
    old: str
    new: str
    truth: Span | None


def ambiguous(anchor: Anchor, old: str, new: str, truth: Span | None) -> bool:
    """The quote with all its context is elsewhere too (a repeated heading, a copied block): the
    anchor cannot tell the copies apart."""
    whole = anchor.prefix + anchor.exact + anchor.suffix
    return old.count(whole) > 1 or new.count(whole) > (0 if truth is None else 1)


def generate(texts: list[str], per_article: int, rng: random.Random) -> list[Case]:
    cases = []
    groups = {"quotes of 8-30 characters": (8, 30), "short quotes, 4-8 characters": (4, 8)}
    for number, text in enumerate(texts):
        donor = texts[(number + 1) % len(texts)]
        for group, (shortest, longest) in groups.items():
            for kind, edit in EDITS.items():
                for index in range(per_article):
                    span = pick_quote(text, rng, shortest, longest, repeated=longest <= 8 and index % 2 == 0)
                    if span is None:
                        continue
                    edited = edit(text, *span, rng, donor)
                    if edited is None:
                        continue
                    new, truth = edited
                    anchor = make_anchor(text, *span)
                    if not ambiguous(anchor, text, new, truth):
                        cases.append(Case(group, kind, anchor, text, new, truth))
    return cases


def accuracy_tables(cases: list[Case]) -> list[str]:
    lines = []
    for mode, with_old in MODES.items():
        tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # n, right, wrong, orphaned
        for case in cases:
            found = relocate(case.anchor, case.new, case.old if with_old else None).span
            counts = tally[case.group, case.kind]
            counts[0] += 1
            if found is None:
                counts[3] += 1
            elif found == case.truth:
                counts[1] += 1
            else:
                counts[2] += 1
        lines += [f"**{mode}**", "",
                  "| highlights | edit | n | found at the right place | wrongly attached | orphaned |",
                  "|---|---|---|---|---|---|"]
        for (group, kind), (total, right, wrong, orphaned) in tally.items():
            right_cell = "—" if kind in ("reworded", "deleted") else f"{100 * right / total:.1f} %"
            lines.append(f"| {group} | {kind} | {total} | {right_cell} | {100 * wrong / total:.1f} % | "
                         f"{100 * orphaned / total:.1f} % |")
        lines.append("")
    return lines


def timing_table(texts: list[str], rng: random.Random) -> list[str]:
    text = max(texts, key=len)
    donor = next(other for other in texts if other is not text)
    spans = [span for span in (pick_quote(text, rng, 8, 30, False) for _ in range(1000)) if span is not None]
    anchors = [make_anchor(text, *span) for span in spans]
    every_passage = "".join(same_class_char(char, donor, rng) if index % 40 == 20 and char.isalnum() else char
                            for index, char in enumerate(text))

    def edited(edit: Edit) -> str:
        while True:
            result = edit(text, *rng.choice(spans), rng, donor)
            if result is not None:
                return result[0]

    edits: list[tuple[str, Callable[[], str]]] = [(kind, lambda edit=edit: edited(edit))
                                                  for kind, edit in EDITS.items()]
    edits += [("a character changed every 40 (every passage edited)", lambda: every_passage),
              ("an unrelated post", lambda: donor)]
    fresh = itertools.count()
    lines = [f"1,000 highlights (8-30 characters) in one post of {len(text):,} characters; median of 3 edits, ms:", "",
             "| edit | old text known (diff) | anchor alone |", "|---|---|---|"]
    for kind, make_new in edits:
        cells = []
        for with_old in MODES.values():
            timings = []
            for _ in range(3):
                new = make_new() + " " * next(fresh)  # a text never seen, so nothing is cached
                started = time.perf_counter()
                for anchor in anchors:
                    relocate(anchor, new, text if with_old else None)
                timings.append((time.perf_counter() - started) * 1000)
            cells.append(f"{sorted(timings)[1]:.1f}")
        lines.append(f"| {kind} | {cells[0]} | {cells[1]} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-article", type=int, default=40, help="highlights per article, edit kind and set")
    parser.add_argument("--seed", type=int, default=9)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    texts = article_texts()
    cases = generate(texts, arguments.per_article, rng)
    print(f"{len(cases)} highlights over {len(texts)} posts", "", sep="\n")
    print("\n".join(accuracy_tables(cases)))
    print("\n".join(timing_table(texts, rng)))


if __name__ == "__main__":
    main()
