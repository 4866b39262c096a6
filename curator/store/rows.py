"""Adding, removing and reordering a review's comparisons and rows.

The services the desktop app's undoable commands call. Each is one audited
change in the caller's session (the caller commits); bad input raises
:class:`~curator.errors.CuratorError` naming the comparison, the row, the
field and the value, and writes nothing.

Rows are named by their comparison's key and their 0-based position, and
positions stay contiguous: inserting, deleting or moving a row shifts the
rows after it with one UPDATE (no unique constraint on the positions stands
in the way), so a comparison of 100,000 rows costs one statement, not
100,000. The shift itself is one audit entry (``position``:
``"pime-vs-tcs[3..7]"`` -> ``"pime-vs-tcs[4..8]"``); the row inserted,
deleted or moved has its own.

Accepted findings name rows by position too (``accepted_finding.row``), so
they shift with their rows (each shift audited). Deleting a row or a
comparison drops its acceptances: a finding about a row that is gone means
nothing. To let undo bring them back, :func:`acceptances_of` reads them
before the delete, and :func:`insert_row` and :func:`restore_comparison`
take them back with ``acceptances=``; restored without them, the row's
findings are simply open again.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlmodel import Session

from curator.errors import CuratorError
from curator.formats.fields import OBJECTS, Text, show
from curator.naming import comparison_label, row_place
from curator.progress import Progress, report
from curator.review import STATUSES, AcceptedFinding, Arm, Comparison, Row
from curator.store.audit import Audit
from curator.store.models import AcceptedFindingRecord, Citation, ComparisonRecord, RowRecord, table_of
from curator.store.records import record_to_row, row_snapshot, row_to_record
from curator.store.repository import (
    evidence_snapshot,
    insert_acceptances,
    insert_evidence,
    load_acceptances,
    load_evidence,
)
from curator.store.verified_here import is_claim

__all__ = [
    "COMPARISON_FIELDS",
    "NEW_ENDPOINT",
    "new_comparison",
    "set_comparison_field",
    "delete_comparison",
    "restore_comparison",
    "new_row",
    "insert_row",
    "delete_row",
    "duplicate_row",
    "move_row",
    "acceptances_of",
]

_T_CMP: Table = table_of(ComparisonRecord)
_T_ROW: Table = table_of(RowRecord)
_T_CIT: Table = table_of(Citation)
_T_ACC: Table = table_of(AcceptedFindingRecord)

#: The comparison fields a reviewer can set (``rows`` are set row by row).
COMPARISON_FIELDS = ("key", "title", "intervention", "comparator", "note")
#: The endpoint of a new row, until the reviewer types the real one.
NEW_ENDPOINT = "New endpoint"
#: Rows a comparison's delete or restore handles between two progress reports (a cancel waits for at most
#: this many: about a third of a second).
CHUNK = 1000


# -- reading -------------------------------------------------------------------


def _comparison(conn: Connection, key: str) -> Any:
    rec = conn.execute(select(_T_CMP).where(_T_CMP.c.key == key)).mappings().first()
    if rec is None:
        raise CuratorError(f"comparison {show(key)}: the review has no such comparison")
    return rec


def _row_count(conn: Connection, cmp_id: int) -> int:
    return int(conn.execute(select(func.count()).where(_T_ROW.c.comparison_id == cmp_id)).scalar_one())


def _row_record(conn: Connection, comparison: str, cmp_id: int, position: int, what: str) -> Any:
    rec = (
        conn.execute(select(_T_ROW).where(_T_ROW.c.comparison_id == cmp_id, _T_ROW.c.position == position))
        .mappings()
        .first()
    )
    if rec is None:
        count = _row_count(conn, cmp_id)
        has = ("1 row" if count == 1 else f"rows 1 to {count}") if count else "no rows"
        raise CuratorError(f"{row_place(comparison, position)}: cannot {what}: the comparison has {has}")
    return rec


def _citations(conn: Connection, row_id: int) -> list[str]:
    query = select(_T_CIT.c.reference_key).where(_T_CIT.c.row_id == row_id).order_by(_T_CIT.c.position)
    return list(conn.execute(query).scalars())


def _snapshot(rec: Any) -> dict[str, Any]:
    return {k: v for k, v in dict(rec).items() if k != "id"}


def acceptances_of(session: Session, comparison: str, position: int | None = None) -> list[AcceptedFinding]:
    """The accepted findings about a comparison's row at ``position`` (or, with
    no position, about anything in the comparison), in order."""
    where = [_T_ACC.c.comparison == comparison]
    if position is not None:
        where.append(_T_ACC.c.row == position)
    return load_acceptances(session, *where)


# -- shifting positions --------------------------------------------------------


def _shift_rows(
    conn: Connection, audit: Audit, comparison: str, cmp_id: int, first: int, last: int | None, by: int
) -> None:
    """Move rows ``first..last`` (to the end when ``last`` is None) by ``by``,
    with one UPDATE, and their acceptances with them."""
    where = [_T_ROW.c.comparison_id == cmp_id, _T_ROW.c.position >= first]
    if last is not None:
        where.append(_T_ROW.c.position <= last)
    result = conn.execute(update(_T_ROW).where(*where).values(position=_T_ROW.c.position + by))
    if result.rowcount:
        end = first + result.rowcount - 1 if last is None else last
        audit.change(
            "endpoint_row", None, "position", f"{comparison}[{first}..{end}]", f"{comparison}[{first + by}..{end + by}]"
        )
    _shift_acceptances(conn, audit, comparison, first, last, by)


def _shift_acceptances(conn: Connection, audit: Audit, comparison: str, first: int, last: int | None, by: int) -> None:
    where = [_T_ACC.c.comparison == comparison, _T_ACC.c.row >= first]
    if last is not None:
        where.append(_T_ACC.c.row <= last)
    moved = conn.execute(select(_T_ACC.c.id, _T_ACC.c.row).where(*where)).all()
    if moved:
        conn.execute(update(_T_ACC).where(*where).values(row=_T_ACC.c.row + by))
        for acc_id, row in moved:
            audit.change("accepted_finding", acc_id, "row", row, row + by)


def _drop_acceptances(conn: Connection, audit: Audit, comparison: str, position: int | None) -> None:
    where = [_T_ACC.c.comparison == comparison]
    if position is not None:
        where.append(_T_ACC.c.row == position)
    for rec in conn.execute(select(_T_ACC).where(*where)).mappings():
        audit.add("delete", "accepted_finding", rec["id"], old=_snapshot(rec))
    conn.execute(delete(_T_ACC).where(*where))


def _add_acceptances(
    conn: Connection, audit: Audit, comparison: str, acceptances: Sequence[AcceptedFinding], row: int | None
) -> None:
    """Store acceptances about ``comparison`` (and, when ``row`` is given,
    about its row at ``row``) at the end of the list."""
    about: dict[str, Any] = {"comparison": comparison}
    if row is not None:
        about["row"] = row
    insert_acceptances(conn, audit, acceptances, **about)


# -- rows ----------------------------------------------------------------------


def new_row(who: str) -> Row:
    """The blank row a reviewer starts from: endpoint "New endpoint", both arms
    present but empty (a row needs an arm or an effect to be a valid row of
    the exchange format), status draft, extracted by ``who``."""
    return Row(endpoint=NEW_ENDPOINT, intervention=Arm(), comparator=Arm(), status="draft", extracted_by=who)


def _check_row(where: str, row: Row) -> None:
    if not row.endpoint or not row.endpoint.strip():
        raise CuratorError(f"{where}: Endpoint: {show(row.endpoint)} is empty; Endpoint is required")
    if row.status not in STATUSES:
        raise CuratorError(f"{where}: Status: {show(row.status)} is not one of {', '.join(STATUSES)}")


def _insert_rows(
    conn: Connection, audit: Audit, comparison: str, cmp_id: int, start: int, rows: Sequence[Row]
) -> list[int]:
    """Insert rows at positions ``start``, ``start + 1``... (the room made by
    the caller) with their citations and evidence; returns their ids."""
    if not rows:
        return []
    records = []
    for i, row in enumerate(rows):
        rec = row_to_record(row)
        rec["comparison_id"] = cmp_id
        rec["position"] = start + i
        # A row put back (undo of a delete) comes without its field verifications:
        # a status only they may give is kept as a claim (curator.store.verified_here).
        rec["status_claimed"] = is_claim(row)
        records.append(rec)
    result = conn.execute(insert(_T_ROW).returning(_T_ROW.c.id, sort_by_parameter_order=True), records)
    ids = [row_id for (row_id,) in result]
    insert_evidence(conn, list(zip(ids, rows, strict=True)))
    citations: list[dict[str, Any]] = []
    for row_id, rec, row in zip(ids, records, rows, strict=True):
        audit.add(
            "insert",
            "endpoint_row",
            row_id,
            new=row_snapshot(
                list(rec), list(rec.values()), comparison=comparison, citations=row.citations, **evidence_snapshot(row)
            ),
        )
        citations.extend({"row_id": row_id, "position": p, "reference_key": k} for p, k in enumerate(row.citations))
    if citations:
        conn.execute(insert(_T_CIT), citations)
    return ids


def insert_row(
    session: Session,
    comparison: str,
    position: int,
    row: Row,
    who: str,
    *,
    acceptances: Sequence[AcceptedFinding] = (),
) -> None:
    """Insert ``row`` at ``position`` (0 to the number of rows); the rows from
    there on move down one. ``acceptances`` (from :func:`acceptances_of`
    before a delete) are stored again as about this row."""
    conn = session.connection()
    cmp = _comparison(conn, comparison)
    where = row_place(comparison, position)
    count = _row_count(conn, cmp["id"])
    if not 0 <= position <= count:
        rows = "1 row" if count == 1 else f"{count} rows"
        raise CuratorError(
            f"{where}: cannot insert a row there: the comparison has {rows} (a new row goes at 1 to {count + 1})"
        )
    _check_row(where, row)
    audit = Audit(who)
    _shift_rows(conn, audit, comparison, cmp["id"], position, None, 1)
    _insert_rows(conn, audit, comparison, cmp["id"], position, [row])
    _add_acceptances(conn, audit, comparison, acceptances, position)
    audit.flush(conn)


def delete_row(session: Session, comparison: str, position: int, who: str) -> Row:
    """Delete a comparison's row at ``position`` and its acceptances; the rows
    after it move up one. Returns the row as it was (for undo)."""
    conn = session.connection()
    cmp = _comparison(conn, comparison)
    rec = _row_record(conn, comparison, cmp["id"], position, "delete the row")
    citations = _citations(conn, rec["id"])
    row = record_to_row(rec, citations, load_evidence(conn, [rec["id"]]).get(rec["id"]))
    audit = Audit(who)
    audit.add(
        "delete",
        "endpoint_row",
        rec["id"],
        old=row_snapshot(
            list(rec.keys()), list(rec.values()), comparison=comparison, citations=citations, **evidence_snapshot(row)
        ),
    )
    conn.execute(delete(_T_ROW).where(_T_ROW.c.id == rec["id"]))  # its citations and evidence go with it
    _drop_acceptances(conn, audit, comparison, position)
    _shift_rows(conn, audit, comparison, cmp["id"], position + 1, None, -1)
    audit.flush(conn)
    return row


def duplicate_row(session: Session, comparison: str, position: int, who: str) -> int:
    """Copy a row right below itself and return the copy's position: every
    value, citation, evidence, note and extension copied; status draft, extracted by
    ``who``, verified by nobody (a copy is a new extraction; its findings are
    open, acceptances are not copied)."""
    conn = session.connection()
    cmp = _comparison(conn, comparison)
    rec = _row_record(conn, comparison, cmp["id"], position, "duplicate the row")
    row = copy.deepcopy(
        record_to_row(rec, _citations(conn, rec["id"]), load_evidence(conn, [rec["id"]]).get(rec["id"]))
    )
    row.status, row.extracted_by, row.verified_by = "draft", who, None
    audit = Audit(who)
    _shift_rows(conn, audit, comparison, cmp["id"], position + 1, None, 1)
    _insert_rows(conn, audit, comparison, cmp["id"], position + 1, [row])
    audit.flush(conn)
    return position + 1


def move_row(session: Session, comparison: str, position: int, to: int, who: str) -> None:
    """Move a row from ``position`` to ``to`` (both 0 to the number of rows
    minus one); the rows between close up."""
    conn = session.connection()
    cmp = _comparison(conn, comparison)
    rec = _row_record(conn, comparison, cmp["id"], position, "move the row")
    count = _row_count(conn, cmp["id"])
    if not 0 <= to < count:
        raise CuratorError(
            f"{row_place(comparison, position, rec['endpoint'])}: cannot move the row to row {to + 1}: "
            f"the comparison has {'1 row' if count == 1 else f'rows 1 to {count}'}"
        )
    if to == position:
        return
    audit = Audit(who)
    # Park the moved row's acceptances, shift the others, then put them back.
    parked = (
        conn.execute(select(_T_ACC.c.id).where(_T_ACC.c.comparison == comparison, _T_ACC.c.row == position))
        .scalars()
        .all()
    )
    conn.execute(update(_T_ROW).where(_T_ROW.c.id == rec["id"]).values(position=-1))
    if parked:
        conn.execute(update(_T_ACC).where(_T_ACC.c.id.in_(parked)).values(row=-1))
    if to > position:
        _shift_rows(conn, audit, comparison, cmp["id"], position + 1, to, -1)
    else:
        _shift_rows(conn, audit, comparison, cmp["id"], to, position - 1, 1)
    conn.execute(update(_T_ROW).where(_T_ROW.c.id == rec["id"]).values(position=to))
    audit.change("endpoint_row", rec["id"], "position", f"{comparison}[{position}]", f"{comparison}[{to}]")
    if parked:
        conn.execute(update(_T_ACC).where(_T_ACC.c.id.in_(parked)).values(row=to))
        for acc_id in parked:
            audit.change("accepted_finding", acc_id, "row", position, to)
    audit.flush(conn)


# -- comparisons ---------------------------------------------------------------

_COMPARISON_KINDS = {k.name: k for k in OBJECTS["comparison"].keys if k.name in COMPARISON_FIELDS}


def _comparison_value(key: str, name: str, text: str) -> str | None:
    """A comparison field's value from what was typed; CuratorError when it does not fit."""
    where = (
        f"comparison {key}, {comparison_label(name)}" if key.strip() else f"new comparison, {comparison_label(name)}"
    )
    kind = _COMPARISON_KINDS.get(name)
    if kind is None:
        raise CuratorError(f"{where}: {show(name)} is not a field of a comparison ({', '.join(COMPARISON_FIELDS)})")
    if not text.strip():
        if isinstance(kind, Text) and kind.nonempty:
            raise CuratorError(f"{where}: {show(text)} is empty; {comparison_label(name)} is required")
        return None
    if name == "key" and text != text.strip():
        raise CuratorError(f"{where}: {show(text)} begins or ends with white space")
    return text


