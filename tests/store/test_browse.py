"""Reading a comparison a screenful at a time: the same rows, filter texts and
order as the comparison in memory, whatever the column."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from curator.demo import demo_review
from curator.review import Review
from curator.store.browse import SORTABLE_COLUMNS, MemoryRows, StoredRows, comparison_outline, ordered
from curator.store.database import Database, open_database
from curator.store.repository import add_content
from tests.backends import raw
from tests.helpers import stored_demo
from tests.strategies import reviews


def _store(path: Path | str, review: Review) -> Database:
    db = open_database(path)
    with db.session() as session:
        add_content(session, review, "Ana")
    return db


def _connect(db: Database):  # type: ignore[no-untyped-def]
    from contextlib import contextmanager

    @contextmanager
    def connect():  # type: ignore[no-untyped-def]
        with db.session(write=False) as session:
            yield session.connection()

    return connect


@given(review=reviews(max_rows=8), descending=st.booleans())
def test_stored_and_memory_rows_agree_on_everything(tmp_path_factory, review: Review, descending: bool) -> None:  # type: ignore[no-untyped-def]
    db = _store(tmp_path_factory.mktemp("browse") / "r.sqlite", review)
    try:
        for comparison in review.comparisons:
            memory, stored = MemoryRows(comparison.rows), StoredRows(_connect(db), comparison.key)
            assert len(stored) == len(memory)
            assert [stored.row(i) for i in range(len(stored))] == comparison.rows
            assert stored.haystacks() == memory.haystacks()
            for column in range(SORTABLE_COLUMNS):
                positions = range(len(memory))
                assert ordered(positions, stored.sort_keys(column), descending) == ordered(
                    positions, memory.sort_keys(column), descending
                ), f"column {column}"
    finally:
        db.close()


def test_outline_counts_rows_and_verified_rows(review_target: Path | str) -> None:
    review = demo_review()
    review.comparisons[1].rows[0].status = "verified"
    db = _store(review_target, review)
    with db.session(write=False) as session:
        outline = comparison_outline(session.connection())
    db.close()
    # Issue #11: a status the stored content claims is not verified here.
    assert [(c.key, c.rows, c.verified, c.claimed) for c in outline] == [
        ("pime-vs-tcs", 4, 0, 0),
        ("pime-vs-tac", 4, 0, 1),
    ]


def test_a_replaced_row_is_shown_and_sorted_by_its_new_values(review_target: Path | str) -> None:
    review = demo_review()
    db = _store(review_target, review)
    try:
        stored = StoredRows(_connect(db), "pime-vs-tcs")
        first = stored.sort_keys(0)
        row = stored.row(3)
        row.endpoint = "Aaa first now"
        stored.replace(3, row)
        assert stored.sort_keys(0) is not first  # keys made again
        assert ordered(range(4), stored.sort_keys(0))[0] == 3
        assert "aaa first now" in stored.haystacks()[3]
    finally:
        db.close()


def test_citations_sort_as_numbers_of_any_length_then_as_words() -> None:
    from curator.review import Row

    keys = ["10", "9", "²", "smith2001", "123456789012345678901234567890", "0009"]
    rows = [Row(endpoint=str(i), citations=[k]) for i, k in enumerate(keys)]
    order = ordered(range(len(rows)), MemoryRows(rows).sort_keys(7))
    assert [keys[i] for i in order] == ["9", "0009", "10", "123456789012345678901234567890", "smith2001", "²"]


def test_outline_counts_agree_with_the_row_by_row_definition_of_verified_here(review_target: Path | str) -> None:
    """The outline counts verified rows grouped by reviewer names; the same rows,
    told apart one by one, give the same counts, whoever extracted them."""
    from collections import Counter

    from curator.services.sources import open_review
    from curator.store.verified_here import verified_counts, verified_rows

    path = stored_demo(review_target)  # every row entered by Ana
    conn = raw(path)
    # verified_by / extracted_by / claimed, row by row: by another, by the extractor (any case,
    # spaces), with no extractor (then whoever entered the row, Ana), with a blank one, a claim.
    cases = [
        ("Ben", "Ana", False),
        (" ana ", "Ana", False),
        ("Ben", None, False),
        ("Ana", None, False),
        ("Ben", "  ", False),
        ("Ana", "\t", False),
        ("Ben", "Cy", True),
    ]
    ids = [r[0] for r in conn.execute("SELECT id FROM endpoint_row ORDER BY comparison_id, position")]
    for row_id, (by, extractor, claimed) in zip(ids, cases, strict=False):
        conn.execute(
            "UPDATE endpoint_row SET status = 'verified', verified_by = ?, extracted_by = ?, status_claimed = ? "
            "WHERE id = ?",
            (by, extractor, claimed, row_id),
        )
    conn.commit()
    conn.close()
    with open_review(path, create=False) as db, db.session(write=False) as session:
        rows = verified_rows(session)
        counts = verified_counts(session)
        key_of = dict(session.connection().exec_driver_sql("SELECT key, id FROM comparison").all())
    here = Counter(key_of[key] for key, _ in rows.here)
    claimed = Counter(key_of[key] for key, _ in rows.claimed)
    assert {cid: (here[cid], claimed[cid]) for cid in set(here) | set(claimed)} == counts
    assert sum(h for h, _ in counts.values()) == 3  # Ben over Ana, Ben with no extractor, Ben with a blank one
