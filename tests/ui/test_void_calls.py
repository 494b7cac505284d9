"""PySide6 6.12.0 on Python < 3.12 drops a reference to None on every call of a method that returns
nothing, and the interpreter aborts after ~5,000 such calls. pyproject.toml pins below 6.12 there;
this test fails (by crashing) if a broken build comes back."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_tens_of_thousands_of_void_calls(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    for number in range(50_000):
        label.setText("x")  # returns None
        label.setEnabled(number % 2 == 0)  # returns None
    assert label.text() == "x"
