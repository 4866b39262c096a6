"""Changing one value of a stored review, as the desktop app will.

Every edit goes through :func:`curator.fields.parse` (the path a
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

from collections.abc import Sequence
from typing import Any, NoReturn

from sqlalchemy import Table, delete, func, insert, select, update
from sqlmodel import Session

from curator import fields
from curator.errors import CuratorError, StaleWrite
from curator.fields import PARTS, encode_list, shown
from curator.naming import Arms, field_place, row_place
from curator.numbers import Reported
from curator.review import Evidence, Row
from curator.store.audit import Audit
from curator.store.field_states import after_value_change, refresh_status
from curator.store.models import (
    AuditEntry,
    Citation,
    ComparisonRecord,
    DocumentRecord,
    EvidenceRecord,
    FieldVerification,
    RowRecord,
    table_of,
)
from curator.store.records import column_values, record_to_row
from curator.store.repository import evidence_json, load_evidence, row_id_of, same_evidence
from curator.store.stale import normal

__all__ = [
    "set_row_field",
    "set_field_evidence",
    "put_evidence",
    "evidence_words",
    "WORKFLOW_FIELDS",
    "DERIVED_FIELDS",
    "refuse_derived",
    "UNCHECKED",
    "place",
    "arms_of",
    "last_entry",
]

_T_ROW: Table = table_of(RowRecord)
_T_CIT: Table = table_of(Citation)
_T_CMP: Table = table_of(ComparisonRecord)
_T_FV: Table = table_of(FieldVerification)
_T_AUDIT: Table = table_of(AuditEntry)
_T_EV: Table = table_of(EvidenceRecord)
_T_DOC: Table = table_of(DocumentRecord)
#: ``expected`` of :func:`set_row_field` when the caller does not know the stored value.
UNCHECKED: Any = object()
#: Fields about the work, not the paper: changing them keeps a verification.
WORKFLOW_FIELDS = fields.workflow_fields()
#: Fields that follow the verifications of a row's fields and are never typed.
DERIVED_FIELDS = frozenset({"status", "verified_by"})


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
    endpoint = conn.execute(
        select(_T_ROW.c.endpoint)
        .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        .where(_T_CMP.c.key == comparison, _T_ROW.c.position == position)
    ).scalar()
    if endpoint is None:
        raise CuratorError(f"{field_place(comparison, position, name)}: the review has no such row")
    what = "its status" if name == "status" else "who verified it"
    raise CuratorError(
        f"{field_place(comparison, position, name, endpoint)}: {what} follows the verifications of "
        "its fields and cannot be typed; verify the row's fields instead (Review > Verify mode, or curator verify), "
        "as a reviewer other than its extractor"
    )


#: A row in people's words (:func:`curator.naming.row_place`), kept under its old name here.
place = row_place


def arms_of(conn: Any, comparison: str) -> Arms:
    """The arm labels of a comparison (empty when there is no such comparison), to name its fields."""
    found = conn.execute(select(_T_CMP.c.intervention, _T_CMP.c.comparator).where(_T_CMP.c.key == comparison)).first()
    return Arms(found[0] or "", found[1] or "") if found is not None else Arms()


def _field_of(session: Session, comparison: str, position: int, name: str) -> tuple[int, Any, str]:
    """The row holding field ``name`` (its id and stored record) and the field named for people;
    refused, naming the field, when the row does not exist or the field is derived (never typed)."""
    if name in DERIVED_FIELDS:
        refuse_derived(session, comparison, position, name)
    conn = session.connection()
    arms = arms_of(conn, comparison)
    row_id = row_id_of(conn, comparison, position)
    if row_id is None:
        raise CuratorError(f"{field_place(comparison, position, name, None, arms)}: the review has no such row")
    # Locked until the transaction ends (FOR UPDATE; SQLite's write lock is the whole file), so the
    # compare-and-set below compares what is there when it writes, on every dialect.
    rec = conn.execute(select(_T_ROW).where(_T_ROW.c.id == row_id).with_for_update()).mappings().one()
    return row_id, rec, field_place(comparison, position, name, rec["endpoint"], arms)


def _citations(conn: Any, row_id: int) -> list[str]:
    """The keys a row cites, in order."""
    return list(
        conn.execute(
            select(_T_CIT.c.reference_key).where(_T_CIT.c.row_id == row_id).order_by(_T_CIT.c.position)
        ).scalars()
    )


def set_row_field(
    session: Session,
    comparison: str,
    position: int,
    name: str,
    text: str,
    who: str,
    *,
    expected: str | None = UNCHECKED,
    since: int | None = None,
    ignore: Sequence[tuple[int, int]] = (),
    restore_verified: bool = False,
    evidence: Evidence | None = UNCHECKED,
    expected_evidence: Evidence | None = UNCHECKED,
) -> Row:
    """Set field ``name`` (a dotted exchange-format name) of a row to what was
    typed; returns the row as stored. Raises :class:`CuratorError` naming the
    row, the field and the value when the text does not fit, and writes
    nothing then.

    Compare-and-set: with ``expected`` (the field's text as the caller last
    saw it, as :func:`curator.fields.texts` gives it), the change
    is refused, naming both values, when the stored value has moved since (a
    verify-mode fix, a merge, another window), so nobody's work is
    overwritten unseen. With ``since`` (the audit log's last entry when the
    caller last wrote the field), it is also refused when anyone has acted on
    the field since: verified, disputed or decided it, or changed it and
    back; entries in the ``ignore`` ranges (first, last id) are the caller's
    own undoable changes, undone in order, and do not count. With
    ``restore_verified`` (an undo or redo going back
    to an earlier value), a field whose verification this change's
    predecessor dropped is verified again, by the same reviewer, but only if
    the audit log shows that reviewer verified exactly this value.

    Evidence (where the value was read, issue 14): with ``evidence`` (an
    :class:`Evidence`, or None to clear it), the field's evidence is set in
    the same transaction, audited (:func:`put_evidence`). Without it, a
    change of the value drops the field's old evidence, audited too: that
    place in the paper documented the old value, not the new one. With
    ``expected_evidence`` (the evidence as the caller last saw it, None for
    none), the change is refused when the stored evidence is another.
    """
    conn = session.connection()
    row_id, rec, where = _field_of(session, comparison, position, name)
    try:
        value = fields.parse(name, text)
    except ValueError as exc:
        raise CuratorError(f"{where}: {exc}") from None
    citations = _citations(conn, row_id)
    if expected is not UNCHECKED:
        current = fields.texts(record_to_row(rec, citations)).get(name, "")
        if current != normal(name, expected or ""):
            raise StaleWrite(
                f"{where}: not changed to {shown(text)}: "
                f"it is now {shown(current)}, not {shown(expected)} as this change expected "
                "(it was changed meanwhile: a verification, a merge or another window); nothing was written",
                field=name,
                expected=expected or "",
                theirs=current,
                yours=text,
                comparison=comparison,
                position=position,
            )
    if expected_evidence is not UNCHECKED:
        _refuse_other_evidence(conn, where, row_id, name, expected_evidence, f"not changed to {shown(text)}")
    if since is not None:
        _refuse_if_acted_on(conn, where, row_id, name, since, ignore)
    if evidence is not None and evidence is not UNCHECKED and value is None:
        raise CuratorError(f"{where}: has no value for a place in the paper to be the evidence of; nothing was written")
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
        # The printed text, a reported number's value, a CI level's printed text (cleared when typed).
        changes: dict[str, Any] = column_values(field, value)
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
        if restore_verified:
            _restore_verification(conn, audit, row_id, name, new_text)
    if evidence is not UNCHECKED:
        put_evidence(conn, audit, row_id, name, evidence, where)
    elif changed:
        put_evidence(conn, audit, row_id, name, None, where)  # it documented the old value
    audit.flush(conn)
    stored = conn.execute(select(_T_ROW).where(_T_ROW.c.id == row_id)).mappings().one()
    return record_to_row(stored, citations, load_evidence(conn, [row_id]).get(row_id))


_ACTED = {
    "verify": "verified",
    "reverify": "verified",
    "dispute": "disputed",
    "update": "changed",
    "adjudicate": "decided",
    "open-adjudication": "sent to adjudication",
    "unverify": "un-verified",
    "evidence": "changed where it was read",
    "verified-against": "verified",
}


def _refuse_if_acted_on(
    conn: Any,
    where: str,
    row_id: int,
    name: str,
    since: int,
    ignore: Sequence[tuple[int, int]],
) -> None:
    """Refuse when the audit log has an entry about the field after entry ``since``, outside ``ignore``."""
    later = conn.execute(
        select(_T_AUDIT.c.id, _T_AUDIT.c.who, _T_AUDIT.c.action, _T_AUDIT.c.old, _T_AUDIT.c.new)
        .where(
            _T_AUDIT.c.table_name == "endpoint_row",
            _T_AUDIT.c.row_id == row_id,
            _T_AUDIT.c.field == name,
            _T_AUDIT.c.id > since,
        )
        .order_by(_T_AUDIT.c.id.desc())
    ).all()
    others = [entry for entry in later if not any(lo <= entry[0] <= hi for lo, hi in ignore)]
    if others:
        _id, who, action, old, new = others[0]
        if action == "verify" and old:  # a merge credits the other file's reviewer
            who = f"{old} (in {who}'s merge)"
        did = _ACTED.get(action, action)
        if action == "verified-against":  # what the verification was checked against: the value is its old
            new = old
        value = f" ({new!r})" if action in ("verify", "verified-against", "update") and new is not None else ""
        raise CuratorError(
            f"{where}: not changed: {who} {did} it{value} since; going back would discard that, so nothing was written"
        )


def last_entry(conn: Any) -> int:
    """The id of the audit log's last entry (0 for an empty log)."""
    return int(conn.execute(select(func.max(_T_AUDIT.c.id))).scalar() or 0)


