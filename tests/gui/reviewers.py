"""Windows of the double-checking tests: Ana's extraction, opened by one reviewer or another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curator.gui.app import MainWindow
from curator.gui.double_checking import DoubleChecking, install
from curator.services.sources import open_review
from curator.store.field_states import FieldState
from curator.store.verification import field_states


def window_as(qtbot: Any, path: Path, who: str) -> MainWindow:
    """The main window on ``path`` with ``who`` at the keyboard, double-checking installed."""
    window = MainWindow(path, who)
    qtbot.addWidget(window)
    install(window)
    window.show()
    return window


def controls(window: MainWindow) -> DoubleChecking:
    found = window.findChild(DoubleChecking, "double_checking")
    assert isinstance(found, DoubleChecking)
    return found


def states(path: Path, comparison: str, position: int) -> dict[str, FieldState]:
    """A row's field states as stored."""
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return field_states(session, comparison, position)
