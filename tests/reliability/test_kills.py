"""kill -9 in the middle of an import, into a new file or replacing a review's content: all or nothing,
the file sound, its audit chain intact, still writable, nothing stray beside it (issue 15).
``benchmarks/reliability_long.py`` kills many more, at random moments."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import stored_demo
from tests.reliability.kills import big_exchange_file, kill_import

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")

COPIES = 1500


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_exchange_file(tmp_path_factory.mktemp("big"), COPIES)


@pytest.mark.parametrize(("replace", "after"), [(True, 0.5), (True, 1.2), (False, 1.2)])
def test_an_import_killed_midway_leaves_the_review_as_it_was_or_complete(
    tmp_path: Path, big: Path, replace: bool, after: float
) -> None:
    review = stored_demo(tmp_path / "r.sqlite") if replace else None
    folder = tmp_path / "kill"
    folder.mkdir()
    outcome = kill_import(folder, big, 8 * COPIES, after, into=review)
    assert outcome.problems == [], outcome
