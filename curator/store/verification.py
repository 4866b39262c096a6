"""Verifying a row field by field: confirm, dispute or correct, never your own.

Each service is one reviewer's action on one stored row, written in the
caller's transaction with its audit entries (``verify``, ``dispute``,
``update``...); a refusal raises :class:`~curator.errors.CuratorError`
naming the row and field, before anything is written. The row's status
follows its fields (see :mod:`curator.store.field_states`).

A reviewer never verifies a row they extracted (``extracted_by``, compared
ignoring case and white space, as the ``self-verified`` check does).

Choice: a correction (:func:`correct_field`) writes the verifier's value
through :func:`~curator.store.edits.set_row_field` (the audit keeps the old
and the new value) and marks the field verified *by the corrector*: the
corrector read the value in the source to correct it. Anyone who disagrees
disputes it again.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, Table, func, select
from sqlmodel import Session

from curator.errors import CuratorError
from curator.fields import shown
from curator.review import Evidence
from curator.store.audit import Audit
from curator.store.edits import set_row_field
from curator.store.field_states import (
    VERIFIABLE_FIELDS,
    FieldState,
    check_field,
    load_row,
    refresh_status,
    refuse_own_row,
    row_field_states,
    same_reviewer,
    set_state,
)
from curator.store.models import ComparisonRecord, FieldVerification, RowRecord, table_of
from curator.store.stale import UNCHECKED, refuse_stale
from curator.store.verified_here import verified_rows

__all__ = [
    "verify_field",
    "verify_row",
    "dispute_field",
    "correct_field",
    "field_states",
    "verification_counts",
    "rows_to_verify",
    "FieldState",
    "VERIFIABLE_FIELDS",
]

_T_ROW: Table = table_of(RowRecord)
_T_FV: Table = table_of(FieldVerification)
_T_CMP: Table = table_of(ComparisonRecord)


def _conn(session: Session | Connection) -> Connection:
    return session.connection() if isinstance(session, Session) else session


def verify_field(
    session: Session, comparison: str, position: int, field: str, who: str, *, expected: object = UNCHECKED
) -> str:
    """``who`` confirms one field's value against the source; returns the row's status.

    Refuses an unknown row or field, a field with no value, and a row
    ``who`` extracted; with ``expected`` (the value as ``who`` saw it), a
    value changed meanwhile (:func:`~curator.store.stale.refuse_stale`).
    """
    conn = session.connection()
    stored = load_row(conn, comparison, position, field)
    check_field(stored.where, field)
    stored = refuse_stale(conn, stored, field, expected, "not verified")
    refuse_own_row(stored, field, who, conn)
    state = row_field_states(conn, stored)[field]
    if state.value is None:
        raise CuratorError(f"{stored.at(field)}: has no value to verify")
    audit = Audit(who)
    set_state(conn, audit, stored, field, "verified", who)
    status = refresh_status(conn, audit, stored.id, who)
    audit.flush(conn)
    return status


def verify_row(
    session: Session, comparison: str, position: int, who: str, *, expected: Mapping[str, str] | None = None
) -> list[str]:
    """``who`` confirms every field of the row that has a value and is not
    verified yet (disputed ones too); returns the fields verified. With
    ``expected`` (field -> text as ``who`` saw it), refused when one of
    them was changed meanwhile."""
    conn = session.connection()
    stored = load_row(conn, comparison, position)
    for name, text in (expected or {}).items():
        stored = refuse_stale(conn, stored, name, text, "the row was not verified")
    refuse_own_row(stored, None, who, conn)
    audit = Audit(who)
    done = []
    for name, state in row_field_states(conn, stored).items():
        if state.value is not None and state.state != "verified":
            set_state(conn, audit, stored, name, "verified", who)
            done.append(name)
    refresh_status(conn, audit, stored.id, who)
    audit.flush(conn)
    return done


def dispute_field(
    session: Session,
    comparison: str,
    position: int,
    field: str,
    who: str,
    comment: str,
    *,
    expected: object = UNCHECKED,
) -> None:
    """``who`` says a field's value is wrong, and why; the row becomes disputed.

    Refuses an empty comment and a row ``who`` extracted; with ``expected``
    (the value disputed, as ``who`` saw it), a value changed meanwhile.
    """
    conn = session.connection()
    stored = load_row(conn, comparison, position, field)
    check_field(stored.where, field)
    stored = refuse_stale(conn, stored, field, expected, "not disputed")
    refuse_own_row(stored, field, who, conn)
    if not comment.strip():
        raise CuratorError(f"{stored.at(field)}: say why the value is disputed")
    audit = Audit(who)
    set_state(conn, audit, stored, field, "disputed", who, comment.strip())
    refresh_status(conn, audit, stored.id, who)
    audit.flush(conn)


def correct_field(
    session: Session,
    comparison: str,
    position: int,
    field: str,
    text: str,
    who: str,
    *,
    evidence: Evidence | None = None,
    expected: object = UNCHECKED,
) -> str:
    """``who``, verifying, replaces a field's value with ``text`` as read in
    the source; the field is then verified by ``who``. Returns the row's status.

    The text is validated as any edit (:func:`set_row_field`); an empty
    text clears the field. Refuses a row ``who`` extracted. ``evidence``
    (where the fixer read it in the paper) becomes the field's; without it
    the field's old evidence goes, as with any change of its value. With
    ``expected`` (the value ``who`` saw and fixes), refused when it was
    changed meanwhile.
    """
    conn = session.connection()
    stored = load_row(conn, comparison, position, field)
    check_field(stored.where, field)
    stored = refuse_stale(conn, stored, field, expected, f"not fixed to {shown(text)}", yours=text)
    refuse_own_row(stored, field, who, conn)
    set_row_field(session, comparison, position, field, text, who, evidence=evidence)
    stored = load_row(conn, comparison, position, field)
    audit = Audit(who)
    set_state(conn, audit, stored, field, "verified", who)
    status = refresh_status(conn, audit, stored.id, who)
    audit.flush(conn)
    return status


def field_states(session: Session | Connection, comparison: str, position: int) -> dict[str, FieldState]:
    """Every verifiable field of a row with its value and state, in the
    order of :data:`VERIFIABLE_FIELDS`."""
    conn = _conn(session)
    return row_field_states(conn, load_row(conn, comparison, position))


def verification_counts(session: Session | Connection) -> dict[str, int]:
    """Rows by status (``rows_draft`` ... ``rows_disputed``, and
    ``rows_unverified``: all but verified), rows verified here and rows
    only claimed verified (``rows_verified_here``, ``rows_claimed_verified``,
    see :mod:`curator.store.verified_here`) and fields by state
    (``fields_verified``, ``fields_disputed``, ``fields_changed``)."""
    conn = _conn(session)
    rows: dict[str, int] = {
        s: int(n) for s, n in conn.execute(select(_T_ROW.c.status, func.count()).group_by(_T_ROW.c.status))
    }
    out = {f"rows_{s}": int(rows.get(s, 0)) for s in ("draft", "extracted", "verified", "disputed")}
    out["rows_unverified"] = sum(int(n) for s, n in rows.items() if s != "verified")
    here = verified_rows(conn)
    out["rows_verified_here"], out["rows_claimed_verified"] = len(here.here), len(here.claimed)
    fields: dict[str, int] = {
        s: int(n) for s, n in conn.execute(select(_T_FV.c.state, func.count()).group_by(_T_FV.c.state))
    }
    for state in ("verified", "disputed", "changed"):
        out[f"fields_{state}"] = int(fields.get(state, 0))
    return out


def rows_to_verify(session: Session | Connection, who: str) -> list[tuple[str, int]]:
    """The rows ``who`` may verify and that are not verified here yet (a
    status a file claims does not count), in table order: (comparison key,
    position). Rows ``who`` extracted are left out."""
    conn = _conn(session)
    query = (
        select(_T_CMP.c.key, _T_ROW.c.position, _T_ROW.c.extracted_by)
        .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        .where((_T_ROW.c.status != "verified") | _T_ROW.c.status_claimed)  # a file's claim is not verified here
        .order_by(_T_CMP.c.position, _T_ROW.c.position)
    )
    return [(key, position) for key, position, by in conn.execute(query) if not same_reviewer(who, by)]
