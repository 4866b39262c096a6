"""Moving a review's content between the database and :mod:`curator.review`.

:func:`load_review` reads the whole review with plain SELECTs (no ORM
objects: it is the hot path for checks and exports on big reviews).
:func:`add_content` and :func:`replace_content` write content in the
caller's transaction and record every insert and delete in the audit log,
so a failure anywhere rolls the whole write back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlmodel import Session

from curator import fields
from curator.errors import CuratorError
from curator.memory import gc_paused
from curator.review import AcceptedFinding, Comparison, Document, Evidence, Reference, Review, Row
from curator.store.audit import Audit, audit_entries
from curator.store.bulk import big_cache, insert_many
from curator.store.models import (
    AcceptedFindingRecord,
    AuditEntry,
    Citation,
    ComparisonRecord,
    DocumentBlob,
    DocumentRecord,
    EvidenceRecord,
    ReferenceRecord,
    ReviewMeta,
    RowRecord,
    table_of,
)
from curator.store.records import _RECORD_PLAN, _ROW_INSERT_COLUMNS, _ROW_PLAN, row_snapshot

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
    "load_documents",
    "load_evidence",
    "add_documents",
    "insert_evidence",
    "evidence_snapshot",
    "evidence_json",
    "same_evidence",
]

_T_REVIEW: Table = table_of(ReviewMeta)
_T_REF: Table = table_of(ReferenceRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_ROW: Table = table_of(RowRecord)
_T_CIT: Table = table_of(Citation)
_T_ACC: Table = table_of(AcceptedFindingRecord)
_T_AUDIT: Table = table_of(AuditEntry)
_T_DOC: Table = table_of(DocumentRecord)
_T_EV: Table = table_of(EvidenceRecord)
_T_BLOB: Table = table_of(DocumentBlob)
_DOCUMENT_FIELDS = ("sha256", "file", "reference", "media_type", "pages")

#: The columns of ``reference``, from the field table (named as the fields).
_REFERENCE_FIELDS = tuple(f.column for f in fields.REFERENCE_FIELDS if f.column is not None)
_ACCEPTED_FIELDS = (
    "rule", "comparison", "endpoint", "row", "reference", "field", "reason", "by", "at", "fingerprint",
)  # fmt: skip


# -- reading -----------------------------------------------------------------


def load_review(conn: Connection | Session) -> Review:
    """The whole review stored in the database."""
    if isinstance(conn, Session):
        conn = conn.connection()
    with gc_paused():
        return _load_review(conn)


def _load_review(conn: Connection) -> Review:
    meta = conn.execute(select(_T_REVIEW).order_by(_T_REVIEW.c.id)).mappings().first()
    review = Review(
        title=meta["title"] if meta else None,
        extensions=dict(meta["extensions"] or {}) if meta else {},
    )
    review.references = load_references(conn)
    review.documents = load_documents(conn)

    citations: dict[int, list[str]] = defaultdict(list)
    for row_id, key in conn.exec_driver_sql(
        "SELECT row_id, reference_key FROM citation ORDER BY row_id, position"
    ).fetchall():
        citations[row_id].append(key)
    by_comparison: dict[int, list[Row]] = defaultdict(list)
    columns = ", ".join(_ROW_PLAN.columns)
    result = conn.exec_driver_sql(f"SELECT {columns} FROM endpoint_row ORDER BY comparison_id, position")
    build = _ROW_PLAN.build
    evidence = load_evidence(conn)
    for fetched in result.fetchall():
        row = build(tuple(fetched), citations.get(fetched[0], []))
        if evidence:
            row.evidence = evidence.pop(fetched[0], row.evidence)
        by_comparison[fetched[1]].append(row)
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


def load_documents(conn: Connection | Session) -> list[Document]:
    """The review's source documents, in order."""
    if isinstance(conn, Session):
        conn = conn.connection()
    stored = set(conn.execute(select(_T_BLOB.c.sha256)).scalars())
    return [
        Document(
            **{name: rec[name] for name in _DOCUMENT_FIELDS},
            extensions=dict(rec["extensions"] or {}),
            stored=rec["sha256"] in stored,
        )
        for rec in conn.execute(select(_T_DOC).order_by(_T_DOC.c.position)).mappings()
    ]