def _restore_verification(conn: Any, audit: Audit, row_id: int, name: str, text: str | None) -> None:
    """Verify field ``name`` again after an undo brought back ``text``, if the
    audit log shows its last verifier verified exactly that text (the
    verification record keeps the text verified; a merge may credit another
    reviewer, so the credited name is the one that counts)."""
    rec = conn.execute(select(_T_FV).where(_T_FV.c.row_id == row_id, _T_FV.c.field == name)).mappings().first()
    if rec is None or rec["state"] != "changed" or rec["value"] != text:
        return
    verified = conn.execute(
        select(_T_AUDIT.c.who, _T_AUDIT.c.old).where(
            _T_AUDIT.c.table_name == "endpoint_row",
            _T_AUDIT.c.row_id == row_id,
            _T_AUDIT.c.action == "verify",
            _T_AUDIT.c.field == name,
            _T_AUDIT.c.new == text,
        )
    ).all()
    if not any((credited or who) == rec["by"] for who, credited in verified):
        return
    conn.execute(update(_T_FV).where(_T_FV.c.id == rec["id"]).values(state="verified"))
    audit.event("reverify", "endpoint_row", row_id, name, rec["by"], text)
    refresh_status(conn, audit, row_id, rec["by"])


def evidence_words(evidence: Evidence | None) -> str:
    """Evidence in a message: ``p. 3 ('42.6%')``, or ``no place in a paper``."""
    if evidence is None:
        return "no place in a paper"
    return f"p. {evidence.page}" + (f" ({shown(evidence.text)})" if evidence.text else "")