def _check_new_key(conn: Connection, where: str, key: str) -> None:
    if conn.execute(select(_T_CMP.c.id).where(_T_CMP.c.key == key)).first() is not None:
        raise CuratorError(f"{where}: {show(key)} is already a comparison of the review")


def _comparison_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(_T_CMP)).scalar_one())


def _insert_comparison(conn: Connection, audit: Audit, position: int | None, values: dict[str, Any]) -> tuple[int, int]:
    """Make room at ``position`` (the end when None) and insert the comparison; returns its id and position."""
    count = _comparison_count(conn)
    if position is None:
        position = count
    elif not 0 <= position <= count:
        raise CuratorError(
            f"comparison {values['key']}: cannot add a comparison as number {position + 1}: "
            f"the review has {count} comparison{'' if count == 1 else 's'} (a new one goes at 1 to {count + 1})"
        )
    moved = conn.execute(update(_T_CMP).where(_T_CMP.c.position >= position).values(position=_T_CMP.c.position + 1))
    if moved.rowcount:
        audit.change("comparison", None, "position", f"{position}..{count - 1}", f"{position + 1}..{count}")
    rec = {**values, "position": position}
    (cmp_id,) = conn.execute(insert(_T_CMP).returning(_T_CMP.c.id), [rec]).scalars()
    audit.add("insert", "comparison", cmp_id, new=rec)
    return cmp_id, position


