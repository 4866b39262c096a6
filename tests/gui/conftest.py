"""A main window on a stored demo review, for the GUI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from curator.gui.app import MainWindow
from tests.helpers import stored_demo


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The main window, shown, on the demo review stored by Ana; Ben is at the keyboard."""
    win = MainWindow(stored_demo(tmp_path / "r.sqlite"), "Ben")
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def parent(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    """A shown, empty widget for dialogs to belong to."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget
