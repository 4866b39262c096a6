"""A second look at issue #12 on the merged app: what a careful reviewer still met, by keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from curator.gui.app import MainWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_a_new_review_shows_nothing_of_the_review_left(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Found: after File > New review the row form still named the demo's arm
    ("Intervention arm: Pimecrolimus Group") and its row's extractor and status."""
    assert "Pimecrolimus" in window.row_form.sections["Intervention arm"].text()
    assert window.row_form.provenance.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "fresh.sqlite"), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a: ("Tacrolimus review", True))
    window.activateWindow()
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_N, CTRL_SHIFT)  # File > New review
    qtbot.waitUntil(lambda: window.path.name == "fresh.sqlite")
    assert window.row_form.sections["Intervention arm"].text() == "<b>Intervention arm</b>"
    assert window.row_form.sections["Comparator arm"].text() == "<b>Comparator arm</b>"
    assert window.row_form.provenance.text() == ""
    assert not window.row_form.isEnabled()
