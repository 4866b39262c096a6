"""Deleting and restoring a comparison reports its progress and may be cancelled at any report, up to the
commit: one transaction, so a cancel leaves the review and its audit log as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

import curator.store.rows as store_rows
from curator.progress import Cancelled
from curator.services import ReviewService
from tests.backends import as_reviewer
from tests.doublecheck import audit_count, stored_by
from tests.helpers import stored

KEY = "pime-vs-tcs"  # 4 rows


class Recorder:
    """A Progress that records each report and asks to cancel at report number ``stop`` (never when None)."""

    def __init__(self, stop: int | None = None) -> None:
        self.cancelled = False
        self.stop = stop
        self.seen: list[tuple[int, int, str]] = []

    def update(self, done: int, total: int, what: str) -> None:
        self.seen.append((done, total, what))
        if self.stop is not None and len(self.seen) >= self.stop:
            self.cancelled = True


@pytest.fixture
def review(review_target: Path | str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(store_rows, "CHUNK", 2)
    return stored_by(review_target, "Ana")


DELETE = [
    (0, 4, "reading its rows"),
    (2, 4, "reading its rows"),
    (4, 4, "reading its rows"),
    (4, 4, "writing the audit log"),
    (4, 4, "saving"),
]
RESTORE = [
    (0, 4, "writing its rows"),
    (2, 4, "writing its rows"),
    (4, 4, "writing its rows"),
    (4, 4, "writing the audit log"),
    (4, 4, "saving"),
]


def test_delete_and_restore_report_every_chunk_of_rows(review: Path) -> None:
    before = stored(review)
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        progress = Recorder()
        saved = ben.rows.delete_comparison(KEY, progress=progress)
        assert progress.seen == DELETE
        progress = Recorder()
        ben.rows.restore_comparison(*saved, progress=progress)
        assert progress.seen == RESTORE
    assert stored(review) == before


@pytest.mark.parametrize("stop", range(1, len(DELETE) + 1))
def test_a_delete_cancelled_at_any_report_writes_nothing(review: Path, stop: int) -> None:
    before, entries = stored(review), audit_count(review)
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben, pytest.raises(Cancelled):
        ben.rows.delete_comparison(KEY, progress=Recorder(stop))
    assert stored(review) == before and audit_count(review) == entries


@pytest.mark.parametrize("stop", range(1, len(RESTORE) + 1))
def test_a_restore_cancelled_at_any_report_writes_nothing(review: Path, stop: int) -> None:
    with ReviewService.open(as_reviewer(review, "Ben"), "Ben") as ben:
        saved = ben.rows.delete_comparison(KEY)
        deleted, entries = stored(review), audit_count(review)
        with pytest.raises(Cancelled):
            ben.rows.restore_comparison(*saved, progress=Recorder(stop))
    assert stored(review) == deleted and audit_count(review) == entries
