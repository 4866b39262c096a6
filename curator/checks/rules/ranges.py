"""Values outside what their kind allows: percents, p-values, counts, ratios, CI order."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
from curator.checks.registry import rule
from curator.checks.rules.common import arms, is_ratio, shown
from curator.checks.stats import span_of
from curator.numbers import Reported

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


@rule("range-percent", "error", "a percent arm value is below 0 or above 100")
def range_percent(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        if where.row.measure != "percent":
            continue
        for name, arm in arms(where):
            v = arm.value
            if v is None or (v.relation is None and _ZERO <= v.value <= _HUNDRED):
                continue  # the printed value itself is a possible true value
            sp = span_of(v)
            if sp.all_below(_ZERO) or sp.all_above(_HUNDRED):
                side = "below 0" if sp.all_below(_ZERO) else "above 100"
                yield ctx.row_finding(
                    "range-percent",
                    where,
                    f"{name}.value",
                    f"{shown(v, '%')} is {side}: a share of patients lies between 0% and 100%",
                    (v,),
                )


def p_range_problem(p: Reported) -> str | None:
    """Why a reported p-value is impossible, or None."""
    rel = p.relation
    v = p.value
    if v == 0 and rel in (None, "=", "<="):
        return f"p {shown(p)} says p is zero; print it as a bound such as <0.001"
    if rel in ("<", "<="):
        # "<0.000" is how some software prints a tiny p: only a negative bound is wrong.
        return f"p {shown(p)} is below 0" if v < 0 else None
    if rel in (">", ">="):
        if v > 1 or (v == 1 and rel == ">"):
            return f"p {shown(p)} is above 1"
        return None
    sp = span_of(p)
    if sp.all_below(_ZERO):
        return f"p {shown(p)} is below 0"
    if sp.all_above(_ONE):
        return f"p {shown(p)} is above 1"
    return None


@rule("range-p", "error", "a p-value is below 0, above 1, or printed as zero without a '<'")
def range_p(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        eff = where.row.effect
        if eff is None or eff.p is None:
            continue
        problem = p_range_problem(eff.p)
        if problem:
            yield ctx.row_finding("range-p", where, "effect.p", problem, (eff.p,))


@rule("range-n", "error", "n or events is not a whole number >= 0, n is 0, or events > n")
def range_n(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        for name, arm in arms(where):
            n, ev = arm.n, arm.events
            for key, r in (("n", n), ("events", ev)):
                if r is None:
                    continue
                what = "n" if key == "n" else "events"
                problem = None
                if r.relation is not None:
                    problem = f"{what} {shown(r)} is printed with a relation; a count is a whole number"
                elif r.value < 0:
                    problem = f"{what} {shown(r)} is negative"
                elif r.value != r.value.to_integral_value():
                    problem = f"{what} {shown(r)} is not a whole number"
                elif key == "n" and r.value == 0:
                    problem = "n = 0: an arm has patients"
                elif key == "events" and n is not None and n.relation is None and r.value > n.value:
                    problem = f"events {shown(r)} exceed n = {shown(n)}"
                if problem:
                    values = (r, n) if key == "events" else (r,)
                    yield ctx.row_finding("range-n", where, f"{name}.{key}", problem, values)


@rule("range-ratio", "error", "an RR, OR, HR or IRR or a bound of its CI is printed as a number <= 0")
def range_ratio(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        eff = where.row.effect
        if eff is None or not is_ratio(eff.measure):
            continue
        for key in ("value", "ci_low", "ci_high"):
            r = getattr(eff, key)
            if r is not None and r.value <= 0:
                what = {"value": eff.measure, "ci_low": "lower CI bound", "ci_high": "upper CI bound"}[key]
                yield ctx.row_finding(
                    "range-ratio",
                    where,
                    f"effect.{key}",
                    f"{what} {shown(r)} is not above 0: a ratio and its CI bounds are positive",
                    (eff.measure, r),
                )


@rule("ci-order", "error", "the estimate is not between ci_low and ci_high, or ci_low > ci_high")
def ci_order(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        eff = where.row.effect
        if eff is not None:
            problem = _order_problem("the estimate", eff.value, eff.ci_low, eff.ci_high)
            if problem is not None:
                key, message, values = problem
                yield ctx.row_finding("ci-order", where, f"effect.{key}", message, values)
        # An arm's own CI (1.1) around its value.
        for name, arm in arms(where):
            label = getattr(where.comparison, name)
            problem = _order_problem(f"{label}: the value", arm.value, arm.ci_low, arm.ci_high, f"{label}: ")
            if problem is not None:
                key, message, values = problem
                yield ctx.row_finding("ci-order", where, f"{name}.{key}", message, values)


def _order_problem(
    what: str, est: Reported | None, lo: Reported | None, hi: Reported | None, prefix: str = ""
) -> tuple[str, str, tuple[object, ...]] | None:
    """What is out of order among an estimate and its CI: (field key, message, values), or None."""
    if (
        lo is not None
        and hi is not None
        and est is not None
        and lo.relation is None
        and hi.relation is None
        and est.relation is None
        and lo.value <= est.value <= hi.value
    ):
        return None  # the printed values themselves are in order
    s_lo = span_of(lo) if lo is not None else None
    s_hi = span_of(hi) if hi is not None else None
    if s_lo is not None and s_hi is not None and s_lo.entirely_above(s_hi):
        assert lo is not None and hi is not None
        return (
            "ci_low",
            f"{prefix}the CI is reversed: lower bound {shown(lo)} is above upper bound {shown(hi)}",
            (lo, hi),
        )
    if est is None or (s_lo is None and s_hi is None):
        return None
    s_est = span_of(est)
    below = s_lo is not None and s_lo.entirely_above(s_est)
    above = s_hi is not None and s_est.entirely_above(s_hi)
    if not (below or above):
        return None
    ci = f"{shown(lo) if lo is not None else '?'} to {shown(hi) if hi is not None else '?'}"
    return "value", f"{what} {shown(est)} lies outside its CI {ci}", (est, lo, hi)
