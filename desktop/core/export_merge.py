"""Re-exporting into a note the user has edited: a three-way merge of what Lectern exported last time
(the base, kept as note parts), the note as it is now (the user's), and what Lectern exports now.

What Lectern generated is updated, what the user wrote stays where they wrote it:
- the front matter is merged property by property (a property the user added stays, in its place);
- the body is lined up with the base, so each line the user wrote belongs to a part of the note
  (the head, an article's heading, a highlight's block): written between two parts, or after the
  last, it stays under the part before; written inside a part, the part is merged line by line
  (merge3, from the Breezy project); a section the user added at the end (a heading and what
  follows) stays at the end of the note;
- new highlights come in reading order, after the lines the user wrote under the one before;
- a highlight deleted in Lectern goes, unless the user wrote in or under it: then it stays, marked.
When Lectern and the user changed the same lines, or the note is not one Lectern wrote, nothing is
merged: the caller writes Lectern's version beside the note. Pure: text in, text out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from merge3 import Merge3

from desktop.core.note_template import FRONT_MATTER, HEAD, NotePart, compose

__all__ = ["MergeOutcome", "merge_note", "DELETED_MARK"]

DELETED_MARK = ("**Deleted in Lectern.** You wrote in or under this highlight, so it is kept here;"
                " delete it when you no longer need it.\n\n")
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_PROPERTY = re.compile(r"^[^\s#\-\[{][^:\n]*:(?:\s|$)")
_FENCES = ("---", "...")
_HEADING = re.compile(r"#{1,6}[ \t]")


@dataclass(frozen=True)
class MergeOutcome:
    """`text`: the note's merged text, or None when it cannot be merged safely (then `conflicts` says
    what, in words, and Lectern's version goes beside the note)."""

    text: str | None
    conflicts: tuple[str, ...] = ()


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


# -- the front matter, property by property ---------------------------------------------------------------
def _properties(lines: Sequence[str]) -> list[tuple[str, str]]:
    """(key, text) of each top-level property with the lines that belong to it (values, list items,
    comments); lines before the first property have the key "". A repeated key gets a numbered one."""
    entries: list[tuple[str, list[str]]] = []
    seen: dict[str, int] = {}
    for line in lines:
        if _PROPERTY.match(line):
            key = line.split(":", 1)[0].strip()
            seen[key] = seen.get(key, 0) + 1
            entries.append((key if seen[key] == 1 else f"{key}\0{seen[key]}", [line]))
        elif entries:
            entries[-1][1].append(line)
        else:
            entries.append(("", [line]))
    return [(key, "".join(text)) for key, text in entries]


def _merge_properties(base: list[tuple[str, str]], user: list[tuple[str, str]] | None,
                      new: list[tuple[str, str]], conflicts: list[str]) -> list[str]:
    base_map, new_map = dict(base), dict(new)
    user_map = dict(user or [])
    merged: dict[str, str] = {}
    for key in dict.fromkeys([k for k, _ in user or []] + [k for k, _ in new] + [k for k, _ in base]):
        b, u, n = base_map.get(key), user_map.get(key), new_map.get(key)
        if u in (b, n):
            value = n
        elif n == b:
            value = u
        else:
            conflicts.append(f"the property “{key.split(chr(0))[0]}” was changed both in the note and in Lectern")
            continue
        if value is not None:
            merged[key] = value
    # The user's order; a property only Lectern has goes after the one before it in Lectern's order.
    order = [key for key, _ in user or [] if key in merged]
    for index, (key, _) in enumerate(new):
        if key in merged and key not in order:
            before = next((k for k, _ in reversed(new[:index]) if k in order), None)
            first = 1 if order[:1] == [""] else 0  # after any comment lines that open the front matter
            order.insert(order.index(before) + 1 if before is not None else first, key)
    return [merged[key] for key in order]


def _split_front_matter(lines: list[str]) -> tuple[tuple[str, str] | None, list[str], list[str]]:
    """((opening, closing) fence lines or None, front-matter lines, body lines) of the user's note."""
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in _FENCES:
                return (lines[0], lines[index]), lines[1:index], lines[index + 1:]
    return None, [], lines


# -- the body, part by part -------------------------------------------------------------------------------------
@dataclass
class _UserBody:
    """The user's body lines, each given to a part: inside it, under it, before all or after all."""

    inside: dict[int, list[str]] = field(default_factory=dict)
    under: dict[int, list[str]] = field(default_factory=dict)
    top: list[str] = field(default_factory=list)
    end: list[str] = field(default_factory=list)


