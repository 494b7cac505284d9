"""Letting go of a corpus tree in steps (desktop.core.corpus_tree.dismantle)."""

from __future__ import annotations

import sys

from desktop.core.corpus_tree import build_tree, dismantle
from desktop.core.model import BodyKind, CorpusEntry


def test_a_dismantled_tree_holds_nothing_any_more() -> None:
    entries = [CorpusEntry(f"_posts/{number % 3}/2024-01-01-{number:05d}.md", f"标题 {number}", BodyKind.MARKDOWN,
                           tags=(f"标签{number}", f"tag{number % 7}"), categories=(f"类{number % 300}",))
               for number in range(2_000)]
    held_before = [sys.getrefcount(entry) for entry in entries]
    tree = build_tree(entries, pending=["_posts/0/not-read.md"], missing=["gone.md"])
    for group in tree.root.children:  # some groups opened, most not (their rows are made when they are)
        for child in group.children[:3]:
            child.children  # noqa: B018 (made on first use)
    assert all(sys.getrefcount(entry) > held for entry, held in zip(entries, held_before, strict=True))
    dismantle(tree)
    # Every entry was let go of by the steps themselves, the tree still alive: nothing is left for the
    # last reference's drop to free at once.
    assert [sys.getrefcount(entry) for entry in entries] == held_before
    assert tree.root.children == [] and tree.first_article() is None
