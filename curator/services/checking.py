"""Checking a stored review in flat memory: the same findings as
``run_checks(load_review(...))``, without holding every row at once.

A 100,000-row review loaded whole takes about 240 MB; the desktop app must
stay under 500 MB while it shows, sorts and checks such a review. So the
rules that look at one row at a time run on blocks of rows read one after
the other, and the few that look across rows (the same endpoint in two
units, duplicate rows) or at the references (unused, duplicate, malformed
identifiers) run once over light rows that carry only what they read:
endpoint, measure, unit and citations. The rules themselves are the same
functions ``curator check`` runs; only the reading differs, and a test
holds the two paths to the same findings in the same order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from contextlib import nullcontext

from sqlalchemy import Connection

from curator.checks.accept import split_accepted
from curator.checks.engine import run_checks, select_rules
from curator.checks.finding import Finding
from curator.progress import Progress, report
from curator.review import Comparison, Reference, Review, Row

__all__ = ["ACROSS_ROWS", "check_stored", "open_findings_stored"]

#: Rules that read more than one row, the references or the documents: run once, on light rows.
ACROSS_ROWS: frozenset[str] = frozenset(
    {
        "unit-mismatch",
        "duplicate-row",
        "reference-unused",
        "reference-duplicate",
        "reference-identifier",
        "document-missing",
    }
)
BLOCK = 10_000


def check_stored(conn: Connection, *, block: int = BLOCK, progress: Progress | None = None) -> list[Finding]:
    """Every finding of every rule on the review in ``conn``, in ``run_checks`` order."""
    from curator.store.browse import StoredRows, comparison_outline
    from curator.store.repository import load_documents, load_references

    references = load_references(conn)
    documents = load_documents(conn)
    outline = comparison_outline(conn)
    total = sum(c.rows for c in outline) or 1
    row_rules = [r.id for r in select_rules() if r.id not in ACROSS_ROWS]
    across = [r.id for r in select_rules() if r.id in ACROSS_ROWS]
    findings: list[Finding] = []
    light: list[Comparison] = []
    done = 0

    for summary in outline:
        head = dict(
            key=summary.key,
            title=summary.title,
            intervention=summary.intervention,
            comparator=summary.comparator,
            note=summary.note,
            extensions=summary.extensions,
        )
        source = StoredRows(lambda: nullcontext(conn), summary.key)
        light_rows: list[Row] = []
        for start in range(0, len(source), block):
            rows = source.take(start, min(len(source), start + block))
            one = Review(comparisons=[Comparison(**head, rows=rows)], references=references)  # type: ignore[arg-type]
            findings.extend(dataclasses.replace(f, row=f.row + start) for f in run_checks(one, row_rules))  # type: ignore[operator]
            light_rows.extend(
                Row(endpoint=r.endpoint, measure=r.measure, unit=r.unit, citations=r.citations) for r in rows
            )
            done += len(rows)
            report(progress, done, total, "checks")
        light.append(Comparison(**head, rows=light_rows))  # type: ignore[arg-type]
    findings.extend(run_checks(Review(comparisons=light, references=references, documents=documents), across))
    return _in_order(findings, outline_keys=[c.key for c in outline], references=references)


def _in_order(findings: list[Finding], outline_keys: Sequence[str], references: Sequence[Reference]) -> list[Finding]:
    """The order ``run_checks`` gives: comparisons and rows, then references; rules in catalogue order."""
    comp_pos: dict[str, int] = {}
    for i, key in enumerate(outline_keys):
        comp_pos.setdefault(key, i)
    ref_pos: dict[str, int] = {}
    for i, ref in enumerate(references):
        ref_pos.setdefault(ref.key, i)
    rule_pos = {r.id: i for i, r in enumerate(select_rules())}

    def position(f: Finding) -> tuple[int, int, int, int]:
        if f.reference is not None:
            return (1, ref_pos.get(f.reference, 0), 0, rule_pos[f.rule])
        return (0, comp_pos.get(f.comparison or "", 0), f.row or 0, rule_pos[f.rule])

    return sorted(findings, key=position)


def open_findings_stored(conn: Connection, *, progress: Progress | None = None) -> list[Finding]:
    """The findings no reviewer has accepted, on the review in ``conn``."""
    from curator.store.repository import load_acceptances

    return split_accepted(check_stored(conn, progress=progress), load_acceptances(conn))[0]