def _stored_evidence(conn: Any, row_id: int, name: str) -> Evidence | None:
    return load_evidence(conn, [row_id]).get(row_id, {}).get(name)


def _refuse_other_evidence(conn: Any, where: str, row_id: int, name: str, expected: Evidence | None, what: str) -> None:
    current = _stored_evidence(conn, row_id, name)
    if not same_evidence(current, expected):
        raise CuratorError(
            f"{where}: {what}: it is now read from {evidence_words(current)}, not {evidence_words(expected)} "
            "as this change expected (it was changed meanwhile: another window or reviewer); nothing was written"
        )


def put_evidence(conn: Any, audit: Audit, row_id: int, name: str, evidence: Evidence | None, where: str) -> bool:
    """Set (or, with None, clear) where field ``name`` of a row was read, audited as ``evidence`` (old and new:
    the evidence as JSON, :func:`evidence_json`); True when it changed. Refused (:class:`CuratorError`
    naming the field and the document) when the evidence names no document of the review, or a page
    it does not have; the caller's transaction then writes nothing."""
    if name not in _EVIDENCE_FIELDS:
        raise CuratorError(f"{where}: is not a field of a row that is read from a paper")
    if evidence is not None:
        found = conn.execute(select(_T_DOC.c.file, _T_DOC.c.pages).where(_T_DOC.c.sha256 == evidence.document)).first()
        if found is None:
            raise CuratorError(
                f"{where}: the evidence names document {evidence.document}, which is not a document of this review "
                "(attach the paper first); nothing was written"
            )
        file, pages = found
        if evidence.page < 1 or (pages is not None and evidence.page > pages):
            has = f"it has {pages} page{'s' if pages != 1 else ''}" if pages is not None else "pages count from 1"
            raise CuratorError(
                f"{where}: the evidence names page {evidence.page} of {file}, but {has}; nothing was written"
            )
    current = _stored_evidence(conn, row_id, name)
    if same_evidence(current, evidence):
        return False
    conn.execute(delete(_T_EV).where(_T_EV.c.row_id == row_id, _T_EV.c.field == name))
    if evidence is not None:
        conn.execute(
            insert(_T_EV).values(
                row_id=row_id,
                field=name,
                document=evidence.document,
                page=evidence.page,
                text=evidence.text,
                boxes=[[float(v) for v in box] for box in evidence.boxes],
                extensions=dict(evidence.extensions),
            )
        )
    audit.event("evidence", "endpoint_row", row_id, name, evidence_json(current), evidence_json(evidence))
    return True


