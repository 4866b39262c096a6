"""The audit log told in words: what ``curator log`` prints and a History panel shows.

Entries of the double-checking workflow (``verify``, ``dispute``,
``unverify``, ``claim``, ``double-entry``, ``open-adjudication``, ``adjudicate``,
``merge``) become sentences; inserts, updates and deletes keep their plain
form. A row is named as ``comparison[position]`` where it is now (rows
deleted since keep their database id).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlmodel import Session

from curator.store.models import AuditEntry, ComparisonRecord, ReferenceRecord, RowRecord, table_of
from curator.store.repository import row_id_of

__all__ = ["row_places", "describe", "entered_by", "row_entered", "log_names"]

_T_ROW: Table = table_of(RowRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_AUDIT: Table = table_of(AuditEntry)
_T_REF: Table = table_of(ReferenceRecord)


def entered_by(conn: Connection, row_id: int) -> tuple[str, datetime] | None:
    """Who entered the row with database id ``row_id`` into this review, and
    when: the audit log's entry of its insert (None when the log has none)."""
    found = conn.execute(
        select(_T_AUDIT.c.who, _T_AUDIT.c.at)
        .where(_T_AUDIT.c.table_name == "endpoint_row", _T_AUDIT.c.row_id == row_id, _T_AUDIT.c.action == "insert")
        .order_by(_T_AUDIT.c.id)
        .limit(1)
    ).first()
    return (found[0], found[1]) if found is not None else None


def row_entered(conn: Connection | Session, comparison: str, position: int) -> tuple[str, datetime] | None:
    """:func:`entered_by` for the row now at ``comparison[position]``."""
    if isinstance(conn, Session):
        conn = conn.connection()
    row_id = row_id_of(conn, comparison, position)
    return None if row_id is None else entered_by(conn, row_id)


def row_places(conn: Connection | Session) -> dict[int, str]:
    """Every row's database id -> ``comparison[position]``."""
    if isinstance(conn, Session):
        conn = conn.connection()
    query = select(_T_ROW.c.id, _T_CMP.c.key, _T_ROW.c.position).join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
    return {row_id: f"{key}[{position}]" for row_id, key, position in conn.execute(query)}


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _q(text: Any) -> str:
    return "nothing" if text is None else repr(text)


def describe(entry: Mapping[str, Any], places: Mapping[int, str]) -> str:
    """One entry in words, without its time and reviewer."""
    action, table, row_id, field = entry["action"], entry["table_name"], entry["row_id"], entry["field"]
    old, new = entry["old"], entry["new"]
    place = places.get(row_id) if table == "endpoint_row" and row_id is not None else None
    row = place or f"{table} {row_id}"
    if action == "verify":
        credit = f" (credited to {old})" if old else ""
        return f"verified {row} {field} = {_q(new)}{credit}"
    if action == "reverify":
        return f"verified {row} {field} = {_q(new)} again: an undo brought back the value {old} verified"
    if action == "dispute":
        return f"disputed {row} {field} = {_q(old)}: {new}"
    if action == "claim":
        source = f"per file {old}" if old else "per the content entered"
        return f"took {row} as its file says: {new}, {source} (a claim, not a verification made here)"
    if action == "unverify":
        return f"un-verified {row} {field}: its value changed from {_q(old)} to {_q(new)}"
    if action == "double-entry":
        typed = ", ".join(f"{k}={_q(v)}" for k, v in _json(new).items())
        return f"entered {row} blind: {typed}"
    if action == "open-adjudication":
        d = _json(new)
        return (
            f"opened adjudication item {d.get('item')} on {row} {field}: "
            f"A {_q(d.get('a'))} ({d.get('who_a') or '?'}) | B {_q(d.get('b'))} ({d.get('who_b') or '?'}), "
            f"from {d.get('origin')}"
        )
    if action == "adjudicate":
        d, was = _json(new), _json(old)
        reason = f": {d['reason']}" if d.get("reason") else ""
        chosen = f"{d.get('choice')}, {_q(d.get('value'))}{reason}"
        return f"decided adjudication item {was.get('item')} on {row} {field}: {chosen}"
    if action == "merge":
        d = _json(new)
        return f"merged {d.get('theirs')} ({d.get('rows')} rows in {d.get('comparisons')} comparisons)"
    what = f"{action} {table} {row_id if row_id is not None else ''}".rstrip()
    if place:
        what += f" ({place})"
    if field:
        return f"{what} {field}: {old!r} -> {new!r}"
    return what


def log_names(conn: Connection | Session, row_id: int | None = None) -> dict[str, Any]:
    """What the audit log's ids name now, for telling it in words: ``rows`` (row id -> (comparison key,
    position)), ``comparisons`` (comparison id -> (key, title, intervention label, comparator label)) and
    ``references`` (reference id -> key). With ``row_id``, only what the log of that one row needs."""
    if isinstance(conn, Session):
        conn = conn.connection()
    rows = select(_T_ROW.c.id, _T_CMP.c.key, _T_ROW.c.position).join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
    if row_id is not None:
        rows = rows.where(_T_ROW.c.id == row_id)
    comparisons = select(_T_CMP.c.id, _T_CMP.c.key, _T_CMP.c.title, _T_CMP.c.intervention, _T_CMP.c.comparator)
    references = select(_T_REF.c.id, _T_REF.c.key)
    return {
        "rows": {found: (key, int(position)) for found, key, position in conn.execute(rows)},
        "comparisons": {cmp_id: (key, title, a, b) for cmp_id, key, title, a, b in conn.execute(comparisons)},
        "references": {} if row_id is not None else {ref_id: key for ref_id, key in conn.execute(references)},
    }
