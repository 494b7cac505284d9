"""Rendering: seeds render, hostile HTML comes out inert, nothing remote is referenced, code keeps its
lines, and the plain text matches what the reader shows (more in test_render_fidelity.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from desktop.core.documents import load_article, parse_article
from desktop.core.render import render_article
from tests.conftest import DATA, SAMPLE, SEED_FACTS, SEEDS

HOSTILE = """<div>
<p onclick="steal()" onmouseover='x()' style="background:url(http://evil.example/track.png)">Safe text</p>
<script>alert('run')</script><style>body{background:url(http://evil.example/x)}</style>
<iframe src="http://evil.example/frame"></iframe><object data="x.swf"></object><embed src="y.swf">
<form action="http://evil.example/post"><input name="q"><button>Go</button></form>
<meta http-equiv="refresh" content="0;url=http://evil.example/">
<link rel="stylesheet" href="http://evil.example/style.css">
<a href="javascript:alert(1)">js link</a> <a href="data:text/html,<script>alert(1)</script>">data link</a>
<a href="https://example.org/page">web link</a> <a href="other.md">internal</a>
<img src="http://evil.example/pixel.gif" alt="remote pic" onerror="alert(1)">
<img src="data:image/png;base64,AAAA" alt="inline pic">
<svg onload="alert(1)"><circle r="4"/></svg>
<p style="display:none">hidden text</p>
</div>"""


def _render(body: str, name: str = "post.html", base: Path = Path("/nonexistent")):  # type: ignore[no-untyped-def]
    return render_article(parse_article(body, base / name, name))


def test_hostile_html_comes_out_inert() -> None:
    rendered = _render(HOSTILE)
    lowered = rendered.html.lower()
    for forbidden in ("<script", "<style", "<iframe", "<object", "<embed", "<form", "<input", "<meta", "<link",
                      "<svg", "javascript:", "data:", "onclick", "onerror", "onload", "onmouseover", "evil.example",
                      "url(", "style="):
        assert forbidden not in lowered, forbidden
    assert "Safe text" in rendered.text
    assert "js link" in rendered.text and "data link" in rendered.text  # the words stay, the links go
    assert 'href="https://example.org/page"' in rendered.html
    assert 'href="other.md"' in rendered.html
    assert "[image: remote pic]" in rendered.text
    assert "hidden text" not in rendered.text


@pytest.mark.parametrize("url", ["http://i-blog.c\uff03n/a.png", "//host\uff0fx/a.png", "http://[::1/a.png"])
def test_a_url_that_is_no_url_leads_nowhere(url: str) -> None:
    """Seen in a real post cut mid-tag: urllib refuses some URLs (a host that Unicode normalisation
    changes, an unclosed IPv6 bracket) with ValueError; the article still opens."""
    rendered = _render(f'<p>x <img src="{url}" alt="pic"> <a href="{url}">link</a></p>')
    assert "[missing image: pic]" in rendered.text and "link" in rendered.text
    assert "href" not in rendered.html and rendered.remote_images == ()


def test_local_images_are_shown_and_missing_ones_are_a_placeholder(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    rendered = _render("![a figure](img/figure.png)\n\n![gone](img/missing.png)\n", "post.md", tmp_path)
    assert (tmp_path / "img" / "figure.png").as_uri() in rendered.html
    assert "[missing image: gone]" in rendered.text


def test_code_blocks_keep_their_line_breaks() -> None:
    rendered = _render("Intro\n\n```python\ndef f():\n    return 1\n```\n", "post.md")
    assert "def f():\n    return 1" in rendered.text
    assert "<pre" in rendered.html


def test_markdown_tables_and_quotes_render() -> None:
    rendered = _render("| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n", "post.md")
    assert "<table>" in rendered.html and "<blockquote>" in rendered.html
    assert "a\nb\n1\n2" in rendered.text


@pytest.mark.parametrize("name", sorted(SEED_FACTS))
def test_seeds_render_without_site_chrome(name: str) -> None:
    rendered = render_article(load_article(SEEDS / name, SEEDS))
    assert len(rendered.text) > 1000
    assert "blog-content-box" not in rendered.html and "<link" not in rendered.html
    assert "AIGC" in rendered.text


def test_math_is_kept_once_with_its_tex_source_as_tooltip() -> None:
    rendered_root = DATA / "rendering"
    article = load_article(rendered_root / "html/2024-12-04-107586018.md", rendered_root)  # has KaTeX formulas
    rendered = render_article(article)
    assert "katex-" not in rendered.html.lower()
    assert rendered.text.count("Γ(n) = (n-1)!") == 1
    assert 'title="\\Gamma(n) = (n-1)!\\quad\\forall n\\in\\mathbb N"' in rendered.html


@pytest.mark.parametrize("path", sorted(SAMPLE.glob("*/*.md")), ids=lambda path: path.name)
def test_sample_posts_render_inert(path: Path) -> None:
    rendered = render_article(load_article(path, SAMPLE))
    tree = BeautifulSoup(rendered.html, "lxml")
    assert not tree.find_all(["script", "iframe", "style", "object", "embed", "form", "svg"])
    for tag in tree.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")], tag
        style = str(tag.get("style", "")).lower()
        assert "url(" not in style and "expression" not in style and "display" not in style, tag
        assert not str(tag.get("src", "")).startswith(("http", "//", "data:"))
    assert rendered.text.strip()


def _long_markdown(sections: int) -> str:
    return "\n\n".join(f"## 第{number}节\n\n" + f"这一段讲的是长文章的第{number}节，内容足够长。" * 30
                       + f"\n\n- 要点一\n- 要点二\n\n```python\nprint({number})\n```" for number in range(sections))


def test_a_long_article_gets_breaks_between_blocks_and_a_short_one_none() -> None:
    from desktop.core.render import PIECE_CHARACTERS, PIECES_FROM

    short = _render(_long_markdown(3), "short.md")
    assert short.breaks == () and short.pieces() == [short.html]
    medium = _render(_long_markdown(100), "medium.md")  # read at once quickly enough: shown as a whole
    assert len(medium.html) < PIECES_FROM * PIECE_CHARACTERS and medium.breaks == ()
    long = _render(_long_markdown(200), "long.md")
    assert len(long.html) > 4 * PIECE_CHARACTERS and len(long.breaks) >= 3
    assert "".join(long.pieces()) == long.html
    for piece in long.pieces()[1:]:
        assert re.match(r"\s*<(h2|p|ul|pre)\b", piece), piece[:40]  # a whole block, never mid-text
    assert not any(piece[-1].isspace() for piece in long.pieces()[:-1])  # Qt would read it as a space
    assert all(len(piece) >= PIECE_CHARACTERS for piece in long.pieces()[:-1])


def test_text_straight_in_the_body_is_never_cut_from_the_block_it_runs_into(monkeypatch: pytest.MonkeyPatch) -> None:
    """CSDN puts text between <br>s straight into the body: a piece may start only where a block
    follows a block, or the text before it would become a paragraph of its own."""
    monkeypatch.setattr("desktop.core.render.PIECE_CHARACTERS", 1)
    rendered = _render("<p>一</p>文字<br>更多<p>二</p><p>三</p>  \n<h3>四</h3>尾巴<b>粗</b><div>五</div>")
    starts = [rendered.html[offset:].lstrip()[:4] for offset in rendered.breaks]
    assert starts == ["<p>三", "<h3 "]
