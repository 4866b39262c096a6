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

__all__ = [
    "Documents",
    "Attached",
    "Placed",
    "PDF",
    "MAX_BYTES",
    "too_big",
    "find_beside",
    "mark_found_beside",
    "unusable_beside",
    "not_kept_beside",
    "store_found",
    "store_from_database",
]

PDF = "application/pdf"

#: The largest file kept as a paper: 200 MB. A journal article with its supplements is a few
#: MB, a long scanned thesis rarely 100; a bigger file is not a paper (a whole book of scans,
#: a video) and would make every copy, backup and merge of the one-file review slow. The
#: bytes live in one SQLite value, and reading or attaching holds the file in memory once.
MAX_BYTES = 200 * 1000 * 1000


def too_big(name: str, size: int) -> str | None:
    """The message refusing a file of ``size`` bytes, or None when it is small enough."""
    if size <= MAX_BYTES:
        return None
    return (
        f"{name}: {size / 1e6:,.0f} MB is more than a paper needs (at most {MAX_BYTES // 1_000_000} MB "
        "is kept in a review); save a smaller copy (without embedded media, or scanned at a lower resolution)"
    )


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
            if (refused := too_big(str(path), path.stat().st_size)) is not None:
                raise CuratorError(refused)
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


def _usable(path: Path, sha: str) -> tuple[bytes | None, str | None]:
    """The bytes of the file found beside an exchange file when they are a usable PDF of SHA-256
    ``sha``; else None and why not (naming the file)."""
    from curator.pdf import sha256_of

    try:
        if (refused := too_big(str(path), path.stat().st_size)) is not None:
            return None, refused
        data = path.read_bytes()
    except OSError as exc:
        return None, f"{path}: cannot be read ({exc.strerror or exc})"
    if sha256_of(data) != sha:
        return None, f"{path}: changed while it was read"
    try:
        inspect_pdf(data, str(path))
    except PdfError as exc:
        return None, str(exc)
    return data, None


def unusable_beside(documents: Sequence[Document], folder: Path) -> dict[str, str]:
    """The documents found in ``folder`` whose file is no usable PDF (too big, damaged, encrypted,
    not a PDF): sha256 -> the message naming the file. They are kept by name, without their bytes."""
    problems: dict[str, str] = {}
    for sha, path in find_beside(documents, folder).items():
        _data, problem = _usable(path, sha)
        if problem is not None:
            problems[sha] = problem
    return problems


def mark_found_beside(documents: Sequence[Document], folder: Path) -> dict[str, str]:
    """Mark the documents found in ``folder`` as held (``stored``); the others, and those whose file is
    no usable PDF, are kept by name. What is wrong with the files found but not usable: sha256 -> why."""
    found = find_beside(documents, folder)
    problems: dict[str, str] = {}
    for sha, path in found.items():
        _data, problem = _usable(path, sha)
        if problem is not None:
            problems[sha] = problem
    for document in documents:
        document.stored = document.sha256 in found and document.sha256 not in problems
    return problems


def not_kept_beside(source: Path, documents: Sequence[Document]) -> list[str]:
    """The lines saying which documents the exchange file ``source`` names were not found beside it, or
    were found but are no usable PDF (each line naming the file and why): they are kept by name."""
    absent = [d for d in documents if not d.stored]
    unusable = unusable_beside(absent, source.resolve().parent) if absent else {}
    lines = []
    for document in absent:
        of = f"reference {document.reference!r}" if document.reference is not None else "no reference"
        why = unusable.get(document.sha256)
        found = f"was found beside it but is not kept ({why})" if why else "was not found beside it"
        lines.append(f"{source.name}: document {document.file} ({of}) {found}; it is kept by name, without its file")
    return lines


def store_found(conn: Connection, audit: Audit, documents: Sequence[Document], folder: Path) -> int:
    """Keep the bytes of the documents found in ``folder`` (checked against their SHA-256 once read,
    and to be a usable PDF: one that is not is left out, kept by name); how many were stored now.
    One file is in memory at a time."""
    from curator.store.documents import store_bytes

    stored = 0
    for sha, path in find_beside(documents, folder).items():
        data, _problem = _usable(path, sha)
        if data is not None and store_bytes(conn, audit, sha, data):
            stored += 1
        del data
    return stored


def store_from_database(conn: Connection, audit: Audit, documents: Sequence[Document], source: Path) -> int:
    """Keep the bytes of ``documents`` that the review database ``source`` holds and this one does not
    (another reviewer's review being merged or imported), read from it without changing it, one at a
    time; how many were stored now."""
    from curator.services.sources import reading_database
    from curator.store.documents import document_bytes, store_bytes, stored_sha256s

    have = stored_sha256s(conn)
    wanted = [d.sha256 for d in documents if d.sha256 not in have]
    if not wanted:
        return 0
    stored = 0
    with reading_database(source) as theirs:
        for sha in wanted:
            data = document_bytes(theirs, sha)
            if data is not None and store_bytes(conn, audit, sha, data):
                stored += 1
            del data
    return stored
