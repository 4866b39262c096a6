"""Two reviewers' processes writing one review at once, and a third reading it: no edit is lost, none
is half-written, and every one has its audit entry (issue 15's reliability suite, in small;
``benchmarks/reliability_long.py`` runs more writers for minutes)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import stored_demo
from tests.reliability.writers import write_at_once

EDITS = 40


def test_two_writers_and_a_reader_at_once_lose_nothing(tmp_path: Path) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    run = write_at_once(review, 2, edits=EDITS, reads=60)
    assert run.problems == []
    assert (run.accepted, run.refused, run.reads) == (2 * EDITS, 0, 60)
