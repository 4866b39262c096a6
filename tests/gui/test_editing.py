"""Editing a value in the row form as a reviewer would: typed, refused or saved, undone."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from curator.gui.app import MainWindow
from tests.helpers import stored


@pytest.fixture(autouse=True)
def flare_free_selected(window: MainWindow) -> None:
    window.rows_view.setCurrentIndex(window.rows_model.index(2, 0))  # Flare-Free Patients


def stored_row(window: MainWindow, comparison: int = 0, position: int = 2):  # type: ignore[no-untyped-def]
    return stored(window.path).comparisons[comparison].rows[position]


def type_into(qtbot, window: MainWindow, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    edit = window.row_form.edits[name]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_form_shows_the_selected_row(window: MainWindow) -> None:
    form = window.row_form
    assert form.edits["endpoint"].text() == "Flare-Free Patients"
    assert form.edits["intervention.value"].text() == "50.8"
    assert form.edits["citations"].text() == "7"
    assert form.text_of("higher_is_better") == "TRUE"
    assert form.choices["higher_is_better"].currentText() == "yes"  # people read yes/no, not TRUE
    assert form.choices["status"].currentText() == "extracted"


def test_higher_is_better_is_chosen_as_yes_or_no_and_stored_as_a_boolean(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    combo = window.row_form.choices["higher_is_better"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "yes", "no"]
    assert combo.toolTip() == "Higher is better"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # yes -> no, as a keyboard user changes a drop-down
    assert combo.currentText() == "no"
    assert stored_row(window).higher_is_better is False
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert stored_row(window).higher_is_better is True


def test_a_bad_value_is_marked_and_kept_and_nothing_is_saved(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    before = window.path.read_bytes()
    type_into(qtbot, window, "intervention.n", "forty")
    edit = window.row_form.edits["intervention.n"]
    assert edit.text() == "forty"  # kept as typed
    assert window.row_form.message.text() == 'Pimecrolimus Group: n: "forty" is not a whole number'
    assert "F8CBAD" in edit.styleSheet()
    assert window.path.read_bytes() == before
    assert window.undo_stack.count() == 0


def test_a_good_value_is_saved_audited_and_checked_and_undo_redo_work(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_into(qtbot, window, "intervention.n", "474")
    row = stored_row(window)
    assert row.intervention.n.text == "474"
    conn = sqlite3.connect(window.path)
    assert conn.execute("SELECT who, field, old, new FROM audit_log WHERE action = 'update'").fetchall() == [
        ("Ben", "intervention.n", None, "474")
    ]
    conn.close()
    # The checks ran again: 50.8% with n = 474 is possible, so no GRIM error.
    assert not [f for f in window.findings if f.rule == "grim-percent"]
    # Still on the same row, and the form shows what is stored.
    assert window.row_form.edits["intervention.n"].text() == "474"
    type_into(qtbot, window, "intervention.value", "50.9")
    assert [f.rule for f in window.findings if f.rule == "grim-percent"] == ["grim-percent"]
    window.undo_action.trigger()
    assert stored_row(window).intervention.value.text == "50.8"
    window.undo_action.trigger()
    assert stored_row(window).intervention.n is None
    window.redo_action.trigger()
    assert stored_row(window).intervention.n.text == "474"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.redo_action.shortcut().toString() == "Ctrl+Shift+Z"
