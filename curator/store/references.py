"""Writing reference imports and merges, audited, in the caller's transaction.

:func:`apply_reference_import` writes an :class:`~curator.references.plan.ImportPlan`
whose pairs are all decided: new references at the end of the list, merged
ones filled field by field. :func:`merge_references` folds one reference
into another and re-points every citation. Every insert, update and delete
goes to the audit log; the caller commits.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlmodel import Session

from curator.errors import CuratorError
from curator.references.plan import MERGED_FIELDS, ImportPlan, fill_empty
from curator.review import Reference
from curator.store.models import Citation, ReferenceRecord
from curator.store.repository import Audit

__all__ = ["apply_reference_import", "merge_references"]

_T_REF: Table = ReferenceRecord.__table__  # type: ignore[attr-defined]
_T_CIT: Table = Citation.__table__  # type: ignore[attr-defined]
_COLUMNS = ("key", *MERGED_FIELDS)


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


def merge_references(session: Session, keep_key: str, drop_key: str, who: str) -> dict[str, int]:
    """Fold reference ``drop_key`` into ``keep_key``; returns counts.

    Fills the empty fields of ``keep_key`` from ``drop_key``, re-points
    every citation of ``drop_key`` to ``keep_key`` (a row that cites both
    keeps only the first of the two citations), deletes ``drop_key``, and
    audits each step. Refuses unknown keys and a reference merged with itself.
    """
    if keep_key == drop_key:
        raise CuratorError(f"cannot merge reference {keep_key!r} with itself")
    conn = session.connection()
    found = {
        rec["key"]: rec for rec in conn.execute(select(_T_REF).where(_T_REF.c.key.in_([keep_key, drop_key]))).mappings()
    }
    for key in (keep_key, drop_key):
        if key not in found:
            raise CuratorError(f"the review has no reference {key!r}")
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
    conn.execute(_T_REF.delete().where(_T_REF.c.id == drop["id"]))
    audit.add("delete", "reference", drop["id"], old={k: v for k, v in drop.items() if k != "id"})
    audit.flush(conn)
    return {"fields_filled": filled, "citations_repointed": repointed, "citations_dropped": dropped}
