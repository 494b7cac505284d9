"""The corpus as a tree (by folder, tag, category and date, plus Problems), as plain data built on a
worker and handed to the window's model in one step. Built for 60,000 articles and 20,000 tags: children
are kept by key (no linear scans), article rows are made only when their group is first opened, and a
group with more than BUCKET_SIZE children is split into buckets so that no view ever lays out tens of
thousands of rows at once."""

from __future__ import annotations

import datetime as dt
import time
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from desktop.core.model import CorpusEntry, SkippedFile
from desktop.core.problems import group_problems

__all__ = ["TreeNode", "CorpusTree", "TreeFilter", "build_tree", "dismantle", "BUCKET_SIZE"]

BUCKET_SIZE = 500  # an opened bucket is laid out at once: 1,000 rows took the UI thread 20 ms more
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_BUCKET = "\0bucket"
_MISSING_DETAIL = "The file is gone; its notes are kept, and follow it if it comes back."
_LET_GO_STEP = 512  # objects let go of at a time when a tree is dismantled (~0.5 ms of freeing)


class TreeNode:
    """One row of the tree. A group's children are made on first use from its `members` (articles), or
    given outright (groups of groups)."""

    __slots__ = ("name", "key", "_parent", "row", "relpath", "count", "detail", "pending", "_children",
                 "_members", "_make", "_order", "_key_of", "_by_key", "by_file", "__weakref__")

    def __init__(self, name: str, key: str, relpath: str | None = None, detail: str = "",
                 pending: bool = False) -> None:
        self.name = name
        self.key = key  # stable among its siblings: how the view's state is found again after a rebuild
        # A weak link up: a tree has no reference cycles, so a replaced tree is freed at once instead of
        # waiting for the cycle collector, whose full passes over a 60,000-article tree stall every thread.
        self._parent: weakref.ref[TreeNode] | None = None
        self.row = 0
        self.relpath = relpath  # set on rows that open an article
        self.count: int | None = None  # articles below, shown after the name
        self.detail = detail  # the tooltip
        self.pending = pending  # an article not read yet: its title is still the file name
        self._children: list[TreeNode] | None = []
        self._members: Sequence[object] = ()
        self._make: Callable[[object], TreeNode] | None = None
        self._order: Callable[[object], object] | None = None
        self._key_of: Callable[[object], str] | None = None  # a member's row key, without making the row
        self._by_key: dict[str, TreeNode] | None = None  # made on first lookup: key → child (or its bucket)
        self.by_file = False  # a folder: its articles are in file-name order, and buckets are named so

    @property
    def parent(self) -> TreeNode | None:
        return self._parent() if self._parent is not None else None

    @property
    def label(self) -> str:
        return self.name if self.count is None else f"{self.name} ({self.count:,})"

    @property
    def children(self) -> list[TreeNode]:
        if self._children is None:  # first use: make the rows (in buckets when there are many)
            make = self._make
            assert make is not None
            members = sorted(self._members, key=self._order) if self._order else self._members  # type: ignore[arg-type]
            if len(members) <= BUCKET_SIZE:
                self._adopt([make(member) for member in members])
            else:  # buckets whose rows are made in turn when each is opened
                buckets = []
                for start in range(0, len(members), BUCKET_SIZE):
                    part = members[start:start + BUCKET_SIZE]
                    bucket = _bucket(make(part[0]), make(part[-1]), start, len(part), self.by_file)
                    assert self._key_of is not None
                    bucket.set_members(part, make, key_of=self._key_of)
                    buckets.append(bucket)
                self._adopt(buckets)
            self._members, self._make, self._order, self._key_of = (), None, None, None
        return self._children  # type: ignore[return-value]

    @property
    def has_children(self) -> bool:
        return bool(self._members) if self._children is None else bool(self._children)

    def set_children(self, children: list[TreeNode], bucket: bool = True) -> None:
        self._adopt(_bucketed(children, self.by_file) if bucket else children)

    def set_members(self, members: Sequence[object], make: Callable[[object], TreeNode],
                    order: Callable[[object], object] | None = None,
                    key_of: Callable[[object], str] = lambda member: member.relpath) -> None:  # type: ignore[attr-defined]
        """Children made from `members` (sorted by `order`, if given) when first asked for: sorting and
        making rows for 20,000 groups that nobody opens would cost seconds. `key_of` gives a member's
        row key without making the row."""
        self._children, self._members, self._make, self._order, self._key_of = None, members, make, order, key_of

    def _keys(self) -> Iterable[str]:
        """The children's keys, without making rows that are not made yet."""
        if self._children is None:
            assert self._key_of is not None
            return map(self._key_of, self._members)
        return (child.key for child in self._children)

    def _adopt(self, children: list[TreeNode]) -> None:
        up = weakref.ref(self)
        for row, child in enumerate(children):
            child._parent, child.row = up, row
        self._children = children

    def child(self, key: str) -> TreeNode | None:
        """The child with this key; in a bucketed group, the row with this key inside its bucket."""
        children = self.children
        if self._by_key is None:
            self._by_key = {child.key: child for child in children}
        found = self._by_key.get(key)
        if found is not None or not children or not children[-1].key.startswith(_BUCKET):
            return found
        if self.by_file:
            # A folder's rows are in key (path) order: find the bucket by halving, not by listing 60,000 keys.
            firsts = [next(iter(bucket._keys()), "") for bucket in children]
            return children[max(0, bisect_right(firsts, key) - 1)].child(key)
        for bucket in children:  # a facet's rows are in title order: ask each bucket (each keeps a map)
            if (row := bucket.child(key)) is not None:
                return row
        return None

    def path(self) -> tuple[str, ...]:
        keys: list[str] = []
        node: TreeNode | None = self
        while node is not None and node.parent is not None:
            keys.append(node.key)
            node = node.parent
        return tuple(reversed(keys))


