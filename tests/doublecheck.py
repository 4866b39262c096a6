"""Helpers of the double-checking tests: the demo review as one reviewer extracted it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from curator.demo import demo_review
from curator.numbers import parse_reported
from curator.review import Review
from curator.services.sources import open_review
from curator.store.repository import add_content
from tests.backends import raw
from tests.helpers import Where

#: The two deliberate differences of the second reviewer: (comparison, row, arm, value).
DIFFERENCES = (("pime-vs-tcs", 2, "intervention", "58.0"), ("pime-vs-tac", 0, "comparator", "17.2"))


def review_by(who: str, *, differ: bool = False) -> Review:
    """The demo review with every row extracted by ``who`` (with the two
    :data:`DIFFERENCES` when ``differ``)."""
    review = demo_review()
    for comparison in review.comparisons:
        comparison.rows = [replace(row, extracted_by=who) for row in comparison.rows]
    if differ:
        by_key = {c.key: c for c in review.comparisons}
        for key, position, arm, value in DIFFERENCES:
            row = by_key[key].rows[position]
            setattr(row, arm, replace(getattr(row, arm), value=parse_reported(value)))
    return review


def stored_by(path: Where, who: str, *, differ: bool = False) -> Where:
    """A review database at ``path`` holding :func:`review_by`."""
    with open_review(path, who=who) as db, db.session() as session:
        add_content(session, review_by(who, differ=differ), who)
    return path


def table(path: Path | str, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query on the database at ``path`` (read with plain sqlite3, or psycopg on the server)."""
    conn = raw(path)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def audit_count(path: Path) -> int:
    return int(table(path, "SELECT count(*) FROM audit_log")[0][0])  # type: ignore[call-overload]
