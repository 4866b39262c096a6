"""What a second reviewer said about each field of a row, and the row status it implies.

The records live in ``field_verification`` (one per row and field at most).
A field is in one of four states:

* ``unverified``: no record;
* ``verified``: checked against the source; ``value`` is the text checked;
* ``disputed``: the verifier thinks it wrong (``comment`` says why), or two
  reviewers entered different values and an adjudication item is open;
* ``changed``: it was verified or disputed, then its value changed, so the
  verification no longer holds and the field needs verifying again (the
  export marks it).

The row's ``status`` follows (:func:`refresh_status`): any disputed field
makes the row ``disputed``; every field that has a value verified makes it
``verified``, with ``verified_by`` the reviewer whose action completed it;
a ``disputed`` row whose disputes are all gone goes back to ``extracted``.
A status an imported file claims (``status_claimed``, see
:mod:`curator.store.verified_here`) is kept as the file's claim until a
value changes (then the row is ``extracted``) or verifications made here
give the row its status (then it is no longer a claim). Status and
``verified_by`` are never typed: :mod:`curator.store.edits` refuses them.

These are the building blocks of :mod:`curator.store.verification`,
:mod:`curator.store.double_entry`, :mod:`curator.store.adjudication` and
:mod:`curator.store.merge`; they write in the caller's transaction and
record every change in its :class:`~curator.store.audit.Audit`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, RowMapping, Table, insert, select, update

from curator.checks.accept import fold
from curator.compare import field_value, show_value
from curator.errors import CuratorError
from curator.fields import encode_list, verifiable_fields
from curator.naming import Arms, field_place, row_place
from curator.review import Evidence, Review, Row
from curator.store.audit import Audit
from curator.store.history import entered_by
from curator.store.models import AuditEntry, Citation, ComparisonRecord, FieldVerification, RowRecord, table_of
from curator.store.records import record_to_row
from curator.store.repository import evidence_json, load_evidence, load_review, row_id_of

__all__ = [
    "VERIFIABLE_FIELDS",
    "FIELD_STATES",
    "FieldState",
    "StoredRow",
    "load_row",
    "stored_row",
    "field_text",
    "row_field_states",
    "review_field_states",
    "set_state",
    "after_value_change",
    "refresh_status",
    "refuse_own_row",
    "former_extractors",
    "check_field",
    "same_reviewer",
]

_T_ROW: Table = table_of(RowRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_CIT: Table = table_of(Citation)
_T_FV: Table = table_of(FieldVerification)
_T_AUDIT: Table = table_of(AuditEntry)

#: The fields a reviewer verifies: the row's content (not status, names or note).
VERIFIABLE_FIELDS: Final[tuple[str, ...]] = verifiable_fields()
FIELD_STATES: Final = ("unverified", "verified", "disputed", "changed")


@dataclass(frozen=True, slots=True)
class FieldState:
    """One field of a row: its value now and what a verifier said about it.

    ``value`` is the field's printed text now (None when empty); ``checked``
    the text that was verified or disputed; ``by``/``at``/``comment`` who
    did it, when, and why (for a dispute); ``evidence`` where the value was
    read (document, page, text, boxes), None when nobody located it.
    """

    field: str
    state: str
    value: str | None
    checked: str | None = None
    by: str | None = None
    at: datetime | None = None
    comment: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A row as stored: its id, where it is, and its content."""

    id: int
    comparison: str
    position: int
    row: Row
    #: The comparison's arm labels, to name the row's fields in messages.
    arms: Arms = Arms()

    @property
    def where(self) -> str:
        """The row in people's words: ``row 3 (Itch) of pime-vs-tcs``."""
        return row_place(self.comparison, self.position, self.row.endpoint)

    def at(self, field: str | None = None) -> str:
        """The row, or one of its fields, in people's words: ``Pimecrolimus arm: n in row 3 (Itch) of ...``."""
        if field is None:
            return self.where
        return field_place(self.comparison, self.position, field, self.row.endpoint, self.arms)


def same_reviewer(a: str | None, b: str | None) -> bool:
    """The same reviewer, ignoring case and white space (as the ``self-verified`` rule)."""
    return bool(a and b and fold(a) and fold(a) == fold(b))


def field_text(row: Row, name: str) -> str | None:
    """A field's value as text that :func:`~curator.fields.parse`
    reads back (``42.60``, ``9; 10``, ``true``); None when empty."""
    value = field_value(row, name)
    if name == "citations":
        return encode_list(value)
    return show_value(name, value)


def load_row(conn: Connection, comparison: str, position: int, field: str | None = None) -> StoredRow:
    """The row at ``comparison[position]``; :class:`CuratorError` when there is none."""
    row_id = row_id_of(conn, comparison, position)
    if row_id is None:
        where = field_place(comparison, position, field) if field else row_place(comparison, position)
        raise CuratorError(f"{where}: the review has no such row")
    return stored_row(conn, row_id)


