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
    stored = states(review, "pime-vs-tcs", 0).values()
    valued = [s.field for s in stored if s.value is not None]
    # The fields with a value, and the empty ones a finding points at ("42.6% has no n").
    shown = [s.field for s in stored if s.value is not None or s.field in ("intervention.n", "comparator.n")]
    assert [s.field for s in dialog.model.states] == shown
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
    assert dialog.message.text() == (
        'Control (Conventional Treatment/Vehicle + TCS for flares) arm: value: "sixty" is not a number'
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
    # Nothing was decided: the end of the walk says what is still open, row by row (from 1).
    end = dialog.message.text().splitlines()
    assert end[0] == "End of the walk: 8 rows. Still open:"
    assert end[1] == "• row 2 of pime-vs-tcs: Unit disputed by Cleo; 10 fields not confirmed"  # disputes first
    assert end[2] == "• row 1 of pime-vs-tcs: 11 fields not confirmed"
    assert len(end) == 9 and end[7] == "• and 2 more rows"


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


def _ana_types(review: Path, comparison: str, position: int, values: dict[str, str]) -> None:
    from curator.services import ReviewService

    with ReviewService.open(review, "Ana") as ana:
        for name, text in values.items():
            ana.rows.edit_field(comparison, position, name, text)


def test_verify_mode_shows_the_rows_findings_and_marks_the_field(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """What the verifier never saw: "35.9% does not match 95/267" is on the row and on its field; a fix
    clears it once the live checks have run again."""
    _ana_types(review, "pime-vs-tcs", 0, {"intervention.n": "267", "intervention.events": "95"})
    _ana_types(review, "pime-vs-tcs", 0, {"intervention.value": "35.9"})
    window = window_as(qtbot, review, "Ben")
    qtbot.waitUntil(lambda: any("95/267" in f.message for f in window.findings))
    dialog = _open(qtbot, window, "pime-vs-tcs", 0)
    shown = dialog.findings.text()
    assert "Checks on this row: 2 open findings" in shown
    assert "<b>ERROR</b></span> Pimecrolimus Group: value: 35.9% does not match 95/267 = 35.6%" in shown
    assert "Control (Conventional Treatment/Vehicle + TCS for flares) arm: n: 68.4% has no n" in shown
    # The field is marked (the finding's colour and dot, the message as its tooltip), named by its label.
    row = dialog.model.row_of("intervention.value")
    name, value = dialog.model.index(row, 0), dialog.model.index(row, 1)
    assert dialog.model.data(name) == "Pimecrolimus Group: value"
    assert dialog.model.data(name, Qt.ItemDataRole.DecorationRole) is not None
    assert dialog.model.data(value, Qt.ItemDataRole.BackgroundRole).color().name() == "#f8cbad"
    assert dialog.model.data(value, Qt.ItemDataRole.ToolTipRole) == "ERROR: 35.9% does not match 95/267 = 35.6%"
    unmarked = dialog.model.index(dialog.model.row_of("unit"), 0)
    assert dialog.model.data(unmarked, Qt.ItemDataRole.DecorationRole) is None
    higher = dialog.model.row_of("higher_is_better")  # a yes/no field reads yes or no, as in the form
    assert dialog.model.data(dialog.model.index(higher, 1)) in ("yes", "no")

    # Ben reads 35.6 in the source: F, the value, Enter. The finding goes.
    while dialog.current_field is not None and dialog.current_field.field != "intervention.value":
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.view, Qt.Key.Key_F)
    assert dialog.editor_label.text() == "<b>Pimecrolimus Group: value</b> — Fix to:"
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "35.6")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "95/267" not in dialog.findings.text())
    assert "Checks on this row: 1 open finding" in dialog.findings.text()
    name = dialog.model.index(dialog.model.row_of("intervention.value"), 0)
    assert dialog.model.data(name, Qt.ItemDataRole.DecorationRole) is None
    assert states(review, "pime-vs-tcs", 0)["intervention.value"].value == "35.6"


