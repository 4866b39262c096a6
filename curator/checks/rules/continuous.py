"""Continuous outcomes: a mean difference against the arms, SDs against SEs,
and a CI against its p-value (``checks.md``, rules added with format 1.1).

Every printed number stands for its rounding interval, and a rule fires
only when no choice of true values inside all of them fits (``checks.md``).
The sums, squares and quotients of the intervals' ends are exact (Decimals,
or Fractions where a division is needed); only the quantiles of the normal
and t distributions are irrational, and they come as enclosures from
:mod:`curator.checks.precision`, each end read in the direction of *not*
firing. For speed, each rule first asks a float shortcut with a wide margin
(:data:`_CLEAR`), which can only say "clearly no finding"; the rows it cannot
clear, and every finding, are decided exactly.

The catalogue's factors: an implied SE more than 1.25 times any the arms
allow (``md-precision``; compared squared, 1.5625); two test statistics more
than 1.5 times apart (``ci-p-value``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Final

from curator.checks.context import ReviewContext, RowRef
from curator.checks.finding import Finding
from curator.checks.precision import (
    Distributions,
    Kind,
    PReading,
    Quantile,
    accepted,
    any_fits,
    leq,
    normal_quantile,
    read_p,
    statistics_of_p,
    t_quantile,
    tail_of_level,
    tail_of_p,
)
from curator.checks.registry import rule
from curator.checks.rules.common import arms, is_ratio, shown
from curator.checks.stats import Span, centre_possible, count_of, is_plain, p_from_z, span_of
from curator.numbers import Reported
from curator.review import EFFECT_MEASURES, Arm, Effect, Row

_SWAPPED: Final = "comparator_vs_intervention"
_MEANS: Final = ("MD", "SMD")

ADVICE: Final = (
    "if the paper is right, mark the effect adjusted if it is model-based, "
    "or set its contrast if it compares something the arms do not show"
)


_ZERO: Final = Decimal(0)


def _ends(sp: Span) -> tuple[Decimal, Decimal]:
    assert sp.lo is not None and sp.hi is not None
    return sp.lo, sp.hi


def _ordered_arms(row: Row, eff: Effect) -> tuple[Arm, Arm] | None:
    """(minuend arm, subtrahend arm) as the effect's direction says."""
    a, b = row.intervention, row.comparator
    if a is None or b is None:
        return None
    return (b, a) if eff.direction == _SWAPPED else (a, b)


def _crude_md(row: Row) -> Effect | None:
    """The row's MD when the rules that recompute it from the arms apply:
    a crude ``mean`` row whose MD contrasts the arms and is not adjusted."""
    eff = row.effect
    if row.measure != "mean" or not row.is_crude or eff is None or eff.measure != "MD":
        return None
    if eff.is_adjusted or not eff.contrasts_arms:
        return None
    return eff


def _abs_range(lo: Any, hi: Any) -> tuple[Any, Any]:
    """The range of |x| for x in [lo, hi] (Decimals, floats or Fractions)."""
    if lo <= 0 <= hi:
        return lo * 0, max(-lo, hi)
    return (lo, hi) if lo > 0 else (-hi, -lo)


def _dec(x: float | Decimal) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(repr(x))


def _significant(x: Decimal, digits: int = 3) -> int:
    """Decimals that show ``x`` to about ``digits`` significant digits
    (whole numbers as such, beyond a million in powers of ten)."""
    if x <= 0 or not x.is_finite():
        return 2
    d = digits - 1 - x.adjusted()
    return d if x >= 1_000_000 else max(0, d)


def _range_text(lo: float | Decimal, hi: float | Decimal) -> str:
    """A range for a message, to about three significant digits, rounded outward."""
    a, b = _dec(lo), _dec(hi)
    if not b.is_finite():
        return f"at least {_round(a, _significant(a), ROUND_FLOOR)}"
    d = _significant(b)
    ta, tb = _round(a, d, ROUND_FLOOR), _round(b, d, ROUND_CEILING)
    return ta if ta == tb else f"{ta} to {tb}"


