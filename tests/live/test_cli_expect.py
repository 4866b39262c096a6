"""``--expect OLD``: a script's write refused, exit 2 with both values, when the value moved under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.services import ReviewService
from tests.doublecheck import audit_count, stored_by, table
from tests.helpers import run

VALUE = "SELECT intervention_value FROM endpoint_row WHERE id = 3"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "r.sqlite", "Ana")


def test_correct_with_the_value_read_is_written(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--reviewer", "Ben", "fix", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--value", "50.3", "--expect", "50.8",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert table(db, VALUE) == [("50.3",)]


def test_correct_on_a_moved_value_is_refused_with_both_values(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = audit_count(db)
    code, out, err = run(
        capsys, "--reviewer", "Ben", "correct", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--value", "50.3", "--expect", "50.80",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert (
        "curator: Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs: not fixed to '50.3': it is now '50.8', "
        "not '50.80' as this change expected (it was changed meanwhile: another window, reviewer or process); "
        "nothing was written\n"
    ) in err
    assert "Traceback" not in err
    assert table(db, VALUE) == [("50.8",)]
    assert audit_count(db) == before


def test_an_empty_expect_means_the_field_was_empty(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "--reviewer", "Ben", "fix", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--value", "50.3", "--expect", "",
    )  # fmt: skip
    assert code == 2
    assert "it is now '50.8', not (empty) as this change expected" in err


def test_confirm_and_dispute_take_expect_too(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = audit_count(db)
    code, _, err = run(
        capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--expect", "50.3",
    )  # fmt: skip
    assert code == 2
    assert "row 3 (Flare-Free Patients) of pime-vs-tcs: not verified: it is now '50.8', not '50.3'" in err
    code, _, err = run(
        capsys, "--reviewer", "Ben", "dispute", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--comment", "Table 1 prints 50.3", "--expect", "50.3",
    )  # fmt: skip
    assert code == 2
    assert "not disputed: it is now '50.8', not '50.3'" in err
    assert audit_count(db) == before
    code, _, err = run(
        capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--expect", "50.8",
    )  # fmt: skip
    assert (code, err) == (0, "")


def test_one_expect_per_field(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = audit_count(db)
    code, _, err = run(
        capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--field", "comparator.value", "--expect", "50.8",
    )  # fmt: skip
    assert code == 2
    assert "give one --expect per --field, in the same order (2 --fields, 1 --expect); nothing was written" in err
    assert audit_count(db) == before


def test_a_decision_on_a_moved_value_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(
        capsys, "--reviewer", "Ben", "double-entry", str(db), "pime-vs-tcs[0]",
        "--set", "intervention.value=42.60", "--set", "comparator.value=64.8",
    )  # fmt: skip
    # Ana fixes the comparator value meanwhile: the adjudicator read 68.4.
    with ReviewService.open(db, "Ana") as review:
        review.rows.edit("pime-vs-tcs", 0, "comparator.value", "64.9", expected="68.4")
    before = audit_count(db)
    code, out, err = run(
        capsys, "--reviewer", "Cleo", "adjudication", str(db), "--decide", "1", "b", "--expect", "68.4"
    )
    assert (code, out) == (2, "")
    assert "not changed to '64.8': it is now '64.9', not '68.4' as this change expected" in err
    assert audit_count(db) == before
    code, out, err = run(
        capsys, "--reviewer", "Cleo", "adjudication", str(db), "--decide", "1", "b", "--expect", "64.9"
    )
    assert (code, err) == (0, "")
    assert table(db, "SELECT comparator_value FROM endpoint_row WHERE id = 1") == [("64.8",)]


def test_an_item_decided_by_another_adjudicator_meanwhile_is_refused(db: Path) -> None:
    from sqlalchemy import update

    from curator.store.adjudication import decide
    from curator.store.models import AdjudicationItem, table_of

    with ReviewService.open(db, "Ben") as review:
        review.checking.double_entry("pime-vs-tcs", 0, {"comparator.value": "64.8"})
    # Dora's decision commits between Cleo's read of the item and Cleo's write: the write finds it decided.
    with ReviewService.open(db, "Cleo") as review, review.writing() as session:
        conn = session.connection()
        items = table_of(AdjudicationItem)
        real = conn.execute

        def racing(statement, *args, **kwargs):  # type: ignore[no-untyped-def]
            if getattr(statement, "is_update", False) and statement.table is items:
                when = statement.compile().params["decided_at"]
                real(update(items).values(decided_by="Dora", choice="a", decided_at=when))
            return real(statement, *args, **kwargs)

        conn.execute = racing  # type: ignore[method-assign]
        with pytest.raises(CuratorError, match=r"adjudication item 1 .*: already decided by Dora \(a\) meanwhile"):
            decide(session, 1, "b", "Cleo")
