"""Moving a review's content between the database and :mod:`curator.review`.

:func:`load_review` reads the whole review with plain SELECTs (no ORM
objects: it is the hot path for checks and exports on big reviews).
:func:`add_content` and :func:`replace_content` write content in the
caller's transaction and record every insert and delete in the audit log,
so a failure anywhere rolls the whole write back.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlmodel import Session

from curator import fields
from curator.errors import CuratorError
from curator.fields import Number
from curator.numbers import Reported, parse_reported
from curator.review import AcceptedFinding, Comparison, Reference, Review, Row
from curator.store.audit import Audit, audit_entries
from curator.store.models import (
    AcceptedFindingRecord,
    AuditEntry,
    Citation,
    ComparisonRecord,
    ReferenceRecord,
    ReviewMeta,
    RowRecord,
    table_of,
)

__all__ = [
    "Audit",
    "audit_entries",
    "load_review",
    "load_references",
    "load_acceptances",
    "review_title",
    "insert_acceptances",
    "add_content",
    "replace_content",
    "save_acceptances",
    "is_empty",
    "row_to_record",
    "record_to_row",
]

_T_REVIEW: Table = table_of(ReviewMeta)
_T_REF: Table = table_of(ReferenceRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_ROW: Table = table_of(RowRecord)
_T_CIT: Table = table_of(Citation)
_T_ACC: Table = table_of(AcceptedFindingRecord)
_T_AUDIT: Table = table_of(AuditEntry)

#: The columns of ``reference``, from the field table (named as the fields).
_REFERENCE_FIELDS = tuple(f.column for f in fields.REFERENCE_FIELDS if f.column is not None)
_ACCEPTED_FIELDS = (
    "rule", "comparison", "endpoint", "row", "reference", "field", "reason", "by", "at", "fingerprint",
)  # fmt: skip
#: The row's own columns (not its parts' nor citations), from the field table.
_ROW_TEXT_FIELDS = tuple(f.column for f in fields.part_fields(None) if f.column is not None)
#: The row's own reported numbers (``integer_items``): column -> a reported integer.
_ROW_REPORTED = {
    f.column: getattr(f.kind, "whole", False) for f in fields.part_fields(None) if f.reported and f.column is not None
}


def _stored(field: fields.Field) -> tuple[str, str, str | None, bool, bool]:
    """A part's field as stored: (name, column, column of a reported number's
    value or None, a plain number, a reported integer)."""
    assert field.column is not None  # every part's field is a column of endpoint_row
    whole = bool(getattr(field.kind, "whole", False))
    return field.name, field.column, field.number_column, isinstance(field.kind, Number), whole


#: Each part of a row (an arm, the effect, the source): its class and how its fields are stored.
_PARTS: dict[str, tuple[type, tuple[tuple[str, str, str | None, bool, bool], ...]]] = {
    part: (fields.PART_CLASSES[obj], tuple(_stored(f) for f in fields.part_fields(part)))
    for part, obj in fields.PARTS.items()
}


@lru_cache(maxsize=1 << 16)
def _parse(text: str, whole: bool = False) -> Reported:
    """A stored printed number (a reported integer takes its grouped digits, ``3,145``)."""
    return parse_reported(text, whole=whole)


# -- rows <-> records --------------------------------------------------------


def row_to_record(row: Row) -> dict[str, Any]:
    """The columns of ``endpoint_row`` for one row (without ids and position)."""
    rec: dict[str, Any] = {name: getattr(row, name) for name in _ROW_TEXT_FIELDS}
    for column in _ROW_REPORTED:  # a printed number: its text, and its value beside it
        value = rec[column]
        rec[column] = value.text if value is not None else None
        rec[f"{column}_num"] = float(value.value) if value is not None else None
    parts_ext: dict[str, Any] = {}
    for part, (_cls, part_fields) in _PARTS.items():
        obj = getattr(row, part)
        rec[f"has_{part}"] = obj is not None
        for name, col, num, _number, _whole in part_fields:
            value = getattr(obj, name) if obj is not None else None
            if num is not None:
                rec[col] = value.text if value is not None else None
                rec[num] = float(value.value) if value is not None else None
            else:
                rec[col] = value
        if obj is not None and obj.extensions:
            parts_ext[part] = obj.extensions
    rec["extensions"] = row.extensions
    rec["part_extensions"] = parts_ext
    return rec


def record_to_row(rec: Any, citations: list[str]) -> Row:
    """A :class:`Row` from an ``endpoint_row`` mapping and its citation keys."""
    return _ROW_PLAN.build(tuple(rec[name] for name in _ROW_PLAN.columns), citations)


def _json_value(raw: Any) -> dict[str, Any]:
    """A JSON column as fetched without type processing (text on SQLite)."""
    if raw is None or raw == "{}":
        return {}
    if isinstance(raw, str):
        return dict(json.loads(raw))
    return dict(raw)


class _RowPlan:
    """How the columns of ``endpoint_row`` become a :class:`Row`.

    Loading is the hot path of checks and exports on big reviews, so rows
    are fetched as plain tuples of only the columns needed (the printed
    texts, not the parsed ``*_num`` copies) and built by position.
    """

    def __init__(self) -> None:
        self.columns: list[str] = ["id", "comparison_id", *_ROW_TEXT_FIELDS]
        self.parts: list[tuple[str, type, int, list[tuple[str, bool, bool, bool, int]]]] = []
        for part, (cls, part_fields) in _PARTS.items():
            flag = len(self.columns)
            self.columns.append(f"has_{part}")
            layout = []
            for name, col, num, number, whole in part_fields:
                layout.append((name, num is not None, number, whole, len(self.columns)))
                self.columns.append(col)
            self.parts.append((part, cls, flag, layout))
        self.ext = len(self.columns)
        self.columns += ["extensions", "part_extensions"]
        self.text_slice = slice(2, 2 + len(_ROW_TEXT_FIELDS))
        self.hib = 2 + _ROW_TEXT_FIELDS.index("higher_is_better")

    def build(self, rec: tuple[Any, ...], citations: list[str]) -> Row:
        texts = dict(zip(_ROW_TEXT_FIELDS, rec[self.text_slice], strict=True))
        if texts["higher_is_better"] is not None:
            texts["higher_is_better"] = bool(texts["higher_is_better"])
        for column, whole in _ROW_REPORTED.items():
            if texts[column] is not None:
                texts[column] = _parse(texts[column], whole)
        part_ext = _json_value(rec[self.ext + 1])
        parts: dict[str, Any] = {}
        for part, cls, flag, layout in self.parts:
            if not rec[flag]:
                parts[part] = None
                continue
            values: dict[str, Any] = {}
            for name, reported, number, whole, i in layout:
                value = rec[i]
                if value is not None:
                    if reported:
                        value = _parse(value, whole)
                    elif number and float(value).is_integer():  # effect.ci_level: 95, not 95.0
                        value = int(value)
                values[name] = value
            parts[part] = cls(**values, extensions=dict(part_ext.get(part, {})))
        return Row(**texts, **parts, citations=citations, extensions=_json_value(rec[self.ext]))


_ROW_PLAN = _RowPlan()


# -- reading -----------------------------------------------------------------


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects.

    Loading creates hundreds of thousands of small objects and no cycles;
    the collector would walk them all again and again (40% of the time on
    100,000 rows).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_review(conn: Connection | Session) -> Review:
    """The whole review stored in the database."""
    if isinstance(conn, Session):
        conn = conn.connection()
    with _gc_paused():
        return _load_review(conn)


def _load_review(conn: Connection) -> Review:
    meta = conn.execute(select(_T_REVIEW).order_by(_T_REVIEW.c.id)).mappings().first()
    review = Review(
        title=meta["title"] if meta else None,
        extensions=dict(meta["extensions"] or {}) if meta else {},
    )
    review.references = load_references(conn)

    citations: dict[int, list[str]] = defaultdict(list)
    for row_id, key in conn.exec_driver_sql(
        "SELECT row_id, reference_key FROM citation ORDER BY row_id, position"
    ).fetchall():
        citations[row_id].append(key)
    by_comparison: dict[int, list[Row]] = defaultdict(list)
    columns = ", ".join(_ROW_PLAN.columns)
    result = conn.exec_driver_sql(f"SELECT {columns} FROM endpoint_row ORDER BY comparison_id, position")
    build = _ROW_PLAN.build
    for fetched in result.fetchall():
        by_comparison[fetched[1]].append(build(tuple(fetched), citations.get(fetched[0], [])))
    for rec in conn.execute(select(_T_CMP).order_by(_T_CMP.c.position)).mappings():
        review.comparisons.append(
            Comparison(
                key=rec["key"],
                title=rec["title"],
                intervention=rec["intervention"],
                comparator=rec["comparator"],
                note=rec["note"],
                rows=by_comparison.get(rec["id"], []),
                extensions=dict(rec["extensions"] or {}),
            )
        )
    review.accepted_findings = load_acceptances(conn)
    return review


def review_title(conn: Connection | Session) -> str | None:
    """The review's title (None when untitled)."""
    if isinstance(conn, Session):
        conn = conn.connection()
    return conn.execute(select(_T_REVIEW.c.title).order_by(_T_REVIEW.c.id)).scalar()


