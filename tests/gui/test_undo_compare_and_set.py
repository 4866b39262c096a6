"""Undo never overwrites work done since: compare-and-set in both directions.

The lost update reproduced before the service layer: a reviewer types 474,
fixes it to 475 in verify mode (verified), then presses Ctrl+Z; the field
went back to empty and the verified 475 was gone without a word. Now the
undo is refused with a message naming the field and both values, and
nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from curator.gui.app import MainWindow
from curator.gui.verify_view import VerifyDialog
from curator.services import ReviewService
from tests.doublecheck import audit_count, stored_by, table
from tests.gui.reviewers import controls, states, window_as
from tests.helpers import stored

ROW = ("pime-vs-tcs", 2)  # Flare-free patients: no n for either arm


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "ana.sqlite", "Ana")


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    return shown


def type_into_form(qtbot, window: MainWindow, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    window.select_row(*ROW)
    edit = window.row_form.edits[name]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def fix_in_verify_mode(qtbot, window: MainWindow, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    window.select_row(*ROW)
    controls(window).verify_action.trigger()
    dialog = window.findChild(VerifyDialog)
    assert isinstance(dialog, VerifyDialog) and dialog.current_row == ROW
    for _ in range(dialog.model.row_of(name)):
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    assert dialog.current_field is not None and dialog.current_field.field == name
    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, text)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def n_of(path: Path) -> str | None:
    n = stored(path).comparisons[0].rows[2].intervention.n
    return None if n is None else n.text


def test_undo_after_a_verify_mode_fix_keeps_the_verified_value_and_says_why(  # type: ignore[no-untyped-def]
    qtbot, review: Path, warnings: list[str]
) -> None:
    window = window_as(qtbot, review, "Ben")
    type_into_form(qtbot, window, "intervention.n", "474")
    assert n_of(review) == "474" and window.undo_stack.count() == 1
    fix_in_verify_mode(qtbot, window, "intervention.n", "475")
    fixed = states(review, *ROW)["intervention.n"]
    assert (fixed.value, fixed.state, fixed.by) == ("475", "verified", "Ben")
    before = audit_count(review)

    window.undo_action.trigger()  # Ctrl+Z

    assert n_of(review) == "475"
    kept = states(review, *ROW)["intervention.n"]
    assert (kept.value, kept.state, kept.by) == ("475", "verified", "Ben")
    assert audit_count(review) == before  # nothing was written
    assert len(warnings) == 1
    message = warnings[0]
    assert "intervention.n" not in message and "'475'" in message and "'474'" in message
    # the field by its label (the comparison's arm label), the row counted from 1
    assert message.startswith(
        "Pimecrolimus Group: n in row 3 (Flare-Free Patients) of pime-vs-tcs: not changed to (empty): "
    )
    assert window.undo_stack.count() == 0  # the refused undo left the stack: redo cannot replay it either
    assert window.row_form.edits["intervention.n"].text() == "475"


def test_undo_after_another_reviewer_verified_the_value_in_a_merge_is_refused(  # type: ignore[no-untyped-def]
    qtbot, review: Path, tmp_path: Path, warnings: list[str]
) -> None:
    window = window_as(qtbot, review, "Ben")
    type_into_form(qtbot, window, "intervention.n", "474")
    theirs = stored_by(tmp_path / "cleo.sqlite", "Cleo")
    with ReviewService.open(theirs, "Cleo") as cleo:
        cleo.rows.edit_field(*ROW, "intervention.n", "474")
    # Dan merges Cleo's file from the command line while Ben's window is open:
    # the value is the same, so Cleo's agreement verifies it.
    with ReviewService.open(review, "Dan") as dan:
        dan.checking.merge(theirs)
    merged = states(review, *ROW)["intervention.n"]
    assert (merged.value, merged.state, merged.by) == ("474", "verified", "Cleo")
    before = audit_count(review)

    window.undo_action.trigger()  # the stored value is still Ben's 474, but Cleo verified it since

    assert n_of(review) == "474" and audit_count(review) == before
    assert states(review, *ROW)["intervention.n"].state == "verified"
    assert (
        len(warnings) == 1
        and warnings[0].startswith("Pimecrolimus Group: n in row 3 (Flare-Free Patients) of pime-vs-tcs: ")
        and "Cleo (in Dan's merge) verified it ('474') since" in warnings[0]
    )
    assert window.undo_stack.count() == 0


def test_a_merge_in_the_window_is_not_undone_and_keeps_what_it_verified(qtbot, review: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    type_into_form(qtbot, window, "intervention.n", "474")
    theirs = stored_by(tmp_path / "cleo.sqlite", "Cleo")
    with ReviewService.open(theirs, "Cleo") as cleo:
        cleo.rows.edit_field(*ROW, "intervention.n", "474")
    task = controls(window).merge_file(theirs)
    assert task is not None and task.wait()
    window.undo_action.trigger()
    assert n_of(review) == "474"
    assert states(review, *ROW)["intervention.n"].state == "verified"


def test_undo_back_to_a_verified_value_verifies_it_again_only_if_that_value_was_verified(  # type: ignore[no-untyped-def]
    qtbot, review: Path, warnings: list[str]
) -> None:
    with ReviewService.open(review, "Cleo") as cleo:
        cleo.checking.verify_field(*ROW, "intervention.value")
    window = window_as(qtbot, review, "Ben")
    type_into_form(qtbot, window, "intervention.value", "50.9")
    assert states(review, *ROW)["intervention.value"].state == "changed"
    type_into_form(qtbot, window, "intervention.value", "51.0")

    window.undo_action.trigger()  # back to 50.9, which nobody verified
    assert states(review, *ROW)["intervention.value"].state == "changed"
    window.undo_action.trigger()  # back to 50.8, which Cleo verified
    restored = states(review, *ROW)["intervention.value"]
    assert (restored.value, restored.state, restored.by) == ("50.8", "verified", "Cleo")
    assert table(review, "SELECT who, new FROM audit_log WHERE action = 'reverify'") == [("Ben", "50.8")]
    window.redo_action.trigger()  # forward again: the verification no longer holds
    assert states(review, *ROW)["intervention.value"].state == "changed"
    assert warnings == []


def test_undoing_a_new_row_that_was_changed_since_keeps_it_and_says_why(  # type: ignore[no-untyped-def]
    qtbot, review: Path, warnings: list[str]
) -> None:
    window = window_as(qtbot, review, "Ben")
    window.select_row("pime-vs-tcs", 3)
    window.new_row_action.trigger()  # Ctrl+N: a blank row at position 4
    assert len(stored(review).comparisons[0].rows) == 5
    with ReviewService.open(review, "Cleo") as cleo:  # another window names it meanwhile
        cleo.rows.edit_field("pime-vs-tcs", 4, "endpoint", "Itch (VAS)")
    before = audit_count(review)

    window.undo_action.trigger()

    rows = stored(review).comparisons[0].rows
    assert len(rows) == 5 and rows[4].endpoint == "Itch (VAS)" and audit_count(review) == before
    assert len(warnings) == 1 and warnings[0].startswith(
        "Endpoint in row 5 (Itch (VAS)) of pime-vs-tcs: the row was not deleted: it is now 'Itch (VAS)', not 'New endpoint'"
    )


def test_undoing_a_new_comparison_that_got_rows_since_keeps_them(  # type: ignore[no-untyped-def]
    qtbot, review: Path, warnings: list[str]
) -> None:
    window = window_as(qtbot, review, "Ben")
    window.edits.new_comparison(("itch", "Itch", "Pimecrolimus", "Vehicle"))
    with ReviewService.open(review, "Cleo") as cleo:
        cleo.rows.insert_row("itch", 0, cleo.rows.blank_row())

    window.undo_action.trigger()

    assert [c.key for c in stored(review).comparisons][-1] == "itch"
    assert len(warnings) == 1 and "comparison itch: not deleted: 1 row was added to it since" in warnings[0]


def test_undo_and_redo_of_a_move_with_nothing_changed_meanwhile_just_work(qtbot, review: Path, warnings) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    endpoints = [r.endpoint for r in stored(review).comparisons[0].rows]
    window.select_row("pime-vs-tcs", 1)
    window.move_down_action.trigger()
    assert [r.endpoint for r in stored(review).comparisons[0].rows][1:3] == [endpoints[2], endpoints[1]]
    window.undo_action.trigger()
    assert [r.endpoint for r in stored(review).comparisons[0].rows] == endpoints
    window.redo_action.trigger()
    window.undo_action.trigger()
    assert [r.endpoint for r in stored(review).comparisons[0].rows] == endpoints and warnings == []
