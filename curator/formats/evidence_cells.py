"""The source documents and the rows' evidence (1.1) as spreadsheet cells.

A workbook carries them in two places, both read back by ``curator import``
(:mod:`curator.formats.xlsx_read`) to the same :attr:`Review.documents` and
:attr:`Row.evidence`:

* the **Documents** sheet: one line per document, with the columns
  :data:`DOCUMENT_HEADERS` (``File``, ``Reference``, ``Pages``,
  ``Media type``, ``SHA-256``), and after Reference its citation for
  people (``Citation``, ignored on import);
* on the **Data** sheet, after the field columns, four columns for each field
  that has evidence in some row of the review (in the fields' order), named
  by the field's label (:func:`curator.naming.field_label`, without the arms'
  labels, which differ from comparison to comparison) and what they hold:
  ``Intervention value (page)`` (a whole number from 1),
  ``Intervention value (document)`` (the document's file name as the
  Documents sheet gives it; its SHA-256 when two documents share a file
  name), ``Intervention value (text on the page)`` (the characters as they
  stand there, ``42.6%``) and ``Intervention value (boxes)``: each box
  ``x0 y0 x1 y1`` in PDF points from the page's top-left corner, boxes
  separated by ``;`` (``72 100.5 96.3 112.25; 72 114 90 126``), each number
  in its shortest exact form. A field without evidence on a line leaves its
  four cells empty; a review without evidence has no such column.

What the cells cannot carry: the ``x-`` extensions of a document or an
evidence entry, and an evidence text that is empty or only white space (an
empty cell reads back as no text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from curator import fields
from curator.formats.fields import show
from curator.naming import field_label
from curator.review import Document, Evidence, Reference, Review, Row

__all__ = [
    "EVIDENCE_PARTS",
    "EVIDENCE_HEADERS",
    "DOCUMENT_HEADERS",
    "DOCUMENTS_SHEET",
    "DOCUMENT_CITATION",
    "EvidenceColumn",
    "evidence_columns",
    "evidence_header",
    "parse_evidence_header",
    "evidence_hint",
    "document_names",
    "evidence_cells",
    "boxes_text",
    "parse_boxes",
    "parse_page",
    "Documents",
    "document_to_cells",
    "cells_to_document",
    "has_evidence",
    "short_name",
    "pages_text",
    "decode_evidence",
    "EvidenceError",
    "DocumentError",
]

DOCUMENTS_SHEET = "Documents"
#: The Documents sheet's column of citations, for reading: ignored on import.
DOCUMENT_CITATION = "Citation"

#: What each of a field's evidence columns holds, in their order, by the word its header ends in.
EVIDENCE_PARTS: tuple[tuple[str, str], ...] = (
    ("page", "page"),
    ("document", "document"),
    ("text", "text on the page"),
    ("boxes", "boxes"),
)
_WORDS = {word: part for part, word in EVIDENCE_PARTS}
_HEADER = re.compile(r"^(?P<label>.+) \((?P<word>[a-z ]+)\)$")

#: Each row field's label for people (without arm labels), and back.
_LABELS: dict[str, str] = {f.path: field_label(f.path) for f in fields.ROW_FIELDS}
_PATHS: dict[str, str] = {label: path for path, label in _LABELS.items()}
assert len(_PATHS) == len(_LABELS), "two row fields share a label"

#: The Documents sheet's columns: header -> the document's key.
DOCUMENT_HEADERS: tuple[tuple[str, str], ...] = (
    ("File", "file"),
    ("Reference", "reference"),
    ("Pages", "pages"),
    ("Media type", "media_type"),
    ("SHA-256", "sha256"),
)
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_WHOLE = re.compile(r"^[0-9]+$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class EvidenceColumn:
    """One evidence column of the Data sheet: the field it is about and what it holds."""

    path: str
    part: str  # page, document, text or boxes

    @property
    def header(self) -> str:
        return evidence_header(self.path, self.part)


def evidence_header(path: str, part: str) -> str:
    """``Intervention value (page)``: the header of one evidence column."""
    word = dict(EVIDENCE_PARTS)[part]
    return f"{_LABELS[path]} ({word})"


#: Every evidence column's header (for a guess at a mistyped one).
EVIDENCE_HEADERS: tuple[str, ...] = tuple(
    evidence_header(f.path, part) for f in fields.ROW_FIELDS for part, _w in EVIDENCE_PARTS
)


def parse_evidence_header(header: str) -> EvidenceColumn | None:
    """The evidence column a header names, or None when it names none."""
    match = _HEADER.match(header.strip())
    if match is None:
        return None
    path = _PATHS.get(match["label"])
    part = _WORDS.get(match["word"])
    if path is None or part is None:
        return None
    return EvidenceColumn(path, part)


def evidence_hint(column: EvidenceColumn) -> str:
    """What an evidence column holds, for its header's comment."""
    label = _LABELS[column.path]
    return {
        "page": f"The page {label} was read from: a whole number from 1.",
        "document": f"The document {label} was read from: its file name on the Documents sheet (or its SHA-256).",
        "text": f"The characters {label} was read from, as they stand on the page.",
        "boxes": "Where those characters stand: boxes x0 y0 x1 y1 in PDF points from the page's top-left corner, "
        "separated by ; (e.g. 72 100.5 96.3 112).",
    }[column.part]


