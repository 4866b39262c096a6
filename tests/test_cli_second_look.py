"""A second look at issue #12's command line on the merged result."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run, stored_demo


def test_a_row_past_the_end_says_how_the_brackets_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Found: 'curator confirm r.sqlite pime-vs-tcs[4]' for the fourth row answered 'row 5 of pime-vs-tcs:
    the review has no such row', while every message counts rows from 1: the [4] it came from was a riddle."""
    review = stored_demo(tmp_path / "r.sqlite")
    before = review.read_bytes()
    code, out, err = run(capsys, "--reviewer", "Ben", "confirm", str(review), "pime-vs-tcs[4]")
    assert code == 2 and out == ""
    assert err == (
        "curator: row 5 of pime-vs-tcs: the review has no such row "
        "(pime-vs-tcs[4] is row 5: the brackets count from 0, [0] is row 1)\n"
    )
    assert review.read_bytes() == before
    code, _, err = run(capsys, "log", str(review), "--row", "pime-vs-tcs[9]")
    assert code == 2 and err.endswith("(pime-vs-tcs[9] is row 10: the brackets count from 0, [0] is row 1)\n")


def test_the_log_tells_a_reference_s_authors_as_typed_not_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found: 'root changed reference 7's Authors from '[]' to '["Reitamo S", "Ruzicka T"]'' in
    `curator log` (and the same storage words could reach History)."""
    from curator.services import ReviewService

    review = stored_demo(tmp_path / "r.sqlite")
    with ReviewService.open(review, "Ana") as ana:  # as the reference form saves them
        ana.references.set_field("2", "authors", "Reitamo S; Ruzicka T")
        ana.references.set_field("2", "authors", "Reitamo S")
    code, out, _ = run(capsys, "log", str(review))
    assert code == 0
    lines = [line.split("  ", 1)[1] for line in out.splitlines() if "Authors" in line]
    assert lines == [
        "Ana changed reference 2's Authors from (empty) to 'Reitamo S; Ruzicka T'",
        "Ana changed reference 2's Authors from 'Reitamo S; Ruzicka T' to 'Reitamo S'",
    ]
