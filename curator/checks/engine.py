"""Running the rules over a review and putting the findings in order."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import localcontext

import curator.checks.rules  # noqa: F401  (registers the rules)
from curator.checks.context import ReviewContext
from curator.checks.finding import SEVERITIES, Finding
from curator.checks.registry import Rule, registered
from curator.checks.stats import EXACT
from curator.review import Review

__all__ = ["run_checks", "select_rules"]


def select_rules(rules: Iterable[str] | None = None) -> tuple[Rule, ...]:
    """The rules to run, in catalogue order; raise ValueError for an unknown id."""
    all_rules = registered()
    if rules is None:
        return all_rules
    wanted = set(rules)
    known = {r.id for r in all_rules}
    unknown = sorted(wanted - known)
    if unknown:
        raise ValueError(f"unknown rule id: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return tuple(r for r in all_rules if r.id in wanted)


def run_checks(review: Review, rules: Iterable[str] | None = None, min_severity: str | None = None) -> list[Finding]:
    """Every finding of the chosen rules on ``review``, in the catalogue's order.

    ``rules`` restricts to those ids (ValueError for an unknown one);
    ``min_severity`` (``info``, ``warning``, ``error``) drops less serious
    findings. Findings come in the order of the comparisons and their rows,
    then of the references; within one row or reference, in catalogue order
    of their rules. Accepted findings are included: separate them with
    :func:`curator.checks.accept.split_accepted`.
    """
    chosen = select_rules(rules)
    if min_severity is not None:
        if min_severity not in SEVERITIES:
            raise ValueError(f"unknown severity {min_severity!r} (one of {', '.join(SEVERITIES)})")
        floor = SEVERITIES.index(min_severity)
        chosen = tuple(r for r in chosen if SEVERITIES.index(r.severity) >= floor)
    ctx = ReviewContext(review)
    comp_pos: dict[str, int] = {}
    for i, comp in enumerate(review.comparisons):
        comp_pos.setdefault(comp.key, i)
    ref_pos: dict[str, int] = {}
    for i, ref in enumerate(review.references):
        ref_pos.setdefault(ref.key, i)
    findings: list[Finding] = []
    with localcontext(EXACT):
        for r in chosen:
            findings.extend(r.function(ctx))

    def position(f: Finding) -> tuple[int, int, int]:
        if f.reference is not None:
            return (1, ref_pos.get(f.reference, 0), 0)
        return (0, comp_pos.get(f.comparison or "", 0), f.row or 0)

    findings.sort(key=position)
    return findings
