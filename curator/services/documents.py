"""A review's source documents: attach a paper's PDF to a reference, detach it, list them.

The bytes are kept inside the review file, once per SHA-256; each use case
is one transaction with its audit entries. A file that is not a usable PDF
(not a PDF, damaged, encrypted) is refused with a message naming it, before
anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from curator.errors import CuratorError
from curator.pdf import PdfError, inspect_pdf
from curator.review import Document
from curator.services.review import Part
from curator.words import counted

__all__ = ["Documents", "Attached", "PDF"]

PDF = "application/pdf"


@dataclass(frozen=True)
class Attached:
    """What attaching did: the document, whether the review already had it, whether it has a text layer."""

    document: Document
    already: bool
    has_text: bool


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

        with self._service.writing() as session:
            conn = session.connection()
            from curator.store.repository import load_documents

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
