"""The statistics the checks rest on, in one place.

Everything that decides whether a rule fires is exact: reported numbers are
:class:`~decimal.Decimal` values, their rounding intervals are computed
exactly, and comparisons that would need a division are cross-multiplied
instead, so no float ever decides a finding on a linear scale. Where a
logarithm is unavoidable (the centre of a ratio's CI) floats are used with a
slack far below a millionth of any printed half-unit, always in the
direction of *not* firing.

Decimal arithmetic here is exact as long as the products fit the context's
precision; :data:`EXACT` (used by :func:`curator.checks.run_checks`) has
room for any number a paper prints, and the default 28 digits already hold
products of three numbers of nine significant digits each.

Float estimates (RR, OR, RD with their CIs and p-values) are provided for
generating and explaining data, never for deciding a finding.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from statistics import NormalDist
from typing import NamedTuple, TypeVar

from curator.numbers import Reported

__all__ = [
    "EXACT",
    "Span",
    "span_of",
    "is_count",
    "count_of",
    "grim_possible",
    "grim_neighbours",
    "p_span",
    "sum_range",
    "mean_possible",
    "grimmer_possible",
    "Box",
    "percent_box",
    "effect_from_boxes_possible",
    "effect_from_boxes_range",
    "ratio_in_span",
    "rr_counts",
    "or_counts",
    "rd_counts",
    "effect_from_counts_in_span",
    "effect_from_percents_range",
    "effect_from_percents_possible",
    "corner_range",
    "centre_possible",
    "z_for_level",
    "p_from_ci",
    "Estimate",
    "rr_ci",
    "or_ci",
    "rd_ci",
    "p_from_z",
    "format_fixed",
    "format_outward",
]

#: A context wide enough that the sums and products of printed numbers are
#: exact (no paper prints a number of more than a few dozen digits).
EXACT = Context(prec=200, Emax=999_999, Emin=-999_999)

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_ONE = Decimal(1)


# ---------------------------------------------------------------------------
# What a printed number stands for
# ---------------------------------------------------------------------------


class Span(NamedTuple):
    """The true values a printed number stands for.

    ``lo``/``hi`` are the ends (``None`` for minus/plus infinity);
    ``lo_open``/``hi_open`` say whether an end is excluded. A rounding
    interval is closed at both ends; ``<0.05`` is open at 0.05, ``≤0.05``
    closed.
    """

    lo: Decimal | None
    hi: Decimal | None
    lo_open: bool = False
    hi_open: bool = False

    @property
    def bounded(self) -> bool:
        """True when both ends are finite."""
        return self.lo is not None and self.hi is not None

    def contains(self, x: Decimal) -> bool:
        """True when ``x`` is one of the values the print stands for."""
        if self.lo is not None and (x < self.lo or (x == self.lo and self.lo_open)):
            return False
        if self.hi is not None and (x > self.hi or (x == self.hi and self.hi_open)):
            return False
        return True

    def all_below(self, x: Decimal) -> bool:
        """Every value is strictly below ``x``."""
        return self.hi is not None and (self.hi < x or (self.hi == x and self.hi_open))

    def all_above(self, x: Decimal) -> bool:
        """Every value is strictly above ``x``."""
        return self.lo is not None and (self.lo > x or (self.lo == x and self.lo_open))

    def all_at_least(self, x: Decimal) -> bool:
        """Every value is ``>= x``."""
        return self.lo is not None and self.lo >= x

    def meets(self, lo: Decimal, hi: Decimal) -> bool:
        """True when some value lies in the closed interval [lo, hi]."""
        return not (self.all_below(lo) or self.all_above(hi))

    def entirely_above(self, other: Span) -> bool:
        """Every value of ``self`` is strictly above every value of ``other``."""
        if self.lo is None or other.hi is None:
            return False
        return self.lo > other.hi or (self.lo == other.hi and (self.lo_open or other.hi_open))


_HALF_UNITS: dict[int, Decimal] = {}


def span_of(r: Reported) -> Span:
    """The values a reported number stands for.

    No relation (or ``=``): its rounding interval, both ends included.
    ``<``/``≤``/``>``/``≥``: the half-line it names, bound taken as printed.
    """
    rel = r.relation
    v = r.value
    if rel is None or rel == "=":
        h = _HALF_UNITS.get(r.exponent)
        if h is None:
            h = _HALF_UNITS[r.exponent] = r.half_unit
        return Span(v - h, v + h, False, False)
    if rel == "<":
        return Span(None, v, hi_open=True)
    if rel == "<=":
        return Span(None, v)
    if rel == ">":
        return Span(v, None, lo_open=True)
    return Span(v, None)


def p_span(p: Reported) -> Span:
    """The values a reported p stands for, as every rule but ``range-p`` reads it.

    A p whose printed number is zero (``0``, ``0.000``), with no relation or
    with ``=``, ``≤`` or ``<``, is below half a unit of its last digit
    (``0.000`` is ``<0.0005``); anything else is :func:`span_of`.
    """
    if p.value == 0 and p.relation in (None, "=", "<=", "<"):
        return Span(None, p.half_unit, hi_open=True)
    return span_of(p)


def is_plain(r: Reported | None) -> bool:
    """A printed number with no relation other than ``=``."""
    return r is not None and (r.relation is None or r.relation == "=")


def is_count(r: Reported | None) -> bool:
    """A whole number ≥ 0 printed with no relation: usable as ``n``/``events``."""
    return r is not None and r.relation is None and r.value >= 0 and r.value == r.value.to_integral_value()


def count_of(r: Reported | None, least: int = 1) -> int | None:
    """A usable count: a whole number ≥ ``least`` printed with no relation (:func:`is_count`), else None."""
    if not is_count(r):
        return None
    assert r is not None
    k = int(r.value)
    return k if k >= least else None


# ---------------------------------------------------------------------------
# GRIM: which percentages k/n can produce
# ---------------------------------------------------------------------------


def _k_range(sp: Span, n: int) -> tuple[int, int]:
    """The whole k (unclipped) with 100·k/n in the span: [k_min, k_max]."""
    return sum_range(sp, Decimal(n) / _HUNDRED)


def grim_possible(sp: Span, n: int) -> bool:
    """True when some whole k in 0..n gives a percentage 100·k/n in ``sp``."""
    k_min, k_max = _k_range(sp, n)
    return max(k_min, 0) <= min(k_max, n)


def grim_neighbours(sp: Span, n: int) -> list[int]:
    """The k in 0..n whose 100·k/n are nearest below and above ``sp``.

    For a message; call it when :func:`grim_possible` is false.
    """
    k_min, k_max = _k_range(sp, n)
    out = []
    below = min(k_min - 1, n)
    if below >= 0:
        out.append(below)
    above = max(k_max + 1, 0)
    if above <= n and above not in out:
        out.append(above)
    return out


# ---------------------------------------------------------------------------
# GRIM and GRIMMER for means of whole-number data
# ---------------------------------------------------------------------------


def sum_range(sp: Span, count: int | Decimal) -> tuple[int, int]:
    """The whole S (any sign) with S/count in ``sp``: [S_min, S_max] (empty when S_min > S_max).

    An unbounded end gives ±2⁶². ``count`` may be a decimal (``n/100`` for a
    percentage: :func:`_k_range`); every product is exact."""
    if sp.lo is None:
        s_min = -1 << 62
    else:
        x = sp.lo * count
        s_min = int(x.to_integral_value(ROUND_CEILING))
        if sp.lo_open and x == s_min:
            s_min += 1
    if sp.hi is None:
        s_max = 1 << 62
    else:
        x = sp.hi * count
        s_max = int(x.to_integral_value(ROUND_FLOOR))
        if sp.hi_open and x == s_max:
            s_max -= 1
    return s_min, s_max


def mean_possible(sp: Span, count: int) -> bool:
    """GRIM for a mean: some whole S gives S/count in ``sp`` (count = n · items per patient)."""
    s_min, s_max = sum_range(sp, count)
    return s_min <= s_max


#: GRIMMER gives up (no finding) when the mean's interval holds more sums than this.
GRIMMER_MAX_SUMS = 200_000


def grimmer_possible(mean: Span, sd: Span, n: int) -> bool | None:
    """GRIMMER (one item per patient): can n whole numbers of any sign have a
    mean in ``mean`` and a sample SD in ``sd``?

    For each whole S with S/n in the mean's interval, the sum of squares Q of
    the data is a whole number with Q ≡ S (mod 2) (x² ≡ x), within
    [(n − 1)·sd_lo² + S²/n, (n − 1)·sd_hi² + S²/n], and at least the smallest
    sum of squares of n whole numbers summing to S: n·q² + (2q + 1)·r with
    q = ⌊S/n⌋, r = S − n·q. The pair is possible when some S has such a Q.
    Every condition is necessary, so False is a proof of impossibility (for
    n ≤ 4 a True may still be impossible). None (no verdict) when an interval
    is unbounded, the SD's interval lies below 0, no S fits the mean (that is
    GRIM's finding), or there are too many sums to try.
    """
    if not (mean.bounded and sd.bounded) or n < 1:
        return None
    assert sd.lo is not None and sd.hi is not None
    if sd.hi < 0:
        return None
    s_min, s_max = sum_range(mean, n)
    if s_min > s_max or s_max - s_min > GRIMMER_MAX_SUMS:
        return None
    # In whole numbers: with sd² = A/D (D = 10^k for the SD's printed digits),
    # n·D·Q must lie in [n(n − 1)·A_lo + D·S², n(n − 1)·A_hi + D·S²].
    a_lo, d_lo = (max(sd.lo, _ZERO) ** 2).as_integer_ratio()
    a_hi, d_hi = (sd.hi**2).as_integer_ratio()
    den = d_lo * d_hi
    lo2 = n * (n - 1) * a_lo * d_hi
    hi2 = n * (n - 1) * a_hi * d_lo
    scale = n * den
    for s in range(s_min, s_max + 1):
        base = den * s * s
        q, r = divmod(s, n)
        q_lo = max(-((-(lo2 + base)) // scale), n * q * q + (2 * q + 1) * r)
        q_hi = (hi2 + base) // scale
        if q_lo <= q_hi and ((q_lo - s) % 2 == 0 or q_lo + 1 <= q_hi):
            return True
    return False


# ---------------------------------------------------------------------------
# Effects from counts, exactly
# ---------------------------------------------------------------------------


def ratio_in_span(num: int | Decimal, den: int | Decimal, sp: Span) -> bool:
    """True when num/den (den > 0) lies in ``sp``, without dividing."""
    if sp.lo is not None:
        lhs = sp.lo * den
        if num < lhs or (num == lhs and sp.lo_open):
            return False
    if sp.hi is not None:
        rhs = sp.hi * den
        if num > rhs or (num == rhs and sp.hi_open):
            return False
    return True


def rr_counts(e1: int, n1: int, e2: int, n2: int) -> tuple[int, int] | None:
    """RR of arm 1 over arm 2 as (numerator, denominator), None when undefined."""
    den = e2 * n1
    return None if den == 0 else (e1 * n2, den)


def or_counts(e1: int, n1: int, e2: int, n2: int) -> tuple[int, int] | None:
    """OR of arm 1 over arm 2 as (numerator, denominator), None when undefined."""
    den = e2 * (n1 - e1)
    return None if den == 0 else (e1 * (n2 - e2), den)


def rd_counts(e1: int, n1: int, e2: int, n2: int) -> tuple[int, int] | None:
    """RD of arm 1 minus arm 2 in percentage points as (numerator, denominator)."""
    den = n1 * n2
    return None if den == 0 else (100 * (e1 * n2 - e2 * n1), den)


_COUNT_FUNCS = {"RR": rr_counts, "OR": or_counts, "RD": rd_counts}


def effect_from_counts_in_span(measure: str, e1: int, n1: int, e2: int, n2: int, sp: Span) -> bool | None:
    """Whether the effect computed from counts lies in ``sp``; None when undefined."""
    frac = _COUNT_FUNCS[measure](e1, n1, e2, n2)
    if frac is None:
        return None
    return ratio_in_span(frac[0], frac[1], sp)


# ---------------------------------------------------------------------------
# Effects from rounded percentages: monotone functions over a box
# ---------------------------------------------------------------------------

Number = int | Decimal | Fraction


def corner_range(f: Callable[..., Fraction], boxes: Sequence[tuple[Number, Number]]) -> tuple[Fraction, Fraction]:
    """The range of ``f`` over a box, for ``f`` monotone in each argument.

    A function monotone in each variable separately takes its extremes at
    the box's corners, so evaluating ``f`` there (exactly, in Fractions)
    gives its whole range.
    """
    values = [f(*(Fraction(v) for v in corner)) for corner in itertools.product(*boxes)]
    return min(values), max(values)


#: An arm's percent as an exact closed interval [lo, hi] (lo = hi for events/n).
Box = tuple[Fraction, Fraction]


def percent_box(sp: Span) -> Box | None:
    """A percent's span clipped to [0, 100], exactly; None when nothing is left or it is unbounded."""
    if not sp.bounded:
        return None
    assert sp.lo is not None and sp.hi is not None
    lo, hi = max(sp.lo, _ZERO), min(sp.hi, _HUNDRED)
    return None if lo > hi else (Fraction(lo), Fraction(hi))


