"""The command line's refusals name fields by their labels and rows from 1 (issue #12, item 7).

The ``COMP[ROW]`` argument and the JSON output keep the contract's 0-based
row; what a person reads in a message does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.doublecheck import audit_count, stored_by
from tests.helpers import run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "r.sqlite", "Ana")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["fix", "{db}", "pime-vs-tcs[2]", "--field", "intervention.n", "--value", "forty"],
            'Pimecrolimus Group: n in row 3 (Flare-Free Patients) of pime-vs-tcs: "forty" is not a whole number',
        ),
        (
            ["dispute", "{db}", "pime-vs-tac[0]", "--field", "comparator.value", "--comment", " "],
            "Tacrolimus Ointment (0.03% or 0.1%) arm: value in row 1 (Treatment Success (IGA 0/1)) of pime-vs-tac: "
            "say why the value is disputed",
        ),
        (
            ["confirm", "{db}", "pime-vs-tcs[0]", "--field", "effect.ci_low"],
            "Effect: CI low in row 1 (Patients Requiring TCS) of pime-vs-tcs: has no value to verify",
        ),
        (
            ["double-entry", "{db}", "pime-vs-tcs[1]", "--set", "comparator.sd=wide"],
            "Control (Conventional Treatment/Vehicle + TCS for flares) arm: SD in row 2 (Days on TCS (Median)) of "
            'pime-vs-tcs: "wide" is not a number',
        ),
    ],
)
def test_a_refusal_names_the_field_by_its_labels_and_the_row_from_one(  # type: ignore[no-untyped-def]
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = audit_count(db)
    code, out, err = run(capsys, "--reviewer", "Ben", *[a.format(db=db) for a in args])
    assert (code, out, err) == (2, "", f"curator: {message}\n")  # one line, no traceback
    assert "[" not in err.replace(args[2], "") and "intervention." not in err and "comparator." not in err
    assert audit_count(db) == before  # nothing was written
