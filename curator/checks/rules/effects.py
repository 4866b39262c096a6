"""Effect estimates against the arms, their CIs and their p-values."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from curator.checks.context import ReviewContext, RowRef
from curator.checks.finding import Finding
from curator.checks.registry import rule
from curator.checks.rules.common import RECOMPUTE_ADVICE, is_ratio, measure_name, null_value, shown
from curator.checks.stats import (
    Box,
    Span,
    centre_possible,
    effect_from_boxes_possible,
    effect_from_boxes_range,
    effect_from_counts_in_span,
    format_fixed,
    format_outward,
    is_count,
    is_plain,
    p_from_ci,
    p_span,
    percent_box,
    span_of,
)
from curator.numbers import Reported
from curator.review import Arm, Effect, Row

_RECOMPUTABLE = ("RR", "OR", "RD")
_SWAPPED = "comparator_vs_intervention"


def _ordered_arms(row: Row, eff: Effect) -> tuple[Arm, Arm] | None:
    """(numerator/minuend arm, other arm) as the effect's direction says."""
    a, b = row.intervention, row.comparator
    if a is None or b is None:
        return None
    return (b, a) if eff.direction == _SWAPPED else (a, b)


def _counts(arm: Arm) -> tuple[int, int] | None:
    if not (is_count(arm.events) and is_count(arm.n)):
        return None
    assert arm.events is not None and arm.n is not None
    e, n = int(arm.events.value), int(arm.n.value)
    return (e, n) if 0 < n and e <= n else None