def effect_from_boxes_possible(measure: str, b1: Box, b2: Box, sp_e: Span) -> bool | None:
    """Whether some percents p1 in ``b1`` and p2 in ``b2`` give an effect within ``sp_e``.

    RR = p1/p2 and OR = p1(100−p2)/(p2(100−p1)) increase in p1 and decrease
    in p2, RD = p1 − p2 (points) too, so the reachable effects run from the
    value at (lo1, hi2) to the value at (hi1, lo2); the comparison with the
    reported effect is cross-multiplied, exact. An arm known exactly
    (events/n) is a box of width 0. None (skip) when the range is unbounded
    because a division by zero would be needed, or ``sp_e`` is unbounded.
    """
    if not sp_e.bounded:
        return None
    lo1, hi1 = b1
    lo2, hi2 = b2
    assert sp_e.lo is not None and sp_e.hi is not None
    elo, ehi = Fraction(sp_e.lo), Fraction(sp_e.hi)
    if measure == "RD":
        return not (hi1 - lo2 < elo or lo1 - hi2 > ehi)
    if measure == "RR":
        if lo2 <= 0:
            return None
        # max = hi1/lo2 < elo  or  min = lo1/hi2 > ehi
        return not (hi1 < elo * lo2 or lo1 > ehi * hi2)
    if measure == "OR":
        if lo2 <= 0 or hi1 >= 100:
            return None
        too_low = hi1 * (100 - lo2) < elo * lo2 * (100 - hi1)
        too_high = lo1 * (100 - hi2) > ehi * hi2 * (100 - lo1)
        return not (too_low or too_high)
    raise ValueError(f"no recomputation for {measure}")


