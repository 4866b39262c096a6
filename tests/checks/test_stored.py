"""Checking a stored review block by block gives exactly what checking it whole gives."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from curator.checks import run_checks, split_accepted
from curator.demo import demo_review
from curator.numbers import parse_reported
from curator.review import Review
from curator.services.checking import check_stored, open_findings_stored
from curator.store.database import open_database
from curator.store.repository import add_content, load_review
from tests.helpers import stored_demo
from tests.strategies import reviews


def _both(path: Path, block: int) -> tuple[list[object], list[object]]:
    with open_database(path, create=False) as db, db.session(write=False) as session:
        whole = run_checks(load_review(session))
        blocks = check_stored(session.connection(), block=block)
    return whole, blocks  # type: ignore[return-value]


def _store(path: Path, review: Review) -> Path:
    with open_database(path) as db, db.session() as session:
        add_content(session, review, "Ana")
    return path


def test_the_demo_gives_the_same_findings_in_the_same_order(tmp_path: Path) -> None:
    whole, blocks = _both(stored_demo(tmp_path / "r.sqlite"), block=3)
    assert whole and blocks == whole


def test_rules_across_rows_see_rows_of_other_blocks(tmp_path: Path) -> None:
    review = demo_review()
    rows = review.comparisons[0].rows
    rows.append(copy.deepcopy(rows[0]))  # a duplicate four rows below, in another block of 2
    rows[1].unit = "%"  # "Days on TCS" in days elsewhere? no: a percent unit on a days row
    extra = copy.deepcopy(rows[1])
    extra.unit = "days"
    rows.append(extra)  # the same endpoint in two units, far apart
    rows[2].intervention.value = parse_reported("50.9")  # type: ignore[union-attr]
    whole, blocks = _both(_store(tmp_path / "r.sqlite", review), block=2)
    rules = {f.rule for f in blocks}  # type: ignore[attr-defined]
    assert {"duplicate-row", "unit-mismatch"} <= rules
    assert blocks == whole


def test_accepted_findings_are_left_out(tmp_path: Path) -> None:
    path = stored_demo(tmp_path / "r.sqlite")
    with open_database(path, create=False) as db, db.session(write=False) as session:
        review = load_review(session)
        expected = split_accepted(run_checks(review), review.accepted_findings)[0]
        assert open_findings_stored(session.connection()) == expected


@given(review=reviews(max_rows=6), block=st.integers(min_value=1, max_value=4))
def test_any_review_gives_the_same_findings(tmp_path_factory, review: Review, block: int) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("stored") / "r.sqlite"
    whole, blocks = _both(_store(path, review), block=block)
    assert blocks == whole


def test_the_planted_faults_review_gives_the_same_findings(tmp_path: Path) -> None:
    from tests.checks.test_planted import build

    review, *_ = build()
    whole, blocks = _both(_store(tmp_path / "r.sqlite", review), block=7)
    assert len(whole) > 20 and blocks == whole
