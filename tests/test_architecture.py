"""The layers: ui → library → store → core, nothing importing one above it; the core, the store and
the library never load Qt."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT

_ENTRY_POINTS = {"desktop.cli", "desktop.__main__", "desktop.selftest"}  # they start the window: above every layer
_LAYERS = ("desktop.core", "desktop.store", "desktop", "desktop.ui")  # lowest first; "desktop": the library


def _layer(module: str) -> int:
    if module in _ENTRY_POINTS:
        return len(_LAYERS)
    within = [layer for layer in _LAYERS if module == layer or module.startswith(layer + ".")]
    return _LAYERS.index(max(within, key=len))  # the innermost package holding it


def _imported_modules(path: Path) -> set[str]:
    """The desktop modules a file imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name == "desktop" or name.startswith("desktop.")}


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = []
    for path in sorted((PROJECT / "desktop").rglob("*.py")):
        module = ".".join(path.relative_to(PROJECT).with_suffix("").parts).removesuffix(".__init__")
        upward += [f"{module} imports {name}" for name in _imported_modules(path) if _layer(name) > _layer(module)]
    assert upward == []


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
