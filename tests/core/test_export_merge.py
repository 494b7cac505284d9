"""Re-exporting into a note the user edited: Lectern's parts are updated, the user's lines stay where
they wrote them, new highlights come in reading order, a deleted highlight goes unless the user wrote
under it; what cannot be merged is refused (the caller sets Lectern's version aside), never lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.anchoring import EXACT
from desktop.core.export import ArticleNotes, article_note
from desktop.core.export_merge import DELETED_MARK, merge_note
from desktop.core.model import Anchor, Highlight, PlacedHighlight
from desktop.core.note_template import NotePart, compose
from tests.core.test_export import default_style

ONE, TWO, THREE, FOUR = (f"{n}{n}{n}{n}aaaa-0000-4000-8000-00000000000{n}" for n in range(1, 5))


def _highlight(highlight_id: str, start: int, quote: str, note: str = "", colour: str = "yellow") -> Highlight:
    return Highlight(highlight_id, "a.md", Anchor(start, start + len(quote), quote), colour, note=note)


def _note(*highlights: Highlight, tags: tuple[str, ...] = ("ai",), title: str = "标题") -> list[NotePart]:
    placed = tuple(PlacedHighlight(h, EXACT, h.anchor) for h in sorted(highlights, key=lambda h: h.anchor.start))
    return article_note(ArticleNotes("a.md", title, None, tags, placed), default_style())


BASE = _note(_highlight(ONE, 10, "第一处"), _highlight(TWO, 20, "第二处", note="原来的笔记"),
             _highlight(THREE, 30, "第三处"))


def _under(text: str, quote: str, written: str) -> str:
    """The note with `written` added under the highlight of `quote` (after its block, before the next)."""
    start = text.index(f"> {quote}\n")
    following = text.find("\n> ", start + 1)
    end = len(text) if following < 0 else following + 1
    return text[:end] + written + text[end:]


def _merged(base: list[NotePart], user: str, new: list[NotePart]) -> str:
    outcome = merge_note(base, user, new)
    assert outcome.conflicts == ()
    assert outcome.text is not None
    return outcome.text


def test_an_untouched_note_becomes_the_new_export() -> None:
    new = _note(_highlight(ONE, 10, "第一处", note="新笔记"), _highlight(FOUR, 40, "第四处"))
    assert _merged(BASE, compose(BASE), new) == compose(new)


def test_user_lines_under_a_highlight_at_the_end_and_in_front_matter_survive_new_changed_and_deleted() -> None:
    user = compose(BASE).replace('tags: ["ai"]\n', 'tags: ["ai"]\nstatus: 在读\n')
    user = _under(user, "第一处", "我的想法：这一点很重要。\n\n")
    user += "\n## 总结\n\n我自己的结论。\n"
    new = _note(_highlight(ONE, 10, "第一处", note="补充的笔记"), _highlight(TWO, 20, "第二处", note="改过的笔记"),
                _highlight(FOUR, 25, "新的一处"), _highlight(FOUR.replace("4", "5"), 50, "最后新增"),
                tags=("ai", "伦理"))
    merged = _merged(BASE, user, new)
    assert "status: 在读\n" in merged and 'tags: ["ai", "伦理"]' in merged  # the property kept, Lectern's updated
    assert merged.startswith("---\n") and merged.index("status: 在读") < merged.index("\n---\n")
    # The user's line stays under its highlight, after Lectern's updated block for it.
    assert merged.index("> 第一处") < merged.index("补充的笔记") < merged.index("我的想法") < merged.index("> 第二处")
    assert "改过的笔记" in merged and "原来的笔记" not in merged
    # New highlights in reading order; the one deleted in Lectern, untouched by the user, is gone.
    assert merged.index("> 第二处") < merged.index("> 新的一处") < merged.index("> 最后新增")
    assert "第三处" not in merged and DELETED_MARK not in merged
    assert merged.endswith("\n## 总结\n\n我自己的结论。\n")  # the end stays the end
    assert _merged(new, merged, new) == merged  # and once merged, a re-export changes nothing


def test_a_deleted_highlight_the_user_wrote_under_stays_marked() -> None:
    user = _under(compose(BASE), "第三处", "这句要留着。\n")
    new = _note(_highlight(ONE, 10, "第一处"), _highlight(TWO, 20, "第二处", note="原来的笔记"))
    merged = _merged(BASE, user, new)
    kept = merged[merged.index(DELETED_MARK):]
    assert kept.index(DELETED_MARK) < kept.index("> 第三处") < kept.index("这句要留着。")
    assert merged.index("> 第二处") < merged.index(DELETED_MARK)  # where it was


def test_a_deleted_highlight_the_user_wrote_inside_stays_marked() -> None:
    user = compose(BASE).replace("> 第三处\n", "> 第三处\n\n我在引文后面写了一句。\n")
    merged = _merged(BASE, user, _note(_highlight(ONE, 10, "第一处")))
    assert DELETED_MARK in merged and "我在引文后面写了一句。" in merged and "> 第二处" not in merged


def test_the_same_lines_changed_on_both_sides_are_refused_not_lost() -> None:
    user = compose(BASE).replace("原来的笔记", "我改写了这条笔记")
    new = _note(_highlight(ONE, 10, "第一处"), _highlight(TWO, 20, "第二处", note="Lectern 里改的笔记"),
                _highlight(THREE, 30, "第三处"))
    outcome = merge_note(BASE, user, new)
    assert outcome.text is None
    assert outcome.conflicts == ("the highlight “第二处” was changed both in the note and in Lectern",)


def test_a_property_changed_on_both_sides_is_refused() -> None:
    user = compose(BASE).replace('title: "标题"', 'title: "我的标题"')
    outcome = merge_note(BASE, user, _note(_highlight(ONE, 10, "第一处"), title="新标题"))
    assert outcome.text is None and "the property “title”" in outcome.conflicts[0]


def test_a_note_lectern_has_no_record_of_is_refused_unless_identical() -> None:
    assert merge_note(None, "my own file\n", BASE).text is None
    assert merge_note(None, compose(BASE), BASE).text == compose(BASE)
    assert merge_note(None, None, BASE).text == compose(BASE)


def test_windows_line_endings_and_a_missing_final_newline_are_kept() -> None:
    user = _under(compose(BASE), "第二处", "mine\n").replace("\n", "\r\n").rstrip("\r\n")
    assert _merged(BASE, user, BASE) == user
    new = _note(_highlight(ONE, 10, "第一处", note="新"), _highlight(TWO, 20, "第二处", note="原来的笔记"),
                _highlight(THREE, 30, "第三处"))
    merged = _merged(BASE, user, new)
    assert "\r\n新\r\n" in merged and "mine\r\n" in merged and not merged.endswith("\n")


# Over 200 lines, difflib takes lines found everywhere (blank ones) as junk: merging a notebook of 2,000
# highlights takes 0.08 s instead of 11 s. The properties below hold for notes of either size.
BIG_HIGHLIGHTS = [_highlight(f"{n:08x}-0000-4000-8000-000000000000", 100 + n * 10, f"引文{n}") for n in range(60)]
BIG = _note(*BIG_HIGHLIGHTS)
assert len(compose(BIG).splitlines()) > 200

_EDIT_LINES = st.lists(st.sampled_from(["", "我的想法", "- a list item", "> a quote of mine", "key: value", "---",
                                        "^lectern-000000000000", "## 标题", "mine"]), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(min_value=0, max_value=10_000), st.booleans(), _EDIT_LINES), max_size=6),
       crlf=st.booleans(), big=st.booleans())
def test_re_exporting_with_no_change_leaves_the_edited_note_byte_identical(
        edits: list[tuple[int, bool, list[str]]], crlf: bool, big: bool) -> None:
    """Whatever the user did to the note (lines added or removed anywhere, even the front matter's),
    an export with nothing new in Lectern writes back exactly their file."""
    base = BIG if big else BASE
    lines = compose(base).splitlines(keepends=True)
    for position, remove, written in edits:
        at = position % (len(lines) + 1)
        if remove and at < len(lines):
            del lines[at]
        else:
            lines[at:at] = [line + "\n" for line in written]
    user = "".join(lines)
    if crlf:
        user = user.replace("\n", "\r\n")
    assert merge_note(base, user, base).text == user


def test_a_line_under_the_last_highlight_stays_under_it_when_a_highlight_follows() -> None:
    user = compose(BASE) + "关于第三处的一句话。\n"
    new = _note(_highlight(ONE, 10, "第一处"), _highlight(TWO, 20, "第二处", note="原来的笔记"),
                _highlight(THREE, 30, "第三处"), _highlight(FOUR, 40, "第四处"))
    merged = _merged(BASE, user, new)
    assert merged.index("> 第三处") < merged.index("关于第三处的一句话。") < merged.index("> 第四处")


_QUOTES = {ONE: (10, "第一处"), TWO: (20, "第二处"), THREE: (30, "第三处"), FOUR: (40, "第四处")}


@settings(max_examples=150, deadline=None)
@given(kept=st.sets(st.sampled_from(sorted(_QUOTES))),
       notes=st.dictionaries(st.sampled_from(sorted(_QUOTES)), st.sampled_from(["", "新笔记", "另一条"])),
       inserts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=5), tags=st.booleans(),
       big=st.booleans())
def test_a_merge_never_loses_a_line_the_user_wrote(kept: set[str], notes: dict[str, str], inserts: list[int],
                                                   tags: bool, big: bool) -> None:
    """Whatever Lectern changed (highlights added, deleted, their notes rewritten, tags changed), each
    line the user added is in the merged note, or nothing is merged at all; every highlight Lectern
    has now is in it."""
    base = _note(*(BIG_HIGHLIGHTS + [_highlight(key, *_QUOTES[key]) for key in (ONE, THREE)]
                   + [_highlight(TWO, *_QUOTES[TWO], note="原来的笔记")])) if big else BASE
    lines = compose(base).splitlines(keepends=True)
    written = []
    for number, position in enumerate(inserts):
        line = f"用户写的第{number}行\n"
        lines.insert(position % (len(lines) + 1), line)
        written.append(line)
    new = _note(*(BIG_HIGHLIGHTS if big else []),
                *(_highlight(key, *_QUOTES[key], note=notes.get(key, "原来的笔记" if key == TWO else ""))
                  for key in sorted(kept)), tags=("ai", "新") if tags else ("ai",))
    outcome = merge_note(base, "".join(lines), new)
    if outcome.text is None:
        assert outcome.conflicts
        return
    assert all(outcome.text.count(line) == 1 for line in written)
    assert all(outcome.text.count(f"> {_QUOTES[key][1]}\n") >= 1 for key in kept)
