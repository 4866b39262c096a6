"""The bytes of a review's source documents (schema 0009), and attaching and detaching them.

A document's bytes are kept once per SHA-256 in ``document_blob``; the
``document`` row names it (file, reference, pages). Every write here goes
into the caller's transaction with its audit entries (the bytes themselves
are not copied into the audit log: their SHA-256 is).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from curator.review import Document
from curator.store.audit import Audit
from curator.store.models import DocumentBlob, DocumentRecord, EvidenceRecord, table_of
from curator.store.repository import add_documents

__all__ = [
    "store_bytes",
    "attach",
    "detach",
    "document_bytes",
    "stored_sha256s",
    "evidence_count",
    "drop_unnamed_bytes",
]

_T_DOC: Table = table_of(DocumentRecord)
_T_BLOB: Table = table_of(DocumentBlob)
_T_EV: Table = table_of(EvidenceRecord)


def stored_sha256s(conn: Connection) -> set[str]:
    """The SHA-256 of every document whose bytes the review holds."""
    return set(conn.execute(select(_T_BLOB.c.sha256)).scalars())


def document_bytes(conn: Connection, sha256: str) -> bytes | None:
    """A document's bytes (None when the review does not hold them)."""
    return conn.execute(select(_T_BLOB.c.data).where(_T_BLOB.c.sha256 == sha256)).scalar()


def store_bytes(conn: Connection, audit: Audit, sha256: str, data: bytes) -> bool:
    """Keep ``data`` under ``sha256`` unless it is there already (audited); True when stored now."""
    if sha256 in stored_sha256s(conn):
        return False
    conn.execute(insert(_T_BLOB).values(sha256=sha256, data=data))
    audit.add("insert", "document_blob", None, new={"sha256": sha256, "size": len(data)})
    return True


def attach(conn: Connection, audit: Audit, document: Document, data: bytes) -> bool:
    """Attach ``document`` with its bytes; the same bytes already there are kept once, and a document
    of the same SHA-256 already named by the review keeps its row (its reference set when it had none).
    True when anything changed."""
    changed = store_bytes(conn, audit, document.sha256, data)
    rec = conn.execute(select(_T_DOC).where(_T_DOC.c.sha256 == document.sha256)).mappings().first()
    if rec is None:
        return add_documents(conn, audit, [document]) > 0 or changed
    fill: dict[str, Any] = {
        name: getattr(document, name)
        for name in ("reference", "pages", "media_type")
        if rec[name] is None and getattr(document, name) is not None
    }
    if fill:
        conn.execute(update(_T_DOC).where(_T_DOC.c.id == rec["id"]).values(**fill))
        for name, value in fill.items():
            audit.change("document", rec["id"], name, None, value)
    return changed or bool(fill)


def evidence_count(conn: Connection, sha256: str) -> int:
    """How many values point at the document as their evidence."""
    return len(conn.execute(select(_T_EV.c.id).where(_T_EV.c.document == sha256)).all())


def detach(conn: Connection, audit: Audit, sha256: str) -> None:
    """Remove the document and its bytes from the review (audited). The caller checks first that no
    evidence points at it (the schema refuses that too)."""
    rec = conn.execute(select(_T_DOC).where(_T_DOC.c.sha256 == sha256)).mappings().first()
    if rec is not None:
        conn.execute(delete(_T_DOC).where(_T_DOC.c.id == rec["id"]))
        old = {k: rec[k] for k in ("sha256", "file", "reference", "media_type", "pages", "position")}
        audit.add("delete", "document", rec["id"], old=old)
    if conn.execute(delete(_T_BLOB).where(_T_BLOB.c.sha256 == sha256)).rowcount:
        audit.add("delete", "document_blob", None, old={"sha256": sha256})


def drop_unnamed_bytes(conn: Connection, audit: Audit) -> int:
    """Remove the bytes no document of the review names any more (after its documents were replaced),
    audited; how many were removed."""
    named = select(_T_DOC.c.sha256)
    gone = list(conn.execute(select(_T_BLOB.c.sha256).where(_T_BLOB.c.sha256.not_in(named))).scalars())
    if gone:
        conn.execute(delete(_T_BLOB).where(_T_BLOB.c.sha256.in_(gone)))
    for sha256 in gone:
        audit.add("delete", "document_blob", None, old={"sha256": sha256})
    return len(gone)
