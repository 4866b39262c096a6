"""Merging another reviewer's file: agreement verifies, disagreement goes to adjudication, theirs is never changed."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.formats.exchange import write_exchange
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Reference, Row
from curator.services.sources import open_review, read_theirs
from curator.store.adjudication import open_items
from curator.store.database import head_revision
from curator.store.merge import MergeSummary, merge_review
from curator.store.repository import load_review
from tests.backends import raw
from tests.doublecheck import DIFFERENCES, review_by, stored_by, table


def merge(ours: Path, theirs: Path, who: str = "Ana") -> MergeSummary:
    review = read_theirs(theirs)
    with open_review(ours, create=False) as db, db.session() as session:
        return merge_review(session, review, who, name=theirs.name)


def test_identical_files_of_two_reviewers_verify_every_row_by_the_pair(
    review_target: Path | str, tmp_path: Path
) -> None:
    ours, theirs = stored_by(review_target, "Ana"), stored_by(tmp_path / "ben.sqlite", "Ben")
    summary = merge(ours, theirs)
    assert summary.rows_paired == 8 and summary.rows_verified == 8 and summary.items_opened == 0
    assert table(ours, "SELECT DISTINCT status, extracted_by, verified_by FROM endpoint_row") == [
        ("verified", "Ana", "Ben")
    ]
    assert table(ours, "SELECT DISTINCT state, by FROM field_verification") == [("verified", "Ben")]
    (merged,) = table(ours, "SELECT who, new FROM audit_log WHERE action = 'merge'")
    assert merged[0] == "Ana" and "ben.sqlite" in str(merged[1])


def test_the_same_extractor_in_both_files_verifies_nothing(review_target: Path | str, tmp_path: Path) -> None:
    ours, theirs = stored_by(review_target, "Ana"), stored_by(tmp_path / "b.sqlite", " ana")
    summary = merge(ours, theirs)
    assert summary.rows_verified == 0 and len(summary.not_verified) == 8
    assert table(ours, "SELECT count(*) FROM field_verification") == [(0,)]
    assert table(ours, "SELECT DISTINCT status FROM endpoint_row") == [("extracted",)]


def test_differing_fields_open_items_and_the_rest_of_the_row_is_verified(
    review_target: Path | str, tmp_path: Path
) -> None:
    ours = stored_by(review_target, "Ana")
    theirs = stored_by(tmp_path / "ben.sqlite", "Ben", differ=True)
    summary = merge(ours, theirs)
    assert summary.items_opened == 2 and summary.rows_verified == 6
    with open_review(ours, create=False) as db, db.session(write=False) as session:
        found = [(i.comparison, i.position, i.field, i.value_a, i.value_b) for i in open_items(session)]
        review = load_review(session)
    assert found == [
        (key, position, f"{arm}.value", "50.8" if key == "pime-vs-tcs" else "34.8", value)
        for key, position, arm, value in DIFFERENCES
    ]
    assert review.counts()["disputed"] == 2 and review.counts()["verified"] == 6
    # Merging the same file again opens nothing new.
    again = merge(ours, theirs)
    assert again.items_opened == 0


def test_rows_comparisons_and_references_only_in_theirs_are_added(review_target: Path | str, tmp_path: Path) -> None:
    ours = stored_by(review_target, "Ana")
    review = review_by("Ben")
    extra = Row(
        endpoint="Itch score",
        measure="mean",
        intervention=Arm(value=parse_reported("2.1")),
        citations=["99"],
        status="verified",
        verified_by="Cleo",
        extracted_by="Ben",
    )
    review.comparisons[0].rows.append(extra)
    review.comparisons.append(
        Comparison("pime-vs-vehicle", "Pimecrolimus vs vehicle", "Pimecrolimus", "Vehicle", rows=[replace(extra)])
    )
    review.references.append(Reference(key="99", title="An extra trial"))
    review.references[0] = replace(review.references[0], title="A different title")
    theirs = tmp_path / "ben.json"
    write_exchange(review, theirs)
    summary = merge(ours, theirs)
    assert (summary.rows_added, summary.comparisons_added, summary.references_added) == (2, 1, 1)
    assert summary.reference_conflicts == [review.references[0].key]
    with open_review(ours, create=False) as db, db.session(write=False) as session:
        merged = load_review(session)
    added = merged.comparisons[0].rows[4]
    assert (added.endpoint, added.status, added.extracted_by, added.verified_by) == (
        "Itch score",
        "extracted",
        "Ben",
        None,
    )
    assert merged.comparisons[2].rows[0].status == "extracted"
    assert merged.references[0].title != "A different title"  # ours kept
    assert [r.key for r in merged.references][-1] == "99"


def _schema_0002(path: Path) -> Path:
    stored_by(path, "Ben")
    conn = raw(path)
    conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.commit()
    conn.close()
    return path


def _other_program(path: Path) -> Path:
    conn = raw(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.commit()
    conn.close()
    return path


def _text(path: Path) -> Path:
    path.write_text("hello, this is not a review\n")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_schema_0002, f"is a review of schema 0002, this Curator's is {head_revision()}; it is not changed here"),
        (_other_program, "not a review (neither a Curator database nor a curator/1 file): an SQLite database, but"),
        (_text, "ben.file: not a review (neither a Curator database nor a curator/1 file)"),
    ],
)
def test_a_file_that_cannot_be_merged_is_refused_and_both_files_stay_as_they_were(
    review_target: Path | str, tmp_path: Path, make: object, message: str
) -> None:
    ours = stored_by(review_target, "Ana")
    theirs = make(tmp_path / "ben.file")  # type: ignore[operator]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(CuratorError, match=re.escape(message)):
        merge(ours, theirs)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_their_database_is_read_without_a_trace(tmp_path: Path) -> None:
    theirs = stored_by(tmp_path / "ben.sqlite", "Ben")
    before = theirs.read_bytes()
    assert read_theirs(theirs).row_count == 8
    assert theirs.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ben.sqlite"]


class _CancelAt:
    """A progress that asks to stop once ``at`` rows are reported done."""

    def __init__(self, at: int) -> None:
        self.at, self.cancelled = at, False
        self.seen: list[tuple[int, int]] = []

    def update(self, done: int, total: int, what: str) -> None:
        self.seen.append((done, total))
        self.cancelled = done >= self.at


def test_a_cancelled_merge_writes_nothing(review_target: Path | str, tmp_path: Path) -> None:
    from curator.progress import Cancelled

    ours = stored_by(review_target, "Ana")
    theirs = stored_by(tmp_path / "ben.sqlite", "Ben", differ=True)
    before = table(ours, "SELECT count(*) FROM audit_log") + table(ours, "SELECT count(*) FROM field_verification")
    progress = _CancelAt(8)  # stops at the last report before the new rows are written
    review = read_theirs(theirs)
    with pytest.raises(Cancelled), open_review(ours, create=False) as db, db.session() as session:
        merge_review(session, review, "Ana", name="ben.sqlite", progress=progress)
    assert progress.seen[0] == (0, 8) and progress.seen[-1] == (8, 8)
    after = table(ours, "SELECT count(*) FROM audit_log") + table(ours, "SELECT count(*) FROM field_verification")
    assert after == before
    assert table(ours, "SELECT count(*) FROM adjudication_item") == [(0,)]
