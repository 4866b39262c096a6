"""Writing references, audited, in the caller's transaction.

:func:`apply_reference_import` writes an :class:`~curator.references.plan.ImportPlan`
whose pairs are all decided: new references at the end of the list, merged
ones filled field by field. :func:`merge_references` folds one reference
into another and re-points every citation. :func:`add_reference`,
:func:`set_reference_field`, :func:`delete_reference` and
:func:`restore_reference` are the reviewer's edits of the list, one undoable
change each. Every insert, update and delete goes to the audit log; the
caller commits, and a refusal (:class:`CuratorError` naming the reference,
the field and the value) writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlmodel import Session

from curator import fields
from curator.errors import CuratorError, StaleWrite
from curator.fields import first_difference, show, shown
from curator.naming import row_place
from curator.references.plan import ImportPlan, fill_empty
from curator.review import AcceptedFinding, Reference
from curator.store.models import (
    AcceptedFindingRecord,
    Citation,
    ComparisonRecord,
    DocumentRecord,
    ReferenceRecord,
    RowRecord,
    table_of,
)
from curator.store.repository import Audit, insert_acceptances, load_acceptances
from curator.words import counted

__all__ = [
    "REFERENCE_FIELDS",
    "apply_reference_import",
    "merge_references",
    "parse_reference_field",
    "add_reference",
    "set_reference_field",
    "delete_reference",
    "restore_reference",
    "reference_acceptances",
    "citation_counts",
    "rows_citing",
]

_T_REF: Table = table_of(ReferenceRecord)
_T_CIT: Table = table_of(Citation)
_T_DOC: Table = table_of(DocumentRecord)
_T_ROW: Table = table_of(RowRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_ACC: Table = table_of(AcceptedFindingRecord)
_COLUMNS = tuple(f.column for f in fields.REFERENCE_FIELDS if f.column is not None)


def _audit_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def _record(ref: Reference) -> dict[str, Any]:
    rec = {name: getattr(ref, name) for name in _COLUMNS}
    rec["authors"] = list(ref.authors)
    rec["extensions"] = dict(ref.extensions)
    return rec


def _reference(rec: Any) -> Reference:
    values = {name: rec[name] for name in _COLUMNS}
    values["authors"] = list(values["authors"] or [])
    return Reference(**values, extensions=dict(rec["extensions"] or {}))


def _update(conn: Connection, audit: Audit, row_id: int, old: dict[str, Any], changes: dict[str, Any]) -> int:
    """Set ``changes`` on reference ``row_id``, one audit entry per field; returns how many."""
    if not changes:
        return 0
    conn.execute(_T_REF.update().where(_T_REF.c.id == row_id).values(**changes))
    for name, value in changes.items():
        audit.change("reference", row_id, name, _audit_value(old.get(name)), _audit_value(value))
    return len(changes)


def apply_reference_import(session: Session, plan: ImportPlan, who: str) -> dict[str, int]:
    """Write a decided import plan; returns counts (added, merged, fields_filled).

    Refuses (:class:`CuratorError`, nothing written) a plan with undecided
    pairs, a new key the review already has, or a merge into a reference no
    longer there: the plan was made against an older list.
    """
    if plan.undecided:
        raise CuratorError(
            f"{len(plan.undecided)} possible duplicate(s) have no decision: choose merge or keep for each"
        )
    to_add, to_update = plan.apply()
    conn = session.connection()
    audit = Audit(who)
    rows = {rec["key"]: rec for rec in conn.execute(select(_T_REF)).mappings()}
    clash = [r.key for r in to_add if r.key in rows]
    if clash:
        raise CuratorError(f"reference {clash[0]!r} is already in the review; plan the import again")
    filled = 0
    for ref, changes in to_update:
        row = rows.get(ref.key)
        if row is None:
            raise CuratorError(f"reference {ref.key!r} is no longer in the review; plan the import again")
        current = fill_empty(_reference(row), Reference(key=ref.key, **changes))
        filled += _update(conn, audit, row["id"], dict(row), current)
    top = conn.execute(select(func.max(_T_REF.c.position))).scalar()
    position = 0 if top is None else top + 1
    records = []
    for i, ref in enumerate(to_add):
        rec = _record(ref)
        rec["position"] = position + i
        records.append(rec)
    if records:
        result = conn.execute(insert(_T_REF).returning(_T_REF.c.id, sort_by_parameter_order=True), records)
        for (row_id,), rec in zip(result, records, strict=True):
            audit.add("insert", "reference", row_id, new=rec)
    audit.flush(conn)
    return {"added": len(records), "merged": len(to_update), "fields_filled": filled}


def merge_references(
    session: Session,
    keep_key: str,
    drop_key: str,
    who: str,
    *,
    expected: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, int]:
    """Fold reference ``drop_key`` into ``keep_key``; returns counts.

    Fills the empty fields of ``keep_key`` from ``drop_key``, re-points
    every citation of ``drop_key`` to ``keep_key`` (a row that cites both
    keeps only the first of the two citations), deletes ``drop_key``, and
    audits each step. Refuses unknown keys and a reference merged with itself.

    Compare-and-set: with ``expected`` (key -> field -> text, the two
    references, or some of their fields, as the reviewer read them), refused
    (:class:`~curator.errors.StaleWrite`, nothing written) when one of those
    fields was changed meanwhile, naming the reference, the field and both values.
    """
    if keep_key == drop_key:
        raise CuratorError(f"cannot merge reference {keep_key!r} with itself")
    conn = session.connection()
    query = select(_T_REF).where(_T_REF.c.key.in_([keep_key, drop_key])).order_by(_T_REF.c.id)
    if expected is not None:
        query = query.with_for_update()  # what is compared is what is merged (SQLite's writer holds the file)
    found = {rec["key"]: rec for rec in conn.execute(query).mappings()}
    for key in (keep_key, drop_key):
        if key not in found:
            raise CuratorError(f"the review has no reference {key!r}")
    for key, was in (expected or {}).items():
        if key not in (keep_key, drop_key):
            raise CuratorError(f"reference {key!r}: not one of the two merged ({keep_key!r}, {drop_key!r})")
        _refuse_changed(found[key], key, was, "not merged")
    keep, drop = found[keep_key], found[drop_key]
    audit = Audit(who)
    filled = _update(conn, audit, keep["id"], dict(keep), fill_empty(_reference(keep), _reference(drop)))
    extra = {k: v for k, v in (drop["extensions"] or {}).items() if k not in (keep["extensions"] or {})}
    if extra:
        merged = {**(keep["extensions"] or {}), **extra}
        conn.execute(_T_REF.update().where(_T_REF.c.id == keep["id"]).values(extensions=merged))
        audit.change("reference", keep["id"], "extensions", _audit_value(keep["extensions"]), _audit_value(merged))

    repointed = dropped = 0
    rows = select(_T_CIT.c.row_id).where(_T_CIT.c.reference_key == drop_key).distinct()
    cites = conn.execute(
        select(_T_CIT).where(_T_CIT.c.row_id.in_(rows)).order_by(_T_CIT.c.row_id, _T_CIT.c.position)
    ).mappings()
    seen: set[int] = set()  # rows already citing keep_key (or re-pointed to it)
    for cit in cites:
        key, row_id = cit["reference_key"], cit["row_id"]
        if key not in (keep_key, drop_key):
            continue
        if row_id in seen:  # the row already cites keep_key: this citation would repeat it
            conn.execute(_T_CIT.delete().where(_T_CIT.c.id == cit["id"]))
            audit.add("delete", "citation", cit["id"], old={k: v for k, v in cit.items() if k != "id"})
            dropped += 1
            continue
        seen.add(row_id)
        if key == drop_key:
            conn.execute(_T_CIT.update().where(_T_CIT.c.id == cit["id"]).values(reference_key=keep_key))
            audit.change("citation", cit["id"], "reference_key", drop_key, keep_key)
            repointed += 1
    _repoint_documents(conn, audit, drop_key, keep_key)
    conn.execute(_T_REF.delete().where(_T_REF.c.id == drop["id"]))
    audit.add("delete", "reference", drop["id"], old={k: v for k, v in drop.items() if k != "id"})
    audit.flush(conn)
    return {"fields_filled": filled, "citations_repointed": repointed, "citations_dropped": dropped}


def _repoint_documents(conn: Connection, audit: Audit, old: str, new: str) -> None:
    """The source documents that are the full text of reference ``old`` now are of ``new`` (audited)."""
    moved = conn.execute(select(_T_DOC.c.id).where(_T_DOC.c.reference == old)).scalars().all()
    if moved:
        conn.execute(update(_T_DOC).where(_T_DOC.c.reference == old).values(reference=new))
        for doc_id in moved:
            audit.change("document", doc_id, "reference", old, new)


# -- a reviewer's edits of the list ---------------------------------------------

#: The fields of a reference a reviewer can set, in the contract's order.
REFERENCE_FIELDS: tuple[str, ...] = tuple(f.path for f in fields.REFERENCE_FIELDS)
#: How many citing rows a refused delete names before "and N more".
_CITING_SHOWN = 10


def parse_reference_field(key: str, name: str, text: str) -> Any:
    """A reference field's value from what was typed, by the path a References
    sheet cell takes: ``authors`` as ``"A; B"`` (a list), ``year`` a whole
    number, a DOI without its ``https://doi.org/``; empty text is absent
    (``[]`` for authors). Raises :class:`CuratorError` naming the reference,
    the field and the value when the text does not fit."""
    where = f"reference {key} {name}"
    if name not in REFERENCE_FIELDS:
        raise CuratorError(f"{where}: {show(name)} is not a field of a reference ({', '.join(REFERENCE_FIELDS)})")
    if not text.strip():
        if name == "key":
            raise CuratorError(f"{where}: {show(text)} is empty; key is required")
        return [] if name == "authors" else None
    if name == "key":
        if text != text.strip():
            raise CuratorError(f"{where}: {show(text)} begins or ends with white space")
        return text
    try:
        return fields.parse(name, text, of="reference")
    except ValueError as exc:
        raise CuratorError(f"{where}: {exc}") from None


def _check_key(conn: Connection, where: str, key: str) -> None:
    if not key.strip():
        raise CuratorError(f"{where}: {show(key)} is empty; key is required")
    if key != key.strip():
        raise CuratorError(f"{where}: {show(key)} begins or ends with white space")
    if conn.execute(select(_T_REF.c.id).where(_T_REF.c.key == key)).first() is not None:
        raise CuratorError(f"{where}: {show(key)} is already a reference of the review")


def _found(conn: Connection, key: str, *, lock: bool = False) -> Any:
    """The reference's record; with ``lock`` (a write that compares before it changes), held until the
    transaction ends (FOR UPDATE on PostgreSQL; SQLite's writer holds the whole file)."""
    query = select(_T_REF).where(_T_REF.c.key == key)
    rec = conn.execute(query.with_for_update() if lock else query).mappings().first()
    if rec is None:
        raise CuratorError(f"reference {show(key)}: the review has no such reference")
    return rec


def _insert_reference(
    conn: Connection, audit: Audit, ref: Reference, position: int | None, acceptances: Sequence[AcceptedFinding]
) -> None:
    _check_key(conn, f"reference {ref.key} key", ref.key)
    count = int(conn.execute(select(func.count()).select_from(_T_REF)).scalar_one())
    if position is None:
        position = count
    elif not 0 <= position <= count:
        raise CuratorError(
            f"reference {ref.key}: cannot add a reference at position {position}: "
            f"the review has {count} references (positions 0 to {count})"
        )
    moved = conn.execute(update(_T_REF).where(_T_REF.c.position >= position).values(position=_T_REF.c.position + 1))
    if moved.rowcount:
        audit.change("reference", None, "position", f"{position}..{count - 1}", f"{position + 1}..{count}")
    rec = _record(ref)
    rec["position"] = position
    (ref_id,) = conn.execute(insert(_T_REF).returning(_T_REF.c.id), [rec]).scalars()
    audit.add("insert", "reference", ref_id, new=rec)
    insert_acceptances(conn, audit, acceptances, reference=ref.key)


def add_reference(session: Session, ref: Reference, who: str, position: int | None = None) -> None:
    """Add a reference at ``position`` (at the end by default); refuses an
    empty key or one the review already has."""
    conn = session.connection()
    audit = Audit(who)
    _insert_reference(conn, audit, ref, position, ())
    audit.flush(conn)


def set_reference_field(
    session: Session,
    key: str,
    name: str,
    text: str,
    who: str,
    *,
    expected: str | None = None,
    citing: int | None = None,
) -> str:
    """Set field ``name`` of reference ``key`` to what was typed (see
    :func:`parse_reference_field`); the field's text as stored (a DOI typed
    as a doi.org link is stored bare). A new key must be free; every citation
    of the old key, and the acceptances of findings about it, follow it.

    Compare-and-set: with ``expected`` (the field's text as the caller saw
    it), refused, naming both values, when the stored text is another; with
    ``citing`` (a new key: how many rows the reviewer was told cite the old
    one), refused when another number of rows cite it now."""
    conn = session.connection()
    value = parse_reference_field(key, name, text)
    rec = _found(conn, key, lock=expected is not None or citing is not None)
    stored = fields.reference_texts(_reference(rec))[name]
    if expected is not None and stored != expected:
        raise StaleWrite(
            f"reference {key}, {name}: not changed to {shown(text)}: it is now {shown(stored)}, "
            f"not {shown(expected)} as this change expected (it was changed meanwhile: another window "
            "or reviewer); nothing was written",
            field=name,
            expected=expected,
            theirs=stored,
            yours=text,
            reference=key,
        )
    old = list(rec["authors"] or []) if name == "authors" else rec[name]
    if old == value:
        return stored
    audit = Audit(who)
    if name == "key":
        _check_key(conn, f"reference {key} key", value)
        now_citing = rows_citing(conn, key)
        if citing is not None and now_citing != citing:
            raise CuratorError(
                f"reference {key}: not renamed to {shown(text)}: {_rows_cite(now_citing)} it now, "
                f"not {citing} as this change expected (the citations changed meanwhile: another window or "
                "reviewer); nothing was written"
            )
        cites = conn.execute(select(_T_CIT.c.id).where(_T_CIT.c.reference_key == key)).scalars().all()
        conn.execute(update(_T_CIT).where(_T_CIT.c.reference_key == key).values(reference_key=value))
        for cit_id in cites:
            audit.change("citation", cit_id, "reference_key", key, value)
        accepted = conn.execute(select(_T_ACC.c.id).where(_T_ACC.c.reference == key)).scalars().all()
        conn.execute(update(_T_ACC).where(_T_ACC.c.reference == key).values(reference=value))
        for acc_id in accepted:
            audit.change("accepted_finding", acc_id, "reference", key, value)
        _repoint_documents(conn, audit, key, value)
    _update(conn, audit, rec["id"], dict(rec), {name: value})
    audit.flush(conn)
    return fields.reference_texts(_reference(_found(conn, value if name == "key" else key)))[name]


def _refuse_changed(rec: Any, key: str, was: Mapping[str, str], what: str) -> None:
    """Refuse (:class:`~curator.errors.StaleWrite`) a change of reference ``key`` (its record ``rec``) read as
    ``was`` (field -> text; the fields not given are not compared) when one of those fields is now another;
    ``what`` says what was refused (``not deleted``)."""
    now = fields.reference_texts(_reference(rec))
    unknown = sorted(set(was) - set(now))
    if unknown:
        raise CuratorError(f"reference {key}: no field {unknown[0]!r} (fields: {', '.join(now)})")
    differs = first_difference({name: now[name] for name in was}, was)
    if differs is not None:
        raise StaleWrite(
            f"reference {key}, {differs}: {what}: it is now {shown(now[differs])}, not "
            f"{shown(was[differs])} as this change expected (it was changed meanwhile: another window "
            "or reviewer); nothing was written",
            field=differs,
            expected=was[differs],
            theirs=now[differs],
            yours=was[differs],
            reference=key,
        )


def _citing_rows(conn: Connection, key: str) -> list[str]:
    """The rows citing ``key``, as ``row 3 (Flare-free patients) of pime-vs-tcs``, in review order."""
    # The order's columns are selected too: PostgreSQL sorts a DISTINCT only by what it selects.
    query = (
        select(_T_CMP.c.position, _T_CMP.c.key, _T_ROW.c.position, _T_ROW.c.endpoint)
        .select_from(
            _T_CIT.join(_T_ROW, _T_ROW.c.id == _T_CIT.c.row_id).join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        )
        .where(_T_CIT.c.reference_key == key)
        .distinct()
        .order_by(_T_CMP.c.position, _T_ROW.c.position)
    )
    return [row_place(cmp, position, endpoint) for _order, cmp, position, endpoint in conn.execute(query)]


def reference_acceptances(session: Session, key: str) -> list[AcceptedFinding]:
    """The accepted findings about reference ``key`` (read them before
    :func:`delete_reference` to give them to :func:`restore_reference`)."""
    return load_acceptances(session, _T_ACC.c.reference == key)


def delete_reference(
    session: Session, key: str, who: str, *, expected: Reference | None = None
) -> tuple[int, Reference]:
    """Delete a reference no row cites, with the acceptances of findings about
    it; the references after it move up one. Returns its position and the
    reference as it was. Refused while cited, naming the citing rows; with
    ``expected`` (the reference as the reviewer saw it), refused
    (:class:`~curator.errors.StaleWrite`) when one of its fields was changed
    meanwhile, naming the field and both values."""
    conn = session.connection()
    rec = _found(conn, key, lock=expected is not None)
    if expected is not None:
        _refuse_changed(rec, key, fields.reference_texts(expected), "not deleted")
    citing = _citing_rows(conn, key)
    if citing:
        listed = "; ".join(citing[:_CITING_SHOWN])
        if len(citing) > _CITING_SHOWN:
            listed += f" and {counted(len(citing) - _CITING_SHOWN, 'more row')}"
        raise CuratorError(f"reference {key} is cited by {listed}; remove those citations first")
    audit = Audit(who)
    conn.execute(delete(_T_REF).where(_T_REF.c.id == rec["id"]))
    audit.add("delete", "reference", rec["id"], old={k: v for k, v in rec.items() if k != "id"})
    for acc in conn.execute(select(_T_ACC).where(_T_ACC.c.reference == key)).mappings():
        audit.add("delete", "accepted_finding", acc["id"], old={k: v for k, v in acc.items() if k != "id"})
    conn.execute(delete(_T_ACC).where(_T_ACC.c.reference == key))
    moved = conn.execute(
        update(_T_REF).where(_T_REF.c.position > rec["position"]).values(position=_T_REF.c.position - 1)
    )
    if moved.rowcount:
        last = rec["position"] + moved.rowcount
        audit.change("reference", None, "position", f"{rec['position'] + 1}..{last}", f"{rec['position']}..{last - 1}")
    audit.flush(conn)
    return int(rec["position"]), _reference(rec)


def restore_reference(
    session: Session, position: int, ref: Reference, who: str, *, acceptances: Sequence[AcceptedFinding] = ()
) -> None:
    """Put a deleted reference back at ``position`` (with the ``acceptances``
    read by :func:`reference_acceptances` before the delete)."""
    conn = session.connection()
    audit = Audit(who)
    _insert_reference(conn, audit, ref, position, acceptances)
    audit.flush(conn)


def _rows_cite(n: int) -> str:
    """``"1 row cites"``, ``"3 rows cite"``: how many rows cite something, in words."""
    return "1 row cites" if n == 1 else f"{n} rows cite"


def rows_citing(session: Session | Connection, key: str) -> int:
    """How many rows cite reference ``key``."""
    conn = session.connection() if isinstance(session, Session) else session
    query = select(func.count(_T_CIT.c.row_id.distinct())).where(_T_CIT.c.reference_key == key)
    return int(conn.execute(query).scalar_one())


def citation_counts(session: Session | Connection) -> dict[str, int]:
    """How many rows cite each reference key (keys no row cites are absent)."""
    conn = session.connection() if isinstance(session, Session) else session
    query = select(_T_CIT.c.reference_key, func.count(_T_CIT.c.row_id.distinct())).group_by(_T_CIT.c.reference_key)
    return {key: int(count) for key, count in conn.execute(query)}
