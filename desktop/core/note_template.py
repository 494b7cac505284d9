"""Exported notes laid out by a Jinja2 template the user may write, rendered in a sandbox.

A template is Markdown with up to five named blocks, each rendered on its own so that Lectern knows
which lines it generated for what (desktop.core.export_merge merges re-exports part by part):

    {% block front_matter %}  the YAML properties, without the `---` lines around them
    {% block head %}          the top of the note: title, tags
    {% block article %}       before each article's highlights, in a note gathered from many articles
    {% block highlight %}     once per highlight; it must write {{ highlight.block_id }} on a line
                              of its own as `^{{ highlight.block_id }}` (the link target, the merge anchor)
    {% block tail %}          the end of the note

What the blocks see (plain values; see `note_fields`): `note`, `article` and, in the highlight block,
`highlight`. Filters: `yaml` (a YAML string), `tag` (an Obsidian #tag), `quote` (each line as `> …`),
`oneline` (white space folded). The sandbox gives templates no files, imports or Python internals;
autoescaping is off, as the output is Markdown. Pure: the template's text comes in, strings go out."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from desktop.core.errors import LecternError
from desktop.core.tags import obsidian_tag

__all__ = ["NoteTemplate", "NotePart", "NoteTemplateError", "FRONT_MATTER", "HEAD", "TAIL", "article_key",
           "highlight_key", "compose", "PART_BLOCKS"]

FRONT_MATTER, HEAD, TAIL = "front_matter", "head", "tail"
PART_BLOCKS = (FRONT_MATTER, HEAD, "article", "highlight", TAIL)
_TEMPLATE_FILENAME = "<template>"  # what Jinja2 names the code of a template compiled from a string


class NoteTemplateError(LecternError):
    """A template that cannot be used: the message names the line."""


@dataclass(frozen=True)
class NotePart:
    """A piece of an exported note that Lectern generated: `key` says what it is (front_matter, head,
    article:<path>, highlight:<id>, tail); `text` is its lines, each ending in a newline."""

    key: str
    text: str


def article_key(relpath: str) -> str:
    return f"article:{relpath}"


def highlight_key(highlight_id: str) -> str:
    return f"highlight:{highlight_id}"


def compose(parts: Sequence[NotePart]) -> str:
    """The note's text: the front matter between `---` lines (when there is any), then the other parts."""
    text = "".join(part.text for part in parts if part.key != FRONT_MATTER)
    front = "".join(part.text for part in parts if part.key == FRONT_MATTER)
    return (f"---\n{front}---\n" if front else "") + text


def _yaml(value: object) -> str:
    return json.dumps("" if value is None else str(value), ensure_ascii=False)  # a JSON string is valid YAML


def _quote(text: object) -> str:
    lines = str(text).strip().splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _oneline(text: object) -> str:
    return " ".join(str(text).split())


def _lines(text: str) -> str:
    """Every line ends in a newline; trailing blank lines are kept (they separate parts)."""
    return text if not text or text.endswith("\n") else text + "\n"


class NoteTemplate:
    """A compiled template. `source` is the template's text; `name` names it in error messages."""

    def __init__(self, source: str, name: str = "the template") -> None:
        self.name = name
        self._environment = SandboxedEnvironment(
            autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            undefined=StrictUndefined, loader=None)
        self._environment.filters.update(yaml=_yaml, tag=obsidian_tag, quote=_quote, oneline=_oneline)
        try:
            self._template = self._environment.from_string(source)
        except TemplateError as error:
            raise self._error(error, getattr(error, "lineno", None)) from None
        unknown = sorted(set(self._template.blocks) - set(PART_BLOCKS))
        if unknown:
            raise NoteTemplateError(f"{name} has blocks Lectern does not know: {', '.join(unknown)}"
                                    f" (it knows {', '.join(PART_BLOCKS)}).")
        if "highlight" not in self._template.blocks:
            raise NoteTemplateError(f"{name} has no {{% block highlight %}}: Lectern renders each highlight"
                                    " with it.")

    def _error(self, error: BaseException, line: int | None) -> NoteTemplateError:
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        where = f", line {line}" if line else ""
        return NoteTemplateError(f"{self.name}{where}: {message}")

    def _line_of(self, tb: TracebackType | None) -> int | None:
        """The template line a rendering error happened on (the innermost frame of the template's code)."""
        line = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILENAME:
                line = self._template.get_corresponding_lineno(tb.tb_lineno)
            tb = tb.tb_next
        return line

    def render_block(self, block: str, values: Mapping[str, Any]) -> str:
        """One block with these values ("" when the template has no such block)."""
        render = self._template.blocks.get(block)
        if render is None:
            return ""
        try:
            return _lines("".join(render(self._template.new_context(dict(values)))))
        except NoteTemplateError:
            raise
        except Exception as error:  # anything a template does wrong (undefined names, bad filters, sandbox)
            raise self._error(error, self._line_of(error.__traceback__)) from None

    def render(self, note: Mapping[str, Any], groups: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
               grouped: bool) -> list[NotePart]:
        """The note's parts: front matter, head, then per article (its `article` block when `grouped`)
        its highlights, then the tail. `groups`: (article fields, highlight fields) in reading order."""
        single = groups[0][0] if len(groups) == 1 and not grouped else None
        common = {"note": note, "article": single}
        parts = [NotePart(FRONT_MATTER, self.render_block(FRONT_MATTER, common)),
                 NotePart(HEAD, self.render_block(HEAD, common))]
        for article, highlights in groups:
            if grouped:
                parts.append(NotePart(article_key(str(article["path"])),
                                      self.render_block("article", {"note": note, "article": article})))
            for highlight in highlights:
                text = self.render_block("highlight", {"note": note, "article": article, "highlight": highlight})
                if f"^{highlight['block_id']}" not in text:
                    raise NoteTemplateError(f"{self.name}: the highlight block must write ^{{{{ highlight.block_id }}}}"
                                            " (Lectern finds each highlight in a note you edited by it).")
                parts.append(NotePart(highlight_key(str(highlight["id"])), text))
        parts.append(NotePart(TAIL, self.render_block(TAIL, common)))
        return [part for part in parts if part.text or part.key == FRONT_MATTER]
