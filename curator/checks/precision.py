"""The statistics of the continuous-outcome rules: quantiles, bounded.

The rules ``md-precision`` and ``ci-p-value`` (``shared/spec/checks.md``,
rules added with format 1.1) turn a CI's width and a p-value into a
standard error or a test statistic, and for that they need quantiles of the
normal distribution and of Student's t with whole degrees of freedom. Those
are irrational, so they are computed in floats and returned as *enclosures*:
an interval ``(lo, hi)`` that holds the true quantile, verified against the
tail function itself and widened by :data:`REL_SLACK`, far below what any
finding could depend on. Everything else (the printed numbers' rounding
intervals, the sums, products and squares of them) is exact
(:class:`~fractions.Fraction`); an enclosure's ends enter that arithmetic as
the exact values of the floats they are.

A rule asks :func:`any_fits` whether *some* accepted distribution fits: for
a mean difference the normal and t with any whole df from
max(1, min(n1, n2) − 1) to n1 + n2 − 2, for ratios and RD the normal only.
t quantiles fall as the df rise (and all lie above the normal's), so a whole
range of df is bounded by the quantiles at its ends; the search proves a
range fits or cannot fit and splits it only when it cannot tell.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist
from typing import Any, Final

from curator.numbers import Reported

__all__ = [
    "REL_SLACK",
    "Enclosure",
    "Quantile",
    "Distributions",
    "PReading",
    "normal_tail",
    "t_tail",
    "normal_quantile",
    "t_quantile",
    "accepted",
    "any_fits",
    "read_p",
    "tail_of_level",
    "tail_of_p",
    "statistics_of_p",
    "Kind",
    "leq",
]

#: Relative widening of a quantile's enclosure (plus :data:`ABS_SLACK`).
REL_SLACK: Final = 1e-9
ABS_SLACK: Final = 1e-12

#: Below this tail probability floats give out; the quantile is bounded
#: below by the one at this tail and unbounded above.
_TINY_TAIL: Final = 1e-290

#: t with more df than this is bounded by the normal below and t at this df above.
DF_CAP: Final = 1_000_000

Enclosure = tuple[float, float]
#: A tail probability → an enclosure of the upper quantile with that tail.
Quantile = Callable[[float], Enclosure]

_NORMAL = NormalDist()
_SQRT2 = math.sqrt(2.0)
_LN_PI = math.log(math.pi)


# ---------------------------------------------------------------------------
# Tail functions
# ---------------------------------------------------------------------------


def normal_tail(x: float) -> float:
    """P(Z > x) for the standard normal."""
    return 0.5 * math.erfc(x / _SQRT2)


#: Stirling-series coefficients B_2k / (2k (2k − 1)).
_STIRLING: Final = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188)


def _half_gamma_ratio(a: float) -> float:
    """ln Γ(a + ½) − ln Γ(a), accurate to a few units of 1e-16 absolute.

    For a ≥ 50 the difference of two large ``lgamma`` values would lose
    digits, so it is taken from the Stirling series of both terms:
    a·log1p(1/(2a)) − ½ + ½·ln a + Σ c_k((a + ½)^(1−2k) − a^(1−2k)), with the
    first part summed as a series in u = 1/(2a).
    """
    if a < 50:
        return math.lgamma(a + 0.5) - math.lgamma(a)
    u = 1.0 / (2.0 * a)
    # a·log1p(u) − ½ = Σ_{j≥2} (−1)^(j+1) u^(j−1) / (2j)
    s = 0.0
    term = 1.0
    for j in range(2, 12):
        term *= u
        s += (term / (2 * j)) * (1 if j % 2 else -1)
    tail = 0.0
    b = a + 0.5
    for k, c in enumerate(_STIRLING, start=1):
        e = 1 - 2 * k
        tail += c * (b**e - a**e)
    return s + 0.5 * math.log(a) + tail


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < tiny:
        d = tiny
    d = 1.0 / d
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        if abs(d) < tiny:
            d = tiny
        c = 1.0 + aa / c
        if abs(c) < tiny:
            c = tiny
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        if abs(d) < tiny:
            d = tiny
        c = 1.0 + aa / c
        if abs(c) < tiny:
            c = tiny
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-16:
            return h
    raise ArithmeticError("incomplete beta did not converge")  # pragma: no cover


def t_tail(df: int, x: float) -> float:
    """P(T > x) for Student's t with ``df`` degrees of freedom, x ≥ 0.

    Half the regularised incomplete beta I_w(df/2, ½), w = df/(df + x²),
    with w and 1 − w taken from x directly so that neither cancels.
    """
    if x <= 0.0:
        return 0.5
    if df == 1:
        return math.atan2(1.0, x) / math.pi
    nu = float(df)
    a, b = nu / 2.0, 0.5
    x2 = x * x
    ln_w = -math.log1p(x2 / nu)
    ln_1mw = 2.0 * math.log(x) - math.log(nu + x2)
    ln_beta = 0.5 * _LN_PI - _half_gamma_ratio(a)  # ln B(a, ½)
    front = math.exp(a * ln_w + b * ln_1mw - ln_beta)
    w = nu / (nu + x2)
    if w < (a + 1.0) / (a + b + 2.0):
        return 0.5 * front * _betacf(a, b, w) / a
    one_minus_w = x2 / (nu + x2)
    return 0.5 * (1.0 - front * _betacf(b, a, one_minus_w) / b)


def _t_log_density(df: int, x: float) -> float:
    nu = float(df)
    return _half_gamma_ratio(nu / 2.0) - 0.5 * math.log(nu * math.pi) - (nu + 1.0) / 2.0 * math.log1p(x * x / nu)


# ---------------------------------------------------------------------------
# Quantiles, enclosed
# ---------------------------------------------------------------------------


def _enclose(tail_fn: Callable[[float], float], x: float, tail: float) -> Enclosure:
    """An interval around the estimate ``x`` verified to hold the true quantile.

    The tail falls as x rises, so lo ≤ q ≤ hi when tail_fn(lo) ≥ tail ≥ tail_fn(hi).
    """
    slack_rel, slack_abs = REL_SLACK, ABS_SLACK
    for _ in range(8):
        lo = max(0.0, x * (1.0 - slack_rel) - slack_abs)
        hi = x * (1.0 + slack_rel) + slack_abs
        if tail_fn(lo) >= tail >= tail_fn(hi):
            return lo, hi
        slack_rel *= 100.0
        slack_abs *= 100.0
    raise ArithmeticError(f"quantile at tail {tail!r} could not be enclosed")  # pragma: no cover


@functools.lru_cache(maxsize=8192)
def normal_quantile(tail: float) -> Enclosure:
    """An enclosure of z with P(Z > z) = ``tail`` (0 < tail ≤ ½)."""
    if tail >= 0.5:
        return 0.0, 0.0
    if tail < _TINY_TAIL:
        return normal_quantile(_TINY_TAIL)[0], math.inf
    z = -_NORMAL.inv_cdf(tail)
    return _enclose(normal_tail, z, tail)


@functools.lru_cache(maxsize=8192)
def t_quantile(df: int, tail: float) -> Enclosure:
    """An enclosure of t with P(T_df > t) = ``tail`` (0 < tail ≤ ½, df ≥ 1)."""
    if df < 1:
        raise ValueError(f"t needs df ≥ 1, not {df}")
    if tail >= 0.5:
        return 0.0, 0.0
    if df > DF_CAP:
        return normal_quantile(tail)[0], t_quantile(DF_CAP, tail)[1]
    if tail < _TINY_TAIL:
        return t_quantile(df, _TINY_TAIL)[0], math.inf

    def fn(x: float) -> float:
        return t_tail(df, x)

    if df == 1:
        x = 1.0 / math.tan(math.pi * tail)
    elif df == 2:
        x = (1.0 - 2.0 * tail) / math.sqrt(2.0 * tail * (1.0 - tail))
    else:
        x = _solve_t(df, tail)
    return _enclose(fn, x, tail)


def _solve_t(df: int, tail: float) -> float:
    """The t quantile by Newton's method on ln P(T > x), kept in a bracket."""
    lo = max(0.0, -_NORMAL.inv_cdf(tail) * (1.0 - 1e-6))  # t quantiles lie above the normal's
    if t_tail(df, lo) < tail:  # pragma: no cover - only if the tail function misbehaved
        lo = 0.0
    hi = max(2.0 * lo, 1.0)
    while t_tail(df, hi) >= tail:
        hi *= 4.0
    ln_tail = math.log(tail)
    x = lo if lo > 0 else hi / 2.0
    for _ in range(200):
        q = t_tail(df, x)
        if q > tail:
            lo = x
        else:
            hi = x
        # q / density in logs: at tails near 1e-290 the density alone underflows.
        step = (math.log(q) - ln_tail) * math.exp(math.log(q) - _t_log_density(df, x)) if q > 0 else math.inf
        new = x + step
        if not (lo < new < hi):
            new = math.sqrt(lo * hi) if lo > 0 and hi / lo > 4.0 else (lo + hi) / 2.0
        if abs(new - x) <= 1e-15 * max(new, 1e-300) or hi - lo <= 1e-15 * hi:
            return new
        x = new
    return x  # pragma: no cover - Newton converges in a handful of steps