def _round(x: Decimal, decimals: int, mode: str) -> str:
    return str(x.quantize(Decimal(1).scaleb(-decimals), rounding=mode))


# ---------------------------------------------------------------------------
# Float shortcuts
# ---------------------------------------------------------------------------

#: A float shortcut trusts a comparison only when its sides are further apart
#: than this share of their size (the float errors are far smaller). A
#: shortcut only ever says "clearly no finding"; when unsure the exact
#: arithmetic decides.
_CLEAR: Final = 1 - 1e-6


class _Unclear(Exception):
    """A number floats cannot hold: the shortcut gives way to the exact check."""


def _fvalue(r: Reported) -> tuple[float, float]:
    """A printed number's value and half-unit in floats (for shortcuts only)."""
    v = float(r.value)
    if not math.isfinite(v) or r.exponent >= 300:
        raise _Unclear
    return v, 0.5 * 10.0**r.exponent  # a half-unit that underflows only narrows the span


def _fspan(r: Reported) -> tuple[float, float]:
    """A printed number's rounding interval in floats (for shortcuts only)."""
    v, h = _fvalue(r)
    return v - h, v + h


def _le(lhs: float, rhs: float) -> bool:
    """``lhs ≤ rhs`` with the shortcut's margin; beyond floats, unclear."""
    if not (math.isfinite(lhs) and math.isfinite(rhs)):
        raise _Unclear
    return lhs <= rhs * _CLEAR


def _shortcut(check: Callable[..., bool], *args: Any) -> bool:
    """``check(*args)``, or False when a number is beyond floats."""
    try:
        return check(*args)
    except _Unclear:
        return False


# ---------------------------------------------------------------------------
# md-recompute
# ---------------------------------------------------------------------------


def _clearly_difference(md: Reported, a: Reported, b: Reported) -> bool:
    """The MD is clearly within rounding of a − b: |MD − (a − b)| ≤ the sum of the half-units."""
    (m, hm), (x, hx), (y, hy) = _fvalue(md), _fvalue(a), _fvalue(b)
    return _le(abs(m - x + y), hm + hx + hy)