def stored_row(conn: Connection, row_id: int) -> StoredRow:
    """The row with database id ``row_id``."""
    rec = (
        conn.execute(
            select(
                _T_ROW,
                _T_CMP.c.key.label("_comparison"),
                _T_CMP.c.intervention.label("_intervention"),
                _T_CMP.c.comparator.label("_comparator"),
            )
            .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
            .where(_T_ROW.c.id == row_id)
        )
        .mappings()
        .one()
    )
    citations = list(
        conn.execute(
            select(_T_CIT.c.reference_key).where(_T_CIT.c.row_id == row_id).order_by(_T_CIT.c.position)
        ).scalars()
    )
    arms = Arms(rec["_intervention"] or "", rec["_comparator"] or "")
    row = record_to_row(rec, citations, load_evidence(conn, [row_id]).get(row_id))
    return StoredRow(row_id, rec["_comparison"], rec["position"], row, arms)


def check_field(where: str, field: str) -> None:
    """Refuse a name that is not a verifiable field."""
    if field not in VERIFIABLE_FIELDS:
        raise CuratorError(f"{where}: {field} is not a field that is verified (one of: {', '.join(VERIFIABLE_FIELDS)})")


def refuse_own_row(stored: StoredRow, field: str | None, who: str, conn: Connection | None = None) -> None:
    """Refuse a reviewer verifying (or double-entering) a row they extracted.

    A row that names no extractor counts as extracted by whoever entered it
    into the review (the audit log's insert, read through ``conn``): a second
    pair of eyes must be a second person even when the first did not sign.
    Nor may anyone the log names as its extractor before the name was
    changed (:func:`former_extractors`): renaming the extractor is no way
    to verify one's own row.
    """
    place = stored.at(field)
    extractor = stored.row.extracted_by
    if extractor is not None and extractor.strip():
        if same_reviewer(who, extractor):
            raise CuratorError(f"{place}: {extractor.strip()} extracted this row; a second reviewer must verify it")
    if conn is None:
        return
    named = extractor is not None and bool(extractor.strip())
    found = entered_by(conn, stored.id)
    entered = found[0] if found is not None else None
    if not named and entered is not None and same_reviewer(who, entered):
        raise CuratorError(
            f"{place}: {entered.strip()} entered this row (it names no extractor); a second reviewer must verify it"
        )
    # Renaming the extractor does not make the first one a second pair of eyes.
    for former in former_extractors(conn, stored.id):
        if same_reviewer(who, former):
            raise CuratorError(
                f"{place}: {former.strip()} extracted this row (named its extractor before the name was changed); "
                "a second reviewer must verify it"
            )


def former_extractors(conn: Connection, row_id: int) -> list[str]:
    """Who the audit log names as the row's extractor before now: the
    ``extracted_by`` it was entered with (or, when it named none, who entered
    it) and every earlier value of ``extracted_by``."""
    names: list[str] = []
    query = (
        select(_T_AUDIT.c.action, _T_AUDIT.c.who, _T_AUDIT.c.old, _T_AUDIT.c.new)
        .where(
            _T_AUDIT.c.table_name == "endpoint_row",
            _T_AUDIT.c.row_id == row_id,
            (_T_AUDIT.c.action == "insert") | ((_T_AUDIT.c.action == "update") & (_T_AUDIT.c.field == "extracted_by")),
        )
        .order_by(_T_AUDIT.c.id)
    )
    for action, who, old, new in conn.execute(query):
        if action == "insert":
            try:
                snapshot = json.loads(new or "{}")
            except ValueError:
                snapshot = {}
            first = snapshot.get("extracted_by") if isinstance(snapshot, dict) else None
            names.append(first if isinstance(first, str) and first.strip() else who)
        elif old:
            names.append(old)
    return [n for n in names if n and n.strip()]


def _records(conn: Connection, row_ids: list[int] | None = None) -> dict[int, dict[str, RowMapping]]:
    query = select(_T_FV)
    if row_ids is not None:
        query = query.where(_T_FV.c.row_id.in_(row_ids))
    out: dict[int, dict[str, RowMapping]] = {}
    for rec in conn.execute(query).mappings():
        out.setdefault(rec["row_id"], {})[rec["field"]] = rec
    return out


def _states(row: Row, records: Mapping[str, RowMapping]) -> dict[str, FieldState]:
    out = {}
    for name in VERIFIABLE_FIELDS:
        value = field_text(row, name)
        rec = records.get(name)
        evidence = row.evidence.get(name)
        if rec is None:
            out[name] = FieldState(name, "unverified", value, evidence=evidence)
        else:
            out[name] = FieldState(
                name, rec["state"], value, rec["value"], rec["by"], rec["at"], rec["comment"], evidence
            )
    return out


def row_field_states(conn: Connection, stored: StoredRow) -> dict[str, FieldState]:
    """Every verifiable field of a stored row, in :data:`VERIFIABLE_FIELDS` order."""
    return _states(stored.row, _records(conn, [stored.id]).get(stored.id, {}))


