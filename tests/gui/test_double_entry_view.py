"""Blind double entry as Ben types it: the first entry is never shown; one difference goes to adjudication."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.gui.double_entry_view import ENTERED_FIELDS, DoubleEntryDialog
from curator.store.field_states import field_text
from tests.doublecheck import audit_count, review_by, stored_by, table
from tests.gui.reviewers import controls, states, window_as


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "ana.sqlite", "Ana")


def _open(window, comparison: str, position: int) -> DoubleEntryDialog:  # type: ignore[no-untyped-def]
    window.select_row(comparison, position)
    action = controls(window).double_entry_action
    assert action.shortcut().toString() == "Ctrl+Shift+B"
    action.trigger()  # the offscreen platform gives no window the focus a shortcut needs
    dialog = window.findChild(DoubleEntryDialog)
    assert isinstance(dialog, DoubleEntryDialog) and dialog.isVisible()
    return dialog


def _type_bens_reading(qtbot, dialog: DoubleEntryDialog, comparison: int, position: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ben types what he reads in the source (his reading has the deliberate differences)."""
    row = review_by("Ben", differ=True).comparisons[comparison].rows[position]
    typed = {}
    for name in ENTERED_FIELDS:
        text = field_text(row, name)
        if text is None:
            continue
        if name in dialog.edits:
            qtbot.keyClicks(dialog.edits[name], text)
        else:
            combo = dialog.choices[name]  # what he reads in the list: yes for TRUE, Kaplan–Meier for kaplan_meier
            qtbot.keyClicks(combo, combo.itemText(combo.findData(text.upper() if text in ("true", "false") else text)))
        typed[name] = text
    return typed


def test_blind_entry_with_one_difference_opens_one_adjudication_item(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(window, "pime-vs-tcs", 2)
    # Blind: every value field is empty; the source is shown.
    assert all(edit.text() == "" for edit in dialog.edits.values())
    assert all(combo.currentText() == "" for combo in dialog.choices.values())
    assert dialog.source.quote_text == "Flare-Free Patients\t50.8%\t28.3%\t12 months\tChildren (2-17 years)\t[7]"

    typed = _type_bens_reading(qtbot, dialog, 0, 2)
    assert typed["intervention.value"] == "58.0"  # Ana entered 50.8
    assert dialog.entered() == {
        k: ("TRUE" if v == "true" else "FALSE" if v == "false" else v) for k, v in typed.items()
    }
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)

    result = dialog.result_
    assert result is not None
    assert [(f, a, b) for f, a, b, _item in result.differing] == [("intervention.value", "50.8", "58.0")]
    assert sorted(result.matched) == sorted(k for k in typed if k != "intervention.value")
    assert "1 differ" in dialog.outcome.text() and "stored '50.8', you entered '58.0'" in dialog.outcome.text()
    assert "Pimecrolimus Group: value: stored '50.8', you entered '58.0'" in dialog.outcome.text()
    assert "intervention." not in dialog.outcome.text()
    assert table(review, "SELECT field, value_a, value_b, who_a, who_b FROM adjudication_item") == [
        ("intervention.value", "50.8", "58.0", "Ana", "Ben")
    ]
    stored = states(review, "pime-vs-tcs", 2)
    assert stored["comparator.value"].state == "verified" and stored["comparator.value"].by == "Ben"
    assert stored["intervention.value"].state == "disputed"
    assert stored["intervention.value"].value == "50.8"  # the stored value is not changed
    assert not dialog.submit_button.isEnabled()

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.rows_model.row_at(2).status == "disputed"  # the window shows it


def test_a_bad_value_is_marked_as_typed_and_nothing_is_compared(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ben")
    dialog = _open(window, "pime-vs-tcs", 0)
    before = audit_count(review)
    qtbot.keyClicks(dialog.edits["intervention.n"], "forty")
    assert dialog.message.text() == 'Pimecrolimus Group: n: "forty" is not a whole number'
    assert "F8CBAD" in dialog.edits["intervention.n"].styleSheet()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.result_ is None and dialog.edits["intervention.n"].text() == "forty"
    assert audit_count(review) == before


def test_ana_cannot_double_enter_her_own_row(qtbot, review: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_as(qtbot, review, "Ana")
    dialog = _open(window, "pime-vs-tcs", 0)
    before = audit_count(review)
    qtbot.keyClicks(dialog.edits["intervention.value"], "42.6")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert (
        dialog.message.text()
        == "row 1 (Patients Requiring TCS) of pime-vs-tcs: Ana extracted this row; a second reviewer must verify it"
    )
    assert dialog.result_ is None and audit_count(review) == before


def test_blind_entry_of_a_mean_row_shows_its_fields_and_tells_a_yes_no_difference_in_words(  # type: ignore[no-untyped-def]
    qtbot, review: Path
) -> None:
    """Ben chooses mean: SD, SE, CI and range appear; he reads the MD as unadjusted where Ana marked it
    adjusted. The outcome and the adjudication say 'yes' and 'no', as the row form does, not 'true'/'false'."""
    import dataclasses

    from curator.gui.adjudication_view import AdjudicationDialog
    from curator.services import ReviewService
    from tests.continuous import COMPARISON, POSITION, easi_row

    row = easi_row()
    with ReviewService.open(review, "Ana") as ana:
        ana.rows.insert_row(
            COMPARISON, POSITION, dataclasses.replace(row, effect=dataclasses.replace(row.effect, adjusted=True))
        )
    window = window_as(qtbot, review, "Ben")
    dialog = _open(window, COMPARISON, POSITION)
    assert not dialog.edits["intervention.se"].isVisible()  # no measure typed yet
    qtbot.keyClicks(dialog.choices["measure"], "mean")
    assert [n for n in ("sd", "se", "ci_low", "min", "max") if dialog.edits[f"intervention.{n}"].isVisible()] == [
        "sd",
        "se",
        "ci_low",
        "min",
        "max",
    ]
    for name, text in {"intervention.value": "8.3", "intervention.sd": "4.8", "intervention.max": "19.2"}.items():
        qtbot.keyClicks(dialog.edits[name], text)
    qtbot.keyClicks(dialog.choices["effect.adjusted"], "no")
    assert dialog.entered()["effect.adjusted"] == "FALSE"
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    outcome = dialog.outcome.text()
    assert "<b>4 fields agree</b>" in outcome and "Pimecrolimus Group: max" in outcome
    assert "Effect: adjusted: stored 'yes', you entered 'no' (item 1)" in outcome
    dialog.reject()
    window.close()
    cleo = window_as(qtbot, review, "Cleo")  # a third reviewer adjudicates
    controls(cleo).adjudication_action.trigger()
    adjudication = cleo.findChild(AdjudicationDialog)
    assert isinstance(adjudication, AdjudicationDialog)
    assert adjudication.choice_a.text() == "&A: 'yes' (Ana)" and adjudication.choice_b.text() == "&B: 'no' (Ben)"
    adjudication.choose("new", value="No", reason="Table 2: unadjusted")  # the words, typed back
    assert adjudication.message.text() == ""  # fits: no reason shown
    decided = adjudication.decide()
    assert decided is not None, adjudication.message.text()
    assert states(review, COMPARISON, POSITION)["effect.adjusted"].value == "false"