def effect_from_percents_possible(measure: str, sp1: Span, sp2: Span, sp_e: Span) -> bool | None:
    """Whether some percents in ``sp1``×``sp2`` give an effect within ``sp_e``
    (:func:`effect_from_boxes_possible` over the percents' rounding intervals).
    None (skip) also when a percent's span lies outside [0, 100]."""
    b1, b2 = percent_box(sp1), percent_box(sp2)
    if b1 is None or b2 is None:
        return None
    return effect_from_boxes_possible(measure, b1, b2, sp_e)


def _rr(p1: Fraction, p2: Fraction) -> Fraction:
    return p1 / p2


def _or(p1: Fraction, p2: Fraction) -> Fraction:
    return p1 * (100 - p2) / (p2 * (100 - p1))


def _rd(p1: Fraction, p2: Fraction) -> Fraction:
    return p1 - p2


PERCENT_EFFECTS: dict[str, Callable[[Fraction, Fraction], Fraction]] = {"RR": _rr, "OR": _or, "RD": _rd}


def effect_from_boxes_range(measure: str, b1: Box, b2: Box) -> tuple[Fraction, Fraction] | None:
    """The exact range of the effect over two arms' percent boxes; None when a division by zero would be needed."""
    if measure in ("RR", "OR") and b2[0] <= 0:
        return None
    if measure == "OR" and b1[1] >= 100:
        return None
    return corner_range(PERCENT_EFFECTS[measure], [b1, b2])