def test_confirming_a_field_with_an_open_error_asks_for_a_second_enter(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """Enter on 35.9 (an open error) says so and writes nothing; a second Enter confirms it as printed
    (a paper can print a wrong number); moving away forgets the warning."""
    _ana_types(review, "pime-vs-tcs", 0, {"intervention.n": "267", "intervention.events": "95"})
    _ana_types(review, "pime-vs-tcs", 0, {"intervention.value": "35.9"})
    window = window_as(qtbot, review, "Ben")
    qtbot.waitUntil(lambda: any("95/267" in f.message for f in window.findings))
    dialog = _open(qtbot, window, "pime-vs-tcs", 0)
    while dialog.current_field is not None and dialog.current_field.field != "intervention.value":
        qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert dialog.message.text() == (
        "Pimecrolimus Group: value has an open error: 35.9% does not match 95/267 = 35.6%. "
        "Press Enter again to confirm it as the paper prints it, F to fix it, D to dispute it."
    )
    assert states(review, "pime-vs-tcs", 0)["intervention.value"].state != "verified"
    assert dialog.current_field is not None and dialog.current_field.field == "intervention.value"
    # Away and back: the warning is given again.
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert states(review, "pime-vs-tcs", 0)["intervention.value"].state != "verified"
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert states(review, "pime-vs-tcs", 0)["intervention.value"].state == "verified"


def test_a_row_without_findings_says_so(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 1)  # 7 days vs 178 days: nothing to say
    assert dialog.findings.text() == "<span style='color:#375623'>No open findings on this row.</span>"


def _all_but_one_verified_by_cleo(review: Path) -> None:
    """Cleo verified every row; on pime-vs-tcs[1] she then disputed the unit."""
    from curator.services import ReviewService

    with ReviewService.open(review, "Cleo") as cleo:
        for summary in cleo.outline():
            for position in range(summary.rows):
                cleo.checking.verify_row(summary.key, position)
        cleo.checking.dispute_field("pime-vs-tcs", 1, "unit", "the table gives days of TCS, not %")


def test_the_walk_reaches_a_disputed_field_and_says_what_is_left(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    """The walk of one row whose only undecided field is disputed used to end ("All 1 rows of this walk
    are done") without showing it. It stops on the disputed field; Ben confirms it."""
    _all_but_one_verified_by_cleo(review)
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 1)
    assert dialog.queue == [("pime-vs-tcs", 1)]
    assert dialog.current_field is not None and dialog.current_field.field == "unit"
    current = dialog.model.index(dialog.model.current, 2)
    assert dialog.model.data(current) == "disputed by Cleo: the table gives days of TCS, not %"
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert states(review, "pime-vs-tcs", 1)["unit"].state == "verified"
    assert dialog.current_row is None
    assert dialog.message.text() == (
        "End of the walk: 1 row; you confirmed 1 field. Every field of it is verified. Escape closes verify mode."
    )
    assert table(review, "SELECT status, verified_by FROM endpoint_row WHERE id = 2") == [("verified", "Ben")]


def test_disputing_it_again_the_walk_ends_saying_the_dispute_is_open(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    _all_but_one_verified_by_cleo(review)
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_D)
    qtbot.keyClicks(dialog.editor, "agreed: days")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.current_row is None  # not the same field again
    assert dialog.message.text().splitlines() == [
        "End of the walk: 1 row; you disputed 1 field. Still open:",
        "• row 2 of pime-vs-tcs: Unit disputed by you",
        "A disputed field waits for someone to confirm or fix it (or for adjudication). PgUp goes back; "
        "Escape closes verify mode.",
    ]
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)  # back to the row: the dispute is shown
    assert dialog.current_row == ("pime-vs-tcs", 1)


def test_the_buttons_say_confirm_fix_dispute_and_do_what_the_keys_do(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, "pime-vs-tcs", 0)
    texts = [b.text() for b in (dialog.confirm_button, dialog.fix_button, dialog.dispute_button)]
    assert texts == ["&Confirm (Enter)", "&Fix… (F)", "&Dispute… (D)"]
    assert "Correct" not in " ".join(b.text() for b in dialog.findChildren(type(dialog.confirm_button)))
    assert controls(window).verify_action.statusTip().endswith("Enter confirms, F fixes, D disputes")
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert states(review, "pime-vs-tcs", 0)["endpoint"].state == "verified"
    assert dialog.current_field is not None and dialog.current_field.field == "measure"
    qtbot.mouseClick(dialog.fix_button, Qt.MouseButton.LeftButton)
    assert dialog.editor_box.isVisible() and dialog.editor_label.text() == "<b>Measure</b> — Fix to:"
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)
    qtbot.mouseClick(dialog.dispute_button, Qt.MouseButton.LeftButton)
    assert dialog.editor_label.text() == "<b>Measure</b> — Why is it wrong?"


def test_fixing_a_choice_or_a_yes_no_starts_from_what_the_list_shows_and_stores_the_formats_value(  # type: ignore[no-untyped-def]
    qtbot, review: Path
) -> None:
    """The verify list shows 'Kaplan–Meier' and 'yes'; F starts the fix from those words, and the words
    (or the stored values) are typed back: what is stored stays kaplan_meier, change and TRUE."""
    import dataclasses

    from curator.services import ReviewService
    from tests.continuous import COMPARISON, POSITION, easi_row
    from tests.gui.test_continuous_row import type_printed

    row = easi_row()
    effect = dataclasses.replace(row.effect, adjusted=True, contrast="other")
    row = dataclasses.replace(row, analysis="kaplan_meier", effect=effect)
    with ReviewService.open(review, "Ana") as ana:
        ana.rows.insert_row(COMPARISON, POSITION, row)
    window = window_as(qtbot, review, "Ben")
    dialog = _open(qtbot, window, COMPARISON, POSITION)
    for field, shown, typed, kept in (
        ("analysis", "Kaplan–Meier", "kaplan–meier", "kaplan_meier"),  # the words in any case
        ("effect.adjusted", "yes", "no", "false"),
        ("effect.contrast", "other", "Change from baseline", "change"),
    ):
        while dialog.current_field is not None and dialog.current_field.field != field:
            qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
        assert dialog.model.data(dialog.model.index(dialog.model.row_of(field), 1)) == shown
        qtbot.keyClick(dialog.view, Qt.Key.Key_F)
        assert dialog.editor.text() == shown
        type_printed(qtbot, dialog.editor, typed)  # replaces the selected text
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
        assert not dialog.editor_box.isVisible(), dialog.message.text()
        assert states(review, COMPARISON, POSITION)[field].value == kept
