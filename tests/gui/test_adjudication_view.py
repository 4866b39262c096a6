"""Adjudication as Cleo does it, and merging another reviewer's file from the Review menu."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.gui.adjudication_view import AdjudicationDialog, AdjudicationModel
from curator.services.sources import open_review
from curator.store.adjudication import Item
from curator.store.double_entry import double_entry
from tests.doublecheck import DIFFERENCES, audit_count, stored_by, table
from tests.gui.reviewers import controls, states, window_as


def ben_enters_blind(path: Path) -> None:
    """Ben's blind entry of the two rows he reads differently from Ana."""
    with open_review(path, create=False) as db, db.session() as session:
        for key, position, arm, value in DIFFERENCES:
            double_entry(session, key, position, {f"{arm}.value": value}, "Ben")


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = stored_by(tmp_path / "ana.sqlite", "Ana")
    ben_enters_blind(path)
    return path


def _open(window) -> AdjudicationDialog:  # type: ignore[no-untyped-def]
    action = controls(window).adjudication_action
    assert action.shortcut().toString() == "Ctrl+Shift+J"
    action.trigger()  # the offscreen platform gives no window the focus a shortcut needs
    dialog = window.findChild(AdjudicationDialog)
    assert isinstance(dialog, AdjudicationDialog) and dialog.isVisible()
    return dialog


def _line(dialog: AdjudicationDialog, row: int) -> list[str]:
    model = dialog.model
    return [str(model.data(model.index(row, c))) for c in range(model.columnCount())]


