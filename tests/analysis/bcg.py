"""The 13 BCG vaccine trials (Colditz et al. 1994; metafor's ``dat.bcg``): vaccinated and not, each
with its tuberculosis cases and its total, as a Curator review (one comparison, one endpoint)."""

from __future__ import annotations

from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Reference, Review, Row

#: author, year, vaccinated: cases and total; not vaccinated: cases and total.
BCG = [
    ("Aronson", 1948, 4, 123, 11, 139),
    ("Ferguson & Simes", 1949, 6, 306, 29, 303),
    ("Rosenthal et al", 1960, 3, 231, 11, 220),
    ("Hart & Sutherland", 1977, 62, 13598, 248, 12867),
    ("Frimodt-Moller et al", 1973, 33, 5069, 47, 5808),
    ("Stein & Aronson", 1953, 180, 1541, 372, 1451),
    ("Vandiviere et al", 1973, 8, 2545, 10, 629),
    ("TPT Madras", 1980, 505, 88391, 499, 88391),
    ("Coetzee & Berjak", 1968, 29, 7499, 45, 7277),
    ("Rosenthal et al", 1961, 17, 1716, 65, 1665),
    ("Comstock et al", 1974, 186, 50634, 141, 27338),
    ("Comstock & Webster", 1969, 5, 2498, 3, 2341),
    ("Comstock et al", 1976, 27, 16913, 29, 17854),
]


def _arm(events: int, n: int) -> Arm:
    return Arm(
        value=parse_reported(f"{100 * events / n:.1f}"), n=parse_reported(str(n)), events=parse_reported(str(events))
    )


def bcg_review() -> Review:
    references = [Reference(key=f"t{i + 1}", authors=[author], year=year) for i, (author, year, *_n) in enumerate(BCG)]
    rows = [
        Row(
            endpoint="Tuberculosis",
            measure="percent",
            intervention=_arm(a, n1),
            comparator=_arm(c, n2),
            citations=[f"t{i + 1}"],
        )
        for i, (_author, _year, a, n1, c, n2) in enumerate(BCG)
    ]
    comparison = Comparison(
        key="bcg",
        title="BCG vaccine versus no vaccine",
        intervention="Vaccinated",
        comparator="Not vaccinated",
        rows=rows,
    )
    return Review(title="BCG vaccine trials", references=references, comparisons=[comparison])
