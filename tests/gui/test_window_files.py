"""The File menu of the main window, used as a reviewer would."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from curator.gui.app import MainWindow
from curator.gui.export_dialog import ExportDialog
from curator.gui.settings import Settings
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Reference, Review, Row
from curator.services.sources import open_review
from curator.store.repository import add_content
from tests.helpers import ROOT, stored, stored_demo


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


def test_revman_study_data_from_the_menu_with_keys_shows_the_rows_it_left_out(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.export_action.trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.format_box.setFocus()
    qtbot.keyClicks(dialog.format_box, "RevMan")  # a closed list box goes to the item typed
    assert dialog.format() == "revman-csv"
    target = tmp_path / "for-revman.zip"
    dialog.target_edit.setFocus()
    dialog.target_edit.selectAll()
    qtbot.keyClicks(dialog.target_edit, str(tmp_path / "for-revman"))  # the suffix is the format's
    qtbot.keyClick(dialog.target_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert target.read_bytes()[:2] == b"PK"
    said = window.statusBar().currentMessage()
    assert said.startswith("Wrote RevMan Web's study data for 6 studies (12 arms, 0 result lines) to for-revman.zip")
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert box.windowTitle() == "Curator — exported" and box.text().startswith(said.rstrip("…"))
    assert box.text().endswith("Study results.csv") and str(tmp_path) not in box.text()  # the file named
    details = box.informativeText().splitlines()
    assert details[0] == "Left out of the results (8):" and len(details) == 9
    assert "row 2 (Safety and efficacy of pimecrolimus): its arm values are median values" in details[2]
    if os.environ.get("CURATOR_SCREENSHOTS"):
        box.grab().save(str(ROOT / "docs" / "revman-export-left-out.png"))
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_a_long_list_of_rows_left_out_shows_its_start_and_the_rest_under_show_details(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    medians = [
        Row(endpoint=f"Days {i}", measure="median", intervention=Arm(value=parse_reported("7")),
            comparator=Arm(value=parse_reported("9")), citations=["w"])
        for i in range(30)
    ]  # fmt: skip
    review = Review(
        references=[Reference(key="w", authors=["Wahn U"], year=2002)],
        comparisons=[Comparison(key="c", title="C", intervention="A", comparator="B", rows=medians)],
    )
    with open_review(tmp_path / "r.sqlite") as db, db.session() as session:
        add_content(session, review, "Ana")
    window = MainWindow(tmp_path / "r.sqlite", "Ben")
    qtbot.addWidget(window)
    window.show()
    window.export_action.trigger()
    dialog = window.findChild(ExportDialog)
    dialog.set_format("revman-csv")
    dialog.set_target(tmp_path / "out.zip")
    qtbot.keyClick(dialog.target_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=30_000)
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    shown = box.informativeText().splitlines()
    assert shown[0] == "Left out of the results (30):" and len(shown) == 13  # the heading, 11 rows, the rest
    assert shown[-1] == "… and 19 more: Show Details…"
    assert box.detailedText().splitlines()[1:] == [
        f"  C, row {i + 1} (Wahn 2002): its arm values are median values, which RevMan does not take (events and "
        "totals, or means), and it reports no effect estimate"
        for i in range(30)
    ]


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
