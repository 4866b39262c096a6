"""The File menu of the main window, used as a reviewer would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from curator.gui.app import MainWindow
from curator.gui.export_dialog import ExportDialog
from curator.gui.settings import Settings
from tests.helpers import stored, stored_demo


def test_export_from_the_menu_runs_with_progress_and_writes_the_workbook(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.export_action.trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.set_format("xlsx")
    target = tmp_path / "out.xlsx"
    dialog.set_target(target)
    task = dialog.export()
    assert task is not None
    assert task.wait()
    qtbot.waitUntil(lambda: not dialog.isVisible())  # closes when done
    assert task.last_progress is not None and task.last_progress[0] == task.last_progress[1]
    assert target.read_bytes()[:2] == b"PK"
    assert window.statusBar().currentMessage().startswith("Wrote 8 rows in 2 comparison sheets to out.xlsx")
    assert str(tmp_path) not in window.statusBar().currentMessage()  # the file's name, not its whole folder
    assert "out.xlsx" in window.statusBar().toolTip()


def test_a_new_review_is_a_new_file_shown_empty(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.sqlite"
    assert window.files.new_review(path, "Tacrolimus in adults")
    assert window.windowTitle() == "Curator — Tacrolimus in adults"
    assert window.comparisons_model.rowCount() == 0 and window.rows_model.rowCount() == 0
    window.new_row_action.trigger()  # nothing to add a row to yet
    assert window.statusBar().currentMessage() == "Select or create a comparison first"
    window.edits.new_comparison(("tac-vs-tcs", "Tacrolimus vs TCS", "Tacrolimus 0.1%", "TCS"))
    window.new_row_action.trigger()
    assert [r.endpoint for r in stored(path).comparisons[0].rows] == ["New endpoint"]


def test_a_locked_review_is_refused_with_a_message_and_left_alone(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    other = stored_demo(tmp_path / "other.sqlite")
    holder = sqlite3.connect(other)
    holder.execute("BEGIN EXCLUSIVE")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    try:
        before = other.read_bytes()
        assert not window.files.open_path(other)
        assert other.read_bytes() == before
    finally:
        holder.rollback()
        holder.close()
    assert len(said) == 1 and "locked" in said[0] and str(other) in said[0]
    assert window.path != other


def test_opened_files_are_remembered_as_recent(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = window.path
    other = stored_demo(tmp_path / "other.sqlite")
    assert window.files.open_path(other)
    assert Settings().recent_files()[0] == window.path
    window.recent_menu.aboutToShow.emit()
    assert window.files.open_path(first)
    window.recent_menu.aboutToShow.emit()
    assert str(window.path) not in [a.text() for a in window.recent_menu.actions()]  # not the open one
    assert str(other.resolve()) in [a.text() for a in window.recent_menu.actions()]
