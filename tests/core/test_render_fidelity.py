"""Reading fidelity: code colours that add no characters, formulas shown once and readably, task
lists, table alignment, heading sizes, kramdown attributes, footnotes, definition lists, CSDN's font
sizes; and Qt's rich text shows exactly the text highlights count in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from desktop.core.code_colours import PALETTES, colour_spans
from desktop.core.documents import load_article, parse_article
from desktop.core.maths import tex_to_text
from desktop.core.model import RenderedArticle
from desktop.core.render import HEADING_SIZES, render_article
from desktop.core.textmap import _INSIGNIFICANT, TextMap
from tests.conftest import DATA, SAMPLE, SEEDS

RENDERING = DATA / "rendering"
FIDELITY = RENDERING / "markdown" / "fidelity.md"
KATEX_POST = RENDERING / "html" / "2024-12-04-107586018.md"  # an inline and a displayed KaTeX formula
MATHJAX_POST = SAMPLE / "html" / "2025-01-07-81706221.md"  # MathJax 2: ten formulas, nine with their TeX
DOLLAR_POST = RENDERING / "markdown" / "2024-11-25-9271741.md"  # a LaTeX tutorial in Markdown
ARTICLES = sorted([*SAMPLE.glob("*/*.md"), *RENDERING.glob("*/*.md")]) + sorted(SEEDS.glob("*.txt"))


def _load(path: Path):  # type: ignore[no-untyped-def]
    return load_article(path, SEEDS if path.parent == SEEDS else path.parents[1])


def _render(body: str, name: str = "post.md", palette: str | None = "light") -> RenderedArticle:
    return render_article(parse_article(body, Path("/nonexistent") / name, name), palette)


def _formulas(html: str) -> list:  # type: ignore[type-arg]
    return BeautifulSoup(html, "lxml").select('span[title][style*="italic"]')


# Code ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.name)
def test_colouring_adds_no_characters(path: Path) -> None:
    article = _load(path)
    plain = render_article(article, None)
    for palette in PALETTES:
        coloured = render_article(article, palette)
        assert coloured.text == plain.text, palette
    assert "style=\"color:" not in plain.html


def test_sample_code_is_coloured() -> None:
    coloured = [path.name for path in ARTICLES if 'style="color:#' in render_article(_load(path)).html]
    # CSDN's `language-python`/`prism language-java` blocks and fenced ```java alike.
    assert {"2023-09-12-132837104.md", "2024-04-29-138316423.md", "2019-10-18-101530203.md",
            "fidelity.md"} <= set(coloured)


def test_palettes_are_swappable_by_name() -> None:
    assert {"light", "sepia", "dark"} <= set(PALETTES)
    assert all(set(colours) == set(PALETTES["light"]) for colours in PALETTES.values())
    body = "```python\ndef f():\n    return 'x'  # note\n```\n"
    light, dark = _render(body).html, _render(body, palette="dark").html
    assert PALETTES["light"]["Keyword"] in light and PALETTES["dark"]["Keyword"] in dark
    assert PALETTES["dark"]["Keyword"] not in light
    assert f'color:{PALETTES["light"]["String"]}' in light
    assert "font-style:italic" in light  # comments


def test_csdn_code_block_is_coloured_and_its_gutter_is_not_text() -> None:
    html = ('<div id="content_views"><p>Code:</p><pre class="has"><code class="prism language-java">'
            '<span class="token keyword">public</span> class A {\n  int x = 1;\n}\n</code>'
            '<ul class="pre-numbering"><li>1</li><li>2</li><li>3</li></ul></pre></div>')
    rendered = _render(html, "post.html")
    assert rendered.text == "Code:\npublic class A {\n  int x = 1;\n}"
    assert f'<span style="color:{PALETTES["light"]["Keyword"]}">public</span>' in rendered.html
    assert "language-" not in rendered.html and "pre-numbering" not in rendered.html


def test_code_blocks_wrap_instead_of_scrolling_the_article() -> None:
    rendered = _render("```\n" + "x" * 400 + "\n```\n")
    assert '<pre style="white-space:pre-wrap">' in rendered.html


@pytest.mark.parametrize("language", ["", "text", "mermaid", "no-such-language"])
def test_unknown_or_plain_languages_are_left_plain(language: str) -> None:
    assert "color:" not in _render(f"```{language}\ngraph TD; A-->B\n```\n").html


def test_colour_runs_spell_the_code_exactly() -> None:
    code = "\n\n\tint main() {\r\n  return 0; }  \n\n"
    runs = colour_spans(code, "c")
    assert runs is None or "".join(text for _, text in runs) == code


# Maths --------------------------------------------------------------------------------------------

def test_katex_formulas_are_shown_once() -> None:
    rendered = render_article(_load(KATEX_POST))
    source = KATEX_POST.read_text(encoding="utf-8")
    formulas = _formulas(rendered.html)
    assert len(formulas) == source.count('class="katex"') == 2
    assert [formula["title"] for formula in formulas] == [
        r"\Gamma(n) = (n-1)!\quad\forall n\in\mathbb N", r"\Gamma(z) = \int_0^\infty t^{z-1}e^{-t}dt\,."]
    assert rendered.text.count("Γ(n) = (n-1)!") == 1 and "∀n∈ℕ" in rendered.text
    assert "\\Gamma" not in rendered.text and "katex-" not in rendered.html
    display = formulas[1].parent
    assert display.name == "p" and display["align"] == "center"  # the displayed one stands on its own


def test_katex_with_its_mathml_and_annotation_is_shown_once() -> None:
    katex = ('<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>P</mi><mo>=</mo>'
             '<mi>U</mi><mi>I</mi></mrow><annotation encoding="application/x-tex">P=UI</annotation></semantics>'
             '</math></span><span class="katex-html" aria-hidden="true"><span class="base"><span class="mord">P'
             '</span><span class="mrel">=</span><span class="mord">U</span><span class="mord">I</span></span>'
             '</span></span>')
    rendered = _render(f'<div id="content_views"><p>功率 <span class="katex--inline">{katex}</span> 瓦</p></div>',
                       "post.html")
    assert rendered.text == "功率 P=UI 瓦"
    assert [formula["title"] for formula in _formulas(rendered.html)] == ["P=UI"]


def test_mathjax_formulas_are_shown_once_from_their_tex() -> None:
    rendered = render_article(_load(MATHJAX_POST))
    formulas = _formulas(rendered.html)
    assert len(formulas) == MATHJAX_POST.read_text(encoding="utf-8").count('type="math/tex') == 9
    assert formulas[0]["title"] == r"L_{corr}=\sum_{i=1}^{N_s}f_{corr}(v_i,t_i)"
    assert rendered.text.count("Lcorr=∑i=1Nsfcorr(vi,ti)") == 1
    # The tenth kept no TeX: its own rendering, once (not again from its MathML copy).
    frames = BeautifulSoup(MATHJAX_POST.read_text(encoding="utf-8"), "lxml").select(".MathJax")
    shown = BeautifulSoup(rendered.html, "lxml").select('span[style="font-style:italic"]')
    assert len(frames) == len(shown) == 10
    assert rendered.text.count("fcorr(vi,ti)=∥fv(vi;Θr)−ft(ti;Θr)∥22") == 1
    assert "MathJax" not in rendered.html


def test_markdown_dollar_maths() -> None:
    rendered = _render("Energy $E=mc^2$ here.\n\n$$\n\\frac{a}{b}\n$$\n\nPrices $5 and $6 stay.\n")
    formulas = _formulas(rendered.html)
    assert [formula["title"] for formula in formulas] == ["E=mc^2", r"\frac{a}{b}"]
    assert "E=mc<sup>2</sup>" in rendered.html
    assert rendered.text == "Energy E=mc2 here.\na/b\nPrices $5 and $6 stay."
    assert formulas[1].parent.name == "p" and formulas[1].parent["align"] == "center"


def test_dollars_around_chinese_prose_are_not_a_formula() -> None:
    rendered = _render("例如$数学公式$、以及$这样的句子。$结束\n")
    assert "$这样的句子。$" in rendered.text
    assert [formula["title"] for formula in _formulas(rendered.html)] == ["数学公式"]


def test_a_markdown_latex_tutorial_keeps_every_formula_once() -> None:
    rendered = render_article(_load(DOLLAR_POST))
    formulas = _formulas(rendered.html)
    assert len(formulas) >= 60
    assert r"\sum_{k=1}^\infty \frac{x^n}{n!}" in [formula["title"] for formula in formulas]
    assert "∑k=1∞(xn)/(n!)" in rendered.text


@pytest.mark.parametrize(("tex", "text"), [
    (r"\Gamma(n) = (n-1)!\quad\forall n\in\mathbb N", "Γ(n) = (n-1)!  ∀n∈ℕ"),
    (r"\frac{1}{N_s}", "1/(Ns)"),
    (r"\sqrt[3]{x}", "3√x"),
    (r"\left\| v \right\|_2^2", "‖ v ‖22"),
    (r"\log x \le \alpha'", "log x ≤α′"),
    (r"L \tag{5}", "L  (5)"),
    (r"\frac{", "\\frac"),  # broken TeX still shows something
    (r"\begin{cases} a & b \\ c & d \end{cases}", "{ a   b  c   d "),
])
def test_tex_to_unicode(tex: str, text: str) -> None:
    assert tex_to_text(tex) == text


# Markdown fidelity --------------------------------------------------------------------------------

def test_task_lists_show_their_boxes_as_characters() -> None:
    rendered = _render("- [ ] to do\n- [x] done\n")
    assert rendered.text == "☐ to do\n☑ done"
    assert "<input" not in rendered.html and "☐ to do" in rendered.html


def test_table_columns_keep_their_alignment() -> None:
    rendered = _render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
    cells = BeautifulSoup(rendered.html, "lxml").find_all(["th", "td"])
    assert [cell.get("align") for cell in cells] == ["left", "center", "right"] * 2
    assert "text-align" not in rendered.html


def test_headings_have_distinct_sizes() -> None:
    rendered = render_article(_load(FIDELITY))
    tree = BeautifulSoup(rendered.html, "lxml")
    styles = [tree.find(level)["style"] for level in HEADING_SIZES]  # type: ignore[index]
    assert len(set(styles)) == 6
    assert styles[1] != styles[2]  # h2 and h3 no longer alike


def test_kramdown_attribute_lines_are_hidden_but_not_in_code() -> None:
    rendered = render_article(_load(FIDELITY))
    assert "{:" not in rendered.text.replace("plain {: .not-an-attribute-list }", "")
    assert "A paragraph with kramdown attributes." in rendered.text
    assert "plain {: .not-an-attribute-list }" in rendered.text
    assert _render("## Title {#custom-id}\n\nText *x*{: .cls}\n").text == "Title\nText x"


def test_footnotes_and_definition_lists() -> None:
    rendered = render_article(_load(FIDELITY))
    assert 'href="#fn1"' in rendered.html and 'id="fn1"' in rendered.html  # the link has its target
    assert "The footnote's text." in rendered.text
    assert "<dt>Term</dt>" in rendered.html and "<dd>Its definition.</dd>" in rendered.html


def test_csdn_font_sizes_and_bold_styles_keep_their_weight() -> None:
    html = ('<div id="content_views"><p><font size="5" color="red">一、大标题</font></p>'
            '<p><font size="4">正文</font></p>'
            '<p style="font-weight:bold; color:#f00; text-align:center">加粗居中</p>'
            '<p><span style="font-size:24px; font-family:宋体">二、标题</span></p>'
            '<p style="background:url(http://evil.example/x); font-size:expression(alert(1))">x</p></div>')
    tree = BeautifulSoup(_render(html, "post.html").html, "lxml")
    spans = tree.find_all("span")
    assert spans[0]["style"] == "font-size:large" and "style" not in spans[1].attrs
    assert tree.find_all("p")[2]["style"] == "font-weight:bold;text-align:center"
    assert spans[2]["style"] == "font-size:x-large"
    assert "style" not in tree.find_all("p")[4].attrs


_ALLOWED_STYLE = re.compile(r"(?:(?:color:#[0-9a-f]{6}|font-style:italic|font-weight:bold|text-align:\w+|"
                            r"font-size:[\w-]+|white-space:pre-wrap|text-decoration:[\w-]+);?)+")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.name)
def test_only_safe_styles_reach_the_reader(path: Path) -> None:
    for tag in BeautifulSoup(render_article(_load(path)).html, "lxml").find_all(style=True):
        assert _ALLOWED_STYLE.fullmatch(tag["style"]), tag["style"]


# What Qt shows ------------------------------------------------------------------------------------

def _significant(text: str) -> str:
    return "".join(char for char in text if char not in _INSIGNIFICANT)


@pytest.mark.parametrize("path", sorted(RENDERING.glob("*/*.md")) + [MATHJAX_POST], ids=lambda path: path.name)
def test_qt_shows_exactly_the_plain_text(qapp, path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextDocument

    rendered = render_article(_load(path))
    document = QTextDocument()
    document.setHtml(rendered.html)
    assert _significant(document.toPlainText()) == _significant(rendered.text)


def _qt_headings(document) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """What Qt's own document holds: (level, block position, words) of each heading block."""
    found = []
    block = document.begin()
    while block.isValid():
        if (level := block.blockFormat().headingLevel()) and (words := " ".join(block.text().split())):
            found.append((level, block.position(), words))
        block = block.next()
    return found


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.name)
def test_the_rendering_lists_the_headings_qt_shows(qapp, path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextDocument

    rendered = render_article(_load(path))
    document = QTextDocument()
    document.setHtml(rendered.html)
    shown = TextMap(rendered.text, document.toPlainText(), rendered.image_texts)
    listed = [(heading.level, document.findBlock(shown.to_view(heading.offset, heading.offset + 1)[0]).position(),
               heading.title) for heading in rendered.headings]
    assert listed == _qt_headings(document)


def test_qt_wraps_code_shows_sizes_and_tooltips(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setTextWidth(300)
    document.setHtml(render_article(_load(FIDELITY)).html)
    assert document.documentLayout().documentSize().width() <= 300  # lays it out, nothing wider
    sizes, tooltips, wrapped = {}, [], False
    block = document.begin()
    while block.isValid():
        fragment_format = block.begin().fragment().charFormat() if not block.begin().atEnd() else None
        if block.text().startswith("Heading "):
            sizes[block.text()] = fragment_format.font().pointSizeF()  # type: ignore[union-attr]
        if "very long line" in block.text():
            wrapped = block.layout().lineCount() > 1 and not block.blockFormat().nonBreakableLines()
        iterator = block.begin()
        while not iterator.atEnd():
            if tip := iterator.fragment().charFormat().toolTip():
                tooltips.append(tip)
            iterator += 1
        block = block.next()
    ordered = [sizes[f"Heading {word}"] for word in ("one", "two", "three", "four", "five")]
    assert ordered == sorted(ordered, reverse=True) and len(set(ordered)) == 5
    assert wrapped
    assert "E=mc^2" in tooltips
