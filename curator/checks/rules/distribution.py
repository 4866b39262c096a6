"""Means of whole-number data (GRIM, GRIMMER) and the order of a distribution's summaries."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from curator.checks.context import ReviewContext, RowRef
from curator.checks.finding import Finding
from curator.checks.registry import rule
from curator.checks.rules.common import arms, shown
from curator.checks.stats import (
    count_of,
    format_fixed,
    grimmer_possible,
    is_plain,
    mean_possible,
    span_of,
    sum_range,
)
from curator.numbers import Reported


def _items(where: RowRef) -> int | None:
    """The row's ``integer_items`` when the GRIM-type rules apply to it: a crude mean row."""
    row = where.row
    if row.measure != "mean" or not row.is_crude:
        return None
    return count_of(row.integer_items, 1)


def _mean(s: int, count: int, decimals: int) -> str:
    return format_fixed(Decimal(s) / Decimal(count), decimals)


@rule("grim-mean", "error", "a mean of whole-number data that no whole total gives with this n")
def grim_mean(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        items = _items(where)
        if items is None:
            continue
        for name, arm in arms(where):
            v, n = arm.value, count_of(arm.n, 1)
            if v is None or n is None or not is_plain(v):
                continue
            count = n * items
            sp = span_of(v)
            if mean_possible(sp, count):
                continue
            s_min, s_max = sum_range(sp, count)  # s_max = s_min - 1: the totals either side
            d = max(v.decimals, 0)
            per = "" if items == 1 else f" × {items} items"
            near = f"{_mean(s_max, count, d)} ({s_max}/{count}) and {_mean(s_min, count, d)} ({s_min}/{count})"
            yield ctx.row_finding(
                "grim-mean",
                where,
                f"{name}.value",
                f"mean {shown(v)} is not possible for whole-number data with n = {shown(arm.n)}{per}: "  # type: ignore[arg-type]
                f"the nearest means are {near}",
                (v, arm.n, where.row.integer_items),
            )


@rule("grimmer-sd", "error", "an SD that no whole-number data with this mean and n give")
def grimmer_sd(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        if _items(where) != 1:
            continue
        for name, arm in arms(where):
            v, sd, n = arm.value, arm.sd, count_of(arm.n, 1)
            if n is None or not (is_plain(v) and is_plain(sd)):
                continue
            assert v is not None and sd is not None
            if grimmer_possible(span_of(v), span_of(sd), n) is not False:
                continue
            yield ctx.row_finding(
                "grimmer-sd",
                where,
                f"{name}.sd",
                f"SD {shown(sd)} is not possible with mean {shown(v)} and n = {shown(arm.n)} "  # type: ignore[arg-type]
                "for whole-number data (one item per patient): no set of whole numbers has both; "
                "check the SD, the mean and n",
                (v, sd, arm.n, where.row.integer_items),
            )


#: The summaries of a median row in the order they must stand, with their words.
_MEDIAN_ORDER: Final[tuple[tuple[str, str], ...]] = (
    ("min", "minimum"),
    ("q1", "Q1"),
    ("value", "median"),
    ("q3", "Q3"),
    ("max", "maximum"),
)
_MEAN_ORDER: Final[tuple[tuple[str, str], ...]] = (("min", "minimum"), ("value", "mean"), ("max", "maximum"))


@rule("median-order", "error", "min ≤ Q1 ≤ median ≤ Q3 ≤ max (min ≤ mean ≤ max) cannot hold")
def median_order(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        measure = where.row.measure
        if measure == "median":
            order = _MEDIAN_ORDER
        elif measure == "mean":
            order = _MEAN_ORDER
        else:
            continue
        for name, arm in arms(where):
            given = [(key, word, r) for key, word in order if (r := getattr(arm, key)) is not None]
            if len(given) < 2:
                continue
            problem = _first_disorder(given)
            if problem is None:
                continue
            (k1, w1, r1), (k2, w2, r2) = problem
            # Name the field that is out of place: the central value when it is one of the pair.
            key = k2 if k2 == "value" else k1
            yield ctx.row_finding(
                "median-order",
                where,
                f"{name}.{key}",
                f"{w1} {shown(r1)} is above {w2} {shown(r2)}, even allowing for rounding: "
                f"{' ≤ '.join(w for _, w in order)} must hold",
                tuple(r for _, _, r in given),
            )


def _first_disorder(
    given: list[tuple[str, str, Reported]],
) -> tuple[tuple[str, str, Reported], tuple[str, str, Reported]] | None:
    """The first pair (earlier, later) whose earlier number is surely above the later one.

    x1 ≤ x2 ≤ … with each x in its printed interval can hold exactly when no
    earlier interval lies entirely above a later one (take each x as the
    largest lower end so far), so checking pairs is enough.
    """
    values = [r.value for _, _, r in given]
    if all(r.relation is None for _, _, r in given) and all(a <= b for a, b in itertools.pairwise(values)):
        return None  # the printed numbers themselves are in order
    spans = [span_of(r) for _, _, r in given]
    for i in range(len(given)):
        for j in range(i + 1, len(given)):
            if spans[i].entirely_above(spans[j]):
                return given[i], given[j]
    return None
