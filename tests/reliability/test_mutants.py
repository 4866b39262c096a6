"""Every importer against damaged files: an answer (exit 0, 1 or 2, never 3), in bounded time, and the
review as it was after a refusal (issue 15). ``benchmarks/reliability_long.py`` runs many more."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import stored_demo
from tests.reliability.mutants import mutants, sound_files, try_one

PER_KIND = 12


def test_damaged_files_of_every_kind_are_answered_never_crash_and_a_refusal_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sound = sound_files(tmp_path)
    review = stored_demo(tmp_path / "review.sqlite")
    capsys.readouterr()
    outcomes = [try_one(tmp_path, review, *mutant) for mutant in mutants(sound, PER_KIND)]
    capsys.readouterr()
    assert len(outcomes) == 6 * PER_KIND
    crashed = [o for o in outcomes if o.code not in (0, 1, 2)]
    assert not crashed, crashed
    written = [o for o in outcomes if not o.unchanged]
    assert not written, written
    slow = [o for o in outcomes if o.seconds > 20]  # a hang, not a speed figure: each file is small
    assert not slow, slow
    assert {o.code for o in outcomes} & {2}  # the damage was seen, not all taken as sound