@rule("md-recompute", "error", "an MD that the difference of the arm means cannot give")
def md_recompute(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        row = where.row
        eff = _crude_md(row)
        if eff is None or not is_plain(eff.value):
            continue
        pair = _ordered_arms(row, eff)
        if pair is None:
            continue
        first, second = pair
        a, b = first.value, second.value
        if not (is_plain(a) and is_plain(b)):
            continue
        assert a is not None and b is not None and eff.value is not None
        if _shortcut(_clearly_difference, eff.value, a, b):
            continue  # (the shortcut of nearly every row)
        sa, sb = span_of(a), span_of(b)
        assert sa.lo is not None and sa.hi is not None and sb.lo is not None and sb.hi is not None
        lo, hi = sa.lo - sb.hi, sa.hi - sb.lo
        if span_of(eff.value).meets(lo, hi):
            continue
        yield ctx.row_finding(
            "md-recompute",
            where,
            "effect.value",
            f"MD {shown(eff.value)} cannot follow from the arm means {shown(a)} − {shown(b)}: "
            f"within their rounding the difference is between {lo.normalize():f} and {hi.normalize():f}; " + ADVICE,
            ("MD", eff.value, eff.direction, a, b),
        )


# ---------------------------------------------------------------------------
# sd-se
# ---------------------------------------------------------------------------


def _nonneg_squares(sp: Span) -> tuple[Decimal, Decimal] | None:
    """The squares of the span's values that are ≥ 0 (exact); None when it has none."""
    assert sp.lo is not None and sp.hi is not None
    if sp.hi < 0:
        return None
    lo = max(sp.lo, _ZERO)
    return lo * lo, sp.hi * sp.hi


def _clearly_joined(sd: Reported, se: Reported, n: int) -> bool:
    """sd² = se²·n clearly holds for some values within rounding."""
    (d_lo, d_hi), (e_lo, e_hi) = _fspan(sd), _fspan(se)
    return e_lo > 0 and _le(n * e_lo * e_lo, d_hi * d_hi) and _le(d_lo * d_lo, n * e_hi * e_hi)


@rule("sd-se", "error", "an arm's SD and SE that sd² = se²·n cannot join")
def sd_se(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        for name, arm in arms(where):
            sd, se = arm.sd, arm.se
            if sd is None or se is None:
                continue
            if not (is_plain(sd) and is_plain(se)):
                continue
            n = count_of(arm.n)
            if n is None:
                continue
            if _shortcut(_clearly_joined, sd, se, n):
                continue  # (the shortcut of nearly every arm)
            s_se = span_of(se)
            v_sd, v_se = _nonneg_squares(span_of(sd)), _nonneg_squares(s_se)
            if v_sd is None or v_se is None:
                continue
            if not (v_sd[1] < n * v_se[0] or v_sd[0] > n * v_se[1]):
                continue
            assert s_se.lo is not None and s_se.hi is not None
            root = math.sqrt(n)
            implied = _range_text(max(float(s_se.lo), 0.0) * root, float(s_se.hi) * root)
            yield ctx.row_finding(
                "sd-se",
                where,
                f"{name}.sd",
                f"SD {shown(sd)} and SE {shown(se)} cannot both hold with n = {n}: "
                f"SD = SE·√n would be {implied}; check which of the two the paper gives",
                (sd, se, arm.n),
            )


# ---------------------------------------------------------------------------
# md-precision
# ---------------------------------------------------------------------------

#: A squared SE as a formula over the numbers' kind (float or exact).
_Bound = Callable[[Kind], Any]


class _Spread:
    """An arm's variance sd² over the rounding of what it prints (exact Decimals)."""

    def __init__(self, printed: Reported, printed_sd: bool, n: int) -> None:
        self.printed_sd = printed_sd
        self.text = f"{'SD' if printed_sd else 'SE'} {shown(printed)}"
        sq = _nonneg_squares(span_of(printed))
        assert sq is not None
        factor = 1 if printed_sd else n
        self.lo, self.hi = sq[0] * factor, sq[1] * factor
        #: As the SDs would be if they were standard errors (sd → sd·√n).
        self.as_se = (self.lo * n, self.hi * n) if printed_sd else (self.lo, self.hi)


def _spread(arm: Arm, n: int) -> _Spread | None:
    """The arm's spread: its ``sd``, or without one its ``se`` read as sd = se·√n."""
    r = arm.sd if arm.sd is not None else arm.se
    if not is_plain(r):
        return None
    assert r is not None
    if span_of(r).all_below(_ZERO):
        return None
    return _Spread(r, arm.sd is not None, n)


def _se_bounds(
    v1: tuple[Decimal, Decimal], v2: tuple[Decimal, Decimal], n1: int, n2: int
) -> list[tuple[_Bound, _Bound]]:
    """The squared SEs the arms allow, pooled sp²·(1/n1 + 1/n2) and unpooled
    sd1²/n1 + sd2²/n2, each an interval; both grow with each variance, so
    their ends come from the variances' ends."""

    def pooled(i: int) -> _Bound:
        return lambda k: (k(n1 - 1) * k(v1[i]) + k(n2 - 1) * k(v2[i])) * k(n1 + n2) / (k(n1 + n2 - 2) * k(n1 * n2))

    def unpooled(i: int) -> _Bound:
        return lambda k: k(v1[i]) / k(n1) + k(v2[i]) / k(n2)

    return [(pooled(0), pooled(1)), (unpooled(0), unpooled(1))]


def _largest_of(bounds: list[tuple[_Bound, _Bound]]) -> _Bound:
    return lambda k: max(hi(k) for _, hi in bounds)


def _sqrt_range(bounds: list[tuple[_Bound, _Bound]]) -> str:
    """The SEs of squared bounds, for a message (in Decimals: squares of big SDs overflow floats)."""
    return _range_text(min(lo(Decimal) for lo, _ in bounds).sqrt(), max(hi(Decimal) for _, hi in bounds).sqrt())


class _CiPath:
    """The CI's path: SE = (U − L) / (2·q), q the quantile at the CI's level."""

    def __init__(self, lo: Reported, hi: Reported, tail: float, level: Decimal) -> None:
        sl, sh = span_of(lo), span_of(hi)
        assert sl.lo is not None and sl.hi is not None and sh.lo is not None and sh.hi is not None
        self.w_lo, self.w_hi = sh.lo - sl.hi, sh.hi - sl.lo
        self.tail = tail
        self.text = f"the {level.normalize():f}% CI {shown(lo)} to {shown(hi)}"
        self.values: tuple[object, ...] = (lo, hi, level)

    def at_most(self, q: Quantile, bound: _Bound) -> bool:
        """Some implied SE is at most 1.25·√bound: w_lo / (2·q) ≤ 1.25·√bound."""
        w = self.w_lo
        if w <= 0:
            return True
        qh = q(self.tail)[1]
        if math.isinf(qh):
            return True
        return leq(lambda k: (k(w) * k(w), k(6.25) * k(qh) * k(qh) * bound(k)))

    def at_least(self, q: Quantile, bound: _Bound) -> bool:
        """Some implied SE is at least √bound / 1.25: w_hi / (2·q) ≥ √bound / 1.25."""
        ql = q(self.tail)[0]
        if ql == 0:
            return True
        w = self.w_hi
        return leq(lambda k: (k(4) * k(ql) * k(ql) * bound(k), k(1.5625) * k(w) * k(w)))

    def shown_range(self, dists: Distributions) -> tuple[float, float]:
        q_hi = _largest(dists, self.tail)
        q_lo = normal_quantile(self.tail)[0]
        return max(float(self.w_lo), 0.0) / (2 * q_hi), float(self.w_hi) / (2 * q_lo)


class _PPath:
    """The p's path: SE = |MD| / q_p, q_p the quantile of the p."""

    def __init__(self, md: Reported, p: Reported, reading: PReading) -> None:
        sp = span_of(md)
        assert sp.lo is not None and sp.hi is not None
        self.m_lo, self.m_hi = _abs_range(sp.lo, sp.hi)
        self.reading = reading
        self.text = f"MD {shown(md)} with p {shown(p)}"
        self.values: tuple[object, ...] = (md, p)

    def at_most(self, q: Quantile, bound: _Bound) -> bool:
        """Some implied SE is at most 1.25·√bound: |MD|_lo / q(p_lo) ≤ 1.25·√bound."""
        m = self.m_lo
        if m == 0 or self.reading.lo == 0:
            return True
        s_hi = q(tail_of_p(self.reading.lo))[1]
        if math.isinf(s_hi):
            return True
        return leq(lambda k: (k(m) * k(m), k(1.5625) * bound(k) * k(s_hi) * k(s_hi)))

    def at_least(self, q: Quantile, bound: _Bound) -> bool:
        """Some implied SE is at least √bound / 1.25: |MD|_hi / q(p_hi) ≥ √bound / 1.25."""
        s_lo = statistics_of_p(q, self.reading)[0]
        if s_lo == 0:
            return True
        m = self.m_hi
        return leq(lambda k: (bound(k) * k(s_lo) * k(s_lo), k(1.5625) * k(m) * k(m)))

    def shown_range(self, dists: Distributions) -> tuple[float, float]:
        s_hi = _largest(dists, tail_of_p(self.reading.lo))
        s_lo = statistics_of_p(normal_quantile, self.reading)[0]
        return float(self.m_lo) / s_hi, (float(self.m_hi) / s_lo if s_lo > 0 else math.inf)


def _largest(dists: Distributions, tail: float) -> float:
    """The largest quantile of the accepted distributions (t at the fewest df)."""
    if dists.has_t:
        assert dists.t_from is not None
        return t_quantile(dists.t_from, tail)[1]
    return normal_quantile(tail)[1]


_Path = _CiPath | _PPath


@rule("md-precision", "warning", "an MD whose CI or p implies an SE the arms' SDs cannot give")
def md_precision(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        finding = _md_precision(ctx, where)
        if finding is not None:
            yield finding


def _md_precision(ctx: ReviewContext, where: RowRef) -> Finding | None:
    row = where.row
    eff = _crude_md(row)
    if eff is None or row.intervention is None or row.comparator is None:
        return None
    n1, n2 = count_of(row.intervention.n), count_of(row.comparator.n)
    if n1 is None or n2 is None or n1 + n2 < 3:
        return None
    tail = tail_of_level(eff.level_exact)
    a, b = row.intervention, row.comparator
    if _shortcut(_clearly_precise, eff, a, b, n1, n2, tail):
        return None
    s1, s2 = _spread(row.intervention, n1), _spread(row.comparator, n2)
    if s1 is None or s2 is None:
        return None
    paths: list[_Path] = []
    if is_plain(eff.ci_low) and is_plain(eff.ci_high) and tail is not None:
        assert eff.ci_low is not None and eff.ci_high is not None
        ci = _CiPath(eff.ci_low, eff.ci_high, tail, eff.level_exact)
        if ci.w_hi > 0:
            paths.append(ci)
    p = eff.p
    if p is not None and is_plain(eff.value) and (p.relation is None or p.relation == "="):
        reading = read_p(p)
        if reading is not None:
            assert eff.value is not None
            paths.append(_PPath(eff.value, p, reading))
    if not paths:
        return None
    allowed = _se_bounds((s1.lo, s1.hi), (s2.lo, s2.hi), n1, n2)
    top = _largest_of(allowed)
    dists = accepted(True, n1, n2)
    failing = [path for path in paths if not any_fits(dists, _bind_at_most(path, top))]
    if not failing:
        return None
    as_se = _se_bounds(s1.as_se, s2.as_se, n1, n2)
    look_like_se = (
        (s1.printed_sd or s2.printed_sd)
        and all(any_fits(dists, _bind_near(path, as_se)) for path in failing)
        and _centred(eff)
    )
    return _precision_finding(ctx, where, eff, failing, dists, (s1, s2), (n1, n2), allowed, as_se, look_like_se)


def _fvariance_hi(arm: Arm, n: int) -> float | None:
    r = arm.sd if arm.sd is not None else arm.se
    if r is None or not (r.relation is None or r.relation == "="):
        return None
    hi = _fspan(r)[1]
    return hi * hi * (1 if arm.sd is not None else n)


def _clearly_precise(eff: Effect, a: Arm, b: Arm, n1: int, n2: int, tail: float | None) -> bool:
    """A shortcut for nearly every row: under the normal alone, in floats with
    a wide margin, neither path can fail. False when unsure (the exact
    check then decides)."""
    v1, v2 = _fvariance_hi(a, n1), _fvariance_hi(b, n2)
    if v1 is None or v2 is None:
        return False
    top = max(((n1 - 1) * v1 + (n2 - 1) * v2) * (n1 + n2) / ((n1 + n2 - 2) * n1 * n2), v1 / n1 + v2 / n2)
    if not math.isfinite(top):
        raise _Unclear
    lo, hi = eff.ci_low, eff.ci_high
    if tail is not None and is_plain(lo) and is_plain(hi):
        assert lo is not None and hi is not None
        w = _fspan(hi)[0] - _fspan(lo)[1]
        if not math.isfinite(w * w):
            raise _Unclear
        z = normal_quantile(tail)[1]
        if not (w <= 0 or _le(w * w, 6.25 * z * z * top)):
            return False
    p, md = eff.p, eff.value
    if p is not None and is_plain(md) and (p.relation is None or p.relation == "="):
        assert md is not None
        reading = read_p(p)
        if reading is None:
            return True
        m_lo, m_hi = _fspan(md)
        m = 0.0 if m_lo <= 0 <= m_hi else min(abs(m_lo), abs(m_hi))
        if m > 0 and reading.lo > 0:
            s = normal_quantile(tail_of_p(reading.lo))[1]
            if not _le(m * m, 1.5625 * top * s * s):
                return False
    return True


def _bind_at_most(path: _Path, bound: _Bound) -> Callable[[Quantile], bool]:
    return lambda q: path.at_most(q, bound)


def _bind_near(path: _Path, sets: list[tuple[_Bound, _Bound]]) -> Callable[[Quantile], bool]:
    """Some implied SE within a factor of 1.25 of some SE of ``sets`` (squared intervals)."""
    return lambda q: any(path.at_most(q, hi) and path.at_least(q, lo) for lo, hi in sets)


def _centred(eff: Effect) -> bool:
    """Where both CI bounds are given, the MD can lie within 10% of the half-width of the CI's centre."""
    if not (is_plain(eff.ci_low) and is_plain(eff.ci_high) and is_plain(eff.value)):
        return True
    assert eff.value is not None and eff.ci_low is not None and eff.ci_high is not None
    return centre_possible(_ends(span_of(eff.value)), _ends(span_of(eff.ci_low)), _ends(span_of(eff.ci_high)))


def _precision_finding(
    ctx: ReviewContext,
    where: RowRef,
    eff: Effect,
    failing: list[_Path],
    dists: Distributions,
    spreads: tuple[_Spread, _Spread],
    ns: tuple[int, int],
    allowed: list[tuple[_Bound, _Bound]],
    as_se: list[tuple[_Bound, _Bound]],
    look_like_se: bool,
) -> Finding:
    implied = " and ".join(f"{p.text} implies an SE of {_range_text(*p.shown_range(dists))}" for p in failing)
    s1, s2 = spreads
    message = (
        f"{implied} ({dists.describe()}), more than 1.25 times the {_sqrt_range(allowed)} "
        f"that {s1.text} and {s2.text} with n = {ns[0]} and {ns[1]} allow (pooled or not)"
    )
    if look_like_se:
        message += (
            f"; the SDs look like standard errors (as SEs they would allow {_sqrt_range(as_se)}): "
            "if the paper gives SEs, move them to the SE fields"
        )
    else:
        message += ": check the SDs, the n and the MD's CI and p against the paper"
    field = "intervention.sd" if s1.printed_sd else "intervention.se"
    row = where.row
    assert row.intervention is not None and row.comparator is not None
    values: list[object] = [s1.text, s2.text, row.intervention.n, row.comparator.n, eff.value]
    for p in failing:
        values.extend(p.values)
    return ctx.row_finding("md-precision", where, field, message, values, remedy="sd-as-se" if look_like_se else None)


# ---------------------------------------------------------------------------
# ci-p-value
# ---------------------------------------------------------------------------

#: Float slack of a natural logarithm: the float conversion and ``math.log``
#: are each within an ulp; this is several times that.
_LN_ABS: Final = 1e-15
_LN_REL: Final = 1e-14


def _ln_ends(sp: Span) -> tuple[float, float]:
    """An enclosure of the logarithms of a positive span's values."""
    lo, hi = sp.lo, sp.hi
    assert lo is not None and hi is not None and lo > 0
    a, b = math.log(float(lo)), math.log(float(hi))
    return a - _LN_ABS - _LN_REL * abs(a), b + _LN_ABS + _LN_REL * abs(b)


#: The implied statistics per unit quantile, as fractions: (num_a, den_a,
#: num_b, den_b) for the interval [num_a/den_a, num_b/den_b], den_b None when
#: it is unbounded above. Implied statistic = that ratio × q at the level.
_K = tuple[Any, Any, Any, Any | None]


def _implied_ks(e: tuple[Any, Any], lo: tuple[Any, Any], hi: tuple[Any, Any]) -> list[_K] | None:
    """The implied statistics per unit quantile: 2|e|/(U − L) and |L + U|/(U − L).

    The estimate's is exact over the rounding box (monotone in each number);
    the centre's treats its numerator and the width as independent, which
    only widens it. None when no rounding gives the CI a positive width.
    Works on Decimals, floats or Fractions alike.
    """
    w_lo, w_hi = hi[0] - lo[1], hi[1] - lo[0]
    if w_hi <= 0:
        return None
    ae = _abs_range(*e)
    ac = _abs_range(lo[0] + hi[0], lo[1] + hi[1])
    den_b = w_lo if w_lo > 0 else None
    return [(2 * ae[0], w_hi, 2 * ae[1], den_b), (ac[0], w_hi, ac[1], den_b)]


def _p_fits(ks: Callable[[Kind], list[_K]], reading: PReading, tail: float) -> Callable[[Quantile], bool]:
    """Some implied statistic within a factor of 1.5 of some statistic the p allows:
    a·q/1.5 ≤ s_hi and s_lo ≤ 1.5·b·q for an interval [a, b] of ``ks``."""

    def fits(q: Quantile) -> bool:
        lev_lo, lev_hi = q(tail)
        s_lo, s_hi = statistics_of_p(q, reading)
        for i in range(2):

            def low(k: Kind, i: int = i) -> tuple[Any, Any]:
                na, da, _, _ = ks(k)[i]
                return k(na) * k(lev_lo), k(1.5) * k(s_hi) * k(da)

            def high(k: Kind, i: int = i) -> tuple[Any, Any]:
                _, _, nb, db = ks(k)[i]
                return k(s_lo) * k(db), k(1.5) * k(nb) * k(lev_hi)

            if not (math.isinf(s_hi) or leq(low)):
                continue
            if ks(float)[i][3] is None or math.isinf(lev_hi) or leq(high):
                return True
        return False

    return fits


def _arm_ns(row: Row) -> tuple[int | None, int | None]:
    a, b = row.intervention, row.comparator
    return (count_of(a.n) if a is not None else None, count_of(b.n) if b is not None else None)


@rule("ci-p-value", "warning", "the CI and the p-value imply test statistics more than 1.5 times apart")
def ci_p_value(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        finding = _ci_p_value(ctx, where)
        if finding is not None:
            yield finding


def _ci_p_value(ctx: ReviewContext, where: RowRef) -> Finding | None:
    row = where.row
    eff = row.effect
    if eff is None or eff.measure not in EFFECT_MEASURES or eff.p is None:
        return None
    est, lo, hi = eff.value, eff.ci_low, eff.ci_high
    if not (is_plain(est) and is_plain(lo) and is_plain(hi)):
        return None
    assert est is not None and lo is not None and hi is not None
    ratio = is_ratio(eff.measure)
    if ratio and (est.value <= 0 or lo.value <= 0 or hi.value <= 0):
        return None
    reading = read_p(eff.p)
    tail = tail_of_level(eff.level_exact)
    if reading is None or tail is None:
        return None
    if _shortcut(_clearly_fits, est, lo, hi, ratio, reading, tail):
        return None
    s_e, s_l, s_h = span_of(est), span_of(lo), span_of(hi)
    if s_l.entirely_above(s_h):
        return None  # reversed: ci-order speaks
    ends: tuple[tuple[Any, Any], ...]
    if ratio:
        ends = (_ln_ends(s_e), _ln_ends(s_l), _ln_ends(s_h))
    else:
        ends = (_ends_d(s_e), _ends_d(s_l), _ends_d(s_h))
    exact_ks = _implied_ks(*ends)
    if exact_ks is None:
        return None
    cache: dict[Kind, list[_K]] = {}

    def ks(k: Kind) -> list[_K]:
        if k not in cache:
            if ratio:
                got = _implied_ks(*((k(a), k(b)) for a, b in ends))
                assert got is not None
                cache[k] = got
            else:
                cache[k] = [tuple(None if x is None else k(x) for x in part) for part in exact_ks]  # type: ignore[misc]
        return cache[k]

    n1, n2 = _arm_ns(row)
    dists = accepted(eff.measure in _MEANS, n1, n2)
    if any_fits(dists, _p_fits(ks, reading, tail)):
        return None
    return _ci_p_finding(ctx, where, eff, est, lo, hi, reading, tail, dists, (n1, n2))


def _clearly_fits(est: Reported, lo: Reported, hi: Reported, ratio: bool, reading: PReading, tail: float) -> bool:
    """A shortcut for nearly every row: the normal fits, in floats with a wide
    margin. False when unsure (the exact check then decides)."""
    e, lo_, hi_ = _fspan(est), _fspan(lo), _fspan(hi)
    if ratio:
        if e[0] <= 0 or lo_[0] <= 0 or hi_[0] <= 0:
            return False
        e, lo_, hi_ = (
            (math.log(e[0]), math.log(e[1])),
            (math.log(lo_[0]), math.log(lo_[1])),
            (math.log(hi_[0]), math.log(hi_[1])),
        )
    ks = _implied_ks(e, lo_, hi_)
    if ks is None:
        return False
    lev_lo, lev_hi = normal_quantile(tail)
    s_lo, s_hi = statistics_of_p(normal_quantile, reading)
    for na, da, nb, db in ks:
        if (math.isinf(s_hi) or _le(na * lev_lo, 1.5 * s_hi * da)) and (
            db is None or _le(s_lo * db, 1.5 * nb * lev_hi)
        ):
            return True
    return False


def _ends_d(sp: Span) -> tuple[Decimal, Decimal]:
    assert sp.lo is not None and sp.hi is not None
    return sp.lo, sp.hi


def _ci_p_finding(
    ctx: ReviewContext,
    where: RowRef,
    eff: Effect,
    est: Reported,
    lo: Reported,
    hi: Reported,
    reading: PReading,
    tail: float,
    dists: Distributions,
    ns: tuple[int | None, int | None],
) -> Finding:
    assert eff.p is not None and eff.measure is not None
    e, low, high = float(est.value), float(lo.value), float(hi.value)
    if is_ratio(eff.measure):
        e, low, high = math.log(e), math.log(low), math.log(high)
    z_level = normal_quantile(tail)[0]
    z = abs(e) * 2 * z_level / (high - low) if high > low else math.inf
    implied = f"{z:.2f} (p {_p_text(p_from_z(z))})" if math.isfinite(z) else "without bound"
    s_lo, s_hi = statistics_of_p(normal_quantile, reading)
    if reading.lo == 0:
        stat = f"a statistic above {s_lo:.2f}"
    elif reading.hi >= 1:
        stat = f"a statistic below {s_hi:.2f}"
    else:
        stat = f"a statistic of {s_lo:.2f} to {s_hi:.2f}"
    scale = " on the log scale" if is_ratio(eff.measure) else ""
    level = f"{eff.level_exact.normalize():f}%"
    return ctx.row_finding(
        "ci-p-value",
        where,
        "effect.p",
        f"p {shown(eff.p)} does not fit {eff.measure} {shown(est)} ({level} CI {shown(lo)} to {shown(hi)}): "
        f"the CI implies a test statistic of about {implied}{scale}, the p {stat} under the normal; "
        f"more than 1.5 times apart under {dists.describe()}: check the p-value, the estimate and the CI",
        (eff.measure, est, lo, hi, eff.p, eff.ci_level, *ns),
    )


def _p_text(p: float) -> str:
    if p < 0.0001:
        return "< 0.0001"
    return f"≈ {p:.2g}" if p < 0.01 else f"≈ {p:.2f}"
