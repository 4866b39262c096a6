"""What a reviewer reads in the window names fields by their labels and rows from 1.

Found in a day of real work (issue #12, item 7): the Undo menu said
``change intervention.n of pime-vs-tcs[2]``, the delete question "row 2" for
the third row, and refusals spoke of ``intervention.n``.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from curator.gui.app import MainWindow
from curator.gui.verify_view import VerifyDialog
from tests.doublecheck import stored_by
from tests.gui.reviewers import controls, window_as
from tests.gui.test_window_rows import type_in_cell
from tests.helpers import stored


def type_into_form(qtbot, window: MainWindow, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    edit = window.row_form.edits[name]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_the_undo_menu_names_the_field_by_its_labels_and_the_row_from_one(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setCurrentIndex(window.rows_model.index(2, 0))  # Flare-Free Patients, the third row
    type_into_form(qtbot, window, "intervention.n", "474")
    assert stored(window.path).comparisons[0].rows[2].intervention.n.text == "474"
    assert window.undo_action.text() == "&Undo edit Pimecrolimus Group: n in row 3 of pime-vs-tcs"
    type_in_cell(qtbot, window, 0, 1, "42.7")  # the first row's intervention cell
    assert window.undo_action.text() == "&Undo edit Pimecrolimus Group: value in row 1 of pime-vs-tcs"
    window.undo_action.trigger()
    assert window.redo_action.text() == "&Redo edit Pimecrolimus Group: value in row 1 of pime-vs-tcs"
    for text in (window.undo_action.text(), window.redo_action.text()):
        assert "[" not in text and "intervention." not in text


def test_moving_and_deleting_rows_count_rows_from_one(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def question(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    window.rows_view.setCurrentIndex(window.rows_model.index(2, 0))
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # Alt+Up
    assert window.undo_action.text() == "&Undo move row 3 of pime-vs-tcs to row 2"
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Delete
    assert asked == ["Delete row 2 (Flare-Free Patients) of pime-vs-tcs?\nUndo (Ctrl+Z) brings it back."]


def test_a_refused_cell_names_the_field_and_the_row_for_people(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    before = stored(window.path)
    type_in_cell(qtbot, window, 2, 1, "35,6")
    message = window.statusBar().currentMessage()
    assert message.startswith("Not saved: Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs: ")
    assert "intervention" not in message and "[2]" not in message
    assert stored(window.path) == before


def test_verify_mode_names_the_row_from_one_and_the_fields_by_their_labels(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, stored_by(tmp_path / "ana.sqlite", "Ana"), "Ben")
    window.select_row("pime-vs-tcs", 2)
    controls(window).verify_action.trigger()  # Ctrl+Shift+V
    dialog = window.findChild(VerifyDialog)
    assert isinstance(dialog, VerifyDialog)
    assert "row 3 of pime-vs-tcs" in dialog.where.text() and "[2]" not in dialog.where.text()
    shown = [dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())]
    assert "Pimecrolimus Group: value" in shown and "Endpoint" in shown
    assert not [s for s in shown if "." in s or "_" in s]  # no dotted paths, no internal names
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
