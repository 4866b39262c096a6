"""What every rule sees: the review, its rows flattened, and finding makers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from curator.checks.accept import fingerprint
from curator.checks.finding import Finding
from curator.checks.registry import severity_of
from curator.review import Comparison, Reference, Review, Row

__all__ = ["RowRef", "ReviewContext"]


class RowRef(NamedTuple):
    """A row and where it is: its comparison (and that one's index) and position."""

    comp_index: int
    comparison: Comparison
    position: int
    row: Row


class ReviewContext:
    """The review as the rules read it, built once per run."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.rows: list[RowRef] = [
            RowRef(ci, comp, ri, row) for ci, comp in enumerate(review.comparisons) for ri, row in enumerate(comp.rows)
        ]
        self.reference_keys: set[str] = {ref.key for ref in review.references}
        self.cited: set[str] = {key for ref in self.rows for key in ref.row.citations}

    def row_finding(
        self, rule: str, where: RowRef, field: str | None, message: str, values: Iterable[object]
    ) -> Finding:
        """A finding about a row."""
        return Finding(
            rule=rule,
            severity=severity_of(rule),
            comparison=where.comparison.key,
            endpoint=where.row.endpoint,
            row=where.position,
            reference=None,
            field=field,
            message=message,
            fingerprint=fingerprint(rule, field, values),
        )

    def reference_finding(
        self, rule: str, reference: Reference, field: str | None, message: str, values: Iterable[object]
    ) -> Finding:
        """A finding about a reference."""
        return Finding(
            rule=rule,
            severity=severity_of(rule),
            comparison=None,
            endpoint=None,
            row=None,
            reference=reference.key,
            field=field,
            message=message,
            fingerprint=fingerprint(rule, field, values),
        )