def new_comparison(
    session: Session, key: str, title: str, intervention: str, comparator: str, who: str, position: int | None = None
) -> None:
    """Add an empty comparison at ``position`` (at the end by default).
    Refuses an empty or duplicate key and an empty title, intervention or comparator."""
    conn = session.connection()
    values: dict[str, Any] = {"note": None, "extensions": {}}
    for name, text in (("key", key), ("title", title), ("intervention", intervention), ("comparator", comparator)):
        values[name] = _comparison_value(key, name, text)
    _check_new_key(conn, f"comparison {key}, Key", key)
    audit = Audit(who)
    _insert_comparison(conn, audit, position, values)
    audit.flush(conn)


def set_comparison_field(session: Session, key: str, name: str, text: str, who: str) -> None:
    """Set ``name`` (key, title, intervention, comparator or note) of a
    comparison to what was typed. A new key must be free; the comparison's
    accepted findings follow it."""
    conn = session.connection()
    value = _comparison_value(key, name, text)
    cmp = _comparison(conn, key)
    if cmp[name] == value:
        return
    audit = Audit(who)
    if name == "key":
        assert value is not None
        _check_new_key(conn, f"comparison {key}, Key", value)
        accepted = conn.execute(select(_T_ACC.c.id).where(_T_ACC.c.comparison == key)).scalars().all()
        conn.execute(update(_T_ACC).where(_T_ACC.c.comparison == key).values(comparison=value))
        for acc_id in accepted:
            audit.change("accepted_finding", acc_id, "comparison", key, value)
    conn.execute(update(_T_CMP).where(_T_CMP.c.id == cmp["id"]).values({name: value}))
    audit.change("comparison", cmp["id"], name, cmp[name], value)
    audit.flush(conn)


