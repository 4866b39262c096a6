"""``NR`` (the source does not report it) counts as absent in every rule
(checks.md, rules added with 1.1): a review with numbers printed ``NR``
gives exactly the findings of the same review with those numbers left out."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from curator.checks import run_checks
from curator.checks.context import as_checked
from curator.fields import part_fields
from curator.formats.exchange import read_exchange
from curator.numbers import parse_reported
from curator.review import Review

EXAMPLES = Path(__file__).parent / "published-examples.json"


def _findings(review: Review) -> list[tuple[object, ...]]:
    return [(f.rule, f.comparison, f.row, f.field, f.message) for f in run_checks(review)]


def _blank(review: Review, part: str | None, name: str, value: object) -> Review:
    """A copy of ``review`` with field ``name`` of ``part`` set to ``value`` in every row that has the part."""
    out = copy.deepcopy(review)
    for comparison in out.comparisons:
        for row in comparison.rows:
            obj = row if part is None else getattr(row, part)
            if obj is not None:
                setattr(obj, name, value)
    return out


_NUMBERS = [
    (part, f.name) for part in (None, "intervention", "comparator", "effect") for f in part_fields(part) if f.reported
]


@pytest.mark.parametrize(("part", "name"), _NUMBERS, ids=[f"{p or 'row'}.{n}" for p, n in _NUMBERS])
def test_every_number_printed_nr_is_read_as_absent_by_every_rule(part: str | None, name: str) -> None:
    review = read_exchange(EXAMPLES)
    nr = parse_reported("NR", whole=name in ("n", "events", "integer_items"))
    assert _findings(_blank(review, part, name, nr)) == _findings(_blank(review, part, name, None))


def test_a_row_without_nr_is_read_as_it_is() -> None:
    review = read_exchange(EXAMPLES)
    row = review.comparisons[0].rows[0]
    assert as_checked(row) is row


def test_nr_changes_what_is_found_only_as_a_missing_number_would() -> None:
    # The published SDs typed as SEs fire md-precision; with the SDs not reported, the rule has nothing to weigh.
    review = read_exchange(EXAMPLES)
    assert any(f.rule == "md-precision" for f in run_checks(review))
    nr = parse_reported("NR")
    assert not any(f.rule == "md-precision" for f in run_checks(_blank(review, "intervention", "sd", nr)))
