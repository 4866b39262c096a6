"""What others changed since entry N: the service a window polls (issue 16, working at once); on an SQLite
file and on the PostgreSQL server alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from curator.services import ReviewService
from curator.store.changes import ALL
from tests.backends import as_reviewer
from tests.doublecheck import stored_by


@pytest.fixture
def db(review_target: Path | str) -> Path | str:
    return stored_by(review_target, "Ana")


def curator(*args: str) -> subprocess.CompletedProcess[str]:
    """``curator ARGS`` in another process, as a second reviewer at another terminal (the reviewer is the
    database user on the server, ``--reviewer`` on a file)."""
    env = {k: v for k, v in os.environ.items() if k != "CURATOR_REVIEWER"}
    return subprocess.run(
        [sys.executable, "-m", "curator", *args], capture_output=True, text=True, check=False, env=env
    )


def as_ben(db: Path | str) -> list[str]:
    """The arguments naming the review as Ben opens it."""
    return [str(db)] if isinstance(db, Path) else [str(as_reviewer(db, "Ben"))]


def open_as(db: Path | str, who: str) -> ReviewService:
    return ReviewService.open(as_reviewer(db, who), who)


def test_a_fix_in_another_process_is_one_changed_row_with_its_fields(db: Path) -> None:
    with open_as(db, "Ana") as review:
        head = review.live.head()
        assert not review.live.changes(head)
        who = ["--reviewer", "Ben"] if isinstance(db, Path) else []
        done = curator(*who, "fix", *as_ben(db), "pime-vs-tcs[2]", "--field", "intervention.value",
                       "--value", "50.3", "--expect", "50.8")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert review.live.head() > head
        changes = review.live.changes(head)
        assert set(changes.rows) == {("pime-vs-tcs", 2)}
        assert "intervention.value" in changes.rows[("pime-vs-tcs", 2)]
        assert (changes.moved, changes.references, changes.review, changes.who) == (frozenset(), False, False, ("Ben",))
        assert not review.live.changes(changes.head)  # nothing new since
        last = review.live.last_change("pime-vs-tcs", 2, "intervention.value")
        assert last is not None and (last.who, last.value) == ("Ben", "50.3")


def test_the_services_own_writes_are_not_others_changes(db: Path) -> None:
    with open_as(db, "Ana") as review:
        head = review.live.head()
        review.rows.edit("pime-vs-tcs", 0, "unit", "percent", expected="%")
        changes = review.live.changes(head)
        assert not changes and changes.head > head
        with open_as(db, "Ana") as other:  # the same reviewer in another window: someone else's
            other.rows.edit("pime-vs-tcs", 1, "population", "Adults")
        assert set(review.live.changes(changes.head).rows) == {("pime-vs-tcs", 1)}


def test_rows_added_deleted_or_moved_name_their_comparison(db: Path) -> None:
    with open_as(db, "Ana") as review, open_as(db, "Ben") as other:
        head = review.live.head()
        other.rows.move_row("pime-vs-tcs", 0, 1)
        assert review.live.changes(head).moved == {"pime-vs-tcs"}
        head = review.live.head()
        other.rows.delete_row("pime-vs-tac", 0)
        assert review.live.changes(head).moved == {"pime-vs-tac"}
        head = review.live.head()
        other.rows.delete_comparison("pime-vs-tac")
        changes = review.live.changes(head)
        assert changes.review and changes.moved == {ALL}
        head = review.live.head()
        key = other.reference_list()[0].key
        other.references.set_field(key, "title", "Another title")
        assert review.live.changes(head).references
