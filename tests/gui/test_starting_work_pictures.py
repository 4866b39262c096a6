"""The pictures of starting work (issue #12, item 8): an empty review and the new-comparison dialog.

Each test checks what the picture must show; ``CURATOR_SCREENSHOTS=1``
also writes it to docs/ (look at it before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from curator.gui.app import MainWindow
from curator.gui.new_comparison import NewComparisonDialog
from curator.services import ReviewService

DOCS = Path(__file__).parents[2] / "docs"


def _save(widget: QWidget, name: str, tmp_path: Path) -> Path:
    target = DOCS / name if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path / name
    QApplication.processEvents()  # let the layouts take the labels' new sizes
    assert widget.grab().save(str(target))
    return target


def _empty_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    path = tmp_path / "tacrolimus.sqlite"
    ReviewService.create(path, "Tacrolimus in atopic dermatitis", "Ben")
    window = MainWindow(path, "Ben")
    qtbot.addWidget(window)
    window.resize(1200, 640)
    window.show()
    return window


def test_empty_review_picture(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _empty_window(qtbot, tmp_path)
    assert window.empty_hint.label.isVisible() and "No comparisons yet." in window.empty_hint.text()
    assert window.windowTitle() == "Curator — Tacrolimus in atopic dermatitis"
    assert _save(window, "empty-review.png", tmp_path).is_file()


def test_new_comparison_picture(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _empty_window(qtbot, tmp_path)
    window.new_comparison_action.trigger()
    dialog = window.findChild(NewComparisonDialog)
    assert isinstance(dialog, NewComparisonDialog)
    qtbot.keyClicks(dialog.title_edit, "Tacrolimus vs topical corticosteroids")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.intervention_edit, "Tacrolimus 0.03% ointment")
    assert dialog.key_edit.text() == "tacrolimus-vs-topical-corticosteroids"
    assert dialog.reason.text() == "Name the comparator arm (the second arm of the table)."
    assert not dialog.ok_button.isEnabled()
    assert _save(dialog, "new-comparison.png", tmp_path).is_file()