def load_evidence(
    conn: Connection | Session, row_ids: Sequence[int] | None = None, *, comparison_id: int | None = None
) -> dict[int, dict[str, Evidence]]:
    """The evidence of the rows with ids ``row_ids`` (a few), or of the rows of
    one comparison, or of every row: row id -> field path -> evidence."""
    if isinstance(conn, Session):
        conn = conn.connection()
    query = select(_T_EV).order_by(_T_EV.c.row_id, _T_EV.c.id)
    if row_ids is not None:
        query = query.where(_T_EV.c.row_id.in_(list(row_ids)))
    if comparison_id is not None:
        query = query.join(_T_ROW, _T_ROW.c.id == _T_EV.c.row_id).where(_T_ROW.c.comparison_id == comparison_id)
    out: dict[int, dict[str, Evidence]] = {}
    for rec in conn.execute(query).mappings():
        out.setdefault(rec["row_id"], {})[rec["field"]] = Evidence(
            document=rec["document"],
            page=rec["page"],
            text=rec["text"],
            boxes=list(rec["boxes"] or []),
            extensions=dict(rec["extensions"] or {}),
        )
    return out


def evidence_snapshot(row: Row) -> dict[str, Any]:
    """The row's evidence for its audit entry (``{}`` when it has none, so older entries look as they did)."""
    if not row.evidence:
        return {}
    return {
        "evidence": {
            path: {"document": e.document, "page": e.page, "text": e.text, "boxes": e.boxes, **e.extensions}
            for path, e in row.evidence.items()
        }
    }


def evidence_json(evidence: Evidence | None) -> str | None:
    """Evidence as its audit entry keeps it (None for none): document, page, text and boxes."""
    if evidence is None:
        return None
    out: dict[str, Any] = {"document": evidence.document, "page": evidence.page}
    if evidence.text is not None:
        out["text"] = evidence.text
    out["boxes"] = _boxes(evidence.boxes)
    return json.dumps(out, ensure_ascii=False)


def _boxes(boxes: Any) -> list[list[float]]:
    return [[float(v) for v in box] for box in boxes or []]


def same_evidence(a: Evidence | None, b: Evidence | None) -> bool:
    """The same place: document, page, text and boxes (boxes as numbers, lists or tuples alike)."""
    if a is None or b is None:
        return a is b
    return (a.document, a.page, a.text, _boxes(a.boxes)) == (b.document, b.page, b.text, _boxes(b.boxes))


def insert_evidence(conn: Connection, rows: Sequence[tuple[int, Row]]) -> None:
    """Store the evidence of rows just inserted (row id, row). Each must name a
    document of the review: :class:`ContentConflict` (naming the row and the
    field) when one does not, as the exchange reader refuses it."""
    records = [
        {
            "row_id": row_id,
            "field": path,
            "document": e.document,
            "page": e.page,
            "text": e.text,
            "boxes": e.boxes,
            "extensions": e.extensions,
        }
        for row_id, row in rows
        for path, e in row.evidence.items()
    ]
    if not records:
        return
    known = set(conn.execute(select(_T_DOC.c.sha256)).scalars())
    for _row_id, row in rows:
        for path, e in row.evidence.items():
            if e.document not in known:
                raise ContentConflict(
                    f"row {row.endpoint!r}: the evidence of {path} names document {e.document}, "
                    "which the review does not have"
                )
    conn.execute(insert(_T_EV), records)


def add_documents(conn: Connection, audit: Audit, documents: Sequence[Document]) -> int:
    """Add the documents the review does not have yet (by SHA-256: the same
    bytes are the same document, whatever its file is called here), at the
    end of the list (audited); returns how many were added."""
    have = set(conn.execute(select(_T_DOC.c.sha256)).scalars())
    position = _next_position(conn, _T_DOC)
    records: list[dict[str, Any]] = []
    for document in documents:
        if document.sha256 in have:
            continue
        have.add(document.sha256)
        rec = {name: getattr(document, name) for name in _DOCUMENT_FIELDS}
        rec.update(position=position + len(records), extensions=dict(document.extensions))
        records.append(rec)
    for rec_id, rec in zip(_insert_by_position(conn, _T_DOC, records), records, strict=True):
        audit.add("insert", "document", rec_id, new=rec)
    return len(records)


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


