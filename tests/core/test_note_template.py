"""User templates run in a sandbox and are explained when they are wrong: the line, never a traceback."""

from __future__ import annotations

import pytest

from desktop.core.export import ArticleNotes, NoteStyle, article_note
from desktop.core.note_template import NoteTemplate, NoteTemplateError, compose
from tests.core.test_export import CORPUS, _notes

HIGHLIGHT = "{% block highlight %}- {{ highlight.quote | oneline }} ^{{ highlight.block_id }}\n{% endblock %}"


def _render(source: str, notes: ArticleNotes | None = None) -> str:
    return compose(article_note(notes or _notes(), NoteStyle(NoteTemplate(source, "mine.md"), CORPUS)))


def test_a_minimal_template_renders_every_highlight() -> None:
    text = _render("{% block front_matter %}source: {{ article.path | yaml }}\n{% endblock %}" + HIGHLIGHT)
    assert text.startswith('---\nsource: "ai/ethics.md"\n---\n- 算法偏见和数据隐私问题 ^lectern-8b1c2d3e0000\n')
    assert text.count("^lectern-") == 4


@pytest.mark.parametrize(("source", "message"), [
    ("{% block highlight %}{{ highlight.quote }\n{% endblock %}", "mine.md, line 1: unexpected '}'"),
    ("{% block head %}ok{% endblock %}\n{% block highlight %}\n{% if %}{% endblock %}", "mine.md, line 3:"),
    ("{% block highlight %}\n\n{{ highlight.nothing_like_it }} ^{{ highlight.block_id }}{% endblock %}",
     "mine.md, line 3: 'dict object' has no attribute 'nothing_like_it'"),
    ("{% block highlight %}{% include '/etc/passwd' %}^{{ highlight.block_id }}{% endblock %}",
     "mine.md, line 1: no loader for this environment specified"),
    ("{% block highlight %}{{ ''.__class__.__mro__[1].__subclasses__() }} ^{{ highlight.block_id }}{% endblock %}",
     "mine.md, line 1: access to attribute '__class__' of 'str' object is unsafe"),
    ("{% block highlight %}{{ highlight.quote }}{% endblock %}", "must write ^{{ highlight.block_id }}"),
    ("{% block body %}x{% endblock %}" + HIGHLIGHT, "blocks Lectern does not know: body"),
    ("# {{ note.title }}", "has no {% block highlight %}"),
    ("{% block highlight %}{% for x in range(10**9) %}{% endfor %}^{{ highlight.block_id }}{% endblock %}",
     "mine.md, line 1: Range too big"),
])
def test_a_broken_or_unsafe_template_is_explained(source: str, message: str) -> None:
    with pytest.raises(NoteTemplateError) as raised:
        _render(source)
    assert message in str(raised.value)
