"""Writing a stored review to a file in one of the registry's formats.

:func:`export_review` reads the review from its database (with its own
connection, so it can run on a worker thread) and writes it through the
writer registry (:mod:`curator.formats.registry`), reporting progress.
The workbook of a review database also gets its fields' verification
states, so that values disputed or changed since verified are marked.
Every writer writes atomically, so a cancel or an error leaves no file
behind and an existing target untouched.
"""

from __future__ import annotations

from pathlib import Path

from curator.errors import CuratorError
from curator.formats.registry import WRITERS, ExportOptions
from curator.progress import Progress, report

__all__ = ["export_review", "exchange_text"]


def export_review(
    source: Path | str,
    target: Path,
    writer: str,
    who: str,
    *,
    verified_only: bool = False,
    progress: Progress | None = None,
) -> str:
    """Export the review at ``source`` to ``target`` with the writer named ``writer``; what was written."""
    from curator.services.review import ReviewService
    from curator.services.sources import (
        is_database,
        is_server_url,
        read_source,
        read_source_with_head,
        source_verified_rows,
    )

    chosen = WRITERS.get(writer)
    if chosen is None:
        raise CuratorError(f"{target}: no such export format {writer!r}; known: {', '.join(WRITERS)}")
    if verified_only and chosen.name != "xlsx":
        raise CuratorError(f"{target}: only the Excel workbook can leave out rows that are not verified")
    report(progress, 0, 1, "reading the review")
    states = head = None
    if chosen.name == "xlsx" and (is_server_url(source) or is_database(Path(source))):
        # The workbook marks values changed since verified, and disputed ones.
        with ReviewService.open(source, who) as service:
            review, states, head = service.review_with_states_and_head()
    elif chosen.name == "json":
        review, head = read_source_with_head(source)
    else:
        review = read_source(source)
    report(progress, 0, max(review.row_count, 1), f"writing {Path(target).name}")
    here = source_verified_rows(source, review).here if chosen.name == "xlsx" else None
    options = ExportOptions(
        exported_by=who,
        source=str(source),
        verified_only=verified_only,
        progress=progress,
        field_states=states,
        verified_here=here,
        audit_head=head,
    )
    return chosen.write(review, Path(target), options)


def exchange_text(source: str | Path | None) -> str:
    """The review at ``source`` as exchange-file text, with its database's audit head (``-o -``)."""
    from curator.formats.exchange import dumps_exchange
    from curator.formats.registry import with_audit_head
    from curator.services.sources import read_source_with_head

    return dumps_exchange(with_audit_head(*read_source_with_head(source)))


def export_documents(source: str | Path | None, folder: Path, *, dry_run: bool = False) -> list[str]:
    """Write the bytes of the review's documents into ``folder`` (beside its exchange file), each under
    its ``file`` name; lines saying what was written or left out.

    A file of that name already there with the same bytes is kept; one with other bytes is never
    overwritten: the whole export is refused (:class:`CuratorError`) before anything is written (call
    with ``dry_run`` first). A document the review names without holding its bytes is left out, said so.
    """
    from curator.pdf import sha256_of
    from curator.services.documents import _sha256_of_file, find_beside
    from curator.services.review import ReviewService
    from curator.services.sources import is_database, is_server_url, read_source

    contents: dict[str, bytes] = {}
    if source is None or is_server_url(source) or is_database(Path(source)):
        with ReviewService.open_existing(source, what="documents") as service:
            documents = service.documents.all()
            for document in documents:
                data = service.documents.content(document.sha256) if document.stored else None
                if data is not None:
                    contents[document.sha256] = data
    else:
        documents = read_source(source).documents
        for sha, path in find_beside(documents, Path(source).resolve().parent).items():
            contents[sha] = path.read_bytes()
    lines: list[str] = []
    names: dict[str, str] = {}
    for document in documents:
        name = Path(document.file).name
        target = folder / name
        if document.sha256 not in contents:
            lines.append(f"{name}: the review does not hold this document's file; not written")
            continue
        if names.get(name, document.sha256) != document.sha256:
            raise CuratorError(f"{target}: two documents of the review are both named {name}; nothing was written")
        names[name] = document.sha256
        if target.exists():
            if _sha256_of_file(target) == document.sha256:
                lines.append(f"{name}: already there")
                continue
            raise CuratorError(
                f"{target}: a different file of that name is there; it is not overwritten, nothing was written "
                "(export to another folder)"
            )
        if not dry_run:
            data = contents[document.sha256]
            assert sha256_of(data) == document.sha256
            partial = target.with_name(f".{name}.partial")
            partial.write_bytes(data)
            partial.replace(target)
            lines.append(f"{name}: written")
    return lines
