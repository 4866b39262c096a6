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

__all__ = ["export_review"]


def export_review(
    source: Path,
    target: Path,
    writer: str,
    who: str,
    *,
    verified_only: bool = False,
    progress: Progress | None = None,
) -> str:
    """Export the review at ``source`` to ``target`` with the writer named ``writer``; what was written."""
    from curator.services.review import ReviewService
    from curator.services.sources import is_database, read_source, source_verified_rows

    chosen = WRITERS.get(writer)
    if chosen is None:
        raise CuratorError(f"{target}: no such export format {writer!r}; known: {', '.join(WRITERS)}")
    if verified_only and chosen.name != "xlsx":
        raise CuratorError(f"{target}: only the Excel workbook can leave out rows that are not verified")
    report(progress, 0, 1, "reading the review")
    states = None
    if chosen.name == "xlsx" and is_database(Path(source)):
        # The workbook marks values changed since verified, and disputed ones.
        with ReviewService.open(source, who) as service:
            review, states = service.review_with_states()
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
    )
    return chosen.write(review, Path(target), options)