def effect_from_percents_range(measure: str, sp1: Span, sp2: Span) -> tuple[Fraction, Fraction] | None:
    """The exact range of the effect over both percents' rounding intervals."""
    b1, b2 = percent_box(sp1), percent_box(sp2)
    if b1 is None or b2 is None:
        return None
    return effect_from_boxes_range(measure, b1, b2)


# ---------------------------------------------------------------------------
# Where the estimate sits in its CI
# ---------------------------------------------------------------------------


_T = TypeVar("_T", float, Decimal, Fraction)


def centre_possible(est: tuple[_T, _T], low: tuple[_T, _T], high: tuple[_T, _T], slack: _T | int = 0) -> bool:
    """Can the estimate be within 10% of the CI's half-width of its centre?

    Given intervals for the estimate e, the lower bound l and the upper
    bound h (on the CI's own scale), is there a choice with l ≤ h and
    |2e − l − h| ≤ 0.1·(h − l)? The two linear conditions are
    2e ≥ 1.1·l + 0.9·h and 2e ≤ 0.9·l + 1.1·h; eliminating e, then l
    (Fourier–Motzkin) leaves ten pairwise conditions on the interval ends,
    written here with whole coefficients so that they are exact for
    Decimals. ``slack`` loosens every condition (for float logarithms).
    """
    e1, e2 = est
    l1, l2 = low
    h1, h2 = high
    s = slack
    return (
        l1 <= h2 + s
        and 9 * h1 + 11 * l1 <= 20 * e2 + 20 * s
        and l1 <= e2 + s
        and 20 * e1 <= 9 * l2 + 11 * h2 + 20 * s
        and 180 * e1 - 81 * l2 <= 220 * e2 - 121 * l1 + 400 * s
        and 11 * e1 - 9 * e2 <= 2 * h2 + 20 * s
        and 9 * e1 + 2 * l1 <= 11 * e2 + 20 * s
        and e1 <= h2 + s
        and 9 * e1 + 11 * l1 <= 20 * e2 + 20 * s
    )


