"""The PyInstaller bundle: built from build_installer.spec, complete, small, and working frozen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from tests.conftest import PROJECT, SEEDS

pytestmark = pytest.mark.bundle
MAX_BUNDLE_MB = 150


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("PyInstaller is not installed: pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [str(Path(sys.executable).parent / "pyinstaller"), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(PROJECT / "build_installer.spec")],
        check=True, cwd=PROJECT, timeout=600,
    )
    return work / "dist" / "Lectern"


def _run(bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([str(bundle / "Lectern"), *args], capture_output=True, text=True, timeout=120, env=env)


def test_bundle_holds_resources_seeds_and_the_platform_plugins(bundle: Path) -> None:
    internal = bundle / "_internal"
    for name in ("style.qss", "lectern.png", "lectern.desktop", "note-template.md"):
        assert (internal / "resources" / name).is_file(), name
    for seed in SEEDS.iterdir():
        assert (internal / "seeds" / seed.name).read_bytes() == seed.read_bytes()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    for plugin in ("platforms/libqxcb.so", "platforms/libqoffscreen.so", "platforms/libqwayland.so",
                   "imageformats/libqjpeg.so", "xcbglintegrations/libqxcb-glx-integration.so"):
        assert (plugins / plugin).is_file(), plugin
    # What the app does not use stays out, with the libraries it would pull in.
    assert not (plugins / "imageformats" / "libqpdf.so").exists()
    assert not list(internal.rglob("libQt6Pdf*")) and not list(internal.rglob("libQt6Quick*"))
    assert not list(internal.rglob("*VirtualKeyboard*"))


def test_bundle_is_small(bundle: Path) -> None:
    size = sum(path.stat().st_size for path in bundle.rglob("*") if path.is_file() and not path.is_symlink())
    assert size < MAX_BUNDLE_MB * 1024 * 1024, f"{size / 1048576:.0f} MB"


def test_frozen_version_and_self_test(bundle: Path) -> None:
    version = _run(bundle, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"Lectern {__version__}"
    check = _run(bundle, "--self-test")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "frozen bundle" in check.stdout and "self-test passed" in check.stdout


def test_frozen_indexing_uses_worker_processes(bundle: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    samples = sorted((PROJECT / "tests" / "data" / "sample").glob("*/*.md"))
    for number in range(450):  # enough for the indexer to spawn workers, which must work frozen too
        (corpus / f"{number}.md").write_bytes(samples[number % len(samples)].read_bytes())
    result = _run(bundle, "index", str(corpus), "--db", str(tmp_path / "db" / "a.db"))
    assert result.returncode == 0, result.stderr
    assert "450 files: 450 new" in result.stdout
    search = _run(bundle, "search", "Python", "--corpus", str(corpus), "--db", str(tmp_path / "db" / "a.db"))
    assert search.returncode == 0 and "results in" in search.stdout
