"""The menu entry: one path per launch (the command line opens one corpus), and an install step for a
user's own menu that names the command by its absolute path."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.conftest import PROJECT

ENTRY = PROJECT / "resources" / "lectern.desktop"
SCRIPT = PROJECT / "scripts" / "install-desktop-entry.sh"


def _install(home: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "XDG_DATA_HOME"}
    env |= {"HOME": str(home), "PATH": path or env["PATH"]}
    return subprocess.run(["sh", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60)


def _fake_lectern(folder: Path) -> Path:
    folder.mkdir(parents=True)
    command = folder / "lectern"
    command.write_text("#!/bin/sh\n", encoding="utf-8")
    command.chmod(0o755)
    return command


def test_the_entry_passes_one_path_or_link_and_handles_lectern_links() -> None:
    entry = ENTRY.read_text(encoding="utf-8")
    assert re.search(r"^Exec=lectern %u$", entry, re.MULTILINE)  # a folder, a file: URI or a lectern:// link
    assert re.search(r"^MimeType=.*\bx-scheme-handler/lectern;", entry, re.MULTILINE)


def test_install_puts_the_entry_and_icon_in_the_users_menu(tmp_path: Path) -> None:
    command = _fake_lectern(tmp_path / "my apps")
    result = _install(tmp_path / "home", str(command))
    assert result.returncode == 0, result.stderr
    data = tmp_path / "home" / ".local" / "share"
    installed = (data / "applications" / "lectern.desktop").read_text(encoding="utf-8")
    # The menu has no PATH of the user's: the command by its absolute path, quoted (it has a space).
    assert installed == ENTRY.read_text(encoding="utf-8").replace("Exec=lectern %u", f'Exec="{command}" %u')
    icon = data / "icons" / "hicolor" / "256x256" / "apps" / "lectern.png"
    assert icon.read_bytes() == (PROJECT / "resources" / "lectern.png").read_bytes()
    assert str(command) in result.stdout


def test_install_finds_lectern_on_the_path(tmp_path: Path) -> None:
    command = _fake_lectern(tmp_path / "bin")
    result = _install(tmp_path / "home", path=f"{command.parent}:/usr/bin:/bin")
    assert result.returncode == 0, result.stderr
    installed = (tmp_path / "home" / ".local" / "share" / "applications" / "lectern.desktop").read_text("utf-8")
    assert f'Exec="{command}" %u' in installed


def test_install_refuses_a_path_it_cannot_quote(tmp_path: Path) -> None:
    command = _fake_lectern(tmp_path / "$odd")
    result = _install(tmp_path / "home", str(command))
    assert result.returncode == 2 and "cannot be written safely" in result.stderr
    assert not (tmp_path / "home" / ".local" / "share" / "applications").exists()
