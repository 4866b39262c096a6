"""The double-checking story, told through the command line as reviewers live it.

Ana extracts the demo review. Ben checks it, either blind (re-entering every
row's values without seeing hers) or in his own database file that is then
merged; he reads two values differently. The comparison finds exactly those
two, Cleo adjudicates them, and `curator log` tells the whole story in order.
Then: a verified value changed is un-verified and marked in the workbook; Ana
cannot verify her own row; files that cannot be merged are refused untouched.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from curator.services.sources import open_review
from curator.store.database import head_revision
from curator.store.edits import set_row_field
from curator.store.field_states import VERIFIABLE_FIELDS, field_text
from tests.doublecheck import DIFFERENCES, review_by, stored_by
from tests.helpers import run

#: Ana's values where Ben read differently, in DIFFERENCES' order.
ANA_VALUES = ("50.8", "34.8")


def _ben_types_every_row_blind(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    for comparison in review_by("Ben", differ=True).comparisons:
        for position, row in enumerate(comparison.rows):
            typed = [f"{name}={field_text(row, name)}" for name in VERIFIABLE_FIELDS if field_text(row, name)]
            sets = [arg for pair in typed for arg in ("--set", pair)]
            code, out, err = run(
                capsys, "--reviewer", "Ben", "double-entry", str(db), f"{comparison.key}[{position}]", *sets
            )
            assert code == 0, err


def _the_two_differences_are_open(capsys: pytest.CaptureFixture[str], db: Path, origin: str) -> list[int]:
    code, out, _ = run(capsys, "adjudication", str(db), "--format", "json")
    assert code == 0
    items = json.loads(out)
    found = [
        (i["comparison"], i["row"], i["field"], i["a"], i["b"], i["who_a"], i["who_b"], i["origin"]) for i in items
    ]
    assert found == [
        (key, position, f"{arm}.value", ana, ben, "Ana", "Ben", origin)
        for (key, position, arm, ben), ana in zip(DIFFERENCES, ANA_VALUES, strict=True)
    ]
    return [i["id"] for i in items]


def _cleo_adjudicates(capsys: pytest.CaptureFixture[str], db: Path, ids: list[int]) -> None:
    code, out, err = run(
        capsys, "--reviewer", "Cleo", "adjudication", str(db), "--decide", str(ids[0]), "a",
        "--reason", "Table 1 prints 50.8",
    )  # fmt: skip
    assert code == 0, err
    assert out == f"Cleo decided item {ids[0]} (Pimecrolimus Group: value in row 3 of pime-vs-tcs): a, '50.8'\n"
    code, out, err = run(
        capsys, "--reviewer", "Cleo", "adjudication", str(db), "--decide", str(ids[1]), "new",
        "--value", "34.9", "--reason", "the text gives 34.9; the table rounds",
    )  # fmt: skip
    assert code == 0, err
    assert run(capsys, "adjudication", str(db))[1] == "No open adjudication items.\n"
    code, out, _ = run(capsys, "info", str(db), "--format", "json")
    assert json.loads(out)["rows_by_status"] == {"draft": 0, "extracted": 0, "verified": 8, "disputed": 0}


def _in_order(log: str, *needles: str) -> None:
    """Each needle is on a line of the log, each after the previous one's line."""
    lines = log.splitlines()
    at = -1
    for needle in needles:
        found = [i for i, line in enumerate(lines) if needle in line and i > at]
        assert found, f"{needle!r} not found after line {at}:\n" + "\n".join(lines[at + 1 : at + 5])
        at = found[0]