def set_field_evidence(
    session: Session,
    comparison: str,
    position: int,
    name: str,
    evidence: Evidence | None,
    who: str,
    *,
    expected_text: str | None = UNCHECKED,
    expected_evidence: Evidence | None = UNCHECKED,
) -> Row:
    """Set (or clear) where field ``name`` of a row was read without changing its value (a Locate hit
    accepted, issue 14), audited; the row as stored. Refused, nothing written, when the field's text is
    not ``expected_text`` (it moved since the hit was found), when the field is empty (there is no value
    to be evidence of), or when the stored evidence is not ``expected_evidence``."""
    conn = session.connection()
    row_id, rec, where = _field_of(session, comparison, position, name)
    citations = _citations(conn, row_id)
    current = fields.texts(record_to_row(rec, citations)).get(name, "")
    what = "where it was read is not changed" if evidence is not None else "its evidence is not cleared"
    if expected_text is not UNCHECKED and current != (expected_text or ""):
        raise StaleWrite(
            f"{where}: {what}: it is now {shown(current)}, not {shown(expected_text)} as this change expected "
            "(it was changed meanwhile: a verification, a merge or another window); nothing was written",
            field=name,
            expected=expected_text or "",
            theirs=current,
            yours=expected_text or "",
            comparison=comparison,
            position=position,
        )
    if evidence is not None and not current:
        raise CuratorError(f"{where}: is empty; a place in the paper is the evidence of a value; nothing was written")
    if expected_evidence is not UNCHECKED:
        _refuse_other_evidence(conn, where, row_id, name, expected_evidence, what)
    audit = Audit(who)
    put_evidence(conn, audit, row_id, name, evidence, where)
    audit.flush(conn)
    return record_to_row(rec, citations, load_evidence(conn, [row_id]).get(row_id))


#: The fields a row's evidence may be about (every field of a row, as the exchange format says).
_EVIDENCE_FIELDS = frozenset(f.path for f in fields.ROW_FIELDS)
