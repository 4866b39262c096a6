"""What the audit log needs from the store to be told: who entered a row and when, and what its ids name now.

The words themselves are the services' (:mod:`curator.services.story`):
the log's entries are kept as stored, their action names (``verify``,
``dispute``, ``unverify``, ``claim``, ``double-entry``,
``open-adjudication``, ``adjudicate``, ``merge``...) readable in old logs
too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlmodel import Session

from curator.store.models import AuditEntry, ComparisonRecord, DocumentRecord, ReferenceRecord, RowRecord, table_of
from curator.store.repository import row_id_of

__all__ = ["entered_by", "row_entered", "log_names"]

_T_ROW: Table = table_of(RowRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_AUDIT: Table = table_of(AuditEntry)
_T_REF: Table = table_of(ReferenceRecord)
_T_DOC: Table = table_of(DocumentRecord)


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


def log_names(conn: Connection | Session, row_id: int | None = None) -> dict[str, Any]:
    """What the audit log's ids name now, for telling it in words: ``rows`` (row id -> (comparison key,
    position)), ``comparisons`` (comparison id -> (key, title, intervention label, comparator label)) and
    ``references`` (reference id -> key), and ``documents`` (sha256 -> (file, its reference's authors, its
    reference's year), to name the paper a value was read from). With ``row_id``, only what the log of that
    one row needs."""
    if isinstance(conn, Session):
        conn = conn.connection()
    rows = select(_T_ROW.c.id, _T_CMP.c.key, _T_ROW.c.position).join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
    if row_id is not None:
        rows = rows.where(_T_ROW.c.id == row_id)
    comparisons = select(_T_CMP.c.id, _T_CMP.c.key, _T_CMP.c.title, _T_CMP.c.intervention, _T_CMP.c.comparator)
    references = select(_T_REF.c.id, _T_REF.c.key)
    documents = select(_T_DOC.c.sha256, _T_DOC.c.file, _T_REF.c.authors, _T_REF.c.year).outerjoin(
        _T_REF, _T_REF.c.key == _T_DOC.c.reference
    )
    return {
        "documents": {sha: (file, list(authors or []), year) for sha, file, authors, year in conn.execute(documents)},
        "rows": {found: (key, int(position)) for found, key, position in conn.execute(rows)},
        "comparisons": {cmp_id: (key, title, a, b) for cmp_id, key, title, a, b in conn.execute(comparisons)},
        "references": {} if row_id is not None else {ref_id: key for ref_id, key in conn.execute(references)},
    }
