"""Changing one value of a stored review, as the desktop app will.

Every edit goes through :func:`curator.fields.parse` (the path a
spreadsheet cell takes), is written in its own transaction with its audit
entry, and leaves the review exactly as it was when refused. A change to a
value drops that field's verification (it becomes "changed", see
:mod:`curator.store.field_states`) and sends a verified row back to
"extracted": a verification holds only for the values that were verified.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlmodel import Session

from curator import fields
from curator.errors import CuratorError
from curator.fields import PARTS, encode_list
from curator.numbers import Reported
from curator.review import Row
from curator.store.audit import Audit
from curator.store.field_states import after_value_change
from curator.store.models import Citation, RowRecord, table_of
from curator.store.repository import record_to_row, row_id_of

__all__ = ["set_row_field", "WORKFLOW_FIELDS"]

_T_ROW: Table = table_of(RowRecord)
_T_CIT: Table = table_of(Citation)
#: Fields about the work, not the paper: changing them keeps a verification.
WORKFLOW_FIELDS = fields.workflow_fields()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Reported):
        return value.text
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def set_row_field(session: Session, comparison: str, position: int, name: str, text: str, who: str) -> Row:
    """Set field ``name`` (a dotted exchange-format name) of a row to what was
    typed; returns the row as stored. Raises :class:`CuratorError` naming the
    row, the field and the value when the text does not fit, and writes
    nothing then."""
    where = f"{comparison}[{position}] {name}"
    try:
        value = fields.parse(name, text)
    except ValueError as exc:
        raise CuratorError(f"{where}: {exc}") from None
    conn = session.connection()
    row_id = row_id_of(conn, comparison, position)
    if row_id is None:
        raise CuratorError(f"{where}: the review has no such row")
    rec = conn.execute(select(_T_ROW).where(_T_ROW.c.id == row_id)).mappings().one()
    citations = list(
        conn.execute(
            select(_T_CIT.c.reference_key).where(_T_CIT.c.row_id == row_id).order_by(_T_CIT.c.position)
        ).scalars()
    )
    audit = Audit(who)
    changed = False
    if name == "citations":
        old, new = "; ".join(citations), _text(value) or ""
        if old != new:
            conn.execute(delete(_T_CIT).where(_T_CIT.c.row_id == row_id))
            keys = list(value or [])
            if keys:
                conn.execute(
                    insert(_T_CIT), [{"row_id": row_id, "position": i, "reference_key": k} for i, k in enumerate(keys)]
                )
            citations = keys
            audit.change("endpoint_row", row_id, name, old or None, new or None)
            changed = True
    else:
        field = fields.row_field(name)
        column = field.column
        assert column is not None  # every row field but citations is a column of endpoint_row
        changes: dict[str, Any] = {column: value.text if isinstance(value, Reported) else value}
        if field.number_column is not None:
            changes[field.number_column] = float(value.value) if isinstance(value, Reported) else None
        part = field.part
        if part in PARTS and value is not None and not rec[f"has_{part}"]:
            changes[f"has_{part}"] = True
        if _text(rec[column]) != _text(changes[column]):
            audit.change("endpoint_row", row_id, name, _text(rec[column]), _text(changes[column]))
            conn.execute(update(_T_ROW).where(_T_ROW.c.id == row_id).values(**changes))
            changed = True
    if changed and name not in WORKFLOW_FIELDS:
        new_text = _text(value) if name != "citations" else encode_list(value or [])
        after_value_change(conn, audit, row_id, name, new_text)
    audit.flush(conn)
    stored = conn.execute(select(_T_ROW).where(_T_ROW.c.id == row_id)).mappings().one()
    return record_to_row(stored, citations)