# ---------------------------------------------------------------------------
# The accepted distributions and the search over them
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Distributions:
    """The normal, and t with each whole df in [t_from, t_to] when both are given."""

    t_from: int | None = None
    t_to: int | None = None

    @property
    def has_t(self) -> bool:
        return self.t_from is not None and self.t_to is not None and self.t_from <= self.t_to

    def describe(self) -> str:
        """The distributions in words, for a message."""
        if not self.has_t:
            return "the normal distribution"
        if self.t_from == self.t_to:
            return f"the normal or t with {self.t_from} df"
        return f"the normal or t with {self.t_from} to {self.t_to} df"


NORMAL_ONLY: Final = Distributions()


def accepted(difference_of_means: bool, n1: int | None, n2: int | None) -> Distributions:
    """The distributions a rule accepts (``checks.md``, "Distributions").

    For MD and SMD with both arms' n: the normal and t with any whole df from
    max(1, min(n1, n2) − 1) to n1 + n2 − 2; otherwise the normal only.
    """
    if not difference_of_means or n1 is None or n2 is None or n1 < 1 or n2 < 1:
        return NORMAL_ONLY
    lo, hi = max(1, min(n1, n2) - 1), n1 + n2 - 2
    return Distributions(lo, hi) if lo <= hi else NORMAL_ONLY


