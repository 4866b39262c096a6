"""unit-mismatch and duplicate-row."""

from __future__ import annotations

import pytest

from tests.checks.builders import arm, fires, row


@pytest.mark.parametrize("unit", ["days", "points", "mg"])
def test_unit_mismatch_percent_row(unit: str) -> None:
    (f,) = fires("unit-mismatch", row(unit=unit, intervention=arm("40")))
    assert (f.severity, f.field) == ("warning", "unit")


@pytest.mark.parametrize("unit", ["%", "% of study days", "percent", "Percent of patients", "  %  "])
def test_unit_mismatch_percent_units_clean(unit: str) -> None:
    assert fires("unit-mismatch", row(unit=unit, intervention=arm("40"))) == []


def test_unit_mismatch_same_endpoint_two_units() -> None:
    rows = [
        row("Days on TCS", measure="median", unit="days", intervention=arm("7")),
        row("Other", measure="median", unit="weeks", intervention=arm("1")),
        row("days on  tcs", measure="median", unit="weeks", intervention=arm("1"), citations=["2"]),
        row("Days on TCS", measure="median", unit="Days", intervention=arm("8"), citations=["3"]),
    ]
    found = fires("unit-mismatch", *rows)
    assert [f.row for f in found] == [0, 2, 3]
    # rows counted from 1 for people (the finding's row stays 0-based)
    assert "in row 3 with" in found[0].message and "in rows 1 and 4 with" in found[1].message


def test_unit_mismatch_ignores_missing_units() -> None:
    rows = [
        row("Days", measure="median", unit="days", intervention=arm("7")),
        row("Days", measure="median", unit=None, intervention=arm("7"), citations=["2"]),
    ]
    assert fires("unit-mismatch", *rows) == []


def test_duplicate_row_each_row_of_a_pair() -> None:
    rows = [
        row("Flare-free patients", intervention=arm("50.8"), citations=["7", "9"]),
        row("Other", intervention=arm("1")),
        row("flare-free  Patients", intervention=arm("51"), citations=["9", "7"]),
        row("Flare-free patients", intervention=arm("50.8"), citations=["7"]),
    ]
    found = fires("duplicate-row", *rows)
    assert [(f.row, f.field, f.severity) for f in found] == [(0, None, "warning"), (2, None, "warning")]
    assert found[0].message.endswith("as row 3: is it entered twice?")
    assert found[1].message.endswith("as row 1: is it entered twice?")


def test_duplicate_row_only_within_a_comparison() -> None:
    from curator.checks import run_checks
    from curator.review import Comparison, Review
    from tests.checks.builders import ref

    a = Comparison("a", "A", "X", "Y", rows=[row("Same")])
    b = Comparison("b", "B", "X", "Y", rows=[row("Same")])
    assert run_checks(Review(references=[ref("1")], comparisons=[a, b]), rules=["duplicate-row"]) == []
