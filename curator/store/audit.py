"""The audit log: who changed what, when.

Every write of the store collects its changes in an :class:`Audit` and
flushes them in the same transaction, so a change and its record stand or
fall together. The table itself refuses updates and deletes (see
:mod:`curator.store.triggers`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select
from sqlmodel import Session

from curator.store.models import AuditEntry, table_of

__all__ = ["Audit", "audit_entries"]

_T_AUDIT: Table = table_of(AuditEntry)


class Audit:
    """Collects audit entries for one write and inserts them in bulk.

    ``add`` records an insert or delete with a JSON snapshot; ``change``
    records one field's update with its old and new value. ``flush`` writes
    them in the caller's transaction.
    """

    def __init__(self, who: str) -> None:
        self.who = who
        self.at = datetime.now(UTC)
        self.entries: list[dict[str, Any]] = []

    def add(self, action: str, table: str, row_id: int | None, *, old: Any = None, new: Any = None) -> None:
        self.entries.append(
            {
                "at": self.at,
                "who": self.who,
                "action": action,
                "table_name": table,
                "row_id": row_id,
                "field": None,
                "old": _snapshot(old),
                "new": _snapshot(new),
            }
        )

    def change(self, table: str, row_id: int | None, field: str, old: Any, new: Any) -> None:
        self.entries.append(
            {
                "at": self.at,
                "who": self.who,
                "action": "update",
                "table_name": table,
                "row_id": row_id,
                "field": field,
                "old": None if old is None else str(old),
                "new": None if new is None else str(new),
            }
        )

    def event(self, action: str, table: str, row_id: int | None, field: str | None, old: Any, new: Any) -> None:
        """Record a workflow event about one field (``verify``, ``dispute``,
        ``adjudicate``...) with the texts it concerns."""
        self.change(table, row_id, field or "", old, new)
        self.entries[-1].update(action=action, field=field)

    def flush(self, conn: Connection) -> None:
        if self.entries:
            conn.execute(insert(_T_AUDIT), self.entries)
            self.entries.clear()


def _snapshot(values: Any) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def audit_entries(
    conn: Connection | Session,
    *,
    table: str | None = None,
    row_id: int | None = None,
    since: datetime | None = None,
) -> list[dict[str, Any]]:
    """Audit log entries in the order they were made, optionally for one row
    of one table and from a moment on."""
    if isinstance(conn, Session):
        conn = conn.connection()
    query = select(_T_AUDIT).order_by(_T_AUDIT.c.id)
    if table is not None:
        query = query.where(_T_AUDIT.c.table_name == table)
    if row_id is not None:
        query = query.where(_T_AUDIT.c.row_id == row_id)
    if since is not None:
        query = query.where(_T_AUDIT.c.at >= since)
    return [dict(rec) for rec in conn.execute(query).mappings()]
