"""From the table to the row form and back by keys, arm cells typed as papers print them, and one
pending value shown alike in the cell and the form (issue 12, items 3 and 4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from curator.gui.app import MainWindow, fit_words
from curator.gui.dialogs import ShortcutsDialog
from curator.services import ReviewService
from tests.gui.test_screenshots import _save

FLARE_FREE = 2  # "Flare-Free Patients" of pime-vs-tcs: percent, pimecrolimus 50.8 with no counts
ARM = 1  # the pimecrolimus arm's column
EFFECT = 3
NOT_A_NUMBER = '"35,6" is not a number (write it without a thousands separator or decimal comma)'


@pytest.fixture(autouse=True)
def on_flare_free(window: MainWindow) -> None:
    window.rows_view.setCurrentIndex(window.rows_model.index(FLARE_FREE, ARM))
    window.rows_view.setFocus()


def focus(window: MainWindow) -> QWidget | None:
    """Where the keyboard is in the window."""
    return window.focusWidget()


def stored_arm(window: MainWindow) -> tuple[str | None, str | None, str | None]:
    """The pimecrolimus arm's value, events and n, as the service reads them."""
    arm = window.service.stored_rows("pime-vs-tcs").row(FLARE_FREE).intervention
    assert arm is not None
    return tuple(None if getattr(arm, f) is None else getattr(arm, f).text for f in ("value", "events", "n"))  # type: ignore[return-value]


def updates(window: MainWindow) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(window.path)
    try:
        return conn.execute("SELECT who, field, old, new FROM audit_log WHERE action = 'update' ORDER BY id").fetchall()
    finally:
        conn.close()


def type_in_cell(qtbot, window: MainWindow, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """On the cell: F2, select what is there, type, Enter."""
    view = window.rows_view
    view.setCurrentIndex(window.rows_model.index(FLARE_FREE, column))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = focus(window)
    assert isinstance(editor, QLineEdit) and view.isAncestorOf(editor), "F2 opens the cell's editor"
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focus(window) is view)


def cell(window: MainWindow, column: int = ARM, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
    return window.rows_model.data(window.rows_model.index(FLARE_FREE, column), role)


def pending_colour(window: MainWindow) -> bool:
    brush = cell(window, role=Qt.ItemDataRole.BackgroundRole)
    return isinstance(brush, QBrush) and brush.color().name() == "#ff9999"


def test_enter_on_a_cell_puts_the_keyboard_in_its_field_in_the_form(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Return)
    value = window.row_form.edits["intervention.value"]
    assert focus(window) is value
    assert value.selectedText() == "50.8"  # ready to be typed over
    # Tab walks the arm's fields: text, then n, then events, all reachable from the keyboard.
    qtbot.keyClick(value, Qt.Key.Key_Tab)
    qtbot.keyClick(focus(window), Qt.Key.Key_Tab)
    assert focus(window) is window.row_form.edits["intervention.n"]
    qtbot.keyClicks(focus(window), "474")
    qtbot.keyClick(focus(window), Qt.Key.Key_Return)  # saved
    # Escape: back to the table, on the arm's cell.
    qtbot.keyClick(focus(window), Qt.Key.Key_Escape)
    assert focus(window) is window.rows_view
    assert window.rows_view.currentIndex().column() == ARM
    assert stored_arm(window) == ("50.8", None, "474")
    # Typing on a cell still edits the cell's main field.
    type_in_cell(qtbot, window, EFFECT, "1.5")
    assert window.service.stored_rows("pime-vs-tcs").row(FLARE_FREE).effect.value.text == "1.5"  # type: ignore[union-attr]


def test_f6_goes_to_the_form_and_back_and_f1_lists_the_keys(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setCurrentIndex(window.rows_model.index(FLARE_FREE, EFFECT))
    qtbot.keyClick(window.rows_view, Qt.Key.Key_F6)
    assert focus(window) is window.row_form.edits["effect.value"]
    qtbot.keyClick(focus(window), Qt.Key.Key_Tab)  # CI low
    qtbot.keyClick(focus(window), Qt.Key.Key_F6)
    assert focus(window) is window.rows_view
    assert window.rows_view.currentIndex().column() == EFFECT
    qtbot.keyClick(window.rows_view, Qt.Key.Key_F1)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog) and w.isVisible()]
    assert len(dialogs) == 1
    rows = dialogs[0].rows
    assert ("Go to the row form (and back to the table)", "F6") in rows
    assert ("Open the cell's field in the row form", "Enter") in rows
    assert any(keys == "Esc" and "back to the table" in what for what, keys in rows)
    assert any("95/267" in keys for _what, keys in rows)
    dialogs[0].close()