def _bucketed(children: list[TreeNode], by_file: bool) -> list[TreeNode]:
    """More than BUCKET_SIZE rows are split, in their order, into buckets named by their first and last
    rows (by file name in a folder, whose articles are in file-name order)."""
    if len(children) <= BUCKET_SIZE:
        return children

    buckets = []
    for start in range(0, len(children), BUCKET_SIZE):
        part = children[start:start + BUCKET_SIZE]
        bucket = _bucket(part[0], part[-1], start, len(part), by_file)
        bucket.set_children(part, bucket=False)
        buckets.append(bucket)
    return buckets


def _bucket(first: TreeNode, last: TreeNode, start: int, count: int, by_file: bool) -> TreeNode:
    def name(node: TreeNode) -> str:
        return _short(_stem(node.relpath) if by_file and node.relpath else node.name)

    bucket = TreeNode(f"{name(first)} … {name(last)}", f"{_BUCKET}{start // BUCKET_SIZE:06d}")
    bucket.count = count
    bucket.by_file = by_file
    return bucket


def _stem(relpath: str) -> str:
    """PurePosixPath(relpath).stem, without making a path: tens of thousands of rows ask for it."""
    name = relpath.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


@dataclass
class CorpusTree:
    root: TreeNode
    tags: list[str] = field(default_factory=list)  # every tag of the articles, one spelling each, in order
    # The same, by case-folded name: made here, on the worker (folding 10,000 names on the UI thread took
    # 4-6 ms, and three times that while a first index runs beside it).
    tag_spellings: dict[str, str] = field(default_factory=dict)

    def group(self, name: str) -> TreeNode | None:
        return self.root.child(name)

    def find(self, path: Iterable[str]) -> TreeNode | None:
        node: TreeNode | None = self.root
        for key in path:
            node = node.child(key) if node is not None else None
        return node

    def locate(self, relpath: str) -> TreeNode | None:
        """The article's row under Folders."""
        parts = relpath.split("/")
        return self.find(["Folders", *parts[:-1], relpath])

    def first_article(self) -> str | None:
        return next(self.articles(), None)

    def articles(self) -> Iterator[str]:
        """The articles under Folders, in the tree's order (rows are made as it goes)."""
        pending = [self.group("Folders")]
        while pending:
            node = pending.pop()
            if node is None:
                continue
            if node.relpath is not None:
                yield node.relpath
            else:
                pending.extend(reversed(node.children))