def delete_comparison(
    session: Session, key: str, who: str, *, progress: Progress | None = None
) -> tuple[int, Comparison]:
    """Delete a comparison with its rows and acceptances; the comparisons
    after it move up one. Returns its position and the comparison as it was.

    ``progress`` hears how many rows are read back and audited, every
    :data:`CHUNK` rows, and may cancel: :class:`~curator.progress.Cancelled`
    is raised and the caller's transaction rolls everything back."""
    conn = session.connection()
    cmp = _comparison(conn, key)
    total = _row_count(conn, cmp["id"])
    report(progress, 0, total, "reading its rows")
    citations: dict[int, list[str]] = {}
    query = (
        select(_T_CIT.c.row_id, _T_CIT.c.reference_key)
        .join(_T_ROW, _T_ROW.c.id == _T_CIT.c.row_id)
        .where(_T_ROW.c.comparison_id == cmp["id"])
        .order_by(_T_CIT.c.row_id, _T_CIT.c.position)
    )
    for row_id, ref_key in conn.execute(query):
        citations.setdefault(row_id, []).append(ref_key)
    evidence = load_evidence(conn, comparison_id=cmp["id"])
    audit = Audit(who)
    rows: list[Row] = []
    # Read a chunk at a time: a worker's one long fetch would hold the GIL, and the window, for a second.
    records = conn.execute(select(_T_ROW).where(_T_ROW.c.comparison_id == cmp["id"]).order_by(_T_ROW.c.position))
    for chunk in records.mappings().partitions(CHUNK):
        for rec in chunk:
            row = record_to_row(rec, citations.get(rec["id"], []), evidence.get(rec["id"]))
            rows.append(row)
            audit.add(
                "delete",
                "endpoint_row",
                rec["id"],
                old=row_snapshot(
                    list(rec.keys()),
                    list(rec.values()),
                    comparison=key,
                    citations=citations.get(rec["id"], []),
                    **evidence_snapshot(row),
                ),
            )
        report(progress, len(rows), total, "reading its rows")
    comparison = Comparison(
        key=cmp["key"],
        title=cmp["title"],
        intervention=cmp["intervention"],
        comparator=cmp["comparator"],
        note=cmp["note"],
        rows=rows,
        extensions=dict(cmp["extensions"] or {}),
    )
    audit.add("delete", "comparison", cmp["id"], old=_snapshot(cmp))
    conn.execute(delete(_T_CMP).where(_T_CMP.c.id == cmp["id"]))  # rows and citations cascade
    _drop_acceptances(conn, audit, key, None)
    count = _comparison_count(conn)
    moved = conn.execute(
        update(_T_CMP).where(_T_CMP.c.position > cmp["position"]).values(position=_T_CMP.c.position - 1)
    )
    if moved.rowcount:
        audit.change(
            "comparison", None, "position", f"{cmp['position'] + 1}..{count}", f"{cmp['position']}..{count - 1}"
        )
    report(progress, total, total, "writing the audit log")
    audit.flush(conn)
    return int(cmp["position"]), comparison


