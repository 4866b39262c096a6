"""The Forest plot panel (issue 17): F9 shows the selected row's endpoint pooled and drawn; a value
typed into the table draws it again with the new numbers. ``CURATOR_SCREENSHOTS=1`` keeps the
window with the panel in docs/forest-panel.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from curator.gui.app import MainWindow
from curator.services import ReviewService
from curator.services.sources import open_review
from curator.store.repository import add_content
from tests.analysis.bcg import bcg_review
from tests.gui.test_screenshots import _save

ARM = 1  # the vaccinated arm's column


@pytest.fixture
def bcg_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    path = tmp_path / "bcg.sqlite"
    with open_review(path) as db, db.session() as session:
        add_content(session, bcg_review(), "Ana")
    win = MainWindow(path, "Ben")
    qtbot.addWidget(win)
    win.resize(1500, 1000)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_f9_draws_the_rows_endpoint_and_an_edit_draws_it_again(qtbot, bcg_window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = bcg_window
    panel = window.forest_panel
    assert not panel.isVisible()
    window.rows_view.setCurrentIndex(window.rows_model.index(0, ARM))
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.isVisible() and panel.summary.text().startswith("Tuberculosis: RR"), timeout=10_000)
    assert panel.summary.text() == "Tuberculosis: RR 0.49 [0.34, 0.70], 13 studies, I² 92%"
    assert not panel.picture.pixmap().isNull() and panel.picture.pixmap().width() > 600
    _save(window, "forest-panel.png", tmp_path)
    # Aronson's vaccinated arm typed anew: 40 of 123 instead of 4 (the RR of that trial goes above 1).
    qtbot.keyClick(window.rows_view, Qt.Key.Key_F2)
    editor = window.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "32.5% (40/123)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.summary.text().startswith("Tuberculosis: RR 0.5"), timeout=10_000)
    first = panel.analysis.studies[0]
    assert first.data.events1 == 40 and first.estimate > 1
    with ReviewService.open(window.path, "Ben") as service:  # what is drawn is what is stored
        assert service.stored_rows("bcg").row(0).intervention.events.text == "40"  # type: ignore[union-attr]


def test_a_row_whose_endpoint_cannot_be_pooled_says_why(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setCurrentIndex(window.rows_model.index(2, 0))  # the demo's Flare-Free Patients
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_F9)
    panel = window.forest_panel
    qtbot.waitUntil(lambda: "not pooled" in panel.summary.text(), timeout=10_000)
    assert panel.summary.text() == "Flare-Free Patients: not pooled: no study can be pooled."
    assert panel.picture.pixmap().isNull()


def test_a_redraw_due_after_the_window_closed_reads_nothing(qtbot, bcg_window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An edit starts the panel's short delay; the window closing before it runs out must not start a worker
    reading the closed review (on a server: a connection opened again and never closed)."""
    window = bcg_window
    window.rows_view.setCurrentIndex(window.rows_model.index(0, ARM))
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_F9)
    panel = window.forest_panel
    qtbot.waitUntil(lambda: panel.summary.text().startswith("Tuberculosis: RR"), timeout=10_000)
    started: list[str] = []
    monkeypatch.setattr(window.tasks, "run", lambda name, *_a, **_k: started.append(name))
    panel.follow()  # what an edit does
    window.close()
    panel._timer.timeout.emit()  # the delay runs out
    assert started == []
