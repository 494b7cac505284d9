"""Large articles are rendered in a process of their own. Rendering is pure Python (markdown-it,
BeautifulSoup, Pygments) and takes seconds for a 1 MB post; on a thread it would hold the interpreter lock
that the UI thread needs for every call into Python, and the window would stall (measured: 0.1-0.5 s at
a time). The process starts with the first large article and stays for the next ones."""

from __future__ import annotations

from typing import cast

from desktop.core.code_colours import DEFAULT_PALETTE
from desktop.core.errors import LecternError
from desktop.core.images import ImageLookup
from desktop.core.model import Article, RenderedArticle
from desktop.core.render import render_article
from desktop.helper_process import HelperProcess

__all__ = ["ArticleRenderer"]


def _render(request: object) -> RenderedArticle:
    article, palette, images = cast(tuple[Article, str | None, ImageLookup | None], request)
    return render_article(article, palette, images)


class ArticleRenderer(HelperProcess):
    def __init__(self) -> None:
        super().__init__("lectern-renderer", _render)

    def render(self, article: Article, palette: str | None = DEFAULT_PALETTE,
               images: ImageLookup | None = None) -> RenderedArticle:
        """Render `article` (in `palette`'s code colours, with what the image cache knows of its `images`)
        in the rendering process, from any thread: calls wait their turn."""
        answer = self.call((article, palette, images), f"rendering {article.relpath}")
        if not isinstance(answer, RenderedArticle):
            raise LecternError(f"rendering {article.relpath} gave no article")
        return answer