def load_acceptances(conn: Connection | Session, *where: Any) -> list[AcceptedFinding]:
    """The accepted findings (those matching the ``where`` clauses on
    ``accepted_finding``, if any), in order, without loading the rows."""
    if isinstance(conn, Session):
        conn = conn.connection()
    return [
        AcceptedFinding(**{name: rec[name] for name in _ACCEPTED_FIELDS}, extensions=dict(rec["extensions"] or {}))
        for rec in conn.execute(select(_T_ACC).where(*where).order_by(_T_ACC.c.position)).mappings()
    ]


def load_references(conn: Connection | Session) -> list[Reference]:
    """The review's references, in order (without loading its rows)."""
    if isinstance(conn, Session):
        conn = conn.connection()
    references = []
    for rec in conn.execute(select(_T_REF).order_by(_T_REF.c.position)).mappings().all():
        values = {name: rec[name] for name in _REFERENCE_FIELDS}
        values["authors"] = list(values["authors"] or [])
        references.append(Reference(**values, extensions=dict(rec["extensions"] or {})))
    return references


def is_empty(conn: Connection | Session) -> bool:
    """True when the database holds no content (no title, references or comparisons)."""
    if isinstance(conn, Session):
        conn = conn.connection()
    for table in (_T_REF, _T_CMP):
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            return False
    title = conn.execute(select(_T_REVIEW.c.title)).scalar()
    return not title


