"""A generated corpus of a few thousand posts with the real corpus's shape (one flat `_posts` folder,
many tags with a long tail, one post in five repeating a key Lectern does not read), for tests that
need a corpus too large to index in an instant."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLE, SEEDS


def make_scale_corpus(target: Path, count: int) -> Path:
    bodies = [path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
              for path in sorted(SEEDS.glob("*.txt")) + sorted(SAMPLE.glob("*/*.md"))]
    posts = target / "_posts"
    posts.mkdir(parents=True)
    for number in range(count):
        repeated = "image: a.png\nimage: b.png\n" if number % 5 == 0 else ""
        (posts / f"2024-{number % 12 + 1:02d}-01-{number:05d}.md").write_text(
            f"---\ntitle: 第{number}篇\ndate: 2024-{number % 12 + 1:02d}-01\ntags: [标签{number}, 常用{number % 9}]\n"
            f"categories: [类{number % 700}]\n{repeated}---\n{bodies[number % len(bodies)][:3000]}\n",
            encoding="utf-8")
    return target
