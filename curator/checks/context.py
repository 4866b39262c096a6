"""What every rule sees: the review, its rows flattened, and finding makers."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterable
from typing import Any, Final, NamedTuple

from curator.checks.accept import fingerprint
from curator.checks.finding import Finding
from curator.checks.registry import severity_of
from curator.fields import part_fields
from curator.review import Comparison, Reference, Review, Row

__all__ = ["RowRef", "ReviewContext"]


class RowRef(NamedTuple):
    """A row and where it is: its comparison (and that one's index) and position."""

    comp_index: int
    comparison: Comparison
    position: int
    row: Row


#: The reported-number keys of a row and of each of its parts, and a getter of them all at once.
_REPORTED: Final[dict[str | None, tuple[str, ...]]] = {
    part: tuple(f.name for f in part_fields(part) if f.reported)
    for part in (None, "intervention", "comparator", "effect", "source")
}
_GET: Final[dict[str | None, Any]] = {
    part: operator.attrgetter(*keys) if len(keys) > 1 else (lambda obj, k=keys[0]: (getattr(obj, k),))
    for part, keys in _REPORTED.items()
    if keys
}


def _without_nr(obj: Any, part: str | None) -> Any:
    """``obj`` with each ``NR`` number absent; ``obj`` itself when it has none."""
    values = _GET[part](obj)
    if not any(v is not None and v.value.is_nan() for v in values):
        return obj
    gone = {key: None for key, v in zip(_REPORTED[part], values, strict=True) if v is not None and v.not_reported}
    return dataclasses.replace(obj, **gone)


def as_checked(row: Row) -> Row:
    """The row as the rules read it: a number printed ``NR`` (not reported)
    counts as absent everywhere (``checks.md``, rules added with 1.1). The
    row itself when it holds no ``NR``, which is nearly always."""
    changed: dict[str, Any] = {}
    for part in ("intervention", "comparator", "effect"):
        obj = getattr(row, part)
        if obj is not None:
            new = _without_nr(obj, part)
            if new is not obj:
                changed[part] = new
    top: Row = _without_nr(row, None)
    if not changed:
        return top
    return dataclasses.replace(top, **changed)


class ReviewContext:
    """The review as the rules read it, built once per run (``NR`` numbers absent: :func:`as_checked`)."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.rows: list[RowRef] = [
            RowRef(ci, comp, ri, as_checked(row))
            for ci, comp in enumerate(review.comparisons)
            for ri, row in enumerate(comp.rows)
        ]
        self.reference_keys: set[str] = {ref.key for ref in review.references}
        self.cited: set[str] = {key for ref in self.rows for key in ref.row.citations}

    def row_finding(
        self,
        rule: str,
        where: RowRef,
        field: str | None,
        message: str,
        values: Iterable[object],
        remedy: str | None = None,
    ) -> Finding:
        """A finding about a row (``remedy``: the one-step fix it offers, see :class:`Finding`)."""
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
            remedy=remedy,
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
