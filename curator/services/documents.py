"""A review's source documents: attach a paper's PDF to a reference, detach it, list them.

The bytes are kept inside the review file, once per SHA-256; each use case
is one transaction with its audit entries. A file that is not a usable PDF
(not a PDF, damaged, encrypted) is refused with a message naming it, before
anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curator.errors import CuratorError
from curator.locate import Located
from curator.pdf import PdfError, inspect_pdf
from curator.review import Document, Row
from curator.services.review import Part
from curator.words import counted

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from curator.store.audit import Audit

__all__ = ["Documents", "Attached", "Placed", "PDF", "find_beside", "mark_found_beside", "store_found"]

PDF = "application/pdf"


@dataclass(frozen=True)
class Attached:
    """What attaching did: the document, whether the review already had it, whether it has a text layer."""

    document: Document
    already: bool
    has_text: bool


@dataclass(frozen=True)
class Placed:
    """One document of a row's references and where each of the row's values stands in it."""

    document: Document
    fields: list[Located]


class Documents(Part):
    """The source documents of one open review."""

    def all(self) -> list[Document]:
        """The review's documents in order (``stored`` says whether their bytes are in the review)."""
        from curator.store.repository import load_documents

        return self._service.read(load_documents)

    def content(self, sha256: str) -> bytes | None:
        """A document's bytes (None when the review does not hold them)."""
        from curator.store.documents import document_bytes

        return self._service.read(lambda conn: document_bytes(conn, sha256))

    def locate(self, comparison: str, position: int) -> list[Placed]:
        """Where each value of row ``comparison[position]`` stands in its papers: the documents (with
        their bytes) of the references the row cites, each with every field's hits (issue 14, Locate).

        :class:`CuratorError` when the row does not exist; a row whose references have no document
        held in the review gives an empty list."""
        from curator.locate import locate_row
        from curator.store.field_states import load_row
        from curator.store.repository import load_documents

        def read(conn: Connection) -> tuple[Row, list[Document]]:
            return load_row(conn, comparison, position).row, load_documents(conn)

        row, documents = self._service.read(read)
        placed: list[Placed] = []
        for document in documents:
            if document.reference not in row.citations or not document.stored:
                continue
            data = self.content(document.sha256)
            if data is None:
                continue
            try:
                placed.append(Placed(document, locate_row(row, data, document.file)))
            except PdfError as exc:
                raise CuratorError(str(exc)) from None
        return placed

    def attach(self, reference: str | None, path: Path) -> Attached:
        """Attach the PDF at ``path`` as the full text of ``reference`` (audited). Refused, nothing
        written, when the file cannot be read or is not a usable PDF."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CuratorError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        try:
            info = inspect_pdf(data, str(path))
        except PdfError as exc:
            raise CuratorError(str(exc)) from None
        document = Document(
            sha256=info.sha256, file=path.name, reference=reference, media_type=PDF, pages=info.pages, stored=True
        )
        return Attached(document, not self.attach_bytes(document, data), info.has_text)

    def attach_bytes(self, document: Document, data: bytes) -> bool:
        """Keep ``document`` with ``data`` (already checked to be its bytes), audited; True when anything changed."""
        from curator.store.audit import Audit
        from curator.store.documents import attach

        with self._service.writing() as session:
            conn = session.connection()
            audit = Audit(self._who)
            changed = attach(conn, audit, document, data)
            audit.flush(conn)
        return changed

    def detach(self, reference: str, file: str | None = None) -> list[Document]:
        """Detach the documents of ``reference`` (only the one named ``file``, or its SHA-256, when
        given), audited; the documents detached. Refused when there is none, or when a value's
        evidence points at one."""
        from curator.store.audit import Audit
        from curator.store.documents import detach, evidence_count
        from curator.store.repository import load_documents

        with self._service.writing() as session:
            conn = session.connection()
            chosen = [
                d
                for d in load_documents(conn)
                if d.reference == reference and (file is None or file in (d.file, d.sha256))
            ]
            if not chosen:
                what = f"no document {file!r}" if file is not None else "no document"
                raise CuratorError(f"reference {reference!r} has {what} attached")
            audit = Audit(self._who)
            for document in chosen:
                used = evidence_count(conn, document.sha256)
                if used:
                    raise CuratorError(
                        f"{document.file}: {counted(used, 'value')} of the review {'was' if used == 1 else 'were'} "
                        "read from it (their evidence points at it); it is kept"
                    )
                detach(conn, audit, document.sha256)
            audit.flush(conn)
        return chosen


def _sha256_of_file(path: Path) -> str | None:
    """The SHA-256 of the file's bytes, read a block at a time (None when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def find_beside(documents: Sequence[Document], folder: Path) -> dict[str, Path]:
    """Where each document stands in ``folder`` (the exchange file's): the file of its name, else any
    file there whose SHA-256 matches, kept only when its hash is the document's. sha256 -> path."""
    found: dict[str, Path] = {}
    wanted = {d.sha256 for d in documents}
    for document in documents:
        path = folder / Path(document.file).name
        if path.is_file() and _sha256_of_file(path) == document.sha256:
            found[document.sha256] = path
    if wanted - set(found):
        try:
            others = sorted(p for p in folder.iterdir() if p.is_file() and p not in found.values())
        except OSError:
            others = []
        for path in others:
            sha = _sha256_of_file(path)
            if sha in wanted and sha not in found:
                found[sha] = path
            if not wanted - set(found):
                break
    return found


def mark_found_beside(documents: Sequence[Document], folder: Path) -> None:
    """Mark the documents found in ``folder`` as held (``stored``); the others are kept by name."""
    found = find_beside(documents, folder)
    for document in documents:
        document.stored = document.sha256 in found


def store_found(conn: Connection, audit: Audit, documents: Sequence[Document], folder: Path) -> int:
    """Keep the bytes of the documents found in ``folder`` (checked against their SHA-256 once read);
    how many were stored now."""
    from curator.pdf import sha256_of
    from curator.store.documents import store_bytes

    stored = 0
    for sha, path in find_beside(documents, folder).items():
        data = path.read_bytes()
        if sha256_of(data) == sha and store_bytes(conn, audit, sha, data):
            stored += 1
    return stored