# -- writing -----------------------------------------------------------------


class ContentConflict(CuratorError):
    """Incoming content clashes with what the review already holds."""


def _insert_returning_ids(conn: Connection, table: Table, records: list[dict[str, Any]]) -> list[int]:
    if not records:
        return []
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), records)
    return [r[0] for r in result]


def _insert_by_position(conn: Connection, table: Table, records: list[dict[str, Any]], *scope: Any) -> list[int]:
    """Insert records that each have a distinct ``position`` within ``scope``
    (a WHERE clause that holds only them among the table's rows at that
    position) and return their ids in the records' order.

    One executemany and one SELECT: an INSERT ... RETURNING that must keep
    the parameters' order runs row by row on SQLite (20,000 rows: 0.7 s of
    1,000s of statements against 0.1 s).
    """
    if not records:
        return []
    conn.execute(insert(table), records)
    first = min(rec["position"] for rec in records)
    ids = dict(conn.execute(select(table.c.position, table.c.id).where(table.c.position >= first, *scope)).all())
    return [ids[rec["position"]] for rec in records]


def _next_position(conn: Connection, table: Table) -> int:
    current = conn.execute(select(func.max(table.c.position))).scalar()
    return 0 if current is None else current + 1


def _reference_record(ref: Reference) -> dict[str, Any]:
    rec = {name: getattr(ref, name) for name in _REFERENCE_FIELDS}
    rec["extensions"] = ref.extensions
    return rec