def _article_row(entry: CorpusEntry) -> TreeNode:
    detail = entry.relpath + "".join(f"\n⚠ {warning}" for warning in entry.warnings)
    return TreeNode(entry.title, entry.relpath, entry.relpath, detail)


def _title_order(entry: CorpusEntry) -> tuple[str, str]:
    return entry.title.casefold(), entry.relpath


class _Folder:
    __slots__ = ("subfolders", "files")

    def __init__(self) -> None:
        self.subfolders: dict[str, _Folder] = {}
        self.files: list[tuple[str, CorpusEntry | None]] = []  # (relpath, entry or None while pending)


def _folder_node(name: str, folder: _Folder) -> tuple[TreeNode, int]:
    subfolders = [_folder_node(sub, folder.subfolders[sub]) for sub in sorted(folder.subfolders, key=str.casefold)]
    node = TreeNode(name, name)
    node.by_file = True
    # By path (unique): stable while titles are still being read. Compared by path alone, in C: a sort of
    # 60,000 (path, entry) pairs holds the interpreter lock the UI thread waits for (90 ms; this, 35).
    files = sorted(folder.files, key=itemgetter(0))
    count = len(files) + sum(total for _, total in subfolders)
    node.count = count
    if not subfolders:
        node.set_members(files, _folder_file_row, key_of=_first)  # type: ignore[arg-type]
    else:  # sub-folders first, then the folder's own articles
        node.set_children([sub for sub, _ in subfolders] + [_folder_file_row(item) for item in files],
                          bucket=len(files) <= BUCKET_SIZE)
        if len(files) > BUCKET_SIZE:  # many articles beside sub-folders: the articles go into one group
            rest = TreeNode("Articles", "\0articles")
            rest.by_file = True
            rest.count = len(files)
            rest.set_members(files, _folder_file_row, key_of=_first)  # type: ignore[arg-type]
            node.set_children([sub for sub, _ in subfolders] + [rest], bucket=False)
    return node, count


def _first(item: tuple[str, ...]) -> str:
    """The key of a (relpath, …) member: its path."""
    return item[0]


def _folder_file_row(item: tuple[str, CorpusEntry | None]) -> TreeNode:
    relpath, entry = item
    if entry is None:
        return TreeNode(_stem(relpath), relpath, relpath, f"{relpath}\n(not read yet)", pending=True)
    return _article_row(entry)


def _facet(key: str, name: str, members: list[CorpusEntry], order: Callable[[CorpusEntry], object]) -> TreeNode:
    node = TreeNode(name, key)
    node.count = len(members)
    node.set_members(members, _article_row, order)  # type: ignore[arg-type]
    return node


def _facet_group(name: str, by_value: dict[str, tuple[str, list[CorpusEntry]]]) -> TreeNode:
    """A group of values (folded → its first spelling and its articles), one child each."""
    group = TreeNode(name, name)
    group.count = len(by_value)
    # By the folded value alone: sorting (value, (spelling, articles)) pairs compared tuples, 8-18 ms of C
    # for 10,000 tags with the interpreter lock held (the UI thread waits that long for its next call).
    group.set_children([_facet(folded, *by_value[folded], _title_order) for folded in sorted(by_value)])
    return group


