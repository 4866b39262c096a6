"""``--expect OLD``: a script's write refused, exit 2 with both values, when the value moved under it."""

from __future__ import annotations

from pathlib import Path

import pytest

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
