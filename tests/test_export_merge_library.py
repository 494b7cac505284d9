"""Re-exporting into a folder the user edited, through the library, the command line and the window:
their edits survive, Lectern's parts are updated, and a note that cannot be merged is left alone with
Lectern's version beside it and a message; the record of the last export lives in the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.core.errors import LecternError
from desktop.core.export import HighlightSelection
from desktop.library import Library
from desktop.note_export import RECORD_FOLDER, SIDE_SUFFIX

SEED = "000_2e1d597362795e42.txt"
NOTE = "如何看待AIGC技术.md"


def _highlight(library: Library, quote: str, colour: str = "yellow", relpath: str = SEED) -> str:
    opened = library.open_article(relpath)
    start = opened.rendered.text.index(quote)
    return library.add_highlight(opened, start, start + len(quote), colour).id


def test_re_export_keeps_the_users_edits_and_updates_lecterns(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "vault"
    first = _highlight(library, "伦理与风险")
    library.export_markdown(out, SEED)
    note = out / NOTE
    assert (out / RECORD_FOLDER / f"{NOTE}.json").is_file()  # the record travels with the export
    assert "Deleting this folder loses none of your notes" in (out / RECORD_FOLDER / "README.txt").read_text()
    edited = note.read_text(encoding="utf-8").replace("\ntags:", "\nrating: 5\ntags:", 1)
    edited = edited.replace("^lectern-", "我的批注在块 id 前。\n\n^lectern-", 1) + "我在最后写的话。\n"
    note.write_text(edited, encoding="utf-8")

    library.store.update_highlight(first, note="Lectern 里新写的笔记", colour="pink")
    library.set_colour_meaning("pink", "disagree")
    _highlight(library, "信息泡沫")
    report = library.export_markdown(out, SEED)
    assert report.written == [note] and not report.set_aside
    text = note.read_text(encoding="utf-8")
    for mine in ("rating: 5", "我的批注在块 id 前。", "我在最后写的话。"):
        assert text.count(mine) == 1
    assert "Lectern 里新写的笔记" in text and "- pink (disagree)" in text and "#disagree" in text
    assert text.index("> 伦理与风险") < text.index("我在最后写的话。") < text.index("> 信息泡沫") or \
        text.index("> 信息泡沫") < text.index("> 伦理与风险")  # in reading order either way
    again = library.export_markdown(out, SEED)
    assert not again.set_aside and note.read_text(encoding="utf-8") == text  # nothing new: byte-identical


def test_an_unmergeable_edit_sets_lecterns_version_aside(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "vault"
    highlight = _highlight(library, "伦理与风险")
    library.store.update_highlight(highlight, note="第一版笔记")
    library.export_markdown(out, SEED)
    note = out / NOTE
    mine = note.read_text(encoding="utf-8").replace("第一版笔记", "我改写的笔记")
    note.write_text(mine, encoding="utf-8")
    library.store.update_highlight(highlight, note="Lectern 里改的笔记")

    report = library.export_markdown(out, SEED)
    [aside] = report.set_aside
    assert note.read_text(encoding="utf-8") == mine  # never overwritten
    side = out / NOTE.replace(".md", SIDE_SUFFIX)
    assert aside.side == side and "Lectern 里改的笔记" in side.read_text(encoding="utf-8")
    assert "was changed both in the note and in Lectern" in aside.message() and side.name in aside.message()
    # Once the user has merged by hand, the next export merges cleanly.
    note.write_text(mine.replace("我改写的笔记", "Lectern 里改的笔记\n我改写的笔记"), encoding="utf-8")
    assert not library.export_markdown(out, SEED).set_aside


def test_a_note_lectern_did_not_write_is_never_overwritten(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "vault"
    out.mkdir()
    (out / NOTE).write_text("my own note with the same name\n", encoding="utf-8")
    _highlight(library, "伦理与风险")
    report = library.export_markdown(out, SEED)
    assert (out / NOTE).read_text(encoding="utf-8") == "my own note with the same name\n"
    assert [item.side.name for item in report.set_aside] == [NOTE.replace(".md", SIDE_SUFFIX)]


def test_a_note_keeps_its_file_name_when_the_title_changes(library: Library, tmp_path: Path, corpus: Path) -> None:
    _highlight(library, "伦理与风险")
    library.export_markdown(tmp_path / "out", SEED)
    path = corpus / SEED
    path.write_text(path.read_text(encoding="utf-8").replace('title: "如何看待AIGC技术"', 'title: "新标题"'),
                    encoding="utf-8")
    report = library.export_markdown(tmp_path / "out", SEED)
    assert [p.name for p in report.written] == [NOTE] and 'title: "新标题"' in (tmp_path / "out" / NOTE).read_text()


def test_a_notebook_gathers_by_tag_or_colour_meaning_from_every_article(library: Library, tmp_path: Path) -> None:
    one = _highlight(library, "伦理与风险")
    two = _highlight(library, "AIGC", "green", relpath="003_94866a6898bf0002.txt")
    _highlight(library, "信息泡沫", "blue")
    library.store.update_highlight(one, tags=["要点"])
    library.store.update_highlight(two, tags=["要点"])
    library.set_colour_meaning("green", "example")
    report = library.export_notebook(tmp_path / "nb", HighlightSelection(tags=("要点",)))
    [note] = report.written
    text = note.read_text(encoding="utf-8")
    assert note.name == "Notebook — tag 要点.md"
    assert text.index("## 如何看待AIGC技术") < text.index("## aigc是什么")  # grouped by article, in path order
    assert "> 伦理与风险" in text and "> AIGC" in text and "信息泡沫" not in text
    assert text.count("[open in Lectern](lectern://open?") == 2
    assert library.colour_named("Example") == "green"
    by_colour = library.export_notebook(tmp_path / "nb", HighlightSelection(colours=("green",)), title="Examples")
    assert [p.name for p in by_colour.written] == ["Examples.md"]
    with pytest.raises(LecternError, match="No highlight matches tag nothing-like-it"):
        library.export_notebook(tmp_path / "nb", HighlightSelection(tags=("nothing-like-it",)))


def test_the_command_line_merges_and_says_what_it_set_aside(library: Library, corpus: Path, tmp_path: Path,
                                                             db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    highlight = _highlight(library, "伦理与风险")
    library.store.update_highlight(highlight, note="原来", tags=["要点"])
    args = ["--db", str(db_path), "export", "--corpus", str(corpus), "--out", str(tmp_path / "out")]
    assert main(args) == 0
    note = tmp_path / "out" / NOTE
    note.write_text(note.read_text(encoding="utf-8").replace("原来", "我的"), encoding="utf-8")
    library.store.update_highlight(highlight, note="新的")
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"lectern: {NOTE} was not changed") and SIDE_SUFFIX in err[0]
    assert "我的" in note.read_text(encoding="utf-8")
    assert main([*args[:-1], str(tmp_path / "nb"), "--colour", "YELLOW", "--tag", "要点"]) == 0
    assert main([*args[:-1], str(tmp_path / "nb"), "--colour", "red"]) == 1
    assert "No colour or colour meaning is called “red”" in capsys.readouterr().err


def test_a_user_template_is_used_and_merged_and_a_broken_one_is_explained(
        library: Library, corpus: Path, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    highlight = _highlight(library, "伦理与风险")
    template = tmp_path / "mine.md"
    template.write_text("{% block head %}# {{ note.title }}\n\n{% endblock %}"
                        "{% block highlight %}* {{ highlight.quote | oneline }} —"
                        " {{ highlight.meaning or 'no meaning' }}"
                        " ^{{ highlight.block_id }}\n{% endblock %}", encoding="utf-8")
    args = ["--db", str(db_path), "export", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
            "--article", SEED, "--template", str(template)]
    assert main(args) == 0
    note = tmp_path / "out" / NOTE
    assert note.read_text(encoding="utf-8").startswith("# 如何看待AIGC技术\n\n* 伦理与风险 — no meaning ^lectern-")
    note.write_text(note.read_text(encoding="utf-8") + "  - my thought\n", encoding="utf-8")
    library.set_colour_meaning("yellow", "key idea")
    assert main(args) == 0
    assert note.read_text(encoding="utf-8").endswith("— key idea ^lectern-" + highlight.replace("-", "")[:12]
                                                     + "\n  - my thought\n")
    template.write_text("{% block highlight %}\n{{ highlight.quote }\n^{{ highlight.block_id }}{% endblock %}")
    capsys.readouterr()
    assert main(args) == 1
    assert capsys.readouterr().err.strip().startswith("lectern: the export template mine.md, line 2: unexpected '}'")
    template.write_text("{% block highlight %}{{ highlight.__class__.__mro__ }} ^{{ highlight.block_id }}\n"
                        "{% endblock %}")
    assert main(args) == 1
    assert "mine.md, line 1: access to attribute '__class__'" in capsys.readouterr().err


def test_an_exported_highlight_carries_its_sentence_from_the_article(library: Library, tmp_path: Path) -> None:
    _highlight(library, "伦理与风险")
    text = library.open_article(SEED).rendered.text
    start = text.index("伦理与风险")
    sentence_start = max(text.rfind(end, 0, start) for end in "。！？；\n") + 1
    [note] = library.export_markdown(tmp_path / "out", SEED).written
    context = next(line for line in note.read_text(encoding="utf-8").splitlines() if line.startswith("Context: "))
    assert "==伦理与风险==" in context
    assert context.removeprefix("Context: ").startswith(text[sentence_start:start].strip()[:10])
    assert context.endswith(("。", "！", "？", "；", "…")) or context.endswith(text[start + 5:].split("\n")[0][-5:])
