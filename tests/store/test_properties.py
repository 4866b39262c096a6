"""The review's title and description (File > Properties): saved, audited, refused when bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.services import ReviewService
from tests.backends import as_reviewer, raw
from tests.helpers import stored_demo


def _audit(path: Path) -> list[tuple[object, ...]]:
    conn = raw(path)
    try:
        return conn.execute(
            "SELECT who, action, table_name, field, old, new FROM audit_log WHERE table_name = 'review' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_title_and_description_are_saved_and_audited(review_target: Path | str) -> None:
    path = stored_demo(review_target)
    with ReviewService.open(as_reviewer(path, "Ben"), "Ben") as review:
        old_title, description = review.properties()
        assert description is None
        before = _audit(path)
        assert review.set_properties("  Pimecrolimus, 2026 update ", "Protocol v2.\nSecond reviewer: Ben.")
        assert review.properties() == ("Pimecrolimus, 2026 update", "Protocol v2.\nSecond reviewer: Ben.")
        assert review.title() == "Pimecrolimus, 2026 update"
        assert not review.set_properties("Pimecrolimus, 2026 update", "Protocol v2.\nSecond reviewer: Ben.")
    assert _audit(path)[len(before) :] == [
        ("Ben", "update", "review", "title", old_title, "Pimecrolimus, 2026 update"),
        ("Ben", "update", "review", "description", None, "Protocol v2.\nSecond reviewer: Ben."),
    ]


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Two\nlines", "review title: a title is one line; put the rest in the description"),
        ("x" * 301, "review title: 301 characters is too long (at most 300); put the rest in the description"),
    ],
)
def test_a_bad_title_is_refused_and_nothing_is_written(review_target: Path | str, title: str, message: str) -> None:
    path = stored_demo(review_target)
    with ReviewService.open(as_reviewer(path, "Ben"), "Ben") as review:
        before, logged = review.properties(), _audit(path)
        with pytest.raises(CuratorError) as refused:
            review.set_properties(title, "d")
        assert str(refused.value) == message
        assert review.properties() == before
    assert _audit(path) == logged


def test_a_new_review_made_with_a_title_has_it(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    ReviewService.create(path, "Tacrolimus review", "Ana")
    with ReviewService.open(path, "Ana") as review:
        assert review.properties() == ("Tacrolimus review", None)
        review.set_properties("", "")  # clearing is allowed: an untitled review
        assert review.properties() == (None, None)
