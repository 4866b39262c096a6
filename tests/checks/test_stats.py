"""curator.checks.stats: exact intervals, the CI-centre condition, estimates and p-values."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.checks.stats import (
    centre_possible,
    corner_range,
    format_fixed,
    format_outward,
    grim_neighbours,
    grim_possible,
    is_count,
    or_ci,
    p_from_ci,
    p_from_z,
    rd_ci,
    rr_ci,
    span_of,
    z_for_level,
)
from curator.numbers import parse_reported

P = parse_reported


def test_rounding_interval_is_exact_and_closed() -> None:
    sp = span_of(P("42.6"))
    assert (sp.lo, sp.hi) == (Decimal("42.55"), Decimal("42.65"))
    assert sp.contains(Decimal("42.55")) and sp.contains(Decimal("42.65"))
    assert not sp.contains(Decimal("42.6500001"))
    assert span_of(P("−1.5")).lo == Decimal("-1.55")
    assert span_of(P(".03")).hi == Decimal("0.035")
    assert span_of(P("1.2e-5")).lo == Decimal("0.000011500")


def test_half_lines() -> None:
    lt, le = span_of(P("<0.05")), span_of(P("≤0.05"))
    assert lt.all_below(Decimal("0.05")) and not le.all_below(Decimal("0.05"))
    assert not lt.contains(Decimal("0.05")) and le.contains(Decimal("0.05"))
    gt = span_of(P(">0.05"))
    assert gt.all_above(Decimal("0.05")) and gt.hi is None


def test_is_count() -> None:
    assert is_count(P("12")) and is_count(P("12.0")) and is_count(P("0"))
    assert not is_count(P("12.5")) and not is_count(P("<12")) and not is_count(P("-1")) and not is_count(None)


def test_grim_neighbours_example() -> None:
    sp = span_of(P("50.9"))
    assert not grim_possible(sp, 474)
    assert grim_neighbours(sp, 474) == [241, 242]


def test_corner_range() -> None:
    lo, hi = corner_range(lambda a, b: a / b, [(Decimal("1"), Decimal("2")), (Decimal("4"), Decimal("8"))])
    assert (lo, hi) == (Fraction(1, 8), Fraction(1, 2))


def _feasible_lp(e: tuple[Fraction, Fraction], lo: tuple[Fraction, Fraction], hi: tuple[Fraction, Fraction]) -> bool:
    """Exact oracle: is {e, l, h in their boxes, |2e − l − h| ≤ 0.1(h − l)} non-empty? (vertex enumeration)"""
    t = Fraction(1, 10)
    # a·x ≤ b, x = (e, l, h)
    cons = [
        ((-1, 0, 0), -e[0]),
        ((1, 0, 0), e[1]),
        ((0, -1, 0), -lo[0]),
        ((0, 1, 0), lo[1]),
        ((0, 0, -1), -hi[0]),
        ((0, 0, 1), hi[1]),
        ((-2, 1 + t, 1 - t), 0),  # 2e − l − h ≥ −0.1(h − l)
        ((2, -1 + t, -1 - t), 0),  # 2e − l − h ≤ 0.1(h − l)
    ]
    cons = [(tuple(Fraction(c) for c in a), Fraction(b)) for a, b in cons]
    for trio in itertools.combinations(cons, 3):
        x = _solve([a for a, _ in trio], [b for _, b in trio])
        if x is not None and all(sum(ai * xi for ai, xi in zip(a, x, strict=True)) <= b for a, b in cons):
            return True
    return False


def _solve(a: list[tuple[Fraction, ...]], b: list[Fraction]) -> list[Fraction] | None:
    m = [list(row) + [rhs] for row, rhs in zip(a, b, strict=True)]
    n = 3
    for col in range(n):
        piv = next((r for r in range(col, n) if m[r][col] != 0), None)
        if piv is None:
            return None
        m[col], m[piv] = m[piv], m[col]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


@st.composite
def box(draw: st.DrawFn) -> tuple[Fraction, Fraction]:
    a = Fraction(draw(st.integers(-200, 200)), 10)
    w = Fraction(draw(st.integers(0, 40)), 10)
    return a, a + w


@given(box(), box(), box())
def test_centre_condition_equals_exact_lp(e, lo, hi) -> None:  # type: ignore[no-untyped-def]
    assert centre_possible(e, lo, hi) == _feasible_lp(e, lo, hi)


@given(box(), box(), box())
def test_centre_condition_with_decimals(e, lo, hi) -> None:  # type: ignore[no-untyped-def]
    def dec(b):  # type: ignore[no-untyped-def]
        return tuple(Decimal(x.numerator) / Decimal(x.denominator) for x in b)

    assert centre_possible(dec(e), dec(lo), dec(hi)) == _feasible_lp(e, lo, hi)


def test_known_estimates() -> None:
    # 40/100 vs 50/100
    rr = rr_ci(40, 100, 50, 100)
    assert rr.value == pytest.approx(0.8)
    assert math.log(rr.high) - math.log(rr.value) == pytest.approx(
        1.959964 * math.sqrt(1 / 40 - 1 / 100 + 1 / 50 - 1 / 100)
    )
    orr = or_ci(40, 100, 50, 100)
    assert orr.value == pytest.approx(2 / 3)
    assert math.log(orr.value) - math.log(orr.low) == pytest.approx(
        1.959964 * math.sqrt(1 / 40 + 1 / 60 + 1 / 50 + 1 / 50)
    )
    rd = rd_ci(40, 100, 50, 100)
    assert rd.value == pytest.approx(-10)
    assert rd.high - rd.value == pytest.approx(100 * 1.959964 * math.sqrt(0.4 * 0.6 / 100 + 0.25 / 100))
    for est in (rr, orr, rd):
        assert 0.15 < est.p < 0.16  # z ≈ 1.42


def test_z_and_p() -> None:
    assert z_for_level(95) == pytest.approx(1.959964, abs=1e-6)
    assert z_for_level(90) == pytest.approx(1.644854, abs=1e-6)
    assert p_from_z(1.959964) == pytest.approx(0.05, abs=1e-6)


def test_altman_bland_p_from_ci() -> None:
    # Their worked example: RR 0.81 (0.70 to 0.94) gives p ≈ 0.005.
    p = p_from_ci(0.81, 0.70, 0.94, ratio=True)
    assert p is not None and 0.004 < p < 0.007
    # A difference: 5 (−0.4 to 10.4): z ≈ 1.81, p ≈ 0.07
    p = p_from_ci(5, -0.4, 10.4, ratio=False)
    assert p is not None and 0.06 < p < 0.08
    assert p_from_ci(1.0, 0.0, 2.0, ratio=True) is None
    assert p_from_ci(None, 0.5, 2.0, ratio=True) == pytest.approx(1.0)


def test_formatting() -> None:
    assert format_fixed(Fraction(241 * 100, 474), 1) == "50.8"
    assert format_fixed(Fraction(242 * 100, 474), 1) == "51.1"
    assert format_fixed(Fraction(1, 8), 2) == "0.13"  # half-up as papers print
    assert format_outward(Fraction(1, 3), Fraction(2, 3), 2) == ("0.33", "0.67")