def add_content(session: Session, review: Review, who: str, *, origin: str | None = None) -> dict[str, int]:
    """Add the review's content to the database's review.

    References whose key is already there are skipped when identical and
    refused when different; a comparison whose key is already there is
    refused. The title is taken when the database has none. Runs in the
    session's transaction: the caller commits, and a refusal leaves nothing
    written. Returns counts of what was added.

    A row's ``status`` and ``verified_by`` are kept as the content says
    them; when they say what only verifications may say (verified, disputed,
    a verifier), the row is marked a claim and the audit log gets a
    ``claim`` entry naming ``origin`` (the file it came from), see
    :mod:`curator.store.verified_here`.
    """
    from curator.store.verified_here import claim_words, is_claim

    conn = session.connection()
    audit = Audit(who)
    existing_refs = {rec["key"]: rec for rec in conn.execute(select(_T_REF)).mappings()}
    existing_cmps = set(conn.execute(select(_T_CMP.c.key)).scalars())

    new_refs: list[dict[str, Any]] = []
    for ref in review.references:
        rec = _reference_record(ref)
        old = existing_refs.get(ref.key)
        if old is not None:
            if any(old[name] != rec[name] for name in rec):
                raise ContentConflict(
                    f"reference {ref.key!r} is already in the review with different details; "
                    "give it another key, or replace the review's content"
                )
            continue
        new_refs.append(rec)
    for comparison in review.comparisons:
        if comparison.key in existing_cmps:
            raise ContentConflict(
                f"comparison {comparison.key!r} is already in the review; "
                "give it another key, or replace the review's content"
            )

    # The review's title and extensions.
    meta = conn.execute(select(_T_REVIEW)).mappings().first()
    if meta is None:
        values = {"title": review.title, "extensions": review.extensions}
        (meta_id,) = _insert_returning_ids(conn, _T_REVIEW, [values])
        audit.add("insert", "review", meta_id, new=values)
    elif not meta["title"] and review.title:
        conn.execute(_T_REVIEW.update().where(_T_REVIEW.c.id == meta["id"]).values(title=review.title))
        audit.change("review", meta["id"], "title", meta["title"], review.title)

    position = _next_position(conn, _T_REF)
    for i, rec in enumerate(new_refs):
        rec["position"] = position + i
    for rec_id, rec in zip(_insert_by_position(conn, _T_REF, new_refs), new_refs, strict=True):
        audit.add("insert", "reference", rec_id, new=rec)

    position = _next_position(conn, _T_CMP)
    rows_added = 0
    for i, comparison in enumerate(review.comparisons):
        cmp_rec = {
            "position": position + i,
            "key": comparison.key,
            "title": comparison.title,
            "intervention": comparison.intervention,
            "comparator": comparison.comparator,
            "note": comparison.note,
            "extensions": comparison.extensions,
        }
        (cmp_id,) = _insert_returning_ids(conn, _T_CMP, [cmp_rec])
        audit.add("insert", "comparison", cmp_id, new=cmp_rec)
        row_recs = []
        for pos, row in enumerate(comparison.rows):
            rec = row_to_record(row)
            rec["comparison_id"] = cmp_id
            rec["position"] = pos
            rec["status_claimed"] = is_claim(row)
            row_recs.append(rec)
        row_ids = _insert_by_position(conn, _T_ROW, row_recs, _T_ROW.c.comparison_id == cmp_id)
        cit_recs: list[dict[str, Any]] = []
        for row_id, rec, row in zip(row_ids, row_recs, comparison.rows, strict=True):
            audit.add("insert", "endpoint_row", row_id, new={**rec, "citations": row.citations})
            if rec["status_claimed"]:
                audit.event("claim", "endpoint_row", row_id, "status", origin, claim_words(row.status, row.verified_by))
            cit_recs.extend(
                {"row_id": row_id, "position": p, "reference_key": key} for p, key in enumerate(row.citations)
            )
        if cit_recs:
            conn.execute(insert(_T_CIT), cit_recs)
        rows_added += len(row_recs)

    insert_acceptances(conn, audit, review.accepted_findings)
    audit.flush(conn)
    return {
        "references": len(new_refs),
        "comparisons": len(review.comparisons),
        "rows": rows_added,
        "accepted_findings": len(review.accepted_findings),
    }


