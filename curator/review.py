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
from decimal import Decimal
from typing import Any, Final

from curator.numbers import Reported

__all__ = [
    "MEASURES",
    "EFFECT_MEASURES",
    "STATUSES",
    "FAVOURS",
    "DIRECTIONS",
    "RATIO_MEASURES",
    "ANALYSES",
    "CONTRASTS",
    "Reference",
    "Arm",
    "Evidence",
    "Document",
    "Effect",
    "Source",
    "Row",
    "Comparison",
    "AcceptedFinding",
    "Review",
]

MEASURES: Final = ("percent", "mean", "median", "count", "text")
EFFECT_MEASURES: Final = ("RR", "OR", "HR", "IRR", "RD", "MD", "SMD")
RATIO_MEASURES: Final = ("RR", "OR", "HR", "IRR")
#: How a row's arm values were obtained (1.1); absent means ``crude``.
ANALYSES: Final = ("crude", "adjusted", "kaplan_meier")
#: What an effect estimate contrasts (1.1); absent means ``arms``.
CONTRASTS: Final = ("arms", "change", "other")
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
    # 1.1
    se: Reported | None = None
    ci_low: Reported | None = None
    ci_high: Reported | None = None
    q1: Reported | None = None
    q3: Reported | None = None
    min: Reported | None = None
    max: Reported | None = None
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class Effect:
    """A between-arm estimate as reported."""

    measure: str | None = None
    value: Reported | None = None
    ci_low: Reported | None = None
    ci_high: Reported | None = None
    #: A number, or (1.1) a printed string such as ``"95.02"``, taken exactly as printed.
    ci_level: int | float | Reported | None = None
    p: Reported | None = None
    direction: str | None = None
    versus: str | None = None
    # 1.1
    se: Reported | None = None
    #: None (absent) means false: the plain difference or ratio of the arm values.
    adjusted: bool | None = None
    #: One of :data:`CONTRASTS`; None (absent) means ``arms``.
    contrast: str | None = None
    method: str | None = None
    extensions: Extensions = _field(default_factory=dict)

    @property
    def level(self) -> float:
        """The CI level, 95 when not given (or given as ``NR``)."""
        return float(self.level_exact)

    @property
    def level_exact(self) -> Decimal:
        """The CI level exactly as printed (``"95.02"`` is 95.02), 95 when not given."""
        if self.ci_level is None:
            return Decimal(95)
        if isinstance(self.ci_level, Reported):
            return Decimal(95) if self.ci_level.not_reported else self.ci_level.value
        return Decimal(str(self.ci_level))

    @property
    def is_adjusted(self) -> bool:
        return bool(self.adjusted)

    @property
    def contrasts_arms(self) -> bool:
        """True when the estimate contrasts the arm values as shown (``contrast`` absent or ``arms``)."""
        return self.contrast in (None, "arms")


@dataclass(slots=True)
class Evidence:
    """Where one value of a row was read (1.1): a page of a document, the
    characters as they stand there, and their boxes in PDF points from the
    page's top-left corner."""

    document: str  # the document's sha256
    page: int
    text: str | None = None
    boxes: list[list[float]] = _field(default_factory=list)
    extensions: Extensions = _field(default_factory=dict)


@dataclass(slots=True)
class Document:
    """A source document of the review (1.1), identified by its SHA-256."""

    sha256: str
    file: str
    reference: str | None = None
    media_type: str | None = None
    pages: int | None = None
    extensions: Extensions = _field(default_factory=dict)
    #: Whether the review has the document's bytes (stored in the review
    #: database, or found beside the exchange file when it was read). Not a
    #: key of the exchange format, and not compared: the same document.
    stored: bool = _field(default=False, compare=False, repr=False)


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
    #: One of :data:`ANALYSES` (1.1); None (absent) means ``crude``.
    analysis: str | None = None
    unit: str | None = None
    #: The arm means are means of whole numbers over this many items (1.1).
    integer_items: Reported | None = None
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
    #: Where values were read (1.1): dotted field path -> evidence.
    evidence: dict[str, Evidence] = _field(default_factory=dict)
    extensions: Extensions = _field(default_factory=dict)

    @property
    def is_crude(self) -> bool:
        """True when the arm values come straight from the patients counted (``analysis`` absent or crude)."""
        return self.analysis in (None, "crude")


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
    #: Source documents (1.1), by name and hash; their bytes are stored apart.
    documents: list[Document] = _field(default_factory=list)
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
