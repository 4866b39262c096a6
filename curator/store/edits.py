"""Changing one value of a stored review, as the desktop app will.

Every edit goes through :func:`curator.formats.flat.parse_field` (the path a
spreadsheet cell takes), is written in its own transaction with its audit
entry, and leaves the review exactly as it was when refused. A change to a
value drops that field's verification (it becomes "changed", see
:mod:`curator.store.field_states`) and sends a verified row back to
"extracted": a verification holds only for the values that were verified.

A row's ``status`` and ``verified_by`` are not edited here: they follow the
verifications of its fields (:mod:`curator.store.field_states`), made by a
reviewer other than the extractor. Typing them is refused
(:data:`DERIVED_FIELDS`), whoever types, and nothing is written.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import Table, delete, insert, select, update
from sqlmodel import Session

from curator.errors import CuratorError
from curator.formats.flat import encode_list, parse_field
from curator.numbers import Reported
from curator.review import Row
from curator.store.audit import Audit
from curator.store.field_states import after_value_change
from curator.store.models import Citation, ComparisonRecord, RowRecord
from curator.store.repository import record_to_row, row_id_of

__all__ = ["set_row_field", "WORKFLOW_FIELDS", "DERIVED_FIELDS", "refuse_derived"]

_T_ROW: Table = RowRecord.__table__  # type: ignore[attr-defined]
_T_CIT: Table = Citation.__table__  # type: ignore[attr-defined]
_T_CMP: Table = ComparisonRecord.__table__  # type: ignore[attr-defined]
#: Fields about the work, not the paper: changing them keeps a verification.
WORKFLOW_FIELDS = frozenset({"status", "extracted_by", "verified_by", "note"})
#: Fields that follow the verifications of a row's fields and are never typed.
DERIVED_FIELDS = frozenset({"status", "verified_by"})
_PARTS = ("intervention", "comparator", "effect", "source")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Reported):
        return value.text
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def refuse_derived(session: Session, comparison: str, position: int, name: str) -> NoReturn:
    """Refuse typing ``status`` or ``verified_by`` of a row, naming the row in words."""
    conn = session.connection()
    where = f"{comparison}[{position}] {name}"
    found = conn.execute(
        select(_T_ROW.c.endpoint, _T_CMP.c.title)
        .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        .where(_T_CMP.c.key == comparison, _T_ROW.c.position == position)
    ).first()
    if found is None:
        raise CuratorError(f"{where}: the review has no such row")
    endpoint, title = found
    what = "its status" if name == "status" else "who verified it"
    raise CuratorError(
        f"{where}: row {position + 1} of {title} ({endpoint}): {what} follows the verifications of its fields "
        "and cannot be typed; verify the row's fields instead (Review > Verify mode, or curator verify), "
        "as a reviewer other than its extractor"
    )


def set_row_field(session: Session, comparison: str, position: int, name: str, text: str, who: str) -> Row:
    """Set field ``name`` (a dotted exchange-format name) of a row to what was
    typed; returns the row as stored. Raises :class:`CuratorError` naming the
    row, the field and the value when the text does not fit, and writes
    nothing then."""
    where = f"{comparison}[{position}] {name}"
    if name in DERIVED_FIELDS:
        refuse_derived(session, comparison, position, name)
    try:
        value = parse_field(name, text)
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
        column = name.replace(".", "_")
        changes: dict[str, Any] = {column: value.text if isinstance(value, Reported) else value}
        if isinstance(value, Reported):
            changes[f"{column}_num"] = float(value.value)
        elif f"{column}_num" in rec:
            changes[f"{column}_num"] = None
        part = name.split(".")[0]
        if part in _PARTS and value is not None and not rec[f"has_{part}"]:
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