def test_blind_double_entry_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = stored_by(tmp_path / "review.sqlite", "Ana")
    _ben_types_every_row_blind(capsys, db)
    ids = _the_two_differences_are_open(capsys, db, "double-entry")
    # What `curator compare` finds between Ana's review and Ben's own reading is the same two.
    ben = stored_by(tmp_path / "ben.sqlite", "Ben", differ=True)
    code, out, _ = run(capsys, "compare", str(db), str(ben), "--format", "json")
    assert code == 1
    assert [(d["comparison"], d["field"], d["a"], d["b"]) for d in json.loads(out)] == [
        (key, f"{arm}.value", ana, value) for (key, _p, arm, value), ana in zip(DIFFERENCES, ANA_VALUES, strict=True)
    ]
    code, out, _ = run(capsys, "info", str(db), "--format", "json")
    assert json.loads(out)["rows_by_status"] == {"draft": 0, "extracted": 0, "verified": 6, "disputed": 2}
    _cleo_adjudicates(capsys, db, ids)

    code, log, _ = run(capsys, "log", str(db))
    assert code == 0
    _in_order(
        log,
        "  row 1 of pime-vs-tcs: Ana entered the row 'Patients Requiring TCS' (11 values)",
        "  row 1 of pime-vs-tcs: Ben entered the row again, blind: Endpoint: Patients Requiring TCS; Measure: percent",
        "  row 1 of pime-vs-tcs: Ben confirmed Pimecrolimus Group: value: 42.6",
        "  row 1 of pime-vs-tcs: The row is now verified (was extracted)",
        "  row 3 of pime-vs-tcs: Ben entered the row again, blind",
        "  row 3 of pime-vs-tcs: Ben sent Pimecrolimus Group: value to adjudication (item 1): A '50.8' (Ana) or "
        "B '58.0' (Ben), from double-entry",
        "  row 3 of pime-vs-tcs: Ben disputed Pimecrolimus Group: value: 50.8, saying: Ben entered '58.0' "
        "(double-entry)",
        "  row 3 of pime-vs-tcs: The row is now disputed (was extracted)",
        "  row 1 of pime-vs-tac: Ben sent Tacrolimus Ointment (0.03% or 0.1%) arm: value to adjudication (item 2): "
        "A '34.8' (Ana) or B '17.2' (Ben)",
        "  row 3 of pime-vs-tcs: Cleo decided Pimecrolimus Group: value (item 1): chose A, 50.8: Table 1 prints 50.8",
        "  row 3 of pime-vs-tcs: Cleo confirmed Pimecrolimus Group: value: 50.8",
        "  row 3 of pime-vs-tcs: The row is now verified (was disputed)",
        "  row 1 of pime-vs-tac: Cleo decided Tacrolimus Ointment (0.03% or 0.1%) arm: value (item 2): chose a new "
        "value, 34.9: the text gives 34.9",
        "  row 1 of pime-vs-tac: Cleo changed Tacrolimus Ointment (0.03% or 0.1%) arm: value from '34.8' to '34.9'",
        "  row 1 of pime-vs-tac: Cleo confirmed Tacrolimus Ointment (0.03% or 0.1%) arm: value: 34.9",
        "  row 1 of pime-vs-tac: The row is now verified (was extracted)",
    )
    assert "endpoint_row" not in log and "[0]" not in log


def test_merge_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = stored_by(tmp_path / "ana.sqlite", "Ana")
    theirs = stored_by(tmp_path / "ben.sqlite", "Ben", differ=True)
    theirs_bytes = theirs.read_bytes()
    code, out, err = run(capsys, "--reviewer", "Ana", "merge", str(theirs), "--db", str(ours))
    assert code == 0, err
    valued = sum(1 for c in review_by("Ana").comparisons for r in c.rows for f in VERIFIABLE_FIELDS if field_text(r, f))
    assert out.splitlines()[:3] == [
        f"Merged {theirs}:",
        f"  8 rows in both files: 6 verified by the pair, {valued - 2} fields verified",
        "  2 differing fields sent to adjudication (curator adjudication)",
    ]
    assert theirs.read_bytes() == theirs_bytes
    ids = _the_two_differences_are_open(capsys, ours, "merge")
    _cleo_adjudicates(capsys, ours, ids)
    code, log, _ = run(capsys, "log", str(ours))
    _in_order(
        log,
        "  row 4 of pime-vs-tac: Ana entered the row 'Improvement in EASI Score'",
        "  Ana merged ben.sqlite (8 rows in 2 comparisons)",
        "  row 1 of pime-vs-tcs: Ana recorded Ben's confirmation of Pimecrolimus Group: value: 42.6 (from a merge)",
        "  row 1 of pime-vs-tcs: The row is now verified by Ben",
        "  row 3 of pime-vs-tcs: Ana sent Pimecrolimus Group: value to adjudication (item 1): A '50.8' (Ana) or "
        "B '58.0' (Ben), from merge",
        "  row 1 of pime-vs-tac: Ana sent Tacrolimus Ointment (0.03% or 0.1%) arm: value to adjudication (item 2)",
        ": Cleo decided Pimecrolimus Group: value (item 1)",
        ": Cleo decided Tacrolimus Ointment (0.03% or 0.1%) arm: value (item 2)",
    )
    assert theirs.read_bytes() == theirs_bytes


