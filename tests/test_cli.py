"""The command line: the same library as the window, headless."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.cli import main
from tests.conftest import PROJECT
from tests.window_process import run_window_until


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                          cwd=PROJECT, timeout=60, env=os.environ.copy())


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"Lectern {__version__}"


def test_index_lists_articles_and_skipped_files(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (corpus / "broken.md").write_bytes(b"\x00\x01binary" * 10)
    (corpus / "bad-yaml.md").write_text("---\ntitle: 'open\n---\ntext", encoding="utf-8")
    for number in range(40):  # a key Lectern does not read, repeated: harmless, one line for all
        (corpus / f"repeats-{number}.md").write_text("---\nimage: a\nimage: b\n---\ntext", encoding="utf-8")
    assert main(["index", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "Read 46 articles" in out
    assert "problem: Not text (binary files): 1 files" in out
    assert "problem: Front matter is not valid (metadata ignored): 1 files" in out
    assert "note: Front matter repeats a key Lectern does not read (harmless): 40 files" in out
    assert "broken.md" not in out and "repeats-1.md" not in out  # each file only with --verbose
    assert main(["index", str(corpus), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "    broken.md: this is a binary file, not text" in out
    assert "    bad-yaml.md: front matter is not valid YAML" in out
    assert "    repeats-1.md: front matter repeats image (not used by Lectern)" in out


def test_global_options_before_or_after_the_command(corpus: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "elsewhere.db"
    assert main(["--db", str(database), "index", str(corpus)]) == 0
    assert main(["index", str(corpus), "--db", str(database), "--verbose"]) == 0
    assert database.exists() and "0 new, 0 changed, 5 unchanged" in capsys.readouterr().out


def test_verbose_window_logs_its_startup_milestones(corpus: Path, tmp_path: Path) -> None:
    """`lectern --verbose CORPUS`: the real window, offscreen; each milestone with its time since start."""
    import re
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "-m", "desktop", "--verbose", str(corpus)], cwd=PROJECT, env=env,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    deadline = time.monotonic() + 60
    try:
        assert process.stderr is not None
        milestones = ("window shown", "tree shown", "tree complete", "article shown", "index ready")
        while time.monotonic() < deadline and not all(any(m in line for line in lines) for m in milestones):
            lines.append(process.stderr.readline())
    finally:
        process.kill()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()
    log = "".join(lines)
    for milestone in milestones:
        assert re.search(rf"INFO lectern.startup: {milestone} at \d+ ms", log), log
    log_file = tmp_path / "logs" / "lectern.log"
    assert "tree shown at" in log_file.read_text(encoding="utf-8")  # the log file has them too


def test_index_of_a_missing_folder_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(tmp_path / "nope")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_export_and_import_on_the_command_line(corpus: Path, tmp_path: Path, library,  # type: ignore[no-untyped-def]
                                              db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opened = library.open_article("003_94866a6898bf0002.txt")
    start = opened.rendered.text.index("深度学习")
    library.add_highlight(opened, start, start + 4, "pink")
    library.store.db.close()

    assert main(["export", "--corpus", str(corpus), "--out", str(tmp_path / "md"), "--db", str(db_path)]) == 0
    assert (tmp_path / "md" / "aigc是什么.md").read_text(encoding="utf-8").count("> 深度学习") == 1
    assert main(["export", "--corpus", str(corpus), "--out", str(tmp_path / "js"), "--format", "json",
                 "--article", "003_94866a6898bf0002.txt", "--db", str(db_path)]) == 0
    exported = tmp_path / "js" / "aigc是什么.json"
    assert json.loads(exported.read_text(encoding="utf-8"))["total"] == 1
    capsys.readouterr()

    fresh = tmp_path / "fresh.db"
    assert main(["import", str(exported), "--corpus", str(corpus), "--db", str(fresh)]) == 0
    assert "Imported 1 annotations" in capsys.readouterr().out


def test_import_of_a_file_that_is_not_annotations(corpus: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "Something"}', encoding="utf-8")
    assert main(["import", str(bad), "--corpus", str(corpus), "--db", str(tmp_path / "x.db")]) == 1
    assert "expected Web Annotations" in capsys.readouterr().err


def test_window_without_a_display_says_so_plainly() -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    result = subprocess.run([sys.executable, "-m", "desktop"], capture_output=True, text=True, cwd=PROJECT,
                            timeout=60, env=env)
    assert result.returncode == 2
    assert "needs a display" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr


def test_self_test_from_the_source_tree() -> None:
    result = _run("--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout


def test_exported_files_follow_the_users_umask(library, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opened = library.open_article("000_2e1d597362795e42.txt")
    library.add_highlight(opened, 0, 4, "yellow")
    library.store.db.close()
    previous = os.umask(0o022)
    try:
        assert main(["--db", str(tmp_path / "db" / "annotations.db"), "export", "--corpus", str(corpus),
                     "--out", str(tmp_path / "out")]) == 0
        os.umask(0o077)
        assert main(["--db", str(tmp_path / "db" / "annotations.db"), "export", "--corpus", str(corpus),
                     "--out", str(tmp_path / "private"), "--format", "json"]) == 0
    finally:
        os.umask(previous)
    modes = {path.stat().st_mode & 0o777 for path in (tmp_path / "out").rglob("*") if path.is_file()}
    assert modes == {0o644}
    assert {path.stat().st_mode & 0o777 for path in (tmp_path / "private").iterdir()} == {0o600}


def test_the_window_closes_cleanly_when_asked_to_stop(corpus: Path) -> None:
    """SIGTERM (a logout, `kill`) closes the window as the user would, and Lectern exits 0."""
    assert run_window_until([str(corpus)], "window shown") == 0
