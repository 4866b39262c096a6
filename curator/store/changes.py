"""What other people changed since a given audit-log entry (issue 16, working at once).

An open window keeps the id of the last audit entry it has shown; every
change to a review writes audit entries in the same transaction, so the
entries after that id are exactly what changed since, whoever made them
(another window, ``curator fix`` in a terminal, another reviewer on the
server). :func:`changes_after` reads them and says what a window must read
again, no more: the rows whose fields changed (by comparison and position,
with the fields), the comparisons whose rows were added, deleted or moved,
and whether the references or the rest of the review (comparisons, the
review's properties, accepted findings, documents) changed.

:func:`audit_head` is the cheap question asked several times a second
("anything new?"): the last entry's id, read through the primary key, in a
reading transaction that never blocks a writer (WAL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from curator.store.models import AuditEntry, ComparisonRecord, RowRecord, table_of

__all__ = ["Changes", "LastChange", "audit_head", "changes_after", "last_change"]

_T_AUDIT: Table = table_of(AuditEntry)
_T_ROW: Table = table_of(RowRecord)
_T_CMP: Table = table_of(ComparisonRecord)
#: What a comparison is called in a ``position`` entry of its rows (``pime-vs-tcs[2..4]``).
_SHIFTED = re.compile(r"^(?P<key>.*)\[[0-9.]+\]$")
#: Every comparison: the one whose rows moved is not known (it is gone).
ALL = "*"


@dataclass(frozen=True)
class Changes:
    """What changed after audit entry ``after``, up to entry ``head`` (included)."""

    after: int
    head: int
    #: (comparison key, position from 0) -> the fields changed (dotted names; ``status``, ``verified_by`` too).
    rows: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)
    #: Comparisons whose rows were added, deleted or moved (:data:`ALL`: possibly any).
    moved: frozenset[str] = frozenset()
    #: A reference was added, changed or deleted (or a citation re-pointed).
    references: bool = False
    #: Comparisons, the review's properties, accepted findings or documents changed.
    review: bool = False
    #: Who made the changes, in the order of their first entry.
    who: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rows or self.moved or self.references or self.review)


@dataclass(frozen=True)
class LastChange:
    """The last change of a row's field: who, when, and the value it left (None: emptied)."""

    who: str
    at: datetime | str
    value: str | None


def audit_head(conn: Connection) -> int:
    """The id of the audit log's last entry (0 for an empty log)."""
    found = conn.execute(select(_T_AUDIT.c.id).order_by(_T_AUDIT.c.id.desc()).limit(1)).scalar()
    return int(found or 0)


def changes_after(conn: Connection, after: int, *, skip: Sequence[tuple[int, int]] = ()) -> Changes:
    """What the audit entries after ``after`` changed, leaving out those in the ``skip`` ranges (first, last:
    the reader's own writes, already shown)."""
    entries = conn.execute(
        select(
            _T_AUDIT.c.id,
            _T_AUDIT.c.who,
            _T_AUDIT.c.action,
            _T_AUDIT.c.table_name,
            _T_AUDIT.c.row_id,
            _T_AUDIT.c.field,
            _T_AUDIT.c.old,
            _T_AUDIT.c.new,
        )
        .where(_T_AUDIT.c.id > after)
        .order_by(_T_AUDIT.c.id)
    ).all()
    head = max([after, *(entry.id for entry in entries)])
    theirs = [entry for entry in entries if not any(lo <= entry.id <= hi for lo, hi in skip)]
    fields: dict[int, set[str]] = {}
    moved: set[str] = set()
    gone_comparisons: set[int] = set()
    references = review = False
    for entry in theirs:
        table = entry.table_name
        if table == "endpoint_row":
            if entry.action in ("insert", "delete"):
                snapshot = _json(entry.new if entry.action == "insert" else entry.old)
                cmp_id = snapshot.get("comparison_id") if isinstance(snapshot, dict) else None
                if isinstance(cmp_id, int):
                    gone_comparisons.add(cmp_id)
                else:
                    moved.add(ALL)
            elif entry.field == "position":
                found = _SHIFTED.match(entry.old or "")
                moved.add(found["key"] if found else ALL)
            elif entry.row_id is not None:
                fields.setdefault(entry.row_id, set()).add(entry.field or "")
        elif table in ("reference", "citation"):
            references = True
        else:
            review = True
    keys = _comparison_keys(conn, gone_comparisons)
    moved.update(keys.get(cmp_id, ALL) for cmp_id in gone_comparisons)
    rows = _places(conn, fields)
    who = tuple(dict.fromkeys(entry.who for entry in theirs))
    return Changes(after, head, rows, frozenset(moved), references, review, who)


def last_change(conn: Connection, row_id: int, name: str) -> LastChange | None:
    """The last entry that changed field ``name`` of row ``row_id`` (its value), None when there is none."""
    found = conn.execute(
        select(_T_AUDIT.c.who, _T_AUDIT.c.at, _T_AUDIT.c.new)
        .where(
            _T_AUDIT.c.table_name == "endpoint_row",
            _T_AUDIT.c.row_id == row_id,
            _T_AUDIT.c.field == name,
            _T_AUDIT.c.action == "update",
        )
        .order_by(_T_AUDIT.c.id.desc())
        .limit(1)
    ).first()
    return None if found is None else LastChange(found.who, found.at, found.new)


def _json(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _comparison_keys(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    if not wanted:
        return {}
    return {
        cmp_id: key
        for cmp_id, key in conn.execute(select(_T_CMP.c.id, _T_CMP.c.key).where(_T_CMP.c.id.in_(wanted))).all()
    }


def _places(conn: Connection, fields: dict[int, set[str]]) -> dict[tuple[str, int], frozenset[str]]:
    """Each changed row that is still there, by comparison key and position, with its fields."""
    if not fields:
        return {}
    found = conn.execute(
        select(_T_ROW.c.id, _T_CMP.c.key, _T_ROW.c.position)
        .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        .where(_T_ROW.c.id.in_(list(fields)))
    ).all()
    return {(key, position): frozenset(fields[row_id]) for row_id, key, position in found}
