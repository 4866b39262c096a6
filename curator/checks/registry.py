"""The rule registry: every rule's id, severity, description and function."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from curator.checks.finding import SEVERITIES

if TYPE_CHECKING:
    from curator.checks.context import ReviewContext
    from curator.checks.finding import Finding

__all__ = ["Rule", "CATALOGUE", "rule", "registered", "severity_of"]

RuleFunction = Callable[["ReviewContext"], Iterable["Finding"]]

#: The catalogue's rule ids in its order (shared/spec/checks.md); rules are
#: run and listed in this order. New rules go at the end.
CATALOGUE: Final = (
    "range-percent",
    "range-p",
    "range-n",
    "range-ratio",
    "ci-order",
    "grim-percent",
    "events-percent",
    "effect-recompute",
    "ci-symmetry",
    "ci-p",
    "effect-direction",
    "significance-claim",
    "versus-mismatch",
    "unit-mismatch",
    "missing-denominator",
    "citation-missing",
    "citation-dangling",
    "reference-unused",
    "reference-duplicate",
    "reference-identifier",
    "duplicate-row",
    "self-verified",
    # Added with format 1.1 (in the catalogue's order of that section).
    "md-recompute",
    "sd-se",
    "md-precision",
    "ci-p-value",
    "grim-mean",
    "grimmer-sd",
    "document-missing",
    "median-order",
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One consistency rule."""

    id: str
    severity: str
    description: str
    function: RuleFunction


_RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, description: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as the rule ``id``."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")

    def register(function: RuleFunction) -> RuleFunction:
        if id in _RULES:
            raise ValueError(f"rule {id!r} registered twice")
        _RULES[id] = Rule(id, severity, description, function)
        return function

    return register


def registered() -> tuple[Rule, ...]:
    """All registered rules, catalogue order first, then any others by id."""
    order = {rid: i for i, rid in enumerate(CATALOGUE)}
    return tuple(sorted(_RULES.values(), key=lambda r: (order.get(r.id, len(order)), r.id)))


def severity_of(rule_id: str) -> str:
    """The severity of a registered rule."""
    return _RULES[rule_id].severity
