"""What the audit log keeps of a row inserted or deleted: its values that are set, as printed.

The parsed copies of reported numbers (``*_num``) and empty columns are left out (they are read from
the texts, or were empty); what is kept tells the row exactly as the table held it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import JSON, Boolean

from curator.demo import demo_review
from curator.store.database import open_database
from curator.store.models import RowRecord, table_of
from curator.store.repository import add_content
from curator.store.rows import delete_row


def _snapshots(path: Path, action: str) -> dict[int, dict[str, object]]:
    conn = sqlite3.connect(path)
    try:
        column = "new" if action == "insert" else "old"
        query = f"SELECT row_id, {column} FROM audit_log WHERE table_name = 'endpoint_row' AND action = ?"
        return {row_id: json.loads(text) for row_id, text in conn.execute(query, (action,))}
    finally:
        conn.close()


def _rows(path: Path) -> dict[int, dict[str, object]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return {rec["id"]: dict(rec) for rec in conn.execute("SELECT * FROM endpoint_row")}
    finally:
        conn.close()


def _expected(stored: dict[str, object]) -> dict[str, object]:
    """The stored columns an audit snapshot keeps, as JSON has them: set, not the id, not a parsed copy."""
    kinds = {column.name: column.type for column in table_of(RowRecord).c}
    out: dict[str, object] = {}
    for name, value in stored.items():
        if value is None or name == "id" or name.endswith("_num"):
            continue
        if isinstance(kinds[name], Boolean):
            value = bool(value)
        elif isinstance(kinds[name], JSON):
            value = json.loads(str(value))
        out[name] = value
    return out


def test_an_inserted_row_is_kept_as_set_and_printed_without_parsed_copies(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_database(path) as db, db.session() as session:
        add_content(session, demo_review(), "Ana")
    snapshots, rows = _snapshots(path, "insert"), _rows(path)
    assert set(snapshots) == set(rows)
    for row_id, stored in rows.items():
        snapshot = dict(snapshots[row_id])
        assert snapshot.pop("citations") is not None
        snapshot.pop("evidence", None)
        assert snapshot == _expected(stored)
    assert any("intervention_value" in snapshot for snapshot in snapshots.values())
    assert not any(name.endswith("_num") for snapshot in snapshots.values() for name in snapshot)


def test_a_deleted_row_is_kept_the_same_way_with_its_comparison(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    review = demo_review()
    with open_database(path) as db, db.session() as session:
        add_content(session, review, "Ana")
    inserted = _snapshots(path, "insert")
    key = review.comparisons[0].key
    with open_database(path) as db, db.session() as session:
        delete_row(session, key, 0, "Ben")
    ((row_id, deleted),) = _snapshots(path, "delete").items()
    assert deleted.pop("comparison") == key
    assert deleted == inserted[row_id]
