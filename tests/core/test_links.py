"""`lectern://` links: what Lectern writes it reads back exactly; anything else is refused with a
message for a person, never an exception of another kind."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.links import LecternLink, LinkError, block_id, make_link, parse_link

_NAME = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda part: part not in (".", "..") and "/" not in part and "\\" not in part)


@given(corpus=st.lists(_NAME, min_size=1, max_size=4), article=st.lists(_NAME, min_size=1, max_size=4),
       highlight=st.one_of(st.none(), st.uuids()))
def test_a_link_lectern_makes_reads_back_exactly(corpus: list[str], article: list[str], highlight: uuid.UUID | None
                                                 ) -> None:
    made = LecternLink("/" + "/".join(corpus), "/".join(article), str(highlight) if highlight else None)
    url = make_link(made.corpus, made.article, made.highlight)
    assert url.startswith("lectern://open?") and not any(char.isspace() for char in url)
    assert parse_link(url) == made


def _link_or_refusal(text: str) -> None:
    try:
        link = parse_link(text)
    except LinkError as error:
        assert str(error).startswith(("This is not a Lectern link", "This Lectern link"))
    else:
        assert link.corpus.startswith("/") or link.corpus[1:3] in (":\\", ":/") or link.corpus.startswith("\\\\")
        assert ".." not in link.article.split("/")


@given(st.text(max_size=300))
def test_any_text_is_a_link_or_a_clear_refusal(text: str) -> None:
    _link_or_refusal(text)


@given(st.text(alphabet="lectrn:/?&=%.-_abcopsiuhg0123456789", max_size=120))
def test_link_shaped_text_is_a_link_or_a_clear_refusal(text: str) -> None:
    _link_or_refusal(text)


@given(st.sampled_from(["corpus", "article", "highlight"]), st.text(max_size=40))
def test_any_value_in_a_well_formed_link_is_a_link_or_a_clear_refusal(key: str, value: str) -> None:
    values = {"corpus": "/c", "article": "a.md", "highlight": str(uuid.UUID(int=7))} | {key: value}
    _link_or_refusal("lectern://open?" + "&".join(f"{k}={quote(v)}" for k, v in values.items()))


@pytest.mark.parametrize(("url", "message"), [
    ("https://example.com", "not a Lectern link"),
    ("lectern://open", "does not say which corpus"),
    ("lectern://run?corpus=/a&article=b.md", "Lectern only opens passages"),
    ("lectern://open?corpus=relative&article=b.md", "not an absolute folder path"),
    ("lectern://open?corpus=/a&article=../../etc/passwd", "not a path inside its corpus"),
    ("lectern://open?corpus=/a&article=/etc/passwd", "not a path inside its corpus"),
    ("lectern://open?corpus=/a&article=b.md&highlight=1;rm", "not a highlight id"),
    ("lectern://open?corpus=/a&corpus=/b&article=b.md", "more than once"),
    ("lectern://open?corpus=/a&article=b.md&exec=x", "does not know: exec"),
    ("lectern://open?corpus=/a%00b&article=b.md", "control characters"),
    ("lectern://open?" + "x" * 9000, "far too long"),
])
def test_malformed_links_are_refused_plainly(url: str, message: str) -> None:
    with pytest.raises(LinkError, match=message):
        parse_link(url)


def test_block_ids_are_stable_and_obsidian_safe() -> None:
    highlight = "3F2A9C1E-1111-4000-8000-000000000001"
    assert block_id(highlight) == block_id(highlight.lower()) == "lectern-3f2a9c1e1111"