def has_evidence(review: Review) -> bool:
    return any(row.evidence for comparison in review.comparisons for row in comparison.rows)


def evidence_columns(rows: Iterable[Row]) -> list[EvidenceColumn]:
    """The evidence columns for ``rows``: four for each field that has evidence in one of them, in the fields' order."""
    used: set[str] = set()
    for row in rows:
        used.update(row.evidence)
    return [EvidenceColumn(f.path, part) for f in fields.ROW_FIELDS if f.path in used for part, _w in EVIDENCE_PARTS]


def document_names(documents: Sequence[Document]) -> dict[str, str]:
    """How the Data sheet names each document (sha256 -> name): its file name, unless two documents
    share it or it looks like another's SHA-256; then its SHA-256."""
    count: dict[str, int] = {}
    for document in documents:
        count[document.file] = count.get(document.file, 0) + 1
    hashes = {document.sha256 for document in documents}
    return {
        d.sha256: d.file
        if count[d.file] == 1 and d.file.strip() == d.file and d.file not in hashes and not _SHA256.match(d.file)
        else d.sha256
        for d in documents
    }


def _number_text(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


def boxes_text(boxes: Sequence[Sequence[float]]) -> str | None:
    """Boxes as one compact text: ``72 100.5 96.3 112; 72 114 90 126`` (None for none)."""
    if not boxes:
        return None
    return "; ".join(" ".join(_number_text(v) for v in box) for box in boxes)


def parse_boxes(text: str) -> list[list[int | float]]:
    """Boxes from their compact text; ``ValueError`` with the reason."""
    out: list[list[int | float]] = []
    for i, part in enumerate(text.split(";"), start=1):
        numbers = part.split()
        if len(numbers) != 4 or not all(_NUMBER.match(n) for n in numbers):
            raise ValueError(
                f"box {i}, {show(part.strip())}, is not four numbers x0 y0 x1 y1 "
                "(boxes are separated by ;, e.g. 72 100.5 96.3 112)"
            )
        box: list[int | float] = []
        for n in numbers:
            if re.match(r"^-?\d+$", n):
                box.append(int(n))
            else:
                value = float(n)
                if not math.isfinite(value):
                    raise ValueError(f"box {i}: {show(n)} is too large a number")
                box.append(value)
        out.append(box)
    return out


def parse_page(text: str) -> int:
    """A page number from a cell; ``ValueError`` with the reason."""
    page = text.strip()
    if not _WHOLE.match(page) or int(page) < 1:
        raise ValueError(f"{show(text)} is not a page number (a whole number from 1)")
    return int(page)


def evidence_cells(row: Row, columns: Sequence[EvidenceColumn], names: Mapping[str, str]) -> list[str | None]:
    """The row's evidence in ``columns``' cells (text cells; None where empty)."""
    cells: list[str | None] = []
    for column in columns:
        evidence = row.evidence.get(column.path)
        if evidence is None:
            cells.append(None)
        elif column.part == "page":
            cells.append(str(evidence.page))
        elif column.part == "document":
            cells.append(names.get(evidence.document, evidence.document))
        elif column.part == "text":
            cells.append(evidence.text if evidence.text and evidence.text.strip() else None)
        else:
            cells.append(boxes_text(evidence.boxes))
    return cells


class Documents:
    """The documents a workbook names, to find the one a Data cell names: by SHA-256, then by file name."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.by_sha = {d.sha256: d for d in documents}
        by_file: dict[str, list[Document]] = {}
        for d in documents:
            by_file.setdefault(d.file, []).append(d)
        self.by_file = by_file

    def find(self, name: str) -> str:
        """The SHA-256 of the document ``name`` names; ``ValueError`` with the reason."""
        name = name.strip()
        if _SHA256.match(name) and name.lower() in self.by_sha:
            return name.lower()
        found = self.by_file.get(name, [])
        if len(found) == 1:
            return found[0].sha256
        if len(found) > 1:
            raise ValueError(f"{show(name)} is the file name of {len(found)} documents: give the SHA-256 of one")
        if not self.by_sha:
            raise ValueError(f"{show(name)} is not a document of this workbook (it has no {DOCUMENTS_SHEET} sheet)")
        known = ", ".join(sorted(self.by_file))
        raise ValueError(f"{show(name)} is not a document on the {DOCUMENTS_SHEET} sheet (it names {known})")


def decode_evidence(cells: Mapping[EvidenceColumn, str | None], documents: Documents) -> dict[str, Evidence]:
    """A line's evidence from its evidence cells (column -> cell text, None when empty); ``EvidenceError``
    naming the bad cell's column."""
    by_path: dict[str, dict[str, str]] = {}
    for column, cell in cells.items():
        if cell is not None and cell.strip():
            by_path.setdefault(column.path, {})[column.part] = cell
    out: dict[str, Evidence] = {}
    for path, parts in by_path.items():
        for needed in ("page", "document"):
            if needed not in parts:
                given = next(iter(parts))
                raise EvidenceError(
                    EvidenceColumn(path, needed),
                    "",
                    f"missing; {_LABELS[path]} ({dict(EVIDENCE_PARTS)[given]}) is given, and evidence needs "
                    f"its {needed}",
                )
        values: dict[str, object] = {}
        for part, parse in (("page", parse_page), ("document", documents.find), ("boxes", parse_boxes)):
            if part in parts:
                try:
                    values[part] = parse(parts[part])
                except ValueError as exc:
                    raise EvidenceError(EvidenceColumn(path, part), parts[part], str(exc)) from None
        out[path] = Evidence(
            document=str(values["document"]),
            page=int(values["page"]),  # type: ignore[call-overload]
            text=parts.get("text"),
            boxes=values.get("boxes", []),  # type: ignore[arg-type]
        )
    return {path: out[path] for path in _LABELS if path in out}


class EvidenceError(ValueError):
    """A bad evidence cell: its column, its text and why."""

    def __init__(self, column: EvidenceColumn, value: str, message: str) -> None:
        super().__init__(message)
        self.column, self.value, self.message = column, value, message


# -- the Documents sheet ------------------------------------------------------------


def document_to_cells(document: Document) -> list[str | None]:
    """A document's cells, in :data:`DOCUMENT_HEADERS` order."""
    cells: list[str | None] = []
    for _header, key in DOCUMENT_HEADERS:
        value = getattr(document, key)
        cells.append(None if value is None else str(value))
    return cells


def cells_to_document(cells: Mapping[str, str | None]) -> Document:
    """A document from its cells (key -> text, None when empty); ``DocumentError`` naming the bad key."""
    sha = cells.get("sha256")
    if sha is None or not sha.strip():
        raise DocumentError("sha256", "missing; a document needs its SHA-256")
    if not _SHA256.match(sha.strip()):
        raise DocumentError("sha256", f"{show(sha)} is not a SHA-256 (64 hex digits)")
    file = cells.get("file")
    if file is None or not file.strip():
        raise DocumentError("file", "missing; a document needs its file name")
    pages = cells.get("pages")
    if pages is not None and not _WHOLE.match(pages.strip()):
        raise DocumentError("pages", f"{show(pages)} is not a whole number")
    return Document(
        sha256=sha.strip().lower(),
        file=file,
        reference=cells.get("reference"),
        media_type=cells.get("media_type"),
        pages=None if pages is None else int(pages),
    )


class DocumentError(ValueError):
    """A bad cell of the Documents sheet: the document key of its column, and why."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


# -- in people's words (the comparison sheets) ---------------------------------------


def short_name(document: Document, references: Mapping[str, Reference]) -> str:
    """A document as a reader names it: its reference's first author and year (``Wahn 2002``), else its
    file name."""
    reference = references.get(document.reference or "")
    if reference is not None and reference.authors and reference.year is not None:
        first = reference.authors[0]
        family = first.split(",")[0].strip() if "," in first else first.split()[0] if first.split() else first
        if family:
            return f"{family} {reference.year}"
    return document.file


def pages_text(pages: Iterable[int]) -> str:
    """``p. 3`` or ``pp. 3, 5``."""
    numbers = sorted(set(pages))
    return ("p. " if len(numbers) == 1 else "pp. ") + ", ".join(str(p) for p in numbers)
