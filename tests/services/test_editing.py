"""Editing through the service: compare-and-set, and a refusal that writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.services import ReviewService
from tests.backends import as_reviewer
from tests.doublecheck import audit_count, stored_by
from tests.gui.reviewers import states
from tests.helpers import stored

ROW = ("pime-vs-tcs", 2)


@pytest.fixture
def review(review_target: Path | str) -> Path:
    return stored_by(review_target, "Ana")


def test_an_edit_expecting_another_value_is_refused_naming_both(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.edit_field(*ROW, "intervention.value", "50.9")
        before = audit_count(review)
        with pytest.raises(CuratorError) as refused:
            ben.rows.edit(*ROW, "intervention.value", "50.8", expected="51.0")
    assert str(refused.value) == (
        "Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs: not changed to '50.8': "
        "it is now '50.9', "
        "not '51.0' as this change expected (it was changed meanwhile: a verification, a merge or another window); "
        "nothing was written"
    )
    assert audit_count(review) == before
    assert stored(review).comparisons[0].rows[2].intervention.value.text == "50.9"


def test_an_edit_expecting_the_stored_value_is_saved(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        saved = ben.rows.edit(*ROW, "intervention.value", "50.9", expected="50.8")
    assert saved.row.intervention is not None and saved.row.intervention.value is not None
    assert saved.row.intervention.value.text == "50.9"
    assert saved.first_entry <= saved.audit_id == audit_count(review)


def test_a_change_and_back_since_is_caught_though_the_value_is_the_same(review: Path) -> None:
    with (
        ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben,
        ReviewService.open(as_reviewer(review, "Cleo"), "Cleo") as cleo,
    ):
        saved = ben.rows.edit(*ROW, "intervention.value", "50.9", expected="50.8")
        cleo.rows.edit_field(*ROW, "intervention.value", "51.0")
        cleo.rows.edit_field(*ROW, "intervention.value", "50.9")
        before = audit_count(review)
        with pytest.raises(CuratorError, match=r"Cleo changed it \('50.9'\) since; going back would discard that"):
            ben.rows.edit(*ROW, "intervention.value", "50.8", expected="50.9", since=saved.audit_id)
        assert audit_count(review) == before
        # Ben's own undoable changes in between do not count.
        ben.rows.edit(
            *ROW,
            "intervention.value",
            "50.8",
            expected="50.9",
            since=saved.audit_id,
            ignore=[(saved.audit_id + 1, before)],
        )
    assert states(review, *ROW)["intervention.value"].value == "50.8"


def test_restoring_a_verification_needs_the_audit_log_to_show_that_value_verified(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Cleo"), "Cleo") as cleo:
        cleo.checking.verify_field(*ROW, "intervention.value")
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.edit_field(*ROW, "intervention.value", "50.9")
        ben.rows.edit(*ROW, "intervention.value", "50.7", restore_verified=True)  # never verified
        assert states(review, *ROW)["intervention.value"].state == "changed"
        ben.rows.edit(*ROW, "intervention.value", "50.8", restore_verified=True)  # Cleo verified 50.8
    state = states(review, *ROW)["intervention.value"]
    assert (state.value, state.state, state.by) == ("50.8", "verified", "Cleo")


def test_several_fields_are_saved_in_one_step_or_not_at_all(review: Path) -> None:
    """An arm's cell typed 35.6% (95/267): value, events and n in one transaction, an audit entry each."""
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        before = audit_count(review)
        with pytest.raises(CuratorError) as refused:
            ben.rows.edit_fields(
                *ROW,
                {"intervention.events": "95", "intervention.n": "forty"},
                expected={"intervention.events": "", "intervention.n": ""},
            )
        assert "Pimecrolimus Group: n in row 3" in str(refused.value) and '"forty" is not a whole number' in str(
            refused.value
        )
        assert audit_count(review) == before  # events was not half-written
        arm = stored(review).comparisons[0].rows[2].intervention
        assert arm is not None and arm.events is None and arm.n is None
        saved = ben.rows.edit_fields(
            *ROW,
            {"intervention.value": "35.6", "intervention.events": "95", "intervention.n": "267"},
            expected={"intervention.value": "50.8", "intervention.events": "", "intervention.n": ""},
        )
    arm = stored(review).comparisons[0].rows[2].intervention
    assert arm is not None and arm.value is not None and arm.events is not None and arm.n is not None
    assert (arm.value.text, arm.events.text, arm.n.text) == ("35.6", "95", "267")
    assert saved.audit_id - saved.first_entry + 1 == audit_count(review) - before >= 3
