"""The core paths File > Import and File > Export run: all or nothing, with progress and cancel."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.progress import Cancelled
from curator.services.exporting import export_review
from curator.services.importing import import_file
from curator.services.sources import read_source
from curator.store.access import create_review
from tests.helpers import DEMO, stored, stored_demo


class Recorder:
    def __init__(self, cancel_at: str | None = None) -> None:
        self.cancelled = False
        self.cancel_at = cancel_at
        self.seen: list[str] = []

    def update(self, done: int, total: int, what: str) -> None:
        self.seen.append(what)
        if what == self.cancel_at:
            self.cancelled = True  # the user presses Cancel now


def test_import_file_reports_progress_and_says_what_came_in(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    create_review(db, "T", "Ana")
    progress = Recorder()
    message = import_file(db, DEMO, "Ben", progress=progress)
    assert message == "Imported 2 comparisons, 8 rows, 17 references from demo-review.json into r.sqlite"
    assert progress.seen == ["reading demo-review.json", "writing into the review", "saving"]
    assert stored(db).row_count == 8


def test_import_file_cancelled_before_commit_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    create_review(db, "T", "Ana")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    progress = Recorder(cancel_at="writing into the review")
    with pytest.raises(Cancelled, match="nothing was written"):
        import_file(db, DEMO, "Ben", progress=progress)
    assert stored(db).row_count == 0
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_import_file_into_a_missing_review_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(CuratorError, match="no such review database"):
        import_file(tmp_path / "gone.sqlite", DEMO, "Ben")
    assert list(tmp_path.iterdir()) == []


def test_export_review_writes_each_format(tmp_path: Path) -> None:
    db = stored_demo(tmp_path / "r.sqlite")
    for name in ("json", "xlsx"):
        target = tmp_path / f"out.{name}"
        assert export_review(db, target, name, "Ben").startswith("Wrote 8 rows")
        assert read_source(target).row_count == 8


@pytest.mark.parametrize(
    ("writer", "verified_only", "message"),
    [
        (
            "pdf",
            False,
            "out.pdf: no such export format 'pdf'; known: json, xlsx, csv, ris, bib, revman-csv, metafor-csv",
        ),
        ("csv", True, "out.pdf: only the Excel workbook can leave out rows that are not verified"),
    ],
)
def test_export_review_refuses_what_it_cannot_do(
    tmp_path: Path, writer: str, verified_only: bool, message: str
) -> None:
    db = stored_demo(tmp_path / "r.sqlite")
    target = tmp_path / "out.pdf"
    with pytest.raises(CuratorError) as info:
        export_review(db, target, writer, "Ben", verified_only=verified_only)
    assert str(info.value) == f"{tmp_path}/{message}"
    assert not target.exists()


def test_export_review_cancelled_leaves_no_file(tmp_path: Path) -> None:
    db = stored_demo(tmp_path / "r.sqlite")
    target = tmp_path / "out.xlsx"
    with pytest.raises(Cancelled):
        export_review(db, target, "xlsx", "Ben", progress=Recorder(cancel_at="comparison tables"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.sqlite"]
