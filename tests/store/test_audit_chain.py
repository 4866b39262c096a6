"""The audit log refuses to be overwritten or backdated, and its entries are chained by their hashes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from curator.demo import demo_review
from curator.errors import DatabaseError
from curator.store.audit import GENESIS, Audit, chain_head, entry_hash, verify_chain
from curator.store.database import open_database
from curator.store.repository import add_content
from tests.helpers import Where
from tests.store.test_database import _build_at

REPLACE = "{verb} INTO audit_log (id, at, who, action, table_name) VALUES (3, '2099-01-01 00:00:00', 'Mallory', 'x', 'review')"


def _demo(path: Where) -> Where:
    with open_database(path) as db, db.session() as session:
        add_content(session, demo_review(), "Ana")
    return path


def _upgraded(path: Path) -> Path:
    _build_at(path, "0009")
    open_database(path).close()
    return path


def _entries(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("made", [_demo, _upgraded], ids=["created", "upgraded"])
@pytest.mark.parametrize("verb", ["REPLACE", "INSERT OR REPLACE"])
def test_an_insert_over_an_existing_entry_is_refused(tmp_path: Path, made: object, verb: str) -> None:
    """REPLACE deletes the old entry without firing the delete trigger (recursive triggers are off in a
    plain sqlite3 connection): the insert trigger refuses an id that is there."""
    path = made(tmp_path / "r.sqlite")  # type: ignore[operator]
    if len(_entries(path)) < 3:
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO audit_log (id, at, who, action, table_name) VALUES (2, '2026-01-03', 'Ana', 'a', 'review')"
        )
        conn.execute(
            "INSERT INTO audit_log (id, at, who, action, table_name) VALUES (3, '2026-01-04', 'Ana', 'b', 'review')"
        )
        conn.commit()
        conn.close()
    before = _entries(path)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="the audit log cannot be changed or deleted: an entry of that id"):
        conn.execute(REPLACE.format(verb=verb))
    conn.close()
    assert _entries(path) == before


def test_every_connection_of_curator_has_recursive_triggers_on(tmp_path: Path) -> None:
    """With the insert trigger gone, REPLACE through Curator's own connection still fires the delete trigger."""
    path = _demo(tmp_path / "r.sqlite")
    before = _entries(path)
    with open_database(path) as db:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1
        with pytest.raises(DatabaseError, match="the audit log cannot be changed or deleted"):
            with db.session() as session:
                session.execute(text("DROP TRIGGER audit_log_no_overwrite"))
                session.execute(text(REPLACE.format(verb="REPLACE")))
    assert _entries(path) == before