def test_cleo_chooses_b_with_a_reason_the_value_is_stored_and_the_decision_logged(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Cleo")
    dialog = _open(window)
    assert dialog.model.rowCount() == 2
    assert _line(dialog, 0)[1:6] == [
        "row 3 of pime-vs-tcs",
        "Flare-Free Patients",
        "Pimecrolimus Group: value",
        "'50.8' (Ana)",
        "'58.0' (Ben)",
    ]
    assert _line(dialog, 1)[1:6] == [
        "row 1 of pime-vs-tac", "Treatment Success (IGA 0/1)", "Tacrolimus Ointment (0.03% or 0.1%) arm: value", "'34.8' (Ana)", "'17.2' (Ben)",
    ]  # fmt: skip
    assert dialog.current_item is not None and dialog.current_item.field == "intervention.value"
    assert dialog.source.quote_text.startswith("Flare-Free Patients\t50.8%")
    assert dialog.choice_b.text() == "&B: '58.0' (Ben)"

    qtbot.mouseClick(dialog.choice_b, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.reason, "Figure 2 reads 58.0")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter decides

    assert table(review, "SELECT choice, final, reason, decided_by FROM adjudication_item WHERE id = 1") == [
        ("b", "58.0", "Figure 2 reads 58.0", "Cleo")
    ]
    stored = states(review, "pime-vs-tcs", 2)["intervention.value"]
    assert (stored.value, stored.state, stored.by) == ("58.0", "verified", "Cleo")
    assert table(review, "SELECT who, action FROM audit_log WHERE action = 'adjudicate'") == [("Cleo", "adjudicate")]
    # The decided item leaves the list; the next one is selected.
    assert dialog.model.rowCount() == 1
    assert dialog.current_item is not None and dialog.current_item.field == "comparator.value"
    assert dialog.count.text() == "<b>1 open</b> adjudication item"
    dialog.show_decided.setChecked(True)
    assert dialog.model.rowCount() == 2
    assert _line(dialog, 0)[7] == "b '58.0' by Cleo: Figure 2 reads 58.0"

    dialog.reject()
    assert window.rows_model.row_at(2).intervention.value.text == "58.0"  # the window shows it


def test_a_new_value_is_checked_as_typed_and_needs_a_reason(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Cleo")
    dialog = _open(window)
    before = audit_count(review)
    qtbot.keyClicks(dialog.new_value, "fifty")
    assert dialog.choice_new.isChecked()
    assert dialog.message.text() == 'Pimecrolimus Group: value: "fifty" is not a number'
    qtbot.mouseClick(dialog.decide_button, Qt.MouseButton.LeftButton)
    assert dialog.new_value.text() == "fifty" and audit_count(review) == before

    dialog.new_value.clear()
    qtbot.keyClicks(dialog.new_value, "50.9")
    qtbot.mouseClick(dialog.decide_button, Qt.MouseButton.LeftButton)
    assert (
        dialog.message.text()
        == "adjudication item 1 (Pimecrolimus Group: value in row 3 of pime-vs-tcs): a new value needs a reason"
    )
    assert audit_count(review) == before
    qtbot.keyClicks(dialog.reason, "the text gives 50.9")
    qtbot.mouseClick(dialog.decide_button, Qt.MouseButton.LeftButton)
    assert states(review, "pime-vs-tcs", 2)["intervention.value"].value == "50.9"


def test_a_reviewer_who_entered_a_value_cannot_decide(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(window)
    before = audit_count(review)
    dialog.choose("a", reason="Ana was right")
    qtbot.mouseClick(dialog.decide_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == (
        "adjudication item 1 (Pimecrolimus Group: value in row 3 of pime-vs-tcs): Ben entered one of the values; "
        "a third reviewer must adjudicate"
    )
    assert audit_count(review) == before and dialog.model.rowCount() == 2


def test_adjudication_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2026, 11, 24, tzinfo=UTC)
    model = AdjudicationModel()
    model.set_items(
        [
            Item(1, "c", 0, "Itch", "intervention.value", "42.6", "42.9", "Ana", "Ben", "merge", "Ana", at, "T1", "q"),
            Item(2, "c", 1, "Sleep", "comparator.n", None, "40", "Ana", "Ben", "double-entry", "Ben", at,
                 choice="b", final="40", reason="Table 2", decided_by="Cleo", decided_at=at),
        ]
    )  # fmt: skip
    qtmodeltester.check(model)
    assert model.data(model.index(1, 4)) == "nothing (Ana)"
    assert model.data(model.index(1, 7)) == "b '40' by Cleo: Table 2"
    assert model.data(model.index(0, 0), AdjudicationModel.ItemRole).id == 1


# -- Merge reviewer file… ----------------------------------------------------------------


def test_merge_reviewer_file_sends_the_differences_to_adjudication(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ours = stored_by(tmp_path / "ana.sqlite", "Ana")
    theirs = stored_by(tmp_path / "ben.sqlite", "Ben", differ=True)
    theirs_bytes = theirs.read_bytes()
    window = window_as(qtbot, ours, "Ana")
    double = controls(window)
    assert double.merge_action in window.review_menu.actions()
    task = double.merge_file(theirs)  # on a worker, with progress
    assert task is not None and task.wait()
    assert task.last_progress is not None and task.last_progress[0] == task.last_progress[1] == 8
    summary = task.result
    assert summary is not None and summary.items_opened == 2 and summary.rows_verified == 6
    assert double.message_box is not None
    assert double.message_box.text().splitlines()[:3] == [
        "Merged ben.sqlite:",
        f"• 8 rows in both files: 6 verified by the pair, {summary.fields_verified} fields verified",
        "• 2 differing fields sent to adjudication (Review ▸ Adjudication)",
    ]
    assert theirs.read_bytes() == theirs_bytes
    assert window.comparisons_model.data(window.comparisons_model.index(0, 2)) == 3  # the window shows it


def _old_schema(path: Path) -> None:
    stored_by(path, "Ben")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_old_schema, "is a review of schema 0002, this Curator's is"),
        (lambda p: p.write_text("Ben's notes, not a review"), "ben.sqlite"),
    ],
)
def test_merging_another_schema_or_not_a_review_is_refused_and_changes_nothing(
    qtbot,
    tmp_path: Path,
    make: object,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    ours = stored_by(tmp_path / "ana.sqlite", "Ana")
    theirs = tmp_path / "ben.sqlite"
    make(theirs)  # type: ignore[operator]
    theirs_bytes = theirs.read_bytes()
    window = window_as(qtbot, ours, "Ana")
    before = audit_count(ours)
    double = controls(window)
    task = double.merge_file(theirs)
    assert task is not None and task.wait()
    assert double.message_box is not None and message in double.message_box.text()
    assert "\n" not in double.message_box.text()
    assert audit_count(ours) == before and theirs.read_bytes() == theirs_bytes
    assert table(ours, "SELECT count(*) FROM adjudication_item") == [(0,)]
