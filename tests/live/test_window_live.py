"""Working at once in the window: another process's change shown within a second, and a save refused as stale
showing theirs and yours to choose from (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.formats.display import TABLE_EDIT_FIELDS
from curator.gui.app import MainWindow
from curator.gui.stale_dialog import StaleWriteDialog
from curator.services import ReviewService
from tests.doublecheck import audit_count, stored_by, table
from tests.gui.reviewers import window_as
from tests.live import SHOWN_WITHIN_MS

pytestmark = pytest.mark.gui

DOCS = Path(__file__).resolve().parents[2] / "docs"
ROW = ("pime-vs-tcs", 2)  # Flare-Free Patients: Pimecrolimus Group value 50.8


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "ana.sqlite", "Ana")


def curator(*args: str) -> None:
    """``curator ARGS`` in another process (a second reviewer at another terminal); it must succeed."""
    done = subprocess.run([sys.executable, "-m", "curator", *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def ben_fixes(review: Path, value: str, expect: str = "50.8") -> None:
    curator("--reviewer", "Ben", "fix", str(review), "pime-vs-tcs[2]", "--field", "intervention.value",
            "--value", value, "--expect", expect)  # fmt: skip


def cell(window: MainWindow, position: int, field: str) -> str:
    """The table's cell of a row's field, as shown (an arm's cell shows its value first, a percentage without its sign)."""
    column = TABLE_EDIT_FIELDS.index(field)
    view_row = window.rows_model.view_row(position)
    assert view_row is not None
    return str(window.rows_model.index(view_row, column).data()).split()[0].rstrip("%")


def start_typing(qtbot, window: MainWindow, name: str, text: str):  # type: ignore[no-untyped-def]
    """Type ``text`` over a field of the form, not saved yet (no Enter)."""
    window.select_row(*ROW)
    edit = window.row_form.edits[name]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    return edit


def test_a_fix_in_another_process_shows_within_a_second_keeping_the_place(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    window.select_row("pime-vs-tcs", 2, 3)
    assert cell(window, 2, "intervention.value") == "50.8"
    before = window.rows_view.currentIndex()

    ben_fixes(review, "50.3")

    qtbot.waitUntil(lambda: cell(window, 2, "intervention.value") == "50.3", timeout=SHOWN_WITHIN_MS)
    assert window.row_form.text_of("intervention.value") == "50.3"  # the form shows the row shown, as stored
    assert window.rows_view.currentIndex() == before  # the selection stayed
    assert "Changed by Ben" in window.statusBar().currentMessage()


def test_a_value_being_typed_stays_while_another_field_of_the_row_changes(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    edit = start_typing(qtbot, window, "comparator.value", "70.1")

    ben_fixes(review, "50.3")

    qtbot.waitUntil(lambda: window.row_form.text_of("intervention.value") == "50.3", timeout=SHOWN_WITHIN_MS)
    assert edit.hasFocus() and edit.text() == "70.1"  # the edit in progress, untouched
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # saved: nobody changed this field
    assert table(review, "SELECT comparator_value, intervention_value FROM endpoint_row WHERE id = 3") == [
        ("70.1", "50.3")
    ]


def test_a_save_over_their_change_shows_theirs_and_yours_and_keeps_theirs(qtbot, review: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    edit = start_typing(qtbot, window, "intervention.value", "50.9")
    ben_fixes(review, "50.3")
    qtbot.waitUntil(lambda: cell(window, 2, "intervention.value") == "50.3", timeout=SHOWN_WITHIN_MS)
    assert edit.text() == "50.9"  # still what Ana typed: she has not seen Ben's value in the field
    before = audit_count(review)

    qtbot.keyClick(edit, Qt.Key.Key_Return)

    dialog = window.stale_writes.dialog
    assert isinstance(dialog, StaleWriteDialog) and dialog.isVisible()
    assert (dialog.theirs_label.text(), dialog.yours_label.text()) == ("50.3", "50.9")
    words = " ".join(label.text() for label in dialog.findChildren(type(dialog.theirs_label)))
    assert "Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs</b> was changed by Ben at" in words
    assert "typed over 50.8, the value you saw" in words
    assert audit_count(review) == before  # nothing written
    picture = (DOCS if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path) / "stale-write.png"
    assert dialog.grab().save(str(picture))

    qtbot.keyClick(dialog, Qt.Key.Key_T)  # keep theirs

    assert not dialog.isVisible() and window.stale_writes.dialog is None
    assert edit.text() == "50.3" and audit_count(review) == before
    assert table(review, "SELECT intervention_value FROM endpoint_row WHERE id = 3") == [("50.3",)]


def test_apply_mine_saves_yours_over_theirs_as_an_undoable_edit(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    edit = start_typing(qtbot, window, "intervention.value", "50.9")
    ben_fixes(review, "50.3")
    qtbot.waitUntil(lambda: cell(window, 2, "intervention.value") == "50.3", timeout=SHOWN_WITHIN_MS)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    dialog = window.stale_writes.dialog
    assert dialog is not None

    qtbot.keyClick(dialog, Qt.Key.Key_M)  # apply mine

    assert table(review, "SELECT intervention_value FROM endpoint_row WHERE id = 3") == [("50.9",)]
    assert cell(window, 2, "intervention.value") == "50.9" and edit.text() == "50.9"
    window.undo_action.trigger()  # back to theirs, not to the value Ana had typed over
    assert table(review, "SELECT intervention_value FROM endpoint_row WHERE id = 3") == [("50.3",)]


def test_a_row_deleted_elsewhere_leaves_the_table_and_the_place_stays(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    window.select_row("pime-vs-tcs", 1)
    assert window.row_count() == 4
    with ReviewService.open(review, "Ben") as other:  # another window
        other.rows.delete_row("pime-vs-tcs", 3)

    qtbot.waitUntil(lambda: window.row_count() == 3, timeout=SHOWN_WITHIN_MS)
    assert (window.comparison_key(), window.current_position()) == ("pime-vs-tcs", 1)


def test_a_value_being_typed_stays_when_the_review_is_read_again(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    edit = start_typing(qtbot, window, "comparator.value", "70.1")
    with ReviewService.open(review, "Ben") as other:  # rows of another comparison move: the review is read again
        other.rows.move_row("pime-vs-tac", 0, 1)

    qtbot.waitUntil(lambda: "Changed by Ben" in window.statusBar().currentMessage(), timeout=SHOWN_WITHIN_MS)
    assert edit.text() == "70.1" and window.current_position() == 2
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert table(review, "SELECT comparator_value FROM endpoint_row WHERE id = 3") == [("70.1",)]


def test_polling_does_not_wait_for_a_writer_holding_the_lock(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    window = window_as(qtbot, review, "Ana")
    writer = sqlite3.connect(review, isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a save, holding the write lock
        head = window.live.head
        window.live.poll()  # reads the last committed entry at once: no wait, no error
        assert window.live.head == head
        with ReviewService.open(review, "Ben") as other:
            assert other.live.head() == head
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_reference_title_being_typed_is_not_saved_over_theirs(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    window = window_as(qtbot, review, "Ana")
    window.tabs.setCurrentIndex(1)
    view = window.references_view
    key = window.references[0].key
    assert view.select_key(key)
    edit = view.form.edits["title"]
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    before = edit.text()
    edit.selectAll()
    qtbot.keyClicks(edit, "Ana's title")
    with ReviewService.open(review, "Ben") as other:
        other.references.set_field(key, "title", "Ben's title", expected=before)

    qtbot.waitUntil(lambda: "Changed by Ben" in window.statusBar().currentMessage(), timeout=SHOWN_WITHIN_MS)
    assert edit.text() == "Ana's title"  # kept as typed
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    said = view.message.text()  # a refusal is said under the form, the typing kept there with its reason
    assert f'it is now "Ben\'s title", not {before!r} as this change expected' in said, said
    assert edit.text() == "Ana's title"
    with ReviewService.open(review, "Ben") as other:
        assert next(r for r in other.reference_list() if r.key == key).title == "Ben's title"


def test_a_cell_being_typed_in_the_table_is_saved_against_what_it_was_typed_over(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLineEdit

    window = window_as(qtbot, review, "Ana")
    view = window.rows_view
    window.select_row(*ROW, TABLE_EDIT_FIELDS.index("intervention.value"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)  # the cell's editor
    editor = window.focusWidget()
    assert isinstance(editor, QLineEdit) and view.isAncestorOf(editor)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "50.9")
    ben_fixes(review, "50.3")
    qtbot.waitUntil(lambda: "Changed by Ben" in window.statusBar().currentMessage(), timeout=SHOWN_WITHIN_MS)
    assert editor.text() == "50.9"  # the row waits under the open editor

    qtbot.keyClick(editor, Qt.Key.Key_Return)

    # the editor commits, queued
    qtbot.waitUntil(lambda: window.stale_writes.dialog is not None, timeout=SHOWN_WITHIN_MS)
    dialog = window.stale_writes.dialog
    assert dialog is not None and (dialog.theirs_label.text(), dialog.yours_label.text()) == ("50.3", "50.9")
    qtbot.keyClick(dialog, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: cell(window, 2, "intervention.value") == "50.3", timeout=SHOWN_WITHIN_MS)
    assert table(review, "SELECT intervention_value FROM endpoint_row WHERE id = 3") == [("50.3",)]


def test_a_wake_queued_before_the_window_closed_reads_nothing(qtbot, review: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The listener's thread may have queued a wake just before the window closed: polling then would open a
    new connection to the closed review (on a server, one never closed: psycopg's ResourceWarning)."""
    window = window_as(qtbot, review, "Ana")
    asked: list[str] = []
    monkeypatch.setattr(window.service.live, "head", lambda: asked.append("head") or 0)
    window.live.woken.emit()  # from this thread: handled at once
    assert asked == ["head"]
    window.close()
    window.live.woken.emit()
    window.live.timer.timeout.emit()
    assert asked == ["head"] and window.live.stopped