@pytest.mark.parametrize("made", [_demo, _upgraded], ids=["created", "upgraded"])
def test_an_entry_earlier_than_the_last_is_refused_one_as_late_is_not(tmp_path: Path, made: object) -> None:
    path = made(tmp_path / "r.sqlite")  # type: ignore[operator]
    conn = sqlite3.connect(path)
    (last,) = conn.execute("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    earlier = (datetime.fromisoformat(last) - timedelta(microseconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    count = len(_entries(path))
    with pytest.raises(sqlite3.IntegrityError, match="an entry cannot be earlier than the last one"):
        conn.execute(
            "INSERT INTO audit_log (at, who, action, table_name) VALUES (?, 'Mallory', 'x', 'review')", (earlier,)
        )
    conn.execute("INSERT INTO audit_log (at, who, action, table_name) VALUES (?, 'Ben', 'x', 'review')", (last,))
    conn.commit()
    conn.close()
    assert len(_entries(path)) == count + 1


def test_a_write_whose_time_was_taken_before_the_last_entry_gets_the_last_entrys_time(
    review_target: Path | str,
) -> None:
    """Curator itself is never refused: a clock set back (or a write whose time was taken before another
    writer's entries) is written at the last entry's time, still chained."""
    path = _demo(review_target)
    with open_database(path) as db, db.session() as session:
        conn = session.connection()
        last_at = conn.exec_driver_sql("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").scalar()
        audit = Audit("Ben")
        audit.at = datetime.now(UTC) - timedelta(days=3)
        audit.change("review", 1, "title", "a", "b")
        audit.flush(conn)
    with open_database(path) as db, db.session(write=False) as session:
        conn = session.connection()
        assert conn.exec_driver_sql("SELECT who, at FROM audit_log ORDER BY id DESC LIMIT 1").one() == ("Ben", last_at)
        assert verify_chain(conn).intact


def test_each_entry_is_chained_to_the_one_before(review_target: Path | str) -> None:
    path = _demo(review_target)
    with open_database(path) as db, db.session(write=False) as session:
        conn = session.connection()
        rows = [dict(r) for r in conn.exec_driver_sql("SELECT * FROM audit_log ORDER BY id").mappings()]
        report = verify_chain(conn)
        head = chain_head(conn)
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    prev = GENESIS
    for row in rows:
        assert row["prev_hash"] == prev and row["hash"] == entry_hash(prev, row)
        prev = row["hash"]
    assert report.intact and report.entries == len(rows) and head == prev == report.head.hash  # type: ignore[union-attr]


def test_the_hash_covers_every_part_of_an_entry_unambiguously() -> None:
    entry = {
        "id": 7,
        "at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "who": "Ana",
        "action": "update",
        "table_name": "endpoint_row",
        "row_id": 3,
        "field": "intervention.value",
        "old": "42.6",
        "new": "24.6",
    }
    digest = entry_hash(GENESIS, entry)
    # Logs written by earlier versions verify only while the encoding stays as it was.
    assert digest == "8d15803dcaadf90140c9333c29bab14a533e1d0c7b82bd046a03903cdba9ca6c"
    assert entry_hash(GENESIS, {**entry, "at": "2026-12-01 09:30:00"}) == digest  # the time as SQLite stores it
    for name, other in [("id", 8), ("who", "Ben"), ("row_id", None), ("field", None), ("old", None), ("new", "")]:
        assert entry_hash(GENESIS, {**entry, name: other}) != digest, name
    assert entry_hash("1" * 64, entry) != digest
    # Moving text from one part to the next does not give the same hash.
    assert entry_hash(GENESIS, {**entry, "old": "42.62", "new": "4.6"}) != digest


_TEXT = st.none() | st.text(max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "who": st.sampled_from(["Ana", "Ben", "Zoë"]),
                "action": st.sampled_from(["insert", "update", "claim", "x-y"]),
                "table_name": st.sampled_from(["endpoint_row", "reference", "review"]),
                "row_id": st.none() | st.integers(min_value=0, max_value=10**12),
                "field": _TEXT,
                "old": _TEXT | st.integers(),
                "new": _TEXT,
            }
        ),
        max_size=6,
    ),
    st.sampled_from(["2026-12-01 09:30:00.000000", "2026-12-01 09:30:00.123456"]),
)
def test_a_writes_chain_hashes_each_entry_as_entry_hash_does(entries: list[dict[str, object]], at: str) -> None:
    """The flush hashes a write's entries with parts made once (_Chain); the hashes are entry_hash's."""
    from curator.store.audit import _Chain

    chain, prev, expected = _Chain(), GENESIS, GENESIS
    for i, entry in enumerate(entries, start=1):
        full = {**entry, "id": i, "at": at}
        prev = chain.hash(prev, full, at)
        expected = entry_hash(expected, full)
        assert prev == expected


def test_upgrade_to_0010_keeps_every_entry_and_chains_them_in_order(tmp_path: Path) -> None:
    path = tmp_path / "at-0009.sqlite"
    _build_at(path, "0009")
    raw = sqlite3.connect(path)
    raw.executemany(
        "INSERT INTO audit_log (id, at, who, action, table_name, row_id, field, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                2,
                "2026-01-03 10:00:00.000001",
                "Ben",
                "update",
                "endpoint_row",
                1,
                "intervention.value",
                "42.60",
                "42.6",
            ),
            (3, "2026-01-04 11:00:00", "Ana", "verify", "endpoint_row", 1, "comparator.value", None, "68.4"),
            (4, "2026-01-04 11:00:00", "Cleo", "delete", "reference", 9, None, '{"key": "9"}', None),
        ],
    )
    raw.commit()
    before = raw.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    raw.close()
    with open_database(path) as db:
        assert db.backup is not None
        with db.session(write=False) as session:
            report = verify_chain(session.connection())
    after = _entries(path)
    assert [row[:-2] for row in after] == before  # every entry as it was, then prev_hash and hash
    assert report.intact and report.entries == 4 and report.head is not None and report.head.id == 4
    assert after[0][-2] == GENESIS and [row[-2] for row in after[1:]] == [row[-1] for row in after[:-1]]
    # New work chains on to the old history.
    with open_database(path) as db:
        with db.session() as session:
            audit = Audit("Dan")
            audit.change("review", 1, "title", "Old review", "Renamed")
            audit.flush(session.connection())
        with db.session(write=False) as session:
            report = verify_chain(session.connection())
    assert report.intact and report.entries == 5 and report.head is not None and report.head.who == "Dan"
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="an entry of that id"):
        conn.execute("REPLACE INTO audit_log (id, at, who, action, table_name) VALUES (1, '2099-01-01', 'M', 'x', 'r')")
    conn.close()
