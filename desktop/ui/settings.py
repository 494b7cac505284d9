"""UI preferences in QSettings, every key and its default declared here. User data never goes here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

__all__ = ["Settings"]

_DEFAULTS: dict[str, Any] = {
    "corpus/last": "",  # folder of the corpus open at the last quit
    "corpus/recent": "[]",  # JSON: recently opened corpora, each with its article and position (recent_corpora)
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "window/splitter": QByteArray(),
    "highlight/colour": "yellow",
    "export/template": "",  # a Jinja2 template file for exported notes; "" is Lectern's own (resources/)
}


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._settings = qsettings or QSettings("Lectern", "Lectern")

    def get(self, key: str) -> Any:
        default = _DEFAULTS[key]
        value = self._settings.value(key, default)
        if isinstance(default, int) and not isinstance(value, int):
            try:
                return int(value)  # type: ignore[call-overload]  # QSettings gives back what it stored
            except (TypeError, ValueError):
                return default
        return value if value is not None else default

    def set(self, key: str, value: Any) -> None:
        if key not in _DEFAULTS:
            raise KeyError(key)
        self._settings.setValue(key, value)

    def sync(self) -> None:
        self._settings.sync()