def _by_value(entries: list[CorpusEntry], field: str) -> dict[str, tuple[str, list[CorpusEntry]]]:
    """The articles of each value of `field` (tags, categories), whatever the value's case."""
    by_spelling: dict[str, list[CorpusEntry]] = {}
    values = attrgetter(field)
    for entry in entries:  # 180,000 (article, tag) pairs at 60,000 articles: one lookup each, no folding
        for value in values(entry):
            members = by_spelling.get(value)
            if members is None:
                by_spelling[value] = [entry]
            else:
                members.append(entry)
    by_value: dict[str, tuple[str, list[CorpusEntry]]] = {}
    for value, members in by_spelling.items():  # then each spelling once: the first one seen is shown
        folded = value.casefold()
        found = by_value.get(folded)
        if found is None:
            by_value[folded] = (value, members)
        else:
            found[1].extend(members)
    return by_value


def _newest_first(entry: CorpusEntry) -> tuple[int, str, str]:
    return -(entry.date or dt.date.min).toordinal(), entry.title.casefold(), entry.relpath


def _dates_group(entries: list[CorpusEntry]) -> TreeNode:
    by_day: dict[dt.date | None, list[CorpusEntry]] = {}
    for entry in entries:  # by day first (days repeat): one lookup an article
        members = by_day.get(entry.date)
        if members is None:
            by_day[entry.date] = [entry]
        else:
            members.append(entry)
    undated = by_day.pop(None, [])
    years: dict[int, dict[int, list[CorpusEntry]]] = {}
    for day, members in by_day.items():
        assert day is not None
        years.setdefault(day.year, {}).setdefault(day.month, []).extend(members)
    children = []
    for year in sorted(years, reverse=True):
        node = TreeNode(str(year), f"{year:04d}")
        node.count = sum(len(members) for members in years[year].values())
        node.set_children([_facet(f"{month:02d}", _MONTHS[month - 1], years[year][month], _newest_first)
                           for month in sorted(years[year], reverse=True)], bucket=False)
        children.append(node)
    if undated:
        children.append(_facet("undated", "Undated", undated, _title_order))
    group = TreeNode("Dates", "Dates")
    group.set_children(children, bucket=False)
    return group


def _problems_group(entries: list[CorpusEntry], skipped: list[SkippedFile]) -> TreeNode | None:
    groups = group_problems(entries, skipped)
    if not groups:
        return None
    real = sum(group.count for group in groups if not group.kind.informational)
    node = TreeNode(f"Problems ({real:,})" if real else "Problems (none; notes only)", "Problems",
                    detail="Files that could not be read, and files that open with a warning, by kind")
    children = []
    for group in groups:
        kind = TreeNode(group.kind.label, group.kind.label, detail="Harmless: listed for completeness"
                        if group.kind.informational else "")
        kind.count = group.count
        kind.set_members(group.files, _problem_row, key_of=_first)  # type: ignore[arg-type]
        children.append(kind)
    node.set_children(children, bucket=False)
    return node


def _problem_row(item: tuple[str, str, bool]) -> TreeNode:
    relpath, message, opens = item
    return TreeNode(f"{relpath}: {message}", relpath, relpath if opens else None, message)


