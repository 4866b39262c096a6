"""Consistency checks: the rules of shared/spec/checks.md, free of any GUI.

Public API::

    run_checks(review, rules=None, min_severity=None) -> list[Finding]
    RULES                      # the registered rules, in catalogue order
    Finding                    # .to_json() -> the catalogue's JSON object
    split_accepted(findings, review.accepted_findings) -> (open, accepted)
    accept(finding, reason, by=None, at=None) -> AcceptedFinding
    format_findings_text(open, accepted) -> str
    exit_status(open) -> 0 or 1
"""

from __future__ import annotations

from collections.abc import Iterable

from curator.checks.accept import accept, fingerprint, split_accepted
from curator.checks.engine import run_checks, select_rules
from curator.checks.finding import JSON_KEYS, SEVERITIES, Finding
from curator.checks.registry import CATALOGUE, Rule, registered
from curator.checks.report import format_findings_text

__all__ = [
    "RULES",
    "CATALOGUE",
    "SEVERITIES",
    "JSON_KEYS",
    "Finding",
    "Rule",
    "run_checks",
    "select_rules",
    "split_accepted",
    "accept",
    "fingerprint",
    "format_findings_text",
    "exit_status",
]

#: Every rule, in the catalogue's order.
RULES: tuple[Rule, ...] = registered()


def exit_status(open_findings: Iterable[Finding]) -> int:
    """1 when an open finding has severity ``error``, else 0 (accepted ones don't count)."""
    return 1 if any(f.severity == "error" for f in open_findings) else 0