@rule("effect-recompute", "error", "an RR, OR or RD that the arms' events/n or percents cannot give")
def effect_recompute(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        row = where.row
        eff = row.effect
        if row.measure != "percent" or eff is None or eff.measure not in _RECOMPUTABLE:
            continue
        # Only a plain ratio or difference of the crude arm values shown can be recomputed.
        if not row.is_crude or eff.is_adjusted or not eff.contrasts_arms:
            continue
        if not is_plain(eff.value):
            continue
        pair = _ordered_arms(row, eff)
        if pair is None:
            continue
        first, second = pair
        assert eff.value is not None
        sp_e = span_of(eff.value)
        c1, c2 = _arm_part(first), _arm_part(second)
        if c1 is None or c2 is None:
            continue
        if isinstance(c1[0], tuple) or isinstance(c2[0], tuple):
            finding = _from_boxes(ctx, where, eff, eff.value, sp_e, (c1, first), (c2, second))
        else:
            finding = _from_counts(ctx, where, eff, eff.value, sp_e, (first, second))
        if finding is not None:
            yield finding


#: What an arm contributes: its counts (events, n), or its percent's box and how it was printed.
_Part = tuple[int, int] | tuple[Box, Reported]


def _arm_part(arm: Arm) -> _Part | None:
    """Exactly events/n when the arm has both, else its value's rounding interval; None to skip.

    An arm with ``events`` but no ``n`` falls back to its percent. Counts that
    are given but unusable (a fraction, events > n) skip the row: ``range-n``
    speaks about them.
    """
    if arm.events is not None and arm.n is not None:
        return _counts(arm)
    if not is_plain(arm.value):
        return None
    assert arm.value is not None
    box = percent_box(span_of(arm.value))
    return None if box is None else (box, arm.value)


def _from_counts(
    ctx: ReviewContext,
    where: RowRef,
    eff: Effect,
    value: Reported,
    sp_e: Span,
    pair: tuple[Arm, Arm],
) -> Finding | None:
    first, second = pair
    c1, c2 = _counts(first), _counts(second)
    assert c1 is not None and c2 is not None
    (e1, n1), (e2, n2) = c1, c2
    assert eff.measure is not None
    ok = effect_from_counts_in_span(eff.measure, e1, n1, e2, n2, sp_e)
    if ok is None or ok:
        return None
    if eff.measure == "RR":
        exact = Decimal(e1 * n2) / Decimal(e2 * n1)
    elif eff.measure == "OR":
        exact = Decimal(e1 * (n2 - e2)) / Decimal(e2 * (n1 - e1))
    else:
        exact = Decimal(100 * (e1 * n2 - e2 * n1)) / Decimal(n1 * n2)
    m = eff.measure
    return ctx.row_finding(
        "effect-recompute",
        where,
        "effect.value",
        f"{m} {shown(value)} cannot follow from {e1}/{n1} vs {e2}/{n2} "
        f"({m} {format_fixed(exact, max(value.decimals, 0))}); {RECOMPUTE_ADVICE}",
        (m, value, eff.direction, first.events, first.n, second.events, second.n),
    )


def _box_of(part: _Part, arm: Arm) -> tuple[Box, str, tuple[object, ...]]:
    """An arm's percent box, how a message names it, and the values it rests on."""
    if isinstance(part[0], tuple):
        box, printed = part
        return box, shown(printed, "%"), (printed,)
    e, n = part
    p = Fraction(100 * e, n)
    return (p, p), f"{e}/{n}", (arm.events, arm.n)


def _from_boxes(
    ctx: ReviewContext,
    where: RowRef,
    eff: Effect,
    value: Reported,
    sp_e: Span,
    c1: tuple[_Part, Arm],
    c2: tuple[_Part, Arm],
) -> Finding | None:
    """At least one arm known only by its rounded percent: every true percent within its rounding."""
    (b1, t1, v1), (b2, t2, v2) = _box_of(*c1), _box_of(*c2)
    assert eff.measure is not None
    m = eff.measure
    ok = effect_from_boxes_possible(m, b1, b2, sp_e)
    if ok is None or ok:
        return None
    reach = effect_from_boxes_range(m, b1, b2)
    assert reach is not None
    lo, hi = format_outward(reach[0], reach[1], max(value.decimals, 0) + 1)
    within = "the" if reach[0] == reach[1] else "within their rounding the"
    return ctx.row_finding(
        "effect-recompute",
        where,
        "effect.value",
        f"{m} {shown(value)} cannot follow from {t1} vs {t2}: {within} {m} is between {lo} and {hi}; "
        f"{RECOMPUTE_ADVICE}",
        (m, value, eff.direction, *v1, *v2),
    )


# ---------------------------------------------------------------------------


def _log_span(sp: Span) -> tuple[float, float] | None:
    if not sp.bounded:
        return None
    assert sp.lo is not None and sp.hi is not None
    if sp.lo <= 0:
        return None
    return math.log(sp.lo), math.log(sp.hi)


#: Float slack on the log scale, far below a millionth of any printed half-unit
#: there, always widening toward "no finding".
_LOG_SLACK = 1e-12


_TENTH = Decimal("0.1")


def _printed_centred(log: bool, e: Decimal, lo: Decimal, hi: Decimal) -> bool:
    """Quick accept: the printed numbers themselves put the estimate near the centre.

    Exact on the linear scale; on the log scale with a margin of 1e-9 against
    float error (anything closer is decided by the full check).
    """
    if lo > hi:
        return False
    if not log:
        return abs(2 * e - lo - hi) <= _TENTH * (hi - lo)
    if lo <= 0 or e <= 0:
        return False
    le, ll, lh = math.log(e), math.log(lo), math.log(hi)
    return abs(2 * le - ll - lh) <= 0.1 * (lh - ll) - 1e-9


def _centre_possible(log: bool, s_e: Span, s_l: Span, s_h: Span) -> bool:
    """Some true values put the estimate within 10% of the half-width of the CI's centre, on that scale."""
    if log:
        le, ll, lh = _log_span(s_e), _log_span(s_l), _log_span(s_h)
        assert le is not None and ll is not None and lh is not None
        return centre_possible(le, ll, lh, _LOG_SLACK)
    ends = (s_e.lo, s_e.hi, s_l.lo, s_l.hi, s_h.lo, s_h.hi)
    e1, e2, l1, l2, h1, h2 = (x for x in ends if x is not None)
    return centre_possible((e1, e2), (l1, l2), (h1, h2))


#: Ratios whose model-based (adjusted) estimates often come with a Wald CI on the ratio scale.
_EITHER_SCALE_WHEN_ADJUSTED = ("RR", "OR")


@rule("ci-symmetry", "warning", "the estimate is far from the centre of its CI on the CI's scale")
def ci_symmetry(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        eff = where.row.effect
        if eff is None or eff.measure is None:
            continue
        est, lo, hi = eff.value, eff.ci_low, eff.ci_high
        if not (is_plain(est) and is_plain(lo) and is_plain(hi)):
            continue
        assert est is not None and lo is not None and hi is not None
        ratio = is_ratio(eff.measure)
        # The scales the CI may be built on: log for ratios, linear for differences,
        # either for an adjusted RR or OR (HRs keep the log scale).
        scales = [True] if ratio else [False]
        if ratio and eff.is_adjusted and eff.measure in _EITHER_SCALE_WHEN_ADJUSTED:
            scales.append(False)
        if any(_printed_centred(log, est.value, lo.value, hi.value) for log in scales):
            continue
        s_e, s_l, s_h = span_of(est), span_of(lo), span_of(hi)
        if not (s_e.bounded and s_l.bounded and s_h.bounded):
            continue  # pragma: no cover - plain numbers have bounded spans
        if ratio and any(sp.lo is None or sp.lo <= 0 for sp in (s_e, s_l, s_h)):
            continue  # a ratio's interval reaches 0
        if s_l.entirely_above(s_h) or s_l.entirely_above(s_e) or s_e.entirely_above(s_h):
            continue  # ci-order speaks
        if any(_centre_possible(log, s_e, s_l, s_h) for log in scales):
            continue
        if len(scales) == 2:
            scale = "both the log and the ratio scale"
        else:
            scale = "the log scale" if ratio else "the linear scale"
        yield ctx.row_finding(
            "ci-symmetry",
            where,
            "effect.value",
            f"{eff.measure} {shown(est)} is off the centre of its CI {shown(lo)} to {shown(hi)} "
            f"on {scale} (more than 10% of the half-width, even allowing for rounding): "
            "check the estimate and both bounds",
            (eff.measure, est, lo, hi),
        )


# ---------------------------------------------------------------------------


def _alpha(eff: Effect) -> Decimal:
    """α = 1 − level/100, with the level exactly as printed (``"95.02"`` gives 0.0498)."""
    return 1 - eff.level_exact / 100


@rule("ci-p", "error", "the CI and the p-value disagree about significance")
def ci_p(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        eff = where.row.effect
        if eff is None or eff.measure is None or eff.p is None:
            continue
        lo, hi, p = eff.ci_low, eff.ci_high, eff.p
        if not (is_plain(lo) and is_plain(hi)):
            continue
        assert lo is not None and hi is not None
        null = Decimal(null_value(eff.measure))
        s_l, s_h = span_of(lo), span_of(hi)
        if s_l.contains(null) or s_h.contains(null) or s_l.entirely_above(s_h):
            continue
        if s_l.all_above(null) and s_h.all_above(null) or s_l.all_below(null) and s_h.all_below(null):
            excludes = True
        elif s_l.all_below(null) and s_h.all_above(null):
            excludes = False
        else:
            continue  # pragma: no cover - lo above null and hi below it is reversed
        alpha = _alpha(eff)
        s_p = p_span(p)
        if excludes:
            # Not significant for every p the print allows.
            if not s_p.all_above(alpha):
                continue
        else:
            if not s_p.all_below(alpha):
                continue
        level = f"{eff.level_exact.normalize():f}%"
        implied = p_from_ci(
            float(eff.value.value) if is_plain(eff.value) else None,  # type: ignore[union-attr]
            float(lo.value),
            float(hi.value),
            is_ratio(eff.measure),
            eff.level,
        )
        hint = f" (the CI implies p ≈ {_p_text(implied)})" if implied is not None else ""
        if excludes:
            msg = (
                f"p {shown(p)} is not significant at α = {alpha.normalize()}, but the {level} CI "
                f"{shown(lo)} to {shown(hi)} excludes {null}{hint}"
            )
        else:
            msg = (
                f"p {shown(p)} is significant at α = {alpha.normalize()}, but the {level} CI "
                f"{shown(lo)} to {shown(hi)} includes {null}{hint}"
            )
        yield ctx.row_finding("ci-p", where, "effect.p", msg, (eff.measure, p, lo, hi, eff.ci_level))


def _p_text(p: float) -> str:
    if p < 0.0001:
        return "<0.0001"
    return f"{p:.2g}" if p < 0.01 else f"{p:.2f}"


# ---------------------------------------------------------------------------

_DIRECTIONAL = ("RR", "OR", "RD", "MD", "SMD")


def _other(arm: str) -> str:
    return "comparator" if arm == "intervention" else "intervention"


@rule("effect-direction", "error", "favours names one arm while the values favour the other")
def effect_direction(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        row = where.row
        fav, better = row.favours, row.higher_is_better
        if fav not in ("intervention", "comparator") or better is None:
            continue
        reasons: list[str] = []
        values: list[object] = [fav, better]
        a, b = row.intervention, row.comparator
        if a is not None and b is not None and a.value is not None and b.value is not None:
            sa, sb = span_of(a.value), span_of(b.value)
            a_higher, b_higher = sa.entirely_above(sb), sb.entirely_above(sa)
            winner = None
            if a_higher or b_higher:
                higher = "intervention" if a_higher else "comparator"
                winner = higher if better else _other(higher)
            if winner is not None and winner != fav:
                unit = "%" if row.measure == "percent" else ""
                reasons.append(f"{shown(a.value, unit)} vs {shown(b.value, unit)} favour the {winner}")
                values += [a.value, b.value]
        eff = row.effect
        if eff is not None and eff.measure in _DIRECTIONAL and eff.value is not None:
            null = Decimal(null_value(eff.measure))
            s = span_of(eff.value)
            first = "comparator" if eff.direction == _SWAPPED else "intervention"
            winner = None
            if s.all_above(null) or s.all_below(null):
                higher = first if s.all_above(null) else _other(first)
                winner = higher if better else _other(higher)
            if winner is not None and winner != fav:
                reasons.append(
                    f"{measure_name(eff.measure)} {shown(eff.value)} ({first} vs {_other(first)}) favours the {winner}"
                )
                values += [eff.measure, eff.value, eff.direction]
        if reasons:
            sense = "higher" if better else "lower"
            yield ctx.row_finding(
                "effect-direction",
                where,
                "favours",
                f"favours says {fav}, but {' and '.join(reasons)} ({sense} is better)",
                values,
            )
