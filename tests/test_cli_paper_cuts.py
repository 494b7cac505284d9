"""The command line as a new user meets it (issue 13): global options anywhere, a folder named like a
command, several paths from a file manager, `| head`, Ctrl-C, a mistyped article, and progress that
never runs into messages."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.file_check import FileChecker
from tests.conftest import PROJECT
from tests.scale_corpus import make_scale_corpus


def _lectern(*args: str, **kwargs) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "desktop", *args], cwd=PROJECT, env=os.environ.copy(),
                            text=True, **kwargs)


@pytest.fixture
def windows_opened(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """The corpus each `lectern …` that opens the window would have opened (no window is shown)."""
    import desktop.ui.app

    opened: list[Path | None] = []

    def run_app(corpus: Path | None, db: Path | None, link: str | None, file_checker: FileChecker) -> int:
        file_checker.close()  # started by the CLI ahead of the window's modules; no window here
        opened.append(corpus)
        return 0

    monkeypatch.setattr(desktop.ui.app, "run_app", run_app)
    return opened


def test_global_options_stand_before_or_after_the_command(corpus: Path, tmp_path: Path) -> None:
    database = tmp_path / "elsewhere.db"
    for args in (("--db", str(database), "index", str(corpus)), ("index", "--db", str(database), str(corpus)),
                 ("index", str(corpus), "--verbose", "--db", str(database))):
        result = subprocess.run([sys.executable, "-m", "desktop", *args], cwd=PROJECT, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    assert "0 new, 0 changed, 5 unchanged" in result.stdout and database.exists()


def test_a_folder_named_like_a_command_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            windows_opened: list[Path | None],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "search").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["--", "search"]) == 0
    assert main(["./search"]) == 0
    assert main(["--db", str(tmp_path / "x.db"), "--", "search"]) == 0
    assert windows_opened == [Path("search"), Path("search"), Path("search")]
    with pytest.raises(SystemExit) as exited:  # the command it is named like, which says how to open it
        main(["search"])
    assert exited.value.code == 2
    assert "to open the folder search, run `lectern ./search` or `lectern -- search`" in capsys.readouterr().err


def test_several_paths_from_a_file_manager_open_the_first(tmp_path: Path, windows_opened: list[Path | None],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "c")]) == 0
    assert windows_opened == [tmp_path / "a"]
    err = capsys.readouterr().err
    assert err == f"lectern: one corpus per window: opening {tmp_path / 'a'}, not {tmp_path / 'b'}, {tmp_path / 'c'}\n"


def test_output_to_a_reader_that_went_away_ends_quietly(corpus: Path) -> None:
    """`lectern search … --json | head`: head has gone when Lectern writes."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        process = _lectern("search", "AIGC", "--corpus", str(corpus), "--json", stdout=write_end,
                           stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 141 and err == ""  # as a shell reports SIGPIPE, and no traceback


def _process_group(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the worker processes")
def test_ctrl_c_during_index_stops_the_workers_and_exits_130(tmp_path: Path) -> None:
    corpus = make_scale_corpus(tmp_path / "big", 3000)
    process = _lectern("index", str(corpus), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       start_new_session=True)  # its own process group, as a terminal's foreground job
    deadline = time.monotonic() + 60
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:  # the workers are running
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: every process of the group gets it
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip() == ("lectern: interrupted; the index keeps what was read, and `lectern index` goes on "
                           "from there")
    assert out == ""
    deadline = time.monotonic() + 10  # multiprocessing's resource tracker ends when it sees its parent gone
    while _process_group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _process_group(process.pid) == []  # no worker left behind

    again = subprocess.run([sys.executable, "-m", "desktop", "index", str(corpus)], cwd=PROJECT,
                           capture_output=True, text=True, timeout=300)
    unchanged = int(re.search(r"(\d+) unchanged", again.stdout).group(1))  # type: ignore[union-attr]
    assert 0 < unchanged < 3000, again.stdout  # what was read before Ctrl-C was kept, the rest read now


def test_exporting_an_article_not_in_the_corpus_is_an_error(corpus: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "notes"
    assert main(["export", "--corpus", str(corpus), "--out", str(out), "--article", "no/such.md"]) == 2
    assert capsys.readouterr().err == f"lectern: no article no/such.md in {corpus}\n"
    assert not out.exists()
    # However the path is written, an article that is there is exported.
    for article in ("./003_94866a6898bf0002.txt", str(corpus / "003_94866a6898bf0002.txt")):
        assert main(["export", "--corpus", str(corpus), "--out", str(out), "--article", article]) == 0
        assert capsys.readouterr().out.strip() == str(out / "aigc是什么.md")


def test_exporting_the_notes_of_a_file_that_is_gone_still_works(corpus: Path, tmp_path: Path, library,  # type: ignore[no-untyped-def]
                                                                db_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    opened = library.open_article("003_94866a6898bf0002.txt")
    start = opened.rendered.text.index("深度学习")
    library.add_highlight(opened, start, start + 4, "pink")
    library.store.db.close()
    (corpus / "003_94866a6898bf0002.txt").unlink()
    assert main(["export", "--corpus", str(corpus), "--out", str(tmp_path / "notes"), "--db", str(db_path),
                 "--article", "003_94866a6898bf0002.txt"]) == 0
    assert "missing: 003_94866a6898bf0002.txt" in capsys.readouterr().out


def test_index_progress_is_not_written_into_a_file_or_a_pipe(corpus: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(corpus)]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "indexing" not in err


def _screen(raw: str) -> list[str]:
    """The lines a terminal shows for `raw`: a carriage return goes back to the line's start, ESC [K
    erases to its end, other characters overwrite what is there."""
    lines: list[str] = []
    line: list[str] = []
    column = 0
    for piece in re.split(r"(\x1b\[K|\r|\n)", raw):
        if piece == "\x1b[K":
            del line[column:]
        elif piece == "\r":
            column = 0
        elif piece == "\n":
            lines.append("".join(line))
            line, column = [], 0
        else:
            line[column:column + len(piece)] = piece
            column += len(piece)
    return lines + ["".join(line)]


def test_index_progress_on_a_terminal_never_runs_into_messages(corpus: Path) -> None:
    (corpus / "broken.md").write_bytes(b"\x00\x01binary" * 10)
    controller, terminal = pty.openpty()
    process = _lectern("index", str(corpus), "--verbose", stdin=subprocess.DEVNULL, stdout=terminal,
                       stderr=terminal)
    os.close(terminal)
    raw = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's other side closed: the process has finished
            break
        if not chunk:
            break
        raw += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0
    shown = raw.decode("utf-8")
    assert "indexing 6 of 6" in shown  # progress was shown on the terminal…
    screen = _screen(shown)
    assert not [line for line in screen if "indexing" in line]  # …and wiped before anything else
    assert "    broken.md: this is a binary file, not text" in screen
    assert any(line.startswith("Read 5 articles") for line in screen)
