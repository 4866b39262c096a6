"""Small builders for reviews in the checks tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from curator.checks import Finding, run_checks
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row


def arm(
    value: str | None = None,
    n: str | None = None,
    events: str | None = None,
    text: str | None = None,
    **numbers: str | None,
) -> Arm:
    """An arm from printed texts (other reported numbers by name: ``sd="2.55"``, ``q1="15"``)."""
    return Arm(
        value=parse_reported(value) if value is not None else None,
        n=parse_reported(n, whole=True) if n is not None else None,
        events=parse_reported(events, whole=True) if events is not None else None,
        text=text,
        **{k: parse_reported(v) if v is not None else None for k, v in numbers.items()},
    )


def effect(
    measure: str | None = None,
    value: str | None = None,
    ci_low: str | None = None,
    ci_high: str | None = None,
    p: str | None = None,
    **kw: Any,
) -> Effect:
    """An effect from printed texts."""

    def rep(t: str | None):
        return parse_reported(t) if t is not None else None

    return Effect(measure=measure, value=rep(value), ci_low=rep(ci_low), ci_high=rep(ci_high), p=rep(p), **kw)


def row(
    endpoint: str = "Response",
    measure: str | None = "percent",
    intervention: Arm | None = None,
    comparator: Arm | None = None,
    effect: Effect | None = None,
    citations: Iterable[str] = ("1",),
    unit: str | None = None,
    **kw: Any,
) -> Row:
    """A row citing reference "1" by default."""
    if unit is None and measure == "percent":
        unit = "%"
    return Row(
        endpoint=endpoint,
        measure=measure,
        unit=unit,
        intervention=intervention,
        comparator=comparator,
        effect=effect,
        citations=list(citations),
        **kw,
    )


def ref(key: str = "1", **kw: Any) -> Reference:
    """A clean reference (with a DOI unless one is given)."""
    if not any(k in kw for k in ("doi", "pmid", "pmcid", "url")):
        kw["doi"] = f"10.1000/ref.{key}"
    return Reference(key=key, **kw)


def review(
    *rows: Row,
    references: list[Reference] | None = None,
    intervention: str = "Drug A 10 mg",
    comparator: str = "Placebo",
    key: str = "a-vs-pbo",
) -> Review:
    """One comparison of the given rows, with reference "1"."""
    return Review(
        title="Test review",
        references=references if references is not None else [ref("1")],
        comparisons=[
            Comparison(key=key, title="A vs placebo", intervention=intervention, comparator=comparator, rows=list(rows))
        ],
    )


def fired(rv: Review, rule: str) -> list[Finding]:
    """The findings of one rule."""
    return run_checks(rv, rules=[rule])


def fires(rule: str, *rows: Row, **kw: Any) -> list[Finding]:
    """Findings of ``rule`` on a review of ``rows``."""
    return fired(review(*rows, **kw), rule)


def all_findings(*rows: Row, **kw: Any) -> list[Finding]:
    return run_checks(review(*rows, **kw))
