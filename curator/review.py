"""The content of a review, independent of where it is stored.

These plain classes are what the exchange file, the database, the checks and
the exports all speak. They hold exactly the fields of the ``curator/1``
contract (``shared/spec/exchange-format.md``); reported numbers are
:class:`~curator.numbers.Reported` values that keep the printed text.

An absent optional field is ``None``; ``citations`` and ``authors`` are
lists (empty when absent). Keys beginning with ``x-`` are kept, unread, in
each object's ``extensions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any, Final

from curator.numbers import Reported

__all__ = [
    "MEASURES",
    "EFFECT_MEASURES",
    "STATUSES",
    "FAVOURS",
    "DIRECTIONS",
    "Reference",
    "Arm",
    "Effect",
    "Source",
    "Row",
    "Comparison",
    "AcceptedFinding",
    "Review",
]

MEASURES: Final = ("percent", "mean", "median", "count", "text")
EFFECT_MEASURES: Final = ("RR", "OR", "HR", "RD", "MD", "SMD")
RATIO_MEASURES: Final = ("RR", "OR", "HR")
STATUSES: Final = ("draft", "extracted", "verified", "disputed")
FAVOURS: Final = ("intervention", "comparator", "neither")
DIRECTIONS: Final = ("intervention_vs_comparator", "comparator_vs_intervention")

Extensions = dict[str, Any]


@dataclass(slots=True)
class Reference:
    key: str
    title: str | None = None
    authors: list[str] = _field(default_factory=list)
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    year: int | None = None
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    url: str | None = None
    note: str | None = None
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class Arm:
    """One arm's result on one endpoint."""

    value: Reported | None = None
    text: str | None = None
    n: Reported | None = None
    events: Reported | None = None
    sd: Reported | None = None
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class Effect:
    """A between-arm estimate as reported."""

    measure: str | None = None
    value: Reported | None = None
    ci_low: Reported | None = None
    ci_high: Reported | None = None
    ci_level: int | float | None = None
    p: Reported | None = None
    direction: str | None = None
    versus: str | None = None
    extensions: Extensions = _field(default_factory=dict)

    @property
    def level(self) -> float:
        """The CI level, 95 when not given."""
        return 95.0 if self.ci_level is None else float(self.ci_level)


@dataclass(slots=True)
class Source:
    location: str | None = None
    quote: str | None = None
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class Row:
    """One endpoint of a comparison table."""

    endpoint: str
    measure: str | None = None
    unit: str | None = None
    higher_is_better: bool | None = None
    intervention: Arm | None = None
    comparator: Arm | None = None
    effect: Effect | None = None
    finding: str | None = None
    favours: str | None = None
    duration: str | None = None
    population: str | None = None
    citations: list[str] = _field(default_factory=list)
    source: Source | None = None
    status: str = "draft"
    extracted_by: str | None = None
    verified_by: str | None = None
    note: str | None = None
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class Comparison:
    key: str
    title: str
    intervention: str
    comparator: str
    note: str | None = None
    rows: list[Row] = _field(default_factory=list)
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class AcceptedFinding:
    rule: str
    reason: str
    comparison: str | None = None
    endpoint: str | None = None
    row: int | None = None
    reference: str | None = None
    field: str | None = None
    by: str | None = None
    at: str | None = None
    fingerprint: str | None = None
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class Review:
    title: str | None = None
    references: list[Reference] = _field(default_factory=list)
    comparisons: list[Comparison] = _field(default_factory=list)
    accepted_findings: list[AcceptedFinding] = _field(default_factory=list)
    extensions: Extensions = _field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows by status, every status present (zero when none)."""
        counts = dict.fromkeys(STATUSES, 0)
        for comparison in self.comparisons:
            for row in comparison.rows:
                counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    @property
    def row_count(self) -> int:
        return sum(len(c.rows) for c in self.comparisons)
