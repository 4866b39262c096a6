"""Moving a row's SDs to its SE fields (md-precision's "the SDs look like standard errors"): one use case,
one transaction, an audit entry per field, compare-and-set, undone as one step."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.services import ReviewService
from tests.backends import as_reviewer
from tests.continuous import COMPARISON, POSITION, ses_typed_as_sds
from tests.doublecheck import audit_count, stored_by, table
from tests.helpers import stored

ROW = (COMPARISON, POSITION)
SHOWN = {"intervention.sd": "0.96", "intervention.se": "", "comparator.sd": "0.98", "comparator.se": ""}


@pytest.fixture
def review(review_target: Path | str) -> Path:
    path = stored_by(review_target, "Ana")
    with ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana:
        ana.rows.insert_row(*ROW, ses_typed_as_sds())
    return path


def arms(path: Path) -> list[tuple[str | None, str | None]]:
    row = stored(path).comparisons[0].rows[POSITION]
    return [
        (arm.sd.text if arm.sd else None, arm.se.text if arm.se else None)
        for arm in (row.intervention, row.comparator)
        if arm is not None
    ]


def test_the_sds_move_to_the_se_fields_in_one_audited_transaction(review: Path) -> None:
    before = audit_count(review)
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        moved = ben.rows.move_sd_to_se(*ROW, expected=SHOWN)
    assert arms(review) == [(None, "0.96"), (None, "0.98")]
    assert dict(moved.changes) == {
        "intervention.se": ("", "0.96"),
        "intervention.sd": ("0.96", ""),
        "comparator.se": ("", "0.98"),
        "comparator.sd": ("0.98", ""),
    }
    assert moved.row.intervention is not None and moved.row.intervention.se is not None
    assert moved.row.intervention.se.text == "0.96" and moved.row.intervention.sd is None
    entries = table(
        review, f"SELECT id, who, action, field, old, new FROM audit_log WHERE id > {before} AND action = 'update'"
    )
    assert [entry[1:] for entry in entries] == [
        ("Ben", "update", "intervention.se", None, "0.96"),
        ("Ben", "update", "intervention.sd", "0.96", None),
        ("Ben", "update", "comparator.se", None, "0.98"),
        ("Ben", "update", "comparator.sd", "0.98", None),
    ]
    assert moved.first_entry <= entries[0][0] and entries[-1][0] <= moved.audit_id == audit_count(review)


def test_undone_in_one_step_with_the_changes_it_gives(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        moved = ben.rows.move_sd_to_se(*ROW)
        back = {name: old for name, (old, _new) in moved.changes.items()}
        now = {name: new for name, (_old, new) in moved.changes.items()}
        ben.rows.edit_fields(
            *ROW, back, expected=now, since=moved.audit_id, ignore=[(moved.first_entry, moved.audit_id)]
        )
    assert arms(review) == [("0.96", None), ("0.98", None)]


def test_refused_when_an_sd_changed_meanwhile_and_nothing_is_written(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Cleo"), "Cleo") as cleo:
        cleo.rows.edit_field(*ROW, "comparator.sd", "0.99")
    before = audit_count(review)
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben, pytest.raises(CuratorError) as refused:
        ben.rows.move_sd_to_se(*ROW, expected=SHOWN)
    assert str(refused.value) == (
        "Control (Conventional Treatment/Vehicle + TCS for flares) arm: SD in row 5 (EASI at week 6) of pime-vs-tcs: "
        "the SDs were not moved: it is now '0.99', not '0.98' as this change expected (it was changed meanwhile: "
        "a verification, a merge or another window); nothing was written"
    )
    assert audit_count(review) == before
    assert arms(review) == [("0.96", None), ("0.99", None)]


def test_refused_when_an_se_holds_another_value_it_would_lose(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.edit_field(*ROW, "comparator.se", "0.97")
        before = audit_count(review)
        with pytest.raises(CuratorError, match=r"SE in row 5 .*: the SDs were not moved: it already holds '0.97'"):
            ben.rows.move_sd_to_se(*ROW)
    assert audit_count(review) == before
    assert arms(review) == [("0.96", None), ("0.98", "0.97")]


def test_an_arm_with_no_sd_or_an_nr_one_is_left_alone_and_none_at_all_is_refused(review: Path) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.rows.edit_field(*ROW, "comparator.sd", "NR")
        moved = ben.rows.move_sd_to_se(*ROW)
        assert set(moved.changes) == {"intervention.se", "intervention.sd"}
        assert arms(review) == [(None, "0.96"), ("NR", None)]
        before = audit_count(review)
        with pytest.raises(CuratorError) as refused:
            ben.rows.move_sd_to_se(*ROW)
    assert str(refused.value) == (
        "row 5 (EASI at week 6) of pime-vs-tcs: the SDs were not moved: no arm has an SD to move; nothing was written"
    )
    assert audit_count(review) == before


def test_a_row_that_is_not_there_is_refused(review: Path) -> None:
    with (
        ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben,
        pytest.raises(CuratorError, match="the review has no such row"),
    ):
        ben.rows.move_sd_to_se(COMPARISON, 9)


def test_an_sds_evidence_moves_with_it_and_comes_back_on_undo(review: Path, tmp_path: Path) -> None:
    from curator.pdf import find_text, sha256_of
    from curator.review import Evidence
    from tests.documents.pdfs import paper

    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(paper([[(72, 100, "SE 0.96 and 0.98")]]))
    hit = find_text(pdf.read_bytes(), "0.96")[0]
    where = Evidence(sha256_of(pdf.read_bytes()), hit.page, hit.text, [list(box) for box in hit.boxes])
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        ben.documents.attach(None, pdf)
        ben.rows.set_evidence(*ROW, "intervention.sd", where, expected_text="0.96")
        before = stored(review).comparisons[0].rows[POSITION]
        moved = ben.rows.move_sd_to_se(*ROW, expected=SHOWN)
        assert moved.row.evidence == {"intervention.se": where}
        assert dict(moved.evidence_changes) == {"intervention.se": (None, where), "intervention.sd": (where, None)}
        ben.rows.edit_fields(  # the undo, as the window's command does it
            *ROW,
            {name: old for name, (old, _new) in moved.changes.items()},
            expected={name: new for name, (_old, new) in moved.changes.items()},
            evidence={name: old for name, (old, _new) in moved.evidence_changes.items()},
            expected_evidence={name: new for name, (_old, new) in moved.evidence_changes.items()},
        )
    assert stored(review).comparisons[0].rows[POSITION] == before