def _normal(tail: float) -> Enclosure:
    return normal_quantile(tail)


def _one_t(df: int) -> Quantile:
    return lambda tail: t_quantile(df, tail)


def _t_range(a: int, b: int) -> Quantile:
    """Quantiles of every t with df in [a, b]: between t_b's and t_a's."""

    def q(tail: float) -> Enclosure:
        return t_quantile(b, tail)[0], t_quantile(a, tail)[1]

    return q


def any_fits(dists: Distributions, fits: Callable[[Quantile], bool]) -> bool:
    """Whether some accepted distribution may fit.

    ``fits(q)`` must say True whenever some distribution whose quantiles lie
    in ``q``'s enclosures could fit (it may say True more often, never
    less): then the answer is True whenever some accepted distribution fits,
    so a rule that fires on False fires only when none does. The normal is
    tried first; a range of t's that cannot fit as a whole is dropped, one
    that can is tried at its ends and split.
    """
    if fits(_normal):
        return True
    if not dists.has_t:
        return False
    assert dists.t_from is not None and dists.t_to is not None
    pending = [(dists.t_from, dists.t_to)]
    while pending:
        a, b = pending.pop()
        if a == b:
            if fits(_one_t(a)):
                return True
            continue
        if not fits(_t_range(a, b)):
            continue
        if fits(_one_t(a)) or fits(_one_t(b)):
            return True
        if b - a <= 1:
            continue
        m = (a + b) // 2
        pending.append((m, b - 1))
        if a + 1 <= m - 1:
            pending.append((a + 1, m - 1))
    return False


