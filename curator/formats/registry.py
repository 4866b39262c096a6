"""The file formats Curator reads and writes, in one small registry.

Each writer declares its name, file extension and description; the CLI
(and later the desktop app's Export menu) offers exactly these. Readers are
chosen by a file's content, not its name (:func:`curator.services.sources.read_source`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curator.progress import Progress
from curator.review import Review
from curator.words import counted

__all__ = ["ExportOptions", "Writer", "WRITERS", "writer_for", "with_audit_head", "AUDIT_HEAD_KEY"]


@dataclass(frozen=True)
class ExportOptions:
    exported_by: str
    source: str | None = None
    verified_only: bool = False
    progress: Progress | None = None
    #: Fields' verification states by (comparison, position), for the workbook's marks.
    field_states: Any = None
    #: The rows verified here (comparison key, position), see :mod:`curator.store.verified_here`;
    #: None: take the rows' status as given.
    verified_here: Any = None
    #: The head of the review database's audit chain (its last entry's hash), carried by the exchange
    #: file (``x-audit-head``) and the workbook's About sheet; None for a file, which has no audit log.
    audit_head: str | None = None


@dataclass(frozen=True)
class Writer:
    name: str
    suffix: str
    description: str
    write: Callable[[Review, Path, ExportOptions], str]


def _json(review: Review, path: Path, options: ExportOptions) -> str:
    from curator.formats.exchange import write_exchange

    write_exchange(with_audit_head(review, options.audit_head), path)
    return f"Wrote {counted(review.row_count, 'row')} in {counted(len(review.comparisons), 'comparison')} to {path}"


#: The exchange file's top-level extension key that carries the audit head (curator/1 keeps ``x-`` keys).
AUDIT_HEAD_KEY = "x-audit-head"


def with_audit_head(review: Review, head: str | None) -> Review:
    """The review as an export of its database writes it: ``x-audit-head`` is its own log's head (a head
    an imported file carried, kept among the review's extensions, is that other review's: replaced)."""
    if head is None:
        return review
    from dataclasses import replace

    extensions = {key: value for key, value in review.extensions.items() if key != AUDIT_HEAD_KEY}
    return replace(review, extensions={**extensions, AUDIT_HEAD_KEY: head})


def _xlsx(review: Review, path: Path, options: ExportOptions) -> str:
    from curator.formats.xlsx_export import write_workbook

    summary = write_workbook(
        review,
        path,
        exported_by=options.exported_by,
        source=options.source,
        verified_only=options.verified_only,
        progress=options.progress,
        field_states=options.field_states,
        verified_here=options.verified_here,
        audit_head=options.audit_head,
    )
    from curator.formats.xlsx_export import cuts_note

    wrote = (
        f"Wrote {counted(summary.rows, 'row')} in {counted(summary.comparisons, 'comparison sheet')} to {path} "
        f"({counted(summary.open_findings, 'open finding')} marked; SHA-256 {summary.sha256[:12]}…)"
    )
    return f"{wrote}\nCut: {cuts_note(summary.cuts)}" if summary.cuts else wrote


def _csv(review: Review, path: Path, options: ExportOptions) -> str:
    from curator.formats.csv_flat import write_csv

    write_csv(review, path)
    return f"Wrote {counted(review.row_count, 'row')} to {path}"


def _ris(review: Review, path: Path, options: ExportOptions) -> str:
    from curator.files import atomic_write_text
    from curator.formats.references import to_ris

    atomic_write_text(path, to_ris(review.references))
    return f"Wrote {counted(len(review.references), 'reference')} to {path}"


def _bib(review: Review, path: Path, options: ExportOptions) -> str:
    from curator.files import atomic_write_text
    from curator.formats.references import to_bibtex

    atomic_write_text(path, to_bibtex(review.references))
    return f"Wrote {counted(len(review.references), 'reference')} to {path}"


def _revman_csv(review: Review, path: Path, options: ExportOptions) -> str:
    from curator.errors import CuratorError

    if Path(path).suffix.lower() != ".zip":
        raise CuratorError(
            f"{path}: RevMan Web's study data is several files (study information, arms, results and the "
            "references), written in one ZIP archive: name the output .zip"
        )
    from curator.checks.accept import errors_by_row
    from curator.formats.revman_web import FILES, write_revman_zip

    written = write_revman_zip(review, path, errors_by_row(review))
    lines = [
        f"Wrote RevMan Web's study data for {counted(written.studies, 'study', 'studies')} "
        f"({counted(len(written.arms), 'arm')}, {counted(len(written.results), 'result line')}) to {path}: "
        + ", ".join(FILES)
    ]
    if written.from_percent:
        lines.append(f"Worked out from printed percents: {counted(written.from_percent, 'event count')}")
    if written.left_out:
        lines.append(f"Left out of the results ({len(written.left_out)}):")
        lines.extend(f"  {why}" for why in written.left_out)
    return "\n".join(lines)


def _metafor_csv(review: Review, path: Path, options: ExportOptions) -> str:
    from curator.formats.pooled_csv import write_metafor_csv

    analyses, studies = write_metafor_csv(review, path)
    return f"Wrote {counted(studies, 'study', 'studies')} of {counted(analyses, 'analysis', 'analyses')} to {path}"


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("json", ".json", "curator/1 exchange file: the whole review, numbers as printed", _json),
        Writer(
            "xlsx", ".xlsx", "Excel workbook for stakeholders: comparison tables, references, findings, data", _xlsx
        ),
        Writer("csv", ".csv", "the flat Data table (one row per endpoint row), UTF-8", _csv),
        Writer("ris", ".ris", "the reference list as RIS (Zotero, EndNote, Mendeley)", _ris),
        Writer("bib", ".bib", "the reference list as BibTeX", _bib),
        Writer(
            "revman-csv",
            ".zip",
            "the study data for RevMan Web's import: its CSV files and the references",
            _revman_csv,
        ),
        Writer(
            "metafor-csv", ".csv", "each analysis's studies for R's metafor (escalc's columns, yi and vi)", _metafor_csv
        ),
    )
}


def writer_for(path: str, name: str | None) -> Writer | None:
    """The writer named, or the one whose extension ``path`` has."""
    if name is not None:
        return WRITERS.get(name)
    suffix = Path(path).suffix.lower()
    return next((w for w in WRITERS.values() if w.suffix == suffix), None)