def _assign(base_parts: Sequence[NotePart], user_lines: list[str]) -> _UserBody:
    base_lines: list[str] = []
    owner: list[int] = []
    for index, part in enumerate(base_parts):
        part_lines = _lines(part.text)
        base_lines += part_lines
        owner += [index] * len(part_lines)
    body = _UserBody({index: [] for index in range(len(base_parts))}, {index: [] for index in range(len(base_parts))})
    # difflib's autojunk (lines found everywhere, such as blank ones, only extend matches in notes of
    # over 200 lines) keeps a notebook of 2,000 highlights at 0.08 s instead of 11 s.
    opcodes = SequenceMatcher(None, base_lines, user_lines).get_opcodes()
    skip = 0  # lines of an equal run already given out by sliding the insertion before it
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            for offset in range(skip, i2 - i1):
                body.inside[owner[i1 + offset]].append(user_lines[j1 + offset])
            skip = 0
            continue
        if tag == "delete":
            continue
        written = user_lines[j1:j2]
        if tag == "insert" and 0 < i1 < len(base_lines) and owner[i1 - 1] == owner[i1]:
            # Lines added inside a part whose last lines they repeat (blank lines, mostly) are slid down
            # past them: a line written under a highlight then counts as under it, not inside its block.
            following = opcodes[number + 1] if number + 1 < len(opcodes) else None
            room = following[2] - following[1] if following and following[0] == "equal" else 0
            while skip < room and owner[i1 + skip] == owner[i1] and user_lines[j1 + skip] == base_lines[i1 + skip]:
                body.inside[owner[i1]].append(user_lines[j1 + skip])
                skip += 1
            i1, written = i1 + skip, user_lines[j1 + skip:j2 + skip]
        if tag == "insert" and i1 == len(base_lines):
            body.end += written
        elif tag == "insert" and i1 == 0:
            body.top += written
        elif tag == "insert" and owner[i1 - 1] != owner[i1]:
            body.under[owner[i1 - 1]] += written
        else:
            body.inside[owner[i1]] += written
    return body


def _describe(part: NotePart) -> str:
    if part.key == HEAD:
        return "the note's heading"
    first = next((line.strip(" >\n") for line in _lines(part.text) if line.strip(" >\n")), part.key)
    kind = "the article" if part.key.startswith("article:") else "the highlight"
    return f"{kind} “{first[:40]}{'…' if len(first) > 40 else ''}”"


def _merge_part(base: NotePart, user: str, new: NotePart, conflicts: list[str]) -> str:
    if user == base.text or user == new.text:
        return new.text
    if new.text == base.text:
        return user
    merged: list[str] = []
    for group in Merge3(_lines(base.text), _lines(user), _lines(new.text)).merge_groups():
        if group[0] != "conflict":
            merged += group[-1]
            continue
        _, _, mine, lecterns = group
        # The user took Lectern's new lines and wrote more around them (as after merging a note set
        # aside by hand): theirs already holds both.
        if lecterns and (mine[:len(lecterns)] == lecterns or mine[len(mine) - len(lecterns):] == lecterns):
            merged += mine
            continue
        conflicts.append(f"{_describe(new)} was changed both in the note and in Lectern")
        return user
    return "".join(merged)


def _merge_body(base_parts: list[NotePart], user_lines: list[str], new_parts: list[NotePart],
                conflicts: list[str]) -> str:
    body = _assign(base_parts, user_lines)
    new_keys = {part.key for part in new_parts}
    # After the last part, the user's lines are under it, unless they open a section of their own (a
    # heading): that stays the end of the note, after any highlight Lectern adds.
    first_written = next((line for line in body.end if line.strip()), "")
    if base_parts and not _HEADING.match(first_written):
        body.under[len(base_parts) - 1] += body.end
        body.end = []
    base_index = {part.key: index for index, part in enumerate(base_parts)}
    # A deleted part the user wrote in or under stays, marked, after the part it followed.
    kept_after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for index, part in enumerate(base_parts):
        if part.key in new_keys:
            anchor = part.key
            continue
        inside, under = "".join(body.inside[index]), "".join(body.under[index])
        if under or inside not in (part.text, ""):
            kept_after.setdefault(anchor, []).append(DELETED_MARK + inside + under)
    out = [*body.top, *kept_after.get(None, [])]
    for part in new_parts:
        at = base_index.get(part.key)
        if at is None:
            out.append(part.text)  # new in Lectern
            continue
        out.append(_merge_part(base_parts[at], "".join(body.inside[at]), part, conflicts))
        out += body.under[at]
        out += kept_after.get(part.key, [])
    return "".join(out + body.end)


def merge_note(base: Sequence[NotePart] | None, user: str | None, new: Sequence[NotePart]) -> MergeOutcome:
    """The note to write now, given what Lectern exported last time (`base`, None when it has no
    record), the note as it is (`user`, None when there is no such file) and Lectern's export now."""
    fresh = compose(new)
    if user is None or user == fresh:
        return MergeOutcome(fresh)
    if base is None:
        return MergeOutcome(None, ("the note is not one Lectern exported here (or the record of it in .lectern/ is"
                                   " gone), so Lectern cannot tell your edits from its own",))
    crlf = "\r\n" in user and user.count("\r\n") == user.count("\n")
    text = user.replace("\r\n", "\n") if crlf else user
    final_newline = text.endswith("\n") or not text
    lines = _lines(text if final_newline else text + "\n")
    fences, user_front, user_body = _split_front_matter(lines)
    conflicts: list[str] = []

    def front(parts: Sequence[NotePart]) -> list[tuple[str, str]]:
        return _properties(_lines("".join(part.text for part in parts if part.key == FRONT_MATTER)))

    properties = _merge_properties(front(base), _properties(user_front) if fences else None, front(new), conflicts)
    body = _merge_body([p for p in base if p.key != FRONT_MATTER], user_body, [p for p in new if p.key != FRONT_MATTER],
                       conflicts)
    if conflicts:
        return MergeOutcome(None, tuple(conflicts))
    opening, closing = fences or ("---\n", "---\n")
    merged = (opening + "".join(properties) + closing if fences or properties else "") + body
    if not final_newline and merged.endswith("\n"):
        merged = merged[:-1]
    return MergeOutcome(merged.replace("\n", "\r\n") if crlf else merged)
