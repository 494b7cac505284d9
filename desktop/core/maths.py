"""TeX formulas shown readably offline: Unicode text with sub- and superscripts, the TeX on hover.

`math_element` turns a formula's TeX source into one italic <span> whose `title` (Qt's tooltip) is
the TeX: Greek letters, operators and arrows become their Unicode characters (pylatexenc's tables),
`^`/`_` become <sup>/<sub>, fractions a/b, roots √x, matrix and `cases` rows lines of their own.
Whatever cannot be parsed is shown as its TeX source, so a formula never disappears."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from bs4 import BeautifulSoup, Tag
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexSpecialsNode,
    LatexWalker,
)

__all__ = ["MATH_STYLE", "math_element", "tex_to_text", "tex_items"]

# pylatexenc logs every odd formula it tolerates; the formula's source is shown then, which says enough.
logging.getLogger("pylatexenc").setLevel(logging.ERROR)

MATH_STYLE = "font-style:italic"
_MAX_TEX = 4_000  # characters; a longer "formula" is shown as its source
_MAX_DEPTH = 40  # groups nested deeper are shown flat (pylatexenc recurses)

# An item is a run of text, or a ("sup" | "sub", items) script, or ("br", []) for a new row.
Item = str | tuple[str, list["Item"]]

# Macros that only size, space or style what follows: nothing of their own to show.
_SILENT = frozenset({
    "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
    "Biggl", "Biggr", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "limits", "nolimits",
    "nonumber", "notag", "label", "mathstrut", "strut", "phantom", "hphantom", "vphantom", "color",
})
_OPERATOR_NAMES = frozenset({
    "log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh",
    "cosh", "tanh", "max", "min", "sup", "inf", "lim", "limsup", "liminf", "arg", "det", "dim", "gcd", "deg",
    "ker", "Pr", "hom",
})
_CONTENT = frozenset({  # shown as their argument, converted like the rest of the formula
    "text", "textrm", "textit", "textbf", "textsf", "texttt", "mathrm", "mathit", "mathsf", "mathtt",
    "mbox", "hbox", "operatorname", "boldsymbol", "bm", "mathop", "mathord", "mathrel", "mathbin",
    "overline", "underline", "underbrace", "overbrace", "emph", "pmb", "textnormal", "textcolor",
})
# Macros pylatexenc does not know to take arguments: how many groups that follow are theirs.
_TAKES = {"tag": 1, "xrightarrow": 1, "xleftarrow": 1, "xRightarrow": 1, "xLeftarrow": 1, "xleftrightarrow": 1,
          "overset": 2, "underset": 2, "stackrel": 2, "operatorname": 1, "boldsymbol": 1, "bm": 1, "mathop": 1,
          "pmb": 1, "dfrac": 2, "tfrac": 2, "cfrac": 2, "color": 1, "textcolor": 1, "label": 1}
_SYMBOLS = {"|": "‖", "{": "{", "}": "}", "%": "%", "$": "$", "#": "#", "&": "&", "_": "_", ",": " ", ";": " ",
            ":": " ", ">": " ", "!": "", " ": " ", "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|",
            "rvert": "|", "vert": "|", "mid": "|", "triangleq": "≜", "coloneqq": "≔", "R": "ℝ", "N": "ℕ",
            "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "argmax": "argmax ", "argmin": "argmin "}
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
_ARROWS = {"xrightarrow": "→", "xleftarrow": "←", "xRightarrow": "⇒", "xLeftarrow": "⇐",
           "xleftrightarrow": "↔", "overset": "", "underset": "", "stackrel": ""}
_DELIMITERS = {"pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"),
               "Vmatrix": ("‖", "‖"), "cases": ("{", "")}


@lru_cache(maxsize=1)
def _latex2text() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def _flat(items: list[Item]) -> str:
    return "".join(item if isinstance(item, str) else _flat(item[1]) for item in items)


def _wrapped(items: list[Item]) -> list[Item]:
    """An operand of / or √: in parentheses unless it is a single symbol."""
    return items if len(_flat(items).strip()) <= 1 else ["(", *items, ")"]


def _arguments(node: LatexMacroNode) -> list[LatexNode | None]:
    parsed = node.nodeargd
    return list(parsed.argnlist) if parsed is not None and parsed.argnlist else []


class _Converter:
    def __init__(self) -> None:
        self.depth = 0

    def nodes(self, nodes: list[LatexNode] | None) -> list[Item]:
        out: list[Item] = []
        script: str | None = None
        skip_dot = False

        def emit(items: list[Item]) -> None:
            nonlocal script
            if script is not None:
                out.append((script, items))
                script = None
            else:
                out.extend(items)

        self.depth += 1
        try:
            pending = list(nodes or ())
            pending.reverse()  # popped from the end: a macro may take the groups that follow it
            while pending:
                node = pending.pop()
                if self.depth > _MAX_DEPTH:
                    emit([node.latex_verbatim()])
                elif isinstance(node, LatexCharsNode):
                    for char in node.chars:
                        if skip_dot and char == ".":  # \left. / \right. : an empty delimiter
                            skip_dot = False
                            continue
                        if not char.isspace():
                            skip_dot = False
                        if char in "^_":
                            script = "sup" if char == "^" else "sub"
                        elif char.isspace() and script is not None:
                            continue  # x^ 2
                        else:
                            emit(["′" if char == "'" else char])
                elif isinstance(node, LatexGroupNode | LatexMathNode):
                    emit(self.nodes(node.nodelist))
                elif isinstance(node, LatexMacroNode):
                    skip_dot = node.macroname in {"left", "right", "middle"}
                    taken: list[LatexNode] = []
                    wanted = _TAKES.get(node.macroname, 0) if not _arguments(node) else 0
                    while len(taken) < wanted and pending and isinstance(pending[-1], LatexGroupNode):
                        taken.append(pending.pop())
                    emit(self.macro(node, taken))
                elif isinstance(node, LatexEnvironmentNode):
                    emit(self.environment(node))
                elif isinstance(node, LatexSpecialsNode):
                    emit([" " if node.specials_chars in {"&", "~"} else _latex2text().nodelist_to_text([node])])
                elif isinstance(node, LatexCommentNode):
                    continue
            if script is not None:  # a dangling ^ or _
                out.append("^" if script == "sup" else "_")
        finally:
            self.depth -= 1
        return out

    def argument(self, node: LatexNode | None) -> list[Item]:
        if node is None:
            return []
        return self.nodes(node.nodelist if isinstance(node, LatexGroupNode) else [node])

    def macro(self, node: LatexMacroNode, taken: list[LatexNode]) -> list[Item]:
        name = node.macroname
        args = [arg for arg in _arguments(node) if arg is not None] or taken
        if name == "\\":
            return [("br", [])]
        if name in _SYMBOLS:
            return [_SYMBOLS[name]]
        if name in _SILENT:
            return []
        if name in _FRACTIONS:
            if len(args) < 2:
                return ["\\" + name, *[item for arg in args for item in self.argument(arg)]]
            return [*_wrapped(self.argument(args[0])), "/", *_wrapped(self.argument(args[1]))]
        if name == "sqrt":
            parsed = _arguments(node) or [None, *taken]
            degree: list[Item] = [("sup", self.argument(parsed[0]))] if parsed[0] is not None else []
            return [*degree, "√", *_wrapped(self.argument(parsed[-1]))]
        if name in _CONTENT and args:
            return self.argument(args[-1])
        if name in _ARROWS:
            arrow: list[Item] = [_ARROWS[name]] if _ARROWS[name] else []
            label = [("sup", self.argument(args[0]))] if args and arrow else []
            rest = self.argument(args[-1]) if not arrow and args else []
            return [*arrow, *label, *rest]
        if name == "tag" and args:
            return [" (", *self.argument(args[0]), ")"]
        if name in _OPERATOR_NAMES:
            return [name, " "]
        if taken:  # a macro pylatexenc does not know, with its arguments
            return ["\\" + name, *[item for arg in taken for item in self.argument(arg)]]
        text = _latex2text().nodelist_to_text([node])
        if not text and not args:
            return ["\\" + name]  # unknown to pylatexenc: its name is better than nothing
        return [text]

    def environment(self, node: LatexEnvironmentNode) -> list[Item]:
        opening, closing = _DELIMITERS.get(node.environmentname.rstrip("*"), ("", ""))
        rows = self.nodes(node.nodelist)
        while rows and isinstance(rows[-1], tuple) and rows[-1][0] == "br":
            rows.pop()
        return [opening, *rows, closing]


def tex_items(tex: str) -> list[Item]:
    """The formula as text runs and scripts; its TeX source as one run if it cannot be read."""
    if len(tex) > _MAX_TEX:
        return [tex]
    try:
        nodes, _, _ = LatexWalker(tex, tolerant_parsing=True).get_latex_nodes()
        return _merge(_Converter().nodes(nodes))
    except Exception:  # noqa: BLE001 - pylatexenc raises many kinds on odd input; the source is shown then
        return [tex]


def _merge(items: list[Item]) -> list[Item]:
    merged: list[Item] = []
    for item in items:
        if isinstance(item, str):
            if not item:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += item
                continue
            merged.append(item)
        else:
            merged.append((item[0], _merge(item[1])))
    return merged


def tex_to_text(tex: str) -> str:
    """The formula as plain Unicode text (scripts run into the line), for tests and summaries."""
    return _flat(tex_items(tex))


_SPACES = re.compile(r"\s+")


def _append(soup: BeautifulSoup, parent: Tag, items: list[Item]) -> None:
    for item in items:
        if isinstance(item, str):
            parent.append(item)
        elif item[0] == "br":
            parent.append(soup.new_tag("br"))
        else:
            child = soup.new_tag(item[0])
            _append(soup, child, item[1])
            parent.append(child)


def math_element(soup: BeautifulSoup, tex: str, display: bool = False) -> Tag:
    """One formula: an italic span of its Unicode rendering with the TeX source as its tooltip.
    A displayed formula is a centred paragraph of its own."""
    source = tex.strip()
    span = soup.new_tag("span", attrs={"style": MATH_STYLE, "title": _SPACES.sub(" ", source)})
    items = tex_items(source)
    if not _flat(items).strip():
        items = [source]
    _append(soup, span, items)
    if not display:
        return span
    block = soup.new_tag("p", attrs={"align": "center"})
    block.append(span)
    return block
