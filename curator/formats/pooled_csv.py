"""The studies of a review's analyses as CSV for R's metafor (issue 17).

``metafor-csv``: one line per study, tidy, with metafor's ``escalc`` column names (``ai bi ci di n1i
n2i m1i m2i sd1i sd2i yi vi``) beside the analysis and the study, so that
``dat <- read.csv(f); rma(yi, vi, data = dat[dat$endpoint == "...", ])`` pools what Curator pooled.
UTF-8 with a header line; the analyses are :func:`curator.analysis.analyse`'s with its defaults (rows
with an open error finding left out). RevMan Web's study data is :mod:`curator.formats.revman_web`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from curator.analysis import Analysis, analyse
from curator.analysis.effects import Binary, Continuous
from curator.checks.accept import errors_by_row
from curator.files import atomic_path
from curator.review import Review

__all__ = ["METAFOR_COLUMNS", "write_metafor_csv", "metafor_lines"]

METAFOR_COLUMNS = (
    "comparison", "endpoint", "measure", "study", "row",
    "ai", "bi", "ci", "di", "n1i", "n2i", "m1i", "m2i", "sd1i", "sd2i", "yi", "vi",
)  # fmt: skip


def _pooled(review: Review) -> list[Analysis]:
    return [a for a in analyse(review, errors=errors_by_row(review)) if a.studies]


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


def write_metafor_csv(review: Review, path: Path) -> tuple[int, int]:
    analyses = _pooled(review)
    return len(analyses), _write(path, METAFOR_COLUMNS, metafor_lines(analyses))