def insert_acceptances(conn: Connection, audit: Audit, acceptances: Sequence[AcceptedFinding], **about: Any) -> None:
    """Store accepted findings at the end of the list (audited). ``about``
    overrides what they are about (``comparison=``, ``row=``, ``reference=``),
    for acceptances put back with a row or reference that moved."""
    position = _next_position(conn, _T_ACC)
    recs = []
    for i, acc in enumerate(acceptances):
        rec = {name: getattr(acc, name) for name in _ACCEPTED_FIELDS}
        rec.update(about, position=position + i, extensions=dict(acc.extensions))
        recs.append(rec)
    for rec_id, rec in zip(_insert_by_position(conn, _T_ACC, recs), recs, strict=True):
        audit.add("insert", "accepted_finding", rec_id, new=rec)


def replace_content(session: Session, review: Review, who: str, *, origin: str | None = None) -> dict[str, int]:
    """Replace everything the review holds with ``review`` (audited)."""
    conn = session.connection()
    audit = Audit(who)
    for table, name in (
        (_T_ACC, "accepted_finding"),
        (_T_ROW, "endpoint_row"),  # their citations go with them
        (_T_CMP, "comparison"),
        (_T_REF, "reference"),
        (_T_REVIEW, "review"),
    ):
        for rec in conn.execute(select(table)).mappings():
            audit.add("delete", name, rec["id"], old={k: v for k, v in rec.items() if k != "id"})
        conn.execute(delete(table))
    audit.flush(conn)
    return add_content(session, review, who, origin=origin)


def save_acceptances(session: Session, acceptances: list[AcceptedFinding], who: str) -> int:
    """Store acceptances of findings (audited); returns how many were stored.

    An acceptance of the same finding (rule, row or reference, field) that
    is already stored is replaced, so the newest reason and fingerprint hold.
    """
    conn = session.connection()
    audit = Audit(who)
    existing = {
        (r["rule"], r["comparison"], r["row"], r["reference"], r["field"]): r
        for r in conn.execute(select(_T_ACC)).mappings()
    }
    position = _next_position(conn, _T_ACC)
    for acc in acceptances:
        rec: dict[str, Any] = {name: getattr(acc, name) for name in _ACCEPTED_FIELDS}
        rec["extensions"] = acc.extensions
        old = existing.get((acc.rule, acc.comparison, acc.row, acc.reference, acc.field))
        if old is not None:
            conn.execute(_T_ACC.delete().where(_T_ACC.c.id == old["id"]))
            audit.add("delete", "accepted_finding", old["id"], old={k: v for k, v in old.items() if k != "id"})
        rec["position"] = position
        position += 1
        (rec_id,) = _insert_returning_ids(conn, _T_ACC, [rec])
        audit.add("insert", "accepted_finding", rec_id, new=rec)
    audit.flush(conn)
    return len(acceptances)


def row_id_of(conn: Connection | Session, comparison: str, position: int) -> int | None:
    """The database id of a comparison's row at ``position``, or None."""
    if isinstance(conn, Session):
        conn = conn.connection()
    query = (
        select(_T_ROW.c.id)
        .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        .where(_T_CMP.c.key == comparison, _T_ROW.c.position == position)
    )
    return conn.execute(query).scalar()
