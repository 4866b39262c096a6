"""Who did what: a row must be verified by someone other than its extractor."""

from __future__ import annotations

from collections.abc import Iterator

from curator.checks.accept import fold
from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
from curator.checks.registry import rule


@rule("self-verified", "error", "verified_by is the same reviewer as extracted_by")
def self_verified(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        row = where.row
        if not row.verified_by or not row.extracted_by:
            continue
        who = fold(row.verified_by)
        if who and who == fold(row.extracted_by):
            yield ctx.row_finding(
                "self-verified",
                where,
                "verified_by",
                f"verified by {row.verified_by.strip()!r}, who also extracted it: a second reviewer must verify",
                (row.extracted_by, row.verified_by),
            )
