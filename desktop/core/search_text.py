"""Search text and queries. SQLite's unicode61 tokenizer does not split unspaced Chinese and its
trigram tokenizer cannot match fewer than three characters, so runs of CJK characters are split here
into overlapping two-character tokens (plus the run's last character alone): a two-character query is
one token, a longer one a phrase of tokens, and a one-character query a prefix of tokens."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

__all__ = ["index_text", "index_columns", "Term", "SearchQuery", "parse_query", "fts_expression"]

# Han (with extensions and compatibility ideographs), kana and hangul: scripts written without spaces.
# Letters only: punctuation such as the katakana middle dot (U+30FB) separates tokens, as in unicode61.
_CJK_CHARS = ("\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
              "\U00020000-\U0003134f")
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_WORD = re.compile(r"[^\W_]+")  # what unicode61 keeps as a token (it splits on punctuation and "_")
_PIECE = re.compile(f"[{_CJK_CHARS}]+|[^\\W_{_CJK_CHARS}]+")
_FILTER = re.compile(r'(tag|category|colou?r|date|after|before):(?:"([^"]*)"|(\S+))', re.I)
_PHRASE = re.compile(r'"([^"]*)"')
MAX_TERMS = 32  # a pasted paragraph is not a query; SQLite's expression depth is limited
_DATE_PART = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _bigrams(match: re.Match[str]) -> str:
    run = match.group(0)
    pairs = [run[index:index + 2] for index in range(len(run) - 1)]
    return " " + " ".join([*pairs, run[-1]]) + " "


def index_text(text: str) -> str:
    """`text` as it goes into the full-text index."""
    return _CJK_RUN.sub(_bigrams, text)


def index_columns(title: str, text: str, tags: tuple[str, ...], categories: tuple[str, ...],
                  description: str) -> tuple[str, str, str, str, str]:
    """An article's five full-text columns as they go into the index (title, body, tags, categories,
    description): tokenising is the costly part of indexing, so worker processes do it."""
    return (index_text(title), index_text(text), index_text(" ".join(tags)), index_text(" ".join(categories)),
            index_text(description))


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False  # given in quotes: its words must be adjacent and in order
    prefix: bool = False  # ends in *: the last word may continue (anchor* finds anchoring)


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()  # a colour's name or the meaning the user gave it: highlights only
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)  # parts that were not understood

    @property
    def has_filters(self) -> bool:
        return bool(self.tags or self.categories or self.date_from or self.date_to)

    def words(self) -> list[str]:
        """The searched-for text of each term, for marking matches."""
        return [term.text for term in self.terms if term.text]


def _date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """2024 → the whole year; 2024-03 → March; 2024-03-05 → that day."""
    match = _DATE_PART.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year, month, 1), following - dt.timedelta(days=1)
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        return None


def parse_query(text: str) -> SearchQuery:
    """Words (all must match), "exact phrases", prefix*, tag:…, category:…, colour:… (or color:…; a
    colour's name or its meaning, "quoted" when it has spaces), and dates:
    date:2024, date:2024-03, date:2023-01..2024-06, after:2024-01-01, before:2024-12-31."""
    tags, categories, colours, problems = [], [], [], []
    date_from = date_to = None
    for match in _FILTER.finditer(text):
        kind, value = match.group(1).lower(), (match.group(2) if match.group(2) is not None else match.group(3))
        if kind == "tag":
            tags.append(value)
        elif kind == "category":
            categories.append(value)
        elif kind in ("colour", "color"):
            colours.append(value)
        else:
            low, _, high = value.partition("..") if kind == "date" else (value, "", "")
            first, last = _date_bounds(low), _date_bounds(high or low)
            if first is None or last is None:
                problems.append(match.group(0))
            elif kind == "after":
                date_from = first[0]
            elif kind == "before":
                date_to = last[1]
            else:
                date_from, date_to = first[0], last[1]
    rest = _FILTER.sub(" ", text)
    terms = [Term(phrase.strip(), phrase=True) for phrase in _PHRASE.findall(rest) if phrase.strip()]
    for word in _PHRASE.sub(" ", rest).split():
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if _WORD.search(word):
            terms.append(Term(word, prefix=prefix))
    if len(terms) > MAX_TERMS:
        problems.append(f"only the first {MAX_TERMS} words are searched")
        terms = terms[:MAX_TERMS]
    return SearchQuery(tuple(terms), tuple(tags), tuple(categories), tuple(colours), date_from, date_to,
                       tuple(problems))


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _term_expression(term: Term) -> str | None:
    """One term as an FTS5 phrase over the index's tokens, built the way index_text builds them.

    A CJK run followed by more of the term ended there in the document too, so its lone last
    character is part of the phrase; the term's final run may go on in the document, so it is not,
    and a final run of one character is a prefix (any token starting with it)."""
    pieces = [piece for word in _WORD.findall(term.text) for piece in _PIECE.findall(word)]
    tokens: list[str] = []
    prefix = term.prefix
    for number, piece in enumerate(pieces):
        last = number == len(pieces) - 1
        if not _CJK_RUN.fullmatch(piece):
            tokens.append(piece.lower())
            continue
        tokens.extend(piece[index:index + 2] for index in range(len(piece) - 1))
        if not last or len(piece) == 1:
            tokens.append(piece[-1])
        prefix = last and len(piece) == 1
    if not tokens:
        return None
    return _quoted(" ".join(tokens)) + (" *" if prefix else "")


def fts_expression(query: SearchQuery) -> str | None:
    """All terms, ANDed; None when the query has no words (filters alone)."""
    parts = [expression for term in query.terms if (expression := _term_expression(term))]
    return " AND ".join(f"({part})" for part in parts) if parts else None
