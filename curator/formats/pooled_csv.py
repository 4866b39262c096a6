"""The studies of a review's analyses as CSV for the tools reviewers pool in (issue 17).

* ``revman-csv``: one line per study of each analysis, in the column vocabulary of RevMan's data
  package (Cochrane's "Data package specification", version 1: ``Experimental cases``, ``Experimental
  N``, ``GIV Mean``, ``Mean``, ``CI start``...), which RevMan Web reads and writes for study data.
* ``metafor-csv``: one line per study, tidy, with metafor's ``escalc`` column names (``ai bi ci di n1i
  n2i m1i m2i sd1i sd2i yi vi``) beside the analysis and the study, so that
  ``dat <- read.csv(f); rma(yi, vi, data = dat[dat$endpoint == "...", ])`` pools what Curator pooled.

Both are UTF-8 with a header line, and hold the analyses as :func:`curator.analysis.analyse` makes them
with its defaults (rows with an open error finding left out).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from curator.analysis import RATIO, Analysis, analyse
from curator.analysis.effects import Binary, Continuous
from curator.checks.accept import errors_by_row
from curator.files import atomic_path
from curator.formats.forest import MEASURE_NAMES
from curator.review import Review

__all__ = [
    "REVMAN_COLUMNS",
    "METAFOR_COLUMNS",
    "write_revman_csv",
    "write_metafor_csv",
    "revman_lines",
    "metafor_lines",
]

REVMAN_COLUMNS = (
    "Analysis number", "Analysis name", "Outcome", "Data type", "Experimental group label", "Control group label",
    "Statistical method", "Effect measure", "Analysis model", "Log-scale data", "Study",
    "Experimental cases", "Experimental N", "Control cases", "Control N",
    "Experimental mean", "Experimental SD", "Control mean", "Control SD",
    "GIV Mean", "GIV SE", "Mean", "CI start", "CI end", "Weight",
)  # fmt: skip
METAFOR_COLUMNS = (
    "comparison", "endpoint", "measure", "study", "row",
    "ai", "bi", "ci", "di", "n1i", "n2i", "m1i", "m2i", "sd1i", "sd2i", "yi", "vi",
)  # fmt: skip


def _pooled(review: Review) -> list[Analysis]:
    return [a for a in analyse(review, errors=errors_by_row(review)) if a.studies]


def _data_type(a: Analysis) -> str:
    kinds = {type(s.data) for s in a.studies}
    return "Dichotomous" if kinds == {Binary} else "Continuous" if kinds == {Continuous} else "Generic inverse variance"


def revman_lines(analyses: Iterable[Analysis]) -> Iterator[dict[str, Any]]:
    for number, a in enumerate(analyses, start=1):
        model = a.pooled.model if a.pooled else "IV"
        common = {
            "Analysis number": number,
            "Analysis name": f"{a.comparison}: {a.endpoint}",
            "Outcome": a.endpoint,
            "Data type": _data_type(a),
            "Experimental group label": a.arms[0],
            "Control group label": a.arms[1],
            "Statistical method": "Mantel-Haenszel" if model == "MH" else "Inverse variance",
            "Effect measure": MEASURE_NAMES.get(a.measure, a.measure),
            "Analysis model": "Fixed effect" if a.method == "fixed" else "Random effects",
            "Log-scale data": "TRUE" if a.measure in RATIO else "FALSE",
        }
        for s in a.studies:
            line = dict(common, Study=s.citation)  # RevMan names a study so: first author and year
            if isinstance(s.data, Binary):
                line.update({"Experimental cases": s.data.events1, "Experimental N": s.data.n1,
                             "Control cases": s.data.events2, "Control N": s.data.n2})  # fmt: skip
            elif isinstance(s.data, Continuous):
                m = s.data
                line.update({"Experimental mean": m.mean1, "Experimental SD": m.sd1, "Experimental N": m.n1,
                             "Control mean": m.mean2, "Control SD": m.sd2, "Control N": m.n2})  # fmt: skip
            line.update({"GIV Mean": s.yi, "GIV SE": math.sqrt(s.vi), "Mean": s.estimate, "CI start": s.ci_low,
                         "CI end": s.ci_high, "Weight": s.weight})  # fmt: skip
            yield line


def metafor_lines(analyses: Iterable[Analysis]) -> Iterator[dict[str, Any]]:
    for a in analyses:
        for s in a.studies:
            line: dict[str, Any] = {"comparison": a.comparison, "endpoint": a.endpoint, "measure": a.measure,
                                    "study": s.citation, "row": s.row, "yi": s.yi, "vi": s.vi}  # fmt: skip
            if isinstance(s.data, Binary):
                d = s.data
                line.update(ai=d.events1, bi=d.n1 - d.events1, ci=d.events2, di=d.n2 - d.events2, n1i=d.n1, n2i=d.n2)
            elif isinstance(s.data, Continuous):
                m = s.data
                line.update(m1i=m.mean1, m2i=m.mean2, sd1i=m.sd1, sd2i=m.sd2, n1i=m.n1, n2i=m.n2)
            yield line


def _write(path: Path, columns: tuple[str, ...], lines: Iterable[dict[str, Any]]) -> int:
    count = 0
    with atomic_path(Path(path)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, restval="", lineterminator="\n")
        writer.writeheader()
        for line in lines:
            writer.writerow(line)
            count += 1
    return count


def write_revman_csv(review: Review, path: Path) -> tuple[int, int]:
    """Write the studies of the review's analyses; (analyses, studies) written."""
    analyses = _pooled(review)
    return len(analyses), _write(path, REVMAN_COLUMNS, revman_lines(analyses))


def write_metafor_csv(review: Review, path: Path) -> tuple[int, int]:
    analyses = _pooled(review)
    return len(analyses), _write(path, METAFOR_COLUMNS, metafor_lines(analyses))
