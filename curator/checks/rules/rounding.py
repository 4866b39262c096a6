"""Percentages against the counts they come from: GRIM, events/n, missing n."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
from curator.checks.registry import rule
from curator.checks.rules.common import arms, shown
from curator.checks.stats import (
    count_of,
    format_fixed,
    grim_neighbours,
    grim_possible,
    is_count,
    ratio_in_span,
    span_of,
)


def _pct(k: int, n: int, decimals: int) -> str:
    return format_fixed(Decimal(100 * k) / Decimal(n), decimals)


@rule("grim-percent", "error", "a percent with n (and no events) that no whole number of patients gives")
def grim_percent(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        # Only a crude percent is k/n: an adjusted or Kaplan–Meier one need not be.
        if where.row.measure != "percent" or not where.row.is_crude:
            continue
        for name, arm in arms(where):
            v = arm.value
            if v is None or arm.events is not None:
                continue
            n = count_of(arm.n)
            if n is None:
                continue
            sp = span_of(v)
            if grim_possible(sp, n):
                continue
            d = max(v.decimals, 0)
            near = [f"{_pct(k, n, d)}% ({k}/{n})" for k in grim_neighbours(sp, n)]
            if len(near) == 2:
                tail = f"the nearest are {near[0]} and {near[1]}"
            else:
                tail = f"the nearest is {near[0]}" if near else "no count fits"
            yield ctx.row_finding(
                "grim-percent",
                where,
                f"{name}.value",
                f"{shown(v, '%')} is not possible with n = {shown(arm.n)}: {tail}",  # type: ignore[arg-type]
                (v, arm.n),
            )


@rule("events-percent", "error", "a percent that 100·events/n does not round to")
def events_percent(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        if where.row.measure != "percent" or not where.row.is_crude:
            continue
        for name, arm in arms(where):
            v = arm.value
            if v is None or not is_count(arm.events):
                continue
            n = count_of(arm.n)
            if n is None:
                continue
            assert arm.events is not None
            e = int(arm.events.value)
            if ratio_in_span(100 * e, n, span_of(v)):
                continue
            d = max(v.decimals, 0)
            yield ctx.row_finding(
                "events-percent",
                where,
                f"{name}.value",
                f"{shown(v, '%')} does not match {e}/{n} = {_pct(e, n, d)}%",
                (v, arm.events, arm.n),
            )


@rule("missing-denominator", "info", "a percent value without n cannot be verified")
def missing_denominator(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        if where.row.measure != "percent":
            continue
        for name, arm in arms(where):
            if arm.value is not None and arm.n is None:
                yield ctx.row_finding(
                    "missing-denominator",
                    where,
                    f"{name}.n",
                    f"{shown(arm.value, '%')} has no n: it cannot be checked against a count of patients",
                    (arm.value,),
                )