def _next_id(conn: Connection, table: Table) -> int:
    """The id after the table's last (what the database would give the next row; the write transaction
    holds the lock, so no other writer takes it meanwhile)."""
    current = conn.execute(select(func.max(table.c.id))).scalar()
    if conn.dialect.name == "postgresql":
        # Rows this reviewer may not read (a team review's blind entry) have ids too: the sequence,
        # which every insert moves past its id (see _ids_given), knows the last.
        issued = conn.exec_driver_sql(
            f"SELECT pg_sequence_last_value(pg_get_serial_sequence('{table.name}', 'id'))"
        ).scalar()
        current = max(current or 0, issued or 0) or None
    return 1 if current is None else current + 1


def _ids_given(conn: Connection, table: Table) -> None:
    """After rows were inserted with their ids given: on PostgreSQL the table's id sequence goes on
    after them (SQLite's next rowid follows the largest by itself)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"SELECT setval(seq, greatest((SELECT max(id) FROM {table.name}), pg_sequence_last_value(seq))) "
            f"FROM pg_get_serial_sequence('{table.name}', 'id') AS seq"
        )


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
    a verifier), the row is marked a claim; each row's insert entry in the
    audit log names ``origin`` (the file it came from), see
    :mod:`curator.store.verified_here`.
    """
    with gc_paused(), big_cache(session.connection()):
        return _add_content(session, review, who, origin)


def _add_content(session: Session, review: Review, who: str, origin: str | None) -> dict[str, int]:
    from curator.store.verified_here import is_claim

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

    documents_added = add_documents(conn, audit, review.documents)

    position = _next_position(conn, _T_CMP)
    # Rows go in as tuples, all of them in one sparse insert (insert_many), with their ids given in the
    # order of their comparisons and positions: the insert groups them, and their order on the disk
    # stays theirs, which loading reads in. Their evidence and citations follow them.
    next_id = _next_id(conn, _T_ROW)
    from_file = {} if origin is None else {"origin": origin}
    row_values: list[tuple[Any, ...]] = []
    placed: list[tuple[int, Row]] = []
    cit_values: list[tuple[int, int, str]] = []
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
        for pos, row in enumerate(comparison.rows):
            row_id = next_id
            next_id += 1
            stored = (row_id, cmp_id, pos, is_claim(row), *_RECORD_PLAN.values(row))
            row_values.append(stored)
            placed.append((row_id, row))
            # The file the row came from is in its snapshot (with status_claimed, what the row's status
            # claims and where from: see verified_here.claim_of); an entry of its own per claimed row
            # told nothing more and cost a tenth of a 100,000-row import.
            audit.add(
                "insert",
                "endpoint_row",
                row_id,
                new=row_snapshot(
                    _ROW_INSERT_COLUMNS, stored, citations=row.citations, **evidence_snapshot(row), **from_file
                ),
            )
            cit_values.extend((row_id, p, key) for p, key in enumerate(row.citations))
    insert_many(conn, _T_ROW, _ROW_INSERT_COLUMNS, row_values, sparse=True)
    _ids_given(conn, _T_ROW)
    insert_evidence(conn, placed)
    insert_many(conn, _T_CIT, ("row_id", "position", "reference_key"), cit_values)
    rows_added = len(row_values)

    insert_acceptances(conn, audit, review.accepted_findings)
    audit.flush(conn)
    return {
        "references": len(new_refs),
        "comparisons": len(review.comparisons),
        "rows": rows_added,
        "accepted_findings": len(review.accepted_findings),
        "documents": documents_added,
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
        (_T_ROW, "endpoint_row"),  # their citations and evidence go with them
        (_T_DOC, "document"),
        (_T_CMP, "comparison"),
        (_T_REF, "reference"),
        (_T_REVIEW, "review"),
    ):
        for rec in conn.execute(select(table)).mappings():
            audit.add(
                "delete",
                name,
                rec["id"],
                old=row_snapshot(list(rec.keys()), list(rec.values()))
                if table is _T_ROW
                else {k: v for k, v in rec.items() if k != "id"},
            )
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
