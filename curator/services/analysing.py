"""Pooling a review's checked rows (issue 17): the analyses of a review, each row with a finding of
severity error left out and said so, for the command line, the window and the exports alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curator.analysis import Analysis, analyse
from curator.checks.accept import errors_by_row
from curator.review import Review

__all__ = ["analyses", "analyses_of", "forest_plot"]


def analyses_of(review: Review, **options: Any) -> list[Analysis]:
    """:func:`curator.analysis.analyse` of ``review`` with its rows' error findings."""
    return analyse(review, errors=errors_by_row(review), **options)


def analyses(source: str | Path | None, **options: Any) -> list[Analysis]:
    """The analyses of the review at ``source`` (a review database or a curator/1 file; the embedded
    default review when None)."""
    from curator.services.sources import read_source

    return analyses_of(read_source(source), **options)


def forest_plot(
    source: str | Path | None, output: Path, *, endpoint: str, comparison: str | None = None, **options: Any
) -> Analysis:
    """Write the forest plot of one endpoint's analysis to ``output`` (SVG, PNG or PDF, by its suffix);
    return the analysis. Refused, saying why, when the review has no such endpoint, when it is in several
    comparisons and none is named, or when it cannot be pooled."""
    from curator.errors import CuratorError
    from curator.formats.forest import FORMATS, write_forest

    kind = Path(output).suffix.lstrip(".").lower()
    if kind not in FORMATS:
        raise CuratorError(f"{output}: a forest plot is written as .{', .'.join(FORMATS)}; give one of those")
    if not Path(output).absolute().parent.is_dir():
        raise CuratorError(f"{output}: its folder does not exist")
    found = analyses(source, endpoint=endpoint, comparison=comparison, **options)
    if not found:
        where = f" in comparison {comparison!r}" if comparison else ""
        raise CuratorError(f"the review has no rows of endpoint {endpoint!r}{where}")
    if len(found) > 1:
        keys = ", ".join(a.comparison for a in found)
        raise CuratorError(f"endpoint {endpoint!r} is in several comparisons ({keys}); name one with --comparison")
    [analysis] = found
    if analysis.pooled is None:
        raise CuratorError(f"endpoint {endpoint!r} of {analysis.comparison} cannot be pooled: {analysis.refused}")
    from curator.files import atomic_path

    with atomic_path(Path(output), overwrite=True) as tmp:
        write_forest(analysis, tmp, kind)
    return analysis


def endpoint_analysis(service: Any, comparison: str, endpoint: str, **options: Any) -> Analysis | None:
    """The analysis of one endpoint of one comparison of an open review (the window's Forest plot panel,
    on a worker: its own connections), with that comparison's error findings; None when the review has
    no such comparison or it no row of that endpoint. Only that comparison's rows are read (with the
    references and acceptances its checks need), not the whole review, at every redraw."""
    from curator.review import Comparison

    summary = next((c for c in service.outline() if c.key == comparison), None)
    if summary is None:
        return None
    stored = service.stored_rows(comparison)
    rows = stored.take(0, len(stored))
    part = Review(
        title=service.title(),
        references=service.reference_list(),
        comparisons=[
            Comparison(
                key=summary.key,
                title=summary.title,
                intervention=summary.intervention,
                comparator=summary.comparator,
                note=summary.note,
                rows=rows,
            )
        ],
        accepted_findings=service.acceptances(),
    )
    found = analyses_of(part, comparison=comparison, endpoint=endpoint, **options)
    return found[0] if found else None
