"""The corpus tree's plain data: filtering it by tag, letting go of it in steps."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from desktop.core.corpus_tree import TreeFilter, build_tree, dismantle
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


_TAGS = ["AI", "ai", "Ai", "数据", "ML", "ß", "SS", "ss"]


@given(st.lists(st.lists(st.sampled_from(_TAGS), max_size=3), max_size=20), st.sampled_from(_TAGS),
       st.sets(st.integers(0, 25), max_size=3))
def test_a_tag_filter_keeps_the_articles_with_the_tag_in_any_case(tag_lists: list[list[str]], tag: str,
                                                                 tagged_by_user: set[int]) -> None:
    entries = [CorpusEntry(f"{number}.md", "t", BodyKind.MARKDOWN, tags=tuple(tags))
               for number, tags in enumerate(tag_lists)]
    users = frozenset(f"{number}.md" for number in tagged_by_user)
    expected = {entry.relpath for entry in entries if any(name.casefold() == tag.casefold() for name in entry.tags)}
    assert TreeFilter(tag, users).allowed(iter(entries)) == expected | users