def test_an_arm_cell_takes_events_over_n_as_one_step_undone_by_one_ctrl_z(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_in_cell(qtbot, window, ARM, "95/267")
    assert stored_arm(window) == ("50.8", "95", "267")  # only what was typed: the value stays
    assert updates(window) == [("Ben", "intervention.events", None, "95"), ("Ben", "intervention.n", None, "267")]
    assert cell(window) == "50.8% (95/267)"
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_arm(window) == ("50.8", None, None)
    assert cell(window) == "50.8%"


def test_an_arm_cell_takes_the_value_with_its_counts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    type_in_cell(qtbot, window, ARM, "35.6% (95/267)")
    assert stored_arm(window) == ("35.6", "95", "267")
    assert cell(window) == "35.6% (95/267)"
    assert window.row_form.edits["intervention.n"].text() == "267"
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_arm(window) == ("50.8", None, None)


def test_a_plain_137_in_a_percent_arm_is_refused_saying_how_to_type_n(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    before = updates(window)
    type_in_cell(qtbot, window, ARM, "137")
    reason = (
        "Pimecrolimus Group: value: 137 is above 100, impossible for a percentage: to give n, type events/n "
        "(e.g. 95/267) or n = 137; a value the paper printed above 100 is typed with its %: 137%"
    )
    assert cell(window) == "137"  # kept as typed, marked, not saved
    assert cell(window, role=Qt.ItemDataRole.ToolTipRole) == f"Not saved: {reason}"
    assert window.row_form.edits["intervention.value"].text() == "137"
    assert window.row_form.message.text() == reason
    assert stored_arm(window) == ("50.8", None, None)
    assert updates(window) == before
    assert window.undo_stack.count() == 0


def test_a_value_that_does_not_parse_is_one_pending_value_in_the_cell_and_the_form(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = window.row_form
    value = form.edits["intervention.value"]
    type_in_cell(qtbot, window, ARM, "35,6")
    reason = f"Pimecrolimus Group: value: {NOT_A_NUMBER}"
    # The same text in both, marked, with the same reason; in full below the form.
    assert cell(window) == "35,6" == value.text()
    assert cell(window, role=Qt.ItemDataRole.ToolTipRole) == f"Not saved: {reason}"
    assert pending_colour(window)
    assert "F8CBAD" in value.styleSheet() and value.toolTip() == reason
    assert form.message.text() == reason
    # The status bar says it as far as it fits, never cutting a word; the whole is its tooltip.
    shown = window.statusBar().currentMessage()
    full = f"Not saved: Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs: {NOT_A_NUMBER}"
    assert shown == full or (shown.endswith(" …") and full.startswith(shown[:-2]) and full[len(shown) - 2] == " ")
    assert window.statusBar().toolTip() == full
    assert stored_arm(window) == ("50.8", None, None)
    # Enter on the cell: the form's field holds the same pending text; fixing it there clears both.
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Return)
    assert focus(window) is value and value.selectedText() == "35,6"
    qtbot.keyClicks(value, "35.6")
    qtbot.keyClick(value, Qt.Key.Key_Return)
    assert stored_arm(window) == ("35.6", None, None)
    assert cell(window) == "35.6%"
    assert not str(cell(window, role=Qt.ItemDataRole.ToolTipRole)).startswith("Not saved")
    assert not pending_colour(window)
    assert value.text() == "35.6" and value.styleSheet() == "" and form.message.text() == ""


def test_a_bad_value_typed_in_the_form_marks_the_cell_and_escape_abandons_it_in_both(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = window.row_form
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Return)
    value = form.edits["intervention.value"]
    qtbot.keyClicks(value, "35,6")
    qtbot.keyClick(value, Qt.Key.Key_Return)
    assert cell(window) == "35,6"
    assert cell(window, role=Qt.ItemDataRole.ToolTipRole) == f"Not saved: Pimecrolimus Group: value: {NOT_A_NUMBER}"
    # Escape puts the stored value back, in the form and in the cell; a second Escape goes to the table.
    qtbot.keyClick(value, Qt.Key.Key_Escape)
    assert value.text() == "50.8" and form.message.text() == "" and value.styleSheet() == ""
    assert cell(window) == "50.8%" and not pending_colour(window)
    assert focus(window) is value
    qtbot.keyClick(value, Qt.Key.Key_Escape)
    assert focus(window) is window.rows_view
    assert updates(window) == []


def test_the_forms_arm_value_takes_what_the_cell_takes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Return)
    value = window.row_form.edits["intervention.value"]
    qtbot.keyClicks(value, "35.6% (95/267)")
    qtbot.keyClick(value, Qt.Key.Key_Return)
    assert stored_arm(window) == ("35.6", "95", "267")
    assert value.text() == "35.6" and window.row_form.edits["intervention.events"].text() == "95"
    window.undo_action.trigger()
    assert stored_arm(window) == ("50.8", None, None)


def test_keyboard_form_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """docs/keyboard-form.png: an arm's cell typed 35.6% (95/267), then Enter: the keyboard in the form."""
    window.resize(1500, 820)
    type_in_cell(qtbot, window, ARM, "35.6% (95/267)")
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Return)
    value = window.row_form.edits["intervention.value"]
    assert focus(window) is value and value.selectedText() == "35.6"
    assert [window.row_form.edits[f"intervention.{f}"].text() for f in ("events", "n")] == ["95", "267"]
    assert window.statusBar().currentMessage() == (
        "Row form: Tab to the next field, Enter saves, Esc or F6 back to the table"
    )
    picture = _save(window, "keyboard-form.png", tmp_path)
    assert picture.stat().st_size > 20_000


def test_undoing_events_over_n_is_refused_whole_when_one_of_them_changed_since(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    type_in_cell(qtbot, window, ARM, "95/267")
    with ReviewService.open(window.path, "Cleo") as cleo:
        cleo.rows.edit_field("pime-vs-tcs", FLARE_FREE, "intervention.n", "268")
    before = updates(window)
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(shown) == 1 and "Pimecrolimus Group: n in row 3" in shown[0] and "'268'" in shown[0]
    assert stored_arm(window) == ("50.8", "95", "268")  # events was not put back alone
    assert updates(window) == before


def test_a_long_status_line_is_cut_between_words() -> None:
    def fits(line: str) -> bool:
        return len(line) <= 14

    assert fit_words("Not saved: a reason", fits) == "Not saved: a …"
    assert fit_words("Not saved: the reason", fits) == "Not saved …"
    assert fit_words("short", fits) == "short"
    assert fit_words("Unbreakablewordthatislong and more", fits) == "Unbreakablewordthatislong …"