def test_a_changed_verified_value_is_unverified_and_marked_in_the_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = stored_by(tmp_path / "review.sqlite", "Ana")
    assert run(capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[0]")[0] == 0
    assert run(capsys, "--reviewer", "Ben", "confirm", str(db), "pime-vs-tcs[1]")[0] == 0
    with open_review(db, create=False) as review, review.session() as session:  # the app's edit path
        set_row_field(session, "pime-vs-tcs", 0, "intervention.value", "42.60", "Ana")
    code, log, _ = run(capsys, "log", str(db), "--row", "pime-vs-tcs[0]")
    assert (
        "  row 1 of pime-vs-tcs: Pimecrolimus Group: value needs confirming again: the confirmed value '42.6' "
        "became '42.60'" in log
    )
    out = tmp_path / "review.xlsx"
    assert run(capsys, "export", str(db), "-o", str(out))[0] == 0
    wb = openpyxl.load_workbook(out)
    sheet = wb.worksheets[0]
    cell = sheet["B4"]  # pime-vs-tcs[0], the intervention column
    assert cell.comment is not None and cell.comment.text.startswith(
        "CHANGED AFTER VERIFICATION (Pimecrolimus Group: value): '42.6' was verified by Ben; the value is now '42.60'"
    )
    assert cell.fill.fgColor.rgb == "FFE4D7F5"
    assert sheet["C4"].fill.fgColor.rgb != "FFE4D7F5" and "CHANGED" not in (sheet["C4"].comment.text or "")
    assert sheet["I4"].value == "extracted" and sheet["I5"].value == "verified (Ben)"
    assert sheet["B5"].comment is None or "CHANGED" not in sheet["B5"].comment.text
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True)}
    assert (about["Rows verified"], about["Rows disputed"], about["Rows unverified"]) == (1, 0, 7)
    assert about["Values changed since verified"] == 1
    # Comments do not print: the Findings sheet lists the change, its row numbered from 1.
    changed = [r for r in wb["Findings"].iter_rows(min_row=2, values_only=True) if r[0] == "changed since verified"]
    assert [r[3:9] for r in changed] == [
        ("pime-vs-tcs", 1, "Patients Requiring TCS", None, "Pimecrolimus Group: value",
         "'42.6' was verified by Ben; the value is now '42.60' and needs verifying again"),
    ]  # fmt: skip


def test_ana_cannot_verify_her_own_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = stored_by(tmp_path / "review.sqlite", "Ana")
    before = db.read_bytes()
    code, out, err = run(
        capsys, "--reviewer", "ana", "confirm", str(db), "pime-vs-tcs[2]", "--field", "intervention.value"
    )
    assert code == 2 and out == ""
    assert err == (
        "curator: Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs: Ana extracted this row; "
        "a second reviewer must verify it\n"
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM field_verification").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE who = 'ana'").fetchone() == (0,)
    conn.close()
    assert len(db.read_bytes()) == len(before)


def _old_schema(path: Path) -> None:
    stored_by(path, "Ben")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_old_schema, f"is a review of schema 0002, this Curator's is {head_revision()}; it is not changed here"),
        (lambda p: p.write_text("Ben's notes, not a review"), "ben.sqlite"),
    ],
)
def test_merging_a_file_of_another_schema_or_not_a_review_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, message: str
) -> None:
    ours = stored_by(tmp_path / "ana.sqlite", "Ana")
    theirs = tmp_path / "ben.sqlite"
    make(theirs)  # type: ignore[operator]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, out, err = run(capsys, "--reviewer", "Ana", "merge", str(ours), str(theirs))
    assert code == 2 and out == "" and message in err and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
