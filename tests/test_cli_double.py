"""The double-checking commands: what they print, their exit status, and what they refuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.doublecheck import audit_count, stored_by, table
from tests.helpers import DEMO, run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "r.sqlite", "Ana")


def test_confirm_a_field_then_the_whole_row(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[0]", "--field", "intervention.value"
    )
    assert (code, out, err) == (
        0,
        "Ben confirmed row 1 of pime-vs-tcs: Pimecrolimus Group: value; the row is extracted\n",
        "",
    )
    code, out, _ = run(capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[0]")
    assert (code, out) == (0, "Ben confirmed row 1 of pime-vs-tcs: 10 fields\n")
    assert table(db, "SELECT status, verified_by FROM endpoint_row WHERE id = 1") == [("verified", "Ben")]


def test_dispute_and_fix(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--reviewer", "Ben", "dispute", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--comment", "Table 1 prints 50.3",
    )  # fmt: skip
    assert (code, out) == (0, "Ben disputed row 3 of pime-vs-tcs: Pimecrolimus Group: value; the row is disputed\n")
    code, out, err = run(
        capsys, "--reviewer", "Ben", "fix", str(db), "pime-vs-tcs[2]", "--field", "intervention.value",
        "--value", "50.3",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "Ben fixed row 3 of pime-vs-tcs: Pimecrolimus Group: value is now '50.3'; the row is extracted\n"
    code, log, _ = run(capsys, "log", str(db), "--row", "pime-vs-tcs[2]")
    assert "  row 3 of pime-vs-tcs: Ben disputed Pimecrolimus Group: value: 50.8, saying: Table 1 prints 50.3" in log
    assert "  row 3 of pime-vs-tcs: Ben changed Pimecrolimus Group: value from '50.8' to '50.3'" in log
    assert "  row 3 of pime-vs-tcs: Ben confirmed Pimecrolimus Group: value: 50.3" in log


@pytest.mark.parametrize(
    ("old", "new", "args"),
    [
        ("verify", "confirm", ["pime-vs-tcs[0]", "--field", "unit"]),
        ("correct", "fix", ["pime-vs-tcs[0]", "--field", "unit", "--value", "percent"]),
    ],
)
def test_the_old_names_still_work_with_a_deprecation_note(
    db: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, args: list[str]
) -> None:
    code, out, err = run(capsys, "--reviewer", "Ben", old, str(db), *args)
    assert code == 0 and out.startswith(f"Ben {new[:-1] if new.endswith('e') else new}")
    assert err == f"curator: `{old}` is now called `{new}`; the old name still works but will go\n"
    assert table(db, "SELECT state, by FROM field_verification WHERE field = 'unit'") == [("verified", "Ben")]
    # Not listed among the commands; their help names the new command.
    with pytest.raises(SystemExit):
        run(capsys, "--help")
    listed = capsys.readouterr().out
    assert f"    {new} " in listed and f"    {old} " not in listed
    with pytest.raises(SystemExit):
        run(capsys, old, "--help")
    assert f"`{old}` is the old name of `{new}`" in " ".join(capsys.readouterr().out.split())


def test_double_entry_in_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--reviewer", "Ben", "double-entry", str(db), "pime-vs-tcs[0]",
        "--set", "intervention.value=42.60", "--set", "comparator.value=64.8", "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {
        "comparison": "pime-vs-tcs",
        "row": 0,
        "status": "disputed",
        "matched": ["intervention.value"],
        "differing": [{"field": "comparator.value", "a": "68.4", "b": "64.8", "item": 1}],
    }
    code, out, _ = run(capsys, "adjudication", str(db))
    assert out.splitlines()[:2] == [
        "#1  Control (Conventional Treatment/Vehicle + TCS for flares) arm: value in row 1 of pime-vs-tcs  "
        "(Patients Requiring TCS; double-entry)",
        "      A '68.4' (Ana)  |  B '64.8' (Ben)",
    ]
    code, out, _ = run(capsys, "--reviewer", "Cleo", "adjudication", str(db), "--decide", "1", "b")
    assert (code, out) == (
        0,
        "Cleo decided item 1 (Control (Conventional Treatment/Vehicle + TCS for flares) arm: value in row 1 of "
        "pime-vs-tcs): b, '64.8'\n",
    )
    code, out, _ = run(capsys, "adjudication", str(db), "--all", "--format", "json")
    (item,) = json.loads(out)
    assert item["decision"]["by"] == "Cleo" and item["decision"]["value"] == "64.8"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["confirm", "{db}", "pime-vs-tcs 2"], "'pime-vs-tcs 2': name a row as COMPARISON[ROW], e.g. pime-vs-tcs[2]"),
        (["confirm", "{db}", "pime-vs-tcs[9]"], "row 10 of pime-vs-tcs: the review has no such row"),
        (
            ["confirm", "{db}", "pime-vs-tcs[0]", "--field", "effect.p"],
            "Effect: p in row 1 (Patients Requiring TCS) of pime-vs-tcs: has no value to verify",
        ),
        (["dispute", "{db}", "pime-vs-tcs[0]", "--field", "unit", "--comment", ""], "say why the value is disputed"),
        (["fix", "{db}", "pime-vs-tcs[0]", "--field", "comparator.n", "--value", "x"], '"x" is not a whole number'),
        (["double-entry", "{db}", "pime-vs-tcs[0]", "--set", "42.6"], "--set '42.6': write FIELD=VALUE"),
        (
            ["double-entry", "{db}", "pime-vs-tcs[0]"],
            "row 1 (Patients Requiring TCS) of pime-vs-tcs: nothing was entered",
        ),
        (["adjudication", "{db}", "--decide", "one", "a"], "--decide 'one': the item's number"),
        (["adjudication", "{db}", "--decide", "7", "a"], "adjudication item 7: no such item"),
        (["adjudication", "{db}", "--reason", "x"], "--value and --reason go with --decide ID CHOICE"),
        (["adjudication", str(DEMO)], "is a curator/1 file, not a review database; adjudication is kept in review"),
        (["confirm", str(DEMO), "pime-vs-tcs[0]"], "not a review database; verification is kept in review databases"),
        (["merge", "{db}", "{db}"], "is the review itself; merge another reviewer's file"),
        (["merge", "{db}", "{db}.missing"], "r.sqlite.missing: no such file"),
    ],
)
def test_bad_requests_exit_2_with_one_line_and_write_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = audit_count(db)
    code, out, err = run(capsys, "--reviewer", "Ben", *[a.replace("{db}", str(db)) for a in args])
    assert code == 2 and out == ""
    assert message in err and err.startswith("curator: ") and err.count("\n") == 1
    assert audit_count(db) == before


def test_merge_prints_its_summary_in_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = stored_by(tmp_path / "ana.sqlite", "Ana")
    theirs = stored_by(tmp_path / "ben.sqlite", "Ben", differ=True)
    code, out, _ = run(capsys, "--reviewer", "Ana", "merge", str(ours), str(theirs), "--format", "json")
    summary = json.loads(out)
    assert code == 0
    assert (summary["theirs"], summary["rows_paired"], summary["rows_verified"], summary["items_opened"]) == (
        "ben.sqlite",
        8,
        6,
        2,
    )


def test_confirming_a_field_with_an_open_error_says_so_and_confirms_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As verify mode does before its second Enter: the note names the field and the error; the value is
    confirmed as the paper prints it (exit 0), and a field without an error gets no note."""
    from curator.services import ReviewService

    with ReviewService.open(db, "Ana") as ana:
        ana.rows.edit_field("pime-vs-tcs", 2, "intervention.n", "475")  # 50.8% of 475 is impossible
    code, out, err = run(
        capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[2]", "--field", "intervention.value"
    )
    assert code == 0 and out.startswith("Ben confirmed row 3 of pime-vs-tcs: Pimecrolimus Group: value;")
    assert err.startswith(
        "curator: note: Pimecrolimus Group: value has an open error: 50.8% is not possible with n = 475"
    )
    assert err.endswith("; confirmed as the paper prints it (curator fix puts the source's value instead)\n")
    assert table(db, "SELECT status FROM endpoint_row WHERE id = 3") == [("extracted",)]
    code, _, err = run(capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[2]", "--field", "unit")
    assert (code, err) == (0, "")