def review_field_states(conn: Connection, review: Review | None = None) -> dict[tuple[str, int], dict[str, FieldState]]:
    """The fields a verifier said something about, for every row of the review:
    (comparison key, position) -> field -> state (unverified fields left out).

    ``review`` is the review as loaded from this database in the same
    transaction, to save loading it again."""
    records = _records(conn)
    if not records:
        return {}
    places = conn.execute(
        select(_T_ROW.c.id, _T_CMP.c.key, _T_ROW.c.position).join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
    ).all()
    if review is None:
        review = load_review(conn)
    rows = {c.key: c.rows for c in review.comparisons}
    out: dict[tuple[str, int], dict[str, FieldState]] = {}
    for row_id, key, position in places:
        if row_id in records:
            states = _states(rows[key][position], records[row_id])
            out[(key, position)] = {k: s for k, s in states.items() if s.state != "unverified"}
    return out


def set_state(
    conn: Connection,
    audit: Audit,
    stored: StoredRow,
    field: str,
    state: str,
    by: str,
    comment: str | None = None,
) -> None:
    """Record ``state`` (verified or disputed) of a field by ``by``, audited as
    ``verify`` (new: the value verified; old: ``by`` when it is not the
    reviewer acting, as when a merge credits the other file's reviewer) or
    ``dispute`` (old: the value, new: the comment).

    A verification made here is followed by a ``verified-against`` entry
    saying what it was checked against: new is the field's evidence (JSON,
    :func:`~curator.store.repository.evidence_json`: the page and place in
    the paper), or None when the value had none: it was verified without a
    located source (issue 14). A merge's credited verification has none: the
    other file's reviewer checked it, against what this log cannot say."""
    value = field_text(stored.row, field)
    values = {"state": state, "value": value, "by": by, "at": audit.at, "comment": comment}
    existing = conn.execute(select(_T_FV.c.id).where(_T_FV.c.row_id == stored.id, _T_FV.c.field == field)).scalar()
    if existing is None:
        conn.execute(insert(_T_FV).values(row_id=stored.id, field=field, **values))
    else:
        conn.execute(update(_T_FV).where(_T_FV.c.id == existing).values(**values))
    if state == "verified":
        credited = None if by == audit.who else by
        audit.event("verify", "endpoint_row", stored.id, field, credited, value)
        if credited is None:
            evidence = evidence_json(stored.row.evidence.get(field))
            audit.event("verified-against", "endpoint_row", stored.id, field, value, evidence)
    else:
        audit.event("dispute", "endpoint_row", stored.id, field, value, comment)


def after_value_change(conn: Connection, audit: Audit, row_id: int, field: str, new: str | None) -> None:
    """A field's value changed: its verification (or dispute) no longer holds.

    The field becomes ``changed`` (audited as ``unverify``, old: the text
    verified, new: the new text), and the row leaves ``verified`` (or
    ``disputed`` when no dispute remains) for ``extracted``.
    """
    rec = conn.execute(select(_T_FV).where(_T_FV.c.row_id == row_id, _T_FV.c.field == field)).mappings().first()
    if rec is not None and rec["state"] in ("verified", "disputed"):
        conn.execute(update(_T_FV).where(_T_FV.c.id == rec["id"]).values(state="changed"))
        audit.event("unverify", "endpoint_row", row_id, field, rec["value"], new)
    status, verified_by = conn.execute(select(_T_ROW.c.status, _T_ROW.c.verified_by).where(_T_ROW.c.id == row_id)).one()
    if status == "verified" or (status == "disputed" and not _has_dispute(conn, row_id)):
        _set_status(conn, audit, row_id, status, "extracted", verified_by, None)


def _has_dispute(conn: Connection, row_id: int) -> bool:
    return (
        conn.execute(select(_T_FV.c.id).where(_T_FV.c.row_id == row_id, _T_FV.c.state == "disputed")).first()
        is not None
    )


def _set_status(
    conn: Connection, audit: Audit, row_id: int, old: str, new: str, old_by: str | None, new_by: str | None
) -> None:
    # Set by verifications made here (or dropped by a change): no longer a file's claim.
    conn.execute(
        update(_T_ROW).where(_T_ROW.c.id == row_id).values(status=new, verified_by=new_by, status_claimed=False)
    )
    if old != new:
        audit.change("endpoint_row", row_id, "status", old, new)
    if old_by != new_by:
        audit.change("endpoint_row", row_id, "verified_by", old_by, new_by)


def refresh_status(conn: Connection, audit: Audit, row_id: int, verifier: str) -> str:
    """Bring the row's status in line with its fields' states after
    ``verifier`` acted on them; returns the status."""
    stored = stored_row(conn, row_id)
    states = row_field_states(conn, stored)
    status, verified_by = stored.row.status, stored.row.verified_by
    claimed = bool(conn.execute(select(_T_ROW.c.status_claimed).where(_T_ROW.c.id == row_id)).scalar())
    valued = [s for s in states.values() if s.value is not None]
    if any(s.state == "disputed" for s in states.values()):
        _set_status(conn, audit, row_id, status, "disputed", verified_by, None)
        return "disputed"
    if valued and all(s.state == "verified" for s in valued):
        if status != "verified" or claimed:  # a file's claim gives way to verifications made here
            _set_status(conn, audit, row_id, status, "verified", verified_by, verifier)
        return "verified"
    if status == "disputed":
        _set_status(conn, audit, row_id, status, "extracted", verified_by, None)
        return "extracted"
    return status
