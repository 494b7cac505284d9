"""The window's export goes through the same merge as the command line: the user's edits survive, a
note that cannot be merged is left alone with a message, a broken template is explained."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PROJECT
from tests.ui.conftest import WindowFactory, select

SEED = "000_2e1d597362795e42.txt"
NOTE = "如何看待AIGC技术.md"


def test_the_window_merges_a_re_export_and_says_when_it_cannot(make_window: WindowFactory, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                               shown_warnings: list[tuple[str, str]]) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理与风险")
    highlight_id = window.highlight_selection()
    assert highlight_id is not None and window.library is not None
    out = tmp_path / "export"
    note = out / NOTE
    window.export_notes(out, whole_corpus=False)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported 1 note"), timeout=10_000)
    note.write_text(note.read_text(encoding="utf-8") + "我的结论。\n", encoding="utf-8")

    window.store.update_highlight(highlight_id, note="新笔记")
    window.export_notes(out, whole_corpus=False)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported 1 note"), timeout=10_000)
    merged = note.read_text(encoding="utf-8")
    assert "新笔记" in merged and merged.endswith("我的结论。\n")

    note.write_text(merged.replace("新笔记", "我改的笔记"), encoding="utf-8")
    window.store.update_highlight(highlight_id, note="又一次新笔记")
    window.export_notes(out, whole_corpus=False)
    qtbot.waitUntil(lambda: bool(shown_warnings), timeout=10_000)
    [(title, text)] = shown_warnings
    assert title == "Some notes were not merged" and f"{NOTE} was not changed" in text and ".lectern.md" in text
    assert "我改的笔记" in note.read_text(encoding="utf-8")
    assert "又一次新笔记" in (out / "如何看待AIGC技术.lectern.md").read_text(encoding="utf-8")


def test_a_broken_template_setting_is_explained(make_window: WindowFactory, tmp_path: Path,
                                                shown_warnings: list[tuple[str, str]]) -> None:
    window = make_window()
    window.open_article(SEED)
    template = tmp_path / "broken.md"
    template.write_text("{% block highlight %}{{ highlight.quote }\n{% endblock %}", encoding="utf-8")
    window.settings.set("export/template", str(template))
    assert window.export_notes(tmp_path / "out", whole_corpus=True) is None
    assert shown_warnings == [("Nothing was exported", "the export template broken.md, line 1: unexpected '}'")]
    assert not (tmp_path / "out").exists()


def test_the_export_template_is_chosen_in_the_window_and_tried_first(make_window: WindowFactory, qtbot,  # type: ignore[no-untyped-def]
                                                                    tmp_path: Path,
                                                                    shown_warnings: list[tuple[str, str]]) -> None:
    window = make_window()
    window.open_article(SEED)
    select(window, "伦理与风险")
    window.highlight_selection()
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_template.action in file_menu.actions()  # type: ignore[union-attr]
    broken = tmp_path / "broken.md"
    broken.write_text("{% block highlight %}{{ highlight.quote }\n{% endblock %}", encoding="utf-8")
    assert not window.export_template.use(broken)  # said at once, with its line; nothing changes
    assert shown_warnings == [("The export template was not changed",
                               "the export template broken.md, line 1: unexpected '}'")]
    assert window.settings.get("export/template") == ""
    mine = tmp_path / "mine.md"
    default = (PROJECT / "resources" / "note-template.md").read_text(encoding="utf-8")
    mine.write_text(default.replace("# {{ note.title }}", "# 摘录：{{ note.title }}"), encoding="utf-8")
    assert window.export_template.use(mine) and window.settings.get("export/template") == str(mine)
    out = tmp_path / "export"
    window.export_notes(out, whole_corpus=False)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported 1 note"), timeout=10_000)
    assert "# 摘录：如何看待AIGC技术" in (out / NOTE).read_text(encoding="utf-8")
    assert window.export_template.use(None) and window.settings.get("export/template") == ""
