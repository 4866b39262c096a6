"""Accepted findings: fingerprints, and telling accepted findings from open ones.

A reviewer may accept a finding with a reason. The acceptance travels with
the review (``accepted_findings`` in the exchange file) and holds only while
the values the finding is about stay as they were: each finding carries a
fingerprint written from those values, and an acceptance whose fingerprint
no longer matches leaves the finding open again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from curator.checks.finding import Finding
from curator.numbers import Reported
from curator.review import AcceptedFinding, Review

__all__ = ["fingerprint", "split_accepted", "accept", "fold", "errors_by_row"]


def fold(text: str | None) -> str:
    """Text compared ignoring case and white space."""
    return "" if text is None else "".join(text.split()).casefold()


def _render(value: object) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, Reported):
        return value.text
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "\x1e".join(_render(v) for v in value)
    return repr(value)


def fingerprint(rule: str, field: str | None, values: Iterable[object]) -> str:
    """A short stable digest of the values a finding is about.

    ``values`` are the printed texts (or plain values) the finding was
    computed from; when any of them changes, so does the fingerprint.
    """
    parts = [rule, field or "", *(_render(v) for v in values)]
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=10).hexdigest()


_Key = tuple[str, str | None, str | None, str | None]


def _key(rule: str, comparison: str | None, reference: str | None, field: str | None) -> _Key:
    return (rule, comparison, reference, field)


def split_accepted(
    findings: Sequence[Finding], accepted_findings: Sequence[AcceptedFinding]
) -> tuple[list[Finding], list[tuple[Finding, AcceptedFinding]]]:
    """Split findings into open ones and accepted ones (with their acceptance).

    An acceptance matches a finding with the same rule, comparison key,
    reference and field, the same row (or, failing that, the same endpoint
    ignoring case and white space, so that moving a row keeps it), and an
    equal fingerprint. Each acceptance accepts at most one finding. An
    acceptance whose fingerprint differs (the values changed) accepts
    nothing, so its finding is open again. Order is kept.
    """
    index: dict[_Key, list[int]] = {}
    for i, a in enumerate(accepted_findings):
        index.setdefault(_key(a.rule, a.comparison, a.reference, a.field), []).append(i)
    used: set[int] = set()
    match: dict[int, int] = {}
    # First pass: exact row; second pass: same endpoint.
    for by_row in (True, False):
        for fi, f in enumerate(findings):
            if fi in match:
                continue
            candidates = index.get(_key(f.rule, f.comparison, f.reference, f.field))
            if not candidates:
                continue
            for ai in candidates:
                if ai in used:
                    continue
                a = accepted_findings[ai]
                if a.fingerprint != f.fingerprint:
                    continue
                if by_row:
                    if a.row != f.row:
                        continue
                elif f.row is None or fold(a.endpoint) != fold(f.endpoint) or a.endpoint is None:
                    continue
                used.add(ai)
                match[fi] = ai
                break
    open_: list[Finding] = []
    accepted: list[tuple[Finding, AcceptedFinding]] = []
    for fi, f in enumerate(findings):
        if fi in match:
            accepted.append((f, accepted_findings[match[fi]]))
        else:
            open_.append(f)
    return open_, accepted


def accept(finding: Finding, reason: str, by: str | None = None, at: str | None = None) -> AcceptedFinding:
    """An acceptance of ``finding`` with a reason; ``at`` defaults to now (UTC, ISO 8601)."""
    if not reason or not reason.strip():
        raise ValueError("an accepted finding needs a reason")
    if at is None:
        at = datetime.now(UTC).replace(microsecond=0).isoformat()
    return AcceptedFinding(
        rule=finding.rule,
        reason=reason,
        comparison=finding.comparison,
        endpoint=finding.endpoint,
        row=finding.row,
        reference=finding.reference,
        field=finding.field,
        by=by,
        at=at,
        fingerprint=finding.fingerprint,
    )


def errors_by_row(review: Review, open_findings: Sequence[Finding] | None = None) -> dict[tuple[str, int], list[str]]:
    """The open findings of severity error of each row (comparison key, position from 0), each as a
    reviewer reads it: the field's label and the finding's message (from ``open_findings`` when the caller
    has them)."""
    from curator.checks.engine import run_checks
    from curator.naming import Arms, field_label

    if open_findings is None:
        findings, _accepted = split_accepted(run_checks(review, min_severity="error"), review.accepted_findings)
    else:
        findings = list(open_findings)
    arms = {c.key: Arms(c.intervention, c.comparator) for c in review.comparisons}
    out: dict[tuple[str, int], list[str]] = {}
    for finding in findings:
        if finding.severity != "error" or finding.comparison is None or finding.row is None:
            continue
        where = f"{field_label(finding.field, arms.get(finding.comparison))}: " if finding.field else ""
        out.setdefault((finding.comparison, finding.row), []).append(f"{where}{finding.message}")
    return out
