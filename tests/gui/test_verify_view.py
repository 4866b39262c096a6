"""Verify mode as Ben uses it on Ana's extraction: Enter confirms, F fixes, D disputes, Escape closes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.gui.app import MainWindow
from curator.gui.verify_view import FieldStatesModel, VerifyDialog
from curator.store.field_states import FieldState
from tests.doublecheck import audit_count, stored_by, table
from tests.gui.reviewers import controls, states, window_as


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "ana.sqlite", "Ana")


def _open(qtbot, window: MainWindow, comparison: str, position: int) -> VerifyDialog:  # type: ignore[no-untyped-def]
    window.select_row(comparison, position)
    # The offscreen platform gives no window the keyboard focus a shortcut
    # needs: check the shortcut, then fire it.
    action = controls(window).verify_action
    assert action.shortcut().toString() == "Ctrl+Shift+V"
    assert action in window.review_menu.actions()
    action.trigger()
    dialog = window.findChild(VerifyDialog)
    assert isinstance(dialog, VerifyDialog) and dialog.isVisible()
    return dialog


def test_enter_through_a_row_verifies_each_field_by_ben_then_moves_to_the_next_row(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 0)
    assert dialog.current_row == ("pime-vs-tcs", 0)
    assert dialog.source.quote_text == "Patients Requiring TCS\t42.6%\t68.4%\t12 months\tChildren (2-17 years)\t[7]"
    assert dialog.source.quote.toPlainText().startswith("Patients Requiring TCS  │  42.6%  │  68.4%  │  ")
    assert dialog.source.location.text() == "Table: Pimecrolimus vs. Topical Corticosteroids (TCS), row 1"
    valued = [s.field for s in states(review, "pime-vs-tcs", 0).values() if s.value is not None]
    assert [s.field for s in dialog.model.states] == valued
    assert dialog.current_field is not None and dialog.current_field.field == "endpoint"

    for k, name in enumerate(valued):
        assert dialog.current_field is not None and dialog.current_field.field == name
        if k < len(valued) - 1:
            qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert dialog.current_row == ("pime-vs-tcs", 0)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # the last field: on to the next row
    assert dialog.current_row == ("pime-vs-tcs", 1)

    stored = states(review, "pime-vs-tcs", 0)
    assert {(s.state, s.by) for s in stored.values() if s.value is not None} == {("verified", "Ben")}
    assert table(review, "SELECT status, verified_by FROM endpoint_row WHERE id = 1") == [("verified", "Ben")]

    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    # The window shows the change once verify mode closes.
    window.select_row("pime-vs-tcs", 0)
    assert window.rows_model.row_at(0).status == "verified"
    assert window.comparisons_model.data(window.comparisons_model.index(0, 2)) == 1


def test_fix_keeps_a_bad_value_with_its_reason_then_saves_the_right_one(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 0)
    before = audit_count(review)
    for _ in range(dialog.model.row_of("comparator.value")):
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    assert dialog.current_field is not None and dialog.current_field.field == "comparator.value"
    assert dialog.model.current == dialog.model.row_of("comparator.value")  # highlighted

    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    assert dialog.editor_box.isVisible() and dialog.editor.text() == "68.4"
    qtbot.keyClicks(dialog.editor, "sixty")
    assert dialog.editor.text() == "sixty"
    assert (
        dialog.message.text()
        == 'Control (Conventional Treatment/Vehicle + TCS for flares) arm: value: "sixty" is not a number'
    )
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.editor.text() == "sixty"  # kept as typed, not saved
    assert audit_count(review) == before

    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "68.9")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert not dialog.editor_box.isVisible()
    stored = states(review, "pime-vs-tcs", 0)["comparator.value"]
    assert (stored.value, stored.state, stored.by) == ("68.9", "verified", "Ben")
    assert table(
        review, "SELECT who, old, new FROM audit_log WHERE action = 'update' AND field = 'comparator.value'"
    ) == [("Ben", "68.4", "68.9")]
    # On to the next field still to check.
    assert dialog.current_field is not None and dialog.current_field.field == "duration"


def test_dispute_needs_a_comment_and_escape_cancels_before_closing(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 2)
    before = audit_count(review)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)  # measure
    qtbot.keyClick(dialog.view, Qt.Key.Key_D)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert (
        dialog.message.text() == "Measure in row 3 (Flare-Free Patients) of pime-vs-tcs: say why the value is disputed"
    )
    assert audit_count(review) == before
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)  # cancels the dispute, verify mode stays
    assert dialog.isVisible() and not dialog.editor_box.isVisible()

    qtbot.keyClick(dialog.view, Qt.Key.Key_D)
    qtbot.keyClicks(dialog.editor, "the table gives medians")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    stored = states(review, "pime-vs-tcs", 2)["measure"]
    assert (stored.state, stored.by, stored.comment) == ("disputed", "Ben", "the table gives medians")
    assert dialog.model.states[dialog.model.row_of("measure")].state == "disputed"
    assert dialog.current_field is not None and dialog.current_field.field == "unit"
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_ana_cannot_verify_her_own_row_and_nothing_is_written(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    dialog = _open(qtbot, window, "pime-vs-tac", 1)
    before = audit_count(review)
    assert dialog.queue == [("pime-vs-tac", 1)]  # every other row is hers too
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert dialog.message.text() == (
        "Endpoint in row 2 (Relative Risk (Lack of Success)) of pime-vs-tac: Ana extracted this row; a second reviewer must verify it"
    )
    assert dialog.isVisible() and dialog.current_row == ("pime-vs-tac", 1)
    assert audit_count(review) == before
    assert {s.state for s in states(review, "pime-vs-tac", 1).values()} == {"unverified"}


def test_rows_with_disputes_come_last_and_page_keys_walk_the_rows(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    from curator.services.sources import open_review
    from curator.store.verification import dispute_field

    with open_review(review, create=False) as db, db.session() as session:
        dispute_field(session, "pime-vs-tcs", 1, "unit", "Cleo", "days, not %")
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 0)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    assert dialog.current_row == ("pime-vs-tcs", 2)
    assert dialog.queue[-1] == ("pime-vs-tcs", 1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)
    assert dialog.current_row == ("pime-vs-tcs", 0)
    for _ in range(len(dialog.queue) - 1):
        qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    assert dialog.current_row == ("pime-vs-tcs", 1)
    assert "disputed by Cleo: days, not %" in [
        dialog.model.data(dialog.model.index(r, 2)) for r in range(dialog.model.rowCount())
    ]
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    assert dialog.current_row is None
    assert dialog.message.text().startswith("All 8 rows of this walk are done")


def test_field_states_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = FieldStatesModel()
    model.set_states(
        [
            FieldState("endpoint", "verified", "Itch", "Itch", "Ben"),
            FieldState("intervention.value", "disputed", "42.6", "42.6", "Ben", comment="the text says 42.9"),
            FieldState("comparator.value", "unverified", "68.4"),
        ],
        current=1,
    )
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 2)) for r in range(3)] == [
        "verified by Ben",
        "disputed by Ben: the text says 42.9",
        "unverified",
    ]
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole).bold()
