"""Article → RenderedArticle: safe HTML for the reader and the plain text highlights count in."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from desktop.core.model import Article, BodyKind, RenderedArticle
from desktop.core.plaintext import plain_text
from desktop.core.sanitize import sanitize_html

__all__ = ["render_article", "markdown_to_html"]


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # CommonMark plus GitHub's tables and strikethrough; raw HTML is allowed here because the
    # sanitizer, not the Markdown parser, is what makes it safe.
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin)
    )


def markdown_to_html(text: str) -> str:
    html: str = _markdown().render(text)
    return html


def render_article(article: Article) -> RenderedArticle:
    html = article.body if article.kind is BodyKind.HTML else markdown_to_html(article.body)
    sanitized = sanitize_html(html, base_dir=article.path.parent)
    root = sanitized.root
    return RenderedArticle(html=root.decode_contents(), text=plain_text(root), warnings=sanitized.warnings)