def restore_comparison(
    session: Session,
    position: int,
    comparison: Comparison,
    who: str,
    *,
    acceptances: Sequence[AcceptedFinding] = (),
    progress: Progress | None = None,
) -> None:
    """Put a deleted comparison back at ``position``, with its rows (and the
    ``acceptances`` read by :func:`acceptances_of` before the delete).
    ``progress`` hears how many rows are written, every :data:`CHUNK` rows,
    and may cancel (see :func:`delete_comparison`)."""
    conn = session.connection()
    key = comparison.key
    for name in ("key", "title", "intervention", "comparator"):
        _comparison_value(key, name, getattr(comparison, name) or "")
    _check_new_key(conn, f"comparison {key}, Key", key)
    for i, row in enumerate(comparison.rows):
        _check_row(row_place(key, i, row.endpoint), row)
    audit = Audit(who)
    values = {
        "key": key,
        "title": comparison.title,
        "intervention": comparison.intervention,
        "comparator": comparison.comparator,
        "note": comparison.note,
        "extensions": dict(comparison.extensions),
    }
    cmp_id, _ = _insert_comparison(conn, audit, position, values)
    total = len(comparison.rows)
    report(progress, 0, total, "writing its rows")
    for start in range(0, total, CHUNK):
        _insert_rows(conn, audit, key, cmp_id, start, comparison.rows[start : start + CHUNK])
        report(progress, min(start + CHUNK, total), total, "writing its rows")
    _add_acceptances(conn, audit, key, acceptances, None)
    report(progress, total, total, "writing the audit log")
    audit.flush(conn)
