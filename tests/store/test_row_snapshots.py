"""What the audit log keeps of a row inserted or deleted: its values that are set, as printed.

The parsed copies of reported numbers (``*_num``) and empty columns are left out (they are read from
the texts, or were empty); what is kept tells the row exactly as the table held it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, Boolean

from curator.demo import demo_review
from curator.fields import PARTS, ROW_FIELDS
from curator.numbers import parse_reported
from curator.review import Arm, Effect, Row
from curator.store.audit import _snapshot
from curator.store.database import open_database
from curator.store.models import RowRecord, table_of
from curator.store.records import column_values, row_to_record
from curator.store.repository import add_content
from curator.store.rows import delete_row
from tests.backends import raw
from tests.strategies import rows


def _snapshots(path: Path | str, action: str) -> dict[int, dict[str, object]]:
    conn = raw(path)
    try:
        column = "new" if action == "insert" else "old"
        query = f"SELECT row_id, {column} FROM audit_log WHERE table_name = 'endpoint_row' AND action = ?"
        return {row_id: json.loads(text) for row_id, text in conn.execute(query, (action,)).fetchall()}
    finally:
        conn.close()


def _rows(path: Path | str) -> dict[int, dict[str, object]]:
    conn = raw(path)
    try:
        cursor = conn.execute("SELECT * FROM endpoint_row")
        names = [d[0] for d in cursor.description]
        return {rec[0]: dict(zip(names, rec, strict=True)) for rec in cursor.fetchall()}
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
        elif isinstance(kinds[name], JSON) and isinstance(value, str):  # PostgreSQL's driver parses it
            value = json.loads(value)
        out[name] = value
    return out


def test_an_inserted_row_is_kept_as_set_and_printed_without_parsed_copies(review_target: Path | str) -> None:
    path = review_target
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


def test_a_deleted_row_is_kept_the_same_way_with_its_comparison(review_target: Path | str) -> None:
    path = review_target
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


_NR_AND_A_PRINTED_LEVEL = Row(
    endpoint="Relapse",
    intervention=Arm(n=parse_reported("40", whole=True), value=parse_reported("NR")),
    effect=Effect(measure="RR", value=parse_reported("0.50"), ci_level=parse_reported("95.0")),
)


@settings(max_examples=60, deadline=None)
@given(rows(["r1", "r2"]))
@example(_NR_AND_A_PRINTED_LEVEL)
def test_a_bulk_stored_row_fills_each_column_as_an_edit_of_its_field_would(row: Row) -> None:
    """An import stores a row through one plan of all its columns; an edit stores one field through
    column_values. Both must put the same value in the same column (else an edited row and an
    imported one would differ, and a check or an export would read them apart)."""
    record = row_to_record(row)
    expected: dict[str, object] = {}
    for field in ROW_FIELDS:
        if field.column is None:
            continue  # citations: a table of their own
        part = getattr(row, field.part) if field.part else row
        expected.update(column_values(field, getattr(part, field.name) if part is not None else None))
    assert {name: record[name] for name in expected} == expected
    assert [record[f"has_{part}"] for part in PARTS] == [getattr(row, part) is not None for part in PARTS]


class _Mapping(dict[str, object]):
    pass


class _Text(str):
    __slots__ = ()


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60)
@given(values=st.dictionaries(st.text(max_size=12), _ANY_JSON | st.decimals(allow_nan=False) | st.datetimes()))
@example(values={"n": 10**30, "title": "Ołówek — ü", "at": datetime(2026, 12, 1, tzinfo=UTC)})
@example(values={"kept": _Mapping(b=[_Text("x")], a=1), "flag": True})
@example(values={"value": Decimal("42.60"), "evidence": {"page": 3, "boxes": [[1.5, 2.0]]}})
def test_a_snapshot_reads_back_as_json_writes_it_with_keys_sorted(values: dict[str, object]) -> None:
    """The snapshot's text (orjson, for speed) tells what ``json.dumps(sort_keys, default=str)`` does:
    the same values read back, keys in order, what JSON has no form for as its ``str``."""
    text = _snapshot(values)
    assert text is not None
    reference = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    assert json.loads(text) == json.loads(reference)
    assert list(json.loads(text)) == list(json.loads(reference))
