"""kill -9 in the middle of an import, into a new file or replacing a review's content: all or nothing,
the file sound, its audit chain intact, still writable, nothing stray beside it (issue 15).
``benchmarks/reliability_long.py`` kills many more, at random moments."""

from __future__ import annotations

import re
import signal
import sys
from pathlib import Path

import pytest

from tests.helpers import DEMO, stored_demo
from tests.reliability.kills import big_exchange_file, kill_import, killed_in, quietly, rows

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


def test_an_import_into_a_new_file_killed_in_its_transaction_leaves_no_review(tmp_path: Path) -> None:
    """Killed after the file was made, while the content goes in: no review under the name asked for
    (before: an empty review, with its -wal and -shm), and the next import leaves nothing else beside it."""
    target = tmp_path / "new.sqlite"
    assert killed_in("curator.services.importing", "add_reviews", "import", str(target), str(DEMO)) == -signal.SIGKILL
    assert not target.exists()
    assert all(re.fullmatch(r"\.new\.sqlite\.\d+-[0-9a-f]{8}\.tmp(-wal|-shm)?", p.name) for p in tmp_path.iterdir())
    assert quietly("import", str(target), str(DEMO))[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["new.sqlite"]
    assert rows(target) == 8