# ---------------------------------------------------------------------------
# Float statistics: estimates, CIs and p-values
# ---------------------------------------------------------------------------

_NORMAL = NormalDist()


def z_for_level(level: float = 95.0) -> float:
    """The two-sided normal quantile of a CI level in percent (95 → 1.96)."""
    return _NORMAL.inv_cdf(0.5 + level / 200.0)


def p_from_z(z: float) -> float:
    """Two-sided normal p-value of a z statistic."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def p_from_ci(est: float | None, low: float, high: float, ratio: bool, level: float = 95.0) -> float | None:
    """The p-value a CI implies (Altman & Bland, BMJ 2011;343:d2090).

    On the CI's scale (log for ratios): SE = (high − low)/(2·z_level),
    z = est/SE (with the CI's centre when no estimate is given), and
    p = exp(−0.717·z − 0.416·z²). None when the CI cannot give one.
    """
    try:
        if ratio:
            if low <= 0 or high <= 0 or (est is not None and est <= 0):
                return None
            lo, hi = math.log(low), math.log(high)
            e = math.log(est) if est is not None else (lo + hi) / 2
        else:
            lo, hi = low, high
            e = est if est is not None else (lo + hi) / 2
    except ValueError:
        return None
    se = (hi - lo) / (2 * z_for_level(level))
    if se <= 0:
        return None
    z = abs(e / se)
    return math.exp(-0.717 * z - 0.416 * z * z)


class Estimate(NamedTuple):
    """A between-arm estimate with its CI and two-sided p."""

    value: float
    low: float
    high: float
    p: float


def rr_ci(e1: int, n1: int, e2: int, n2: int, level: float = 95.0) -> Estimate:
    """RR of arm 1 over arm 2 with the Katz log CI; needs e1, e2 > 0."""
    rr = (e1 / n1) / (e2 / n2)
    se = math.sqrt(1 / e1 - 1 / n1 + 1 / e2 - 1 / n2)
    return _log_estimate(rr, se, level)


def or_ci(e1: int, n1: int, e2: int, n2: int, level: float = 95.0) -> Estimate:
    """OR of arm 1 over arm 2 with the Woolf log CI; needs no empty cell."""
    a, b, c, d = e1, n1 - e1, e2, n2 - e2
    odds = (a * d) / (b * c)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return _log_estimate(odds, se, level)


def rd_ci(e1: int, n1: int, e2: int, n2: int, level: float = 95.0) -> Estimate:
    """RD of arm 1 minus arm 2 in percentage points with the Wald CI."""
    p1, p2 = e1 / n1, e2 / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    z = z_for_level(level)
    rd = p1 - p2
    p = p_from_z(rd / se) if se > 0 else (1.0 if rd == 0 else 0.0)
    return Estimate(100 * rd, 100 * (rd - z * se), 100 * (rd + z * se), p)


def _log_estimate(est: float, se: float, level: float) -> Estimate:
    z = z_for_level(level)
    log_est = math.log(est)
    return Estimate(est, math.exp(log_est - z * se), math.exp(log_est + z * se), p_from_z(log_est / se))


# ---------------------------------------------------------------------------
# Printing numbers in messages
# ---------------------------------------------------------------------------


def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-max(decimals, 0))


def format_fixed(x: Fraction | Decimal | int, decimals: int) -> str:
    """``x`` rounded half-up to ``decimals`` places, as a paper would print it."""
    d = x if isinstance(x, Decimal) else _to_decimal(x)
    return str(d.quantize(_quantum(decimals), rounding=ROUND_HALF_UP, context=EXACT))


def format_outward(lo: Fraction, hi: Fraction, decimals: int) -> tuple[str, str]:
    """A range printed with ``decimals`` places, rounded outward."""
    q = _quantum(decimals)
    return (
        str(_to_decimal(lo).quantize(q, rounding=ROUND_FLOOR, context=EXACT)),
        str(_to_decimal(hi).quantize(q, rounding=ROUND_CEILING, context=EXACT)),
    )


def _to_decimal(x: Fraction | int) -> Decimal:
    f = Fraction(x)
    return EXACT.divide(Decimal(f.numerator), Decimal(f.denominator))
