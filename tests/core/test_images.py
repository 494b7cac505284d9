"""Kept images in rendering: the plain text, the coordinate space of every highlight, is the same
whether an article's images are kept, failed or unknown; the view's images stand for their
placeholders, so highlights after an image land where they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.documents import load_article, parse_article
from desktop.core.images import FailedImage, KeptImage, candidate_image_urls
from desktop.core.render import render_article
from desktop.core.textmap import TextMap
from tests.conftest import SAMPLE

POSTS = sorted(SAMPLE.rglob("*.md"))


@pytest.mark.parametrize("path", POSTS, ids=lambda path: path.name)
def test_the_plain_text_is_the_same_with_or_without_kept_images(path: Path, tmp_path: Path) -> None:
    article = load_article(path, SAMPLE)
    plain = render_article(article)
    urls = plain.remote_images
    kept = render_article(article, images={url: KeptImage(tmp_path / f"{n}.png") for n, url in enumerate(urls)})
    failed = render_article(article, images=dict.fromkeys(urls, FailedImage("not found")))
    assert kept.text == failed.text == plain.text
    assert set(urls) <= set(candidate_image_urls(article.body))  # the cheap lookup asks for every one shown
    shown = BeautifulSoup(kept.html, "lxml").find_all("img")
    assert len(shown) == len(kept.image_texts) >= len(urls)
    stand_ins = [text for text in kept.image_texts if text]
    assert all(text.startswith("[image") and text in plain.text for text in stand_ins)
    assert len(stand_ins) == sum(1 for tag in shown if str(tag["src"]).startswith(tmp_path.as_uri()))


def test_a_kept_image_replaces_its_placeholder_and_a_failed_one_says_why(tmp_path: Path) -> None:
    body = "Before ![a diagram](https://img.example/a.png) middle ![](//img.example/b.png) after ![c](http://c/c.gif)"
    article = parse_article(body, tmp_path / "post.md", "post.md")
    rendered = render_article(article, images={"https://img.example/a.png": KeptImage(tmp_path / "a.png"),
                                               "https://img.example/b.png": FailedImage("too large")})
    assert rendered.remote_images == ("https://img.example/a.png", "https://img.example/b.png", "http://c/c.gif")
    soup = BeautifulSoup(rendered.html, "lxml")
    image = soup.find("img")
    assert image is not None and image["src"] == (tmp_path / "a.png").as_uri()
    assert image["alt"] == image["title"] == "a diagram"
    placeholders = soup.find_all("span", class_="image-placeholder")
    assert [span.get_text() for span in placeholders] == ["[image]", "[image: c]"]
    assert placeholders[0]["title"] == "Not kept for offline reading: too large"
    assert not placeholders[1].has_attr("title")  # not asked for: nothing to say
    assert rendered.text == "Before [image: a diagram] middle [image] after [image: c]"
    assert rendered.image_texts == ("[image: a diagram]",)


_PIECES = st.lists(st.one_of(st.text(alphabet="ab伦理 \n", min_size=1, max_size=5).map(lambda text: ("text", text)),
                             st.sampled_from(["[image]", "[image: 图]", ""]).map(lambda text: ("image", text))),
                   max_size=10)


@given(_PIECES)
def test_an_image_in_the_view_covers_exactly_the_text_it_stands_for(pieces: list[tuple[str, str]]) -> None:
    canonical = "".join(text for _, text in pieces)
    view = "".join("\ufffc" if kind == "image" else text for kind, text in pieces)
    mapping = TextMap(canonical, view, [text for kind, text in pieces if kind == "image"])
    canonical_at = view_at = 0
    for kind, text in pieces:
        canonical_end = canonical_at + len(text)
        view_end = view_at + (1 if kind == "image" else len(text))
        if kind == "image" and text:
            assert mapping.to_view(canonical_at, canonical_end) == (view_at, view_end)
            assert mapping.to_canonical(view_at, view_end) == (canonical_at, canonical_end)
        elif kind == "text" and text.strip():
            first = canonical_at + len(text) - len(text.lstrip())
            last = canonical_at + len(text.rstrip())
            shift = view_at - canonical_at
            assert mapping.to_view(first, last) == (first + shift, last + shift)
            assert mapping.to_canonical(first + shift, last + shift) == (first, last)
        canonical_at, view_at = canonical_end, view_end