def build_tree(entries: Iterable[CorpusEntry], skipped: Iterable[SkippedFile] = (), pending: Iterable[str] = (),
               missing: Iterable[str] = (), allowed: set[str] | None = None) -> CorpusTree:
    """The tree of `entries` (read articles), `pending` (listed, not read yet: shown under Folders by
    file name), `skipped` (unreadable, under Problems) and `missing` (annotated files that are gone).
    `allowed`: show only these articles (a filter), or all when None."""
    def shown(relpath: str) -> bool:
        return allowed is None or relpath in allowed

    read = [entry for entry in entries if shown(entry.relpath)]
    waiting = [relpath for relpath in pending if shown(relpath)]
    unreadable = [item for item in skipped if shown(item.relpath)]
    top = TreeNode("", "")
    folders = _Folder()
    by_path: dict[str, _Folder] = {"": folders}
    for relpath, entry in [(entry.relpath, entry) for entry in read] + [(relpath, None) for relpath in waiting]:
        parent = relpath.rpartition("/")[0]
        folder = by_path.get(parent)
        if folder is None:
            folder = folders
            for part in parent.split("/"):
                folder = folder.subfolders.get(part) or folder.subfolders.setdefault(part, _Folder())
            by_path[parent] = folder
        folder.files.append((relpath, entry))
    folders_node, _ = _folder_node("Folders", folders)
    folders_node.count = None
    tags = _by_value(read, "tags")
    groups = [folders_node, _facet_group("Tags", tags), _facet_group("Categories", _by_value(read, "categories")),
              _dates_group(read)]
    problems = _problems_group(read, unreadable)
    if problems is not None:
        groups.append(problems)
    gone = [relpath for relpath in missing if shown(relpath)]
    if gone:
        node = TreeNode("Notes of missing files", "Missing")
        node.count = len(gone)
        node.set_children([TreeNode(relpath, relpath, relpath, _MISSING_DETAIL) for relpath in sorted(gone)])
        groups.append(node)
    top.set_children(groups, bucket=False)
    spellings = {key: tags[key][0] for key in sorted(tags)}
    return CorpusTree(top, list(spellings.values()), spellings)


def dismantle(tree: CorpusTree, pause: float = 0.0) -> None:
    """Let go of `tree` a few hundred objects at a time. Dropped at once, a 60,000-article tree (with the
    entries only it still holds once an index has replaced them) is freed inside one call, which holds the
    interpreter lock 40-80 ms whatever thread makes it, the UI thread waiting; freed in steps, the lock
    changes hands between them. `pause`: seconds to sleep after each step, letting go of the lock so that
    a thread waiting for it has it at once (beside a worker running Python flat out, each of the UI
    thread's calls into Qt waits for it; freeing is never urgent). Nothing else may still use its rows:
    they are left empty (its tag names, which the filter may still offer, are kept)."""
    nodes = [tree.root]
    done = 0  # objects let go of since the last pause
    while nodes:
        node = nodes.pop()
        children, members = node._children or [], list(node._members)  # the members' copy: the one reference
        node._children, node._members, node._by_key = [], (), None
        node._make = node._order = node._key_of = None
        nodes += children
        done += 1
        while members:
            done += min(len(members), _LET_GO_STEP)
            del members[-_LET_GO_STEP:]
            if done >= _LET_GO_STEP and pause:
                done = 0
                time.sleep(pause)


@dataclass(frozen=True)
class TreeFilter:
    """What the user narrowed the tree to, resolved against the corpus on the worker that builds it."""

    tag: str | None = None
    tagged_by_user: frozenset[str] = frozenset()  # articles the user gave `tag` (or a highlight with it)
    annotated: frozenset[str] | None = None  # only these (annotated) articles, when set

    @property
    def active(self) -> bool:
        return self.tag is not None or self.annotated is not None

    def allowed(self, entries: Iterable[CorpusEntry]) -> set[str] | None:
        if not self.active:
            return None
        allowed: set[str] | None = None
        if self.tag is not None:
            entries = list(entries)
            folded = self.tag.casefold()
            # The tag's spellings among the 10,000 in use, found once; then one set test an article, in C (a
            # case-folded comparison of each of its tags took the worker 70 ms of Python at 60,000 articles,
            # the UI thread waiting for the interpreter lock all along).
            in_use: set[str] = set().union(*map(attrgetter("tags"), entries))
            spellings = {tag for tag in in_use if tag.casefold() == folded}
            allowed = {entry.relpath for entry in entries if not spellings.isdisjoint(entry.tags)}
            allowed |= self.tagged_by_user
        if self.annotated is not None:
            allowed = set(self.annotated) if allowed is None else allowed & self.annotated
        return allowed
