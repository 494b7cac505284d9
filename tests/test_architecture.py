"""The core, the store and the library never load Qt."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import PROJECT


def test_core_store_and_library_do_not_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, desktop.core, desktop.store\n"
        "for package in (desktop.core, desktop.store):\n"
        "    for module in pkgutil.iter_modules(package.__path__):\n"
        "        importlib.import_module(f'{package.__name__}.{module.name}')\n"
        "import desktop.library, desktop.notebook, desktop.cli, desktop.paths\n"
        "print(sorted(name for name in sys.modules if name.startswith(('PySide6', 'shiboken6'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_http_client_is_loaded_only_for_a_download() -> None:
    """Reading never needs the network: the window and the library start without urllib3 (and its 12 MB)."""
    code = ("import sys, desktop.ui.main_window, desktop.cli\n"
            "print(sorted(name for name in ('urllib3', 'ssl', 'http.client') if name in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