# ---------------------------------------------------------------------------
# Reading levels and p-values
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def tail_of_level(level: Decimal) -> float | None:
    """The upper tail of a two-sided CI level in percent (95 → 0.025); None when not a level."""
    if not (0 < level < 100):
        return None
    return float((100 - Fraction(level)) / 200)


def tail_of_p(p: Decimal) -> float:
    """The upper tail of a two-sided p (half of it, at most ½)."""
    return min(float(p), 1.0) / 2.0


_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_THOUSANDTH: Final = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class PReading:
    """The true p-values a printed p stands for, for ``ci-p-value`` and ``md-precision``.

    ``lo`` to ``hi`` within [0, 1] (``lo`` 0: as small as one likes, so the
    statistic is unbounded above; ``hi`` 1: the statistic may be 0);
    ``exact`` when the p was printed with no relation or ``=``.
    """

    lo: Decimal
    hi: Decimal
    exact: bool


def read_p(p: Reported) -> PReading | None:
    """The p-values a printed p allows (``checks.md``, ``ci-p-value``).

    An exact p (no relation, or ``=``) stands for its rounding interval, but
    one whose printed value is below 0.001 for anything up to that value; a p
    printed as zero with no relation, ``=``, ``≤`` or ``<`` for anything
    below half a unit of its last digit; ``<x``/``≤x`` for anything below x,
    ``>x``/``≥x`` for anything above. None for a p outside [0, 1] (that is
    ``range-p``).
    """
    v = p.value
    rel = p.relation
    exact = rel is None or rel == "="
    if v < 0:
        return None
    if v == 0 and rel in (None, "=", "<", "<="):
        return PReading(_ZERO, p.half_unit, False)
    if exact:
        h = p.half_unit
        if v - h > 1:
            return None
        if v < _THOUSANDTH:
            return PReading(_ZERO, v, True)
        return PReading(v - h, min(v + h, _ONE), True)
    if rel in ("<", "<="):
        return PReading(_ZERO, min(v, _ONE), False)
    if v > 1 or (v == 1 and rel == ">"):
        return None
    return PReading(v, _ONE, False)


def statistics_of_p(q: Quantile, reading: PReading) -> tuple[float, float]:
    """An enclosure of the statistics the p allows under ``q``'s distribution(s)."""
    lo = q(tail_of_p(reading.hi))[0] if reading.hi < 1 else 0.0
    hi = q(tail_of_p(reading.lo))[1] if reading.lo > 0 else math.inf
    return lo, hi


# ---------------------------------------------------------------------------
# Deciding a comparison: in floats when clear, exactly otherwise
# ---------------------------------------------------------------------------

#: How a formula reads its numbers: ``float`` (fast) or ``Fraction`` (exact).
#: Both take a Decimal, a float (a quantile's enclosure end) or an int.
Kind = Callable[[Any], Any]

#: A float comparison is trusted only when its sides are further apart than
#: this share of their size: the dozen float operations of a formula here
#: err by far less.
_FLOAT_MARGIN: Final = 1e-9


def leq(compute: Callable[[Kind], tuple[Any, Any]]) -> bool:
    """``lhs <= rhs`` for ``(lhs, rhs) = compute(kind)``.

    Computed first with ``kind=float``; when the two sides are not clearly
    apart (or the floats under- or overflow) again with ``kind=Fraction``,
    exactly. Nearly every clean row is decided in floats.
    """
    lhs, rhs = compute(float)
    m = _FLOAT_MARGIN * (abs(lhs) + abs(rhs))
    if 1e-280 < m < 1e280:
        if lhs <= rhs - m:
            return True
        if lhs >= rhs + m:
            return False
    lhs, rhs = compute(Fraction)
    return bool(lhs <= rhs)
