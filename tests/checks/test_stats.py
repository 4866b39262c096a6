"""curator.checks.stats: exact intervals, the CI-centre condition, estimates and p-values."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.checks.stats import (
    Span,
    centre_possible,
    corner_range,
    effect_from_boxes_possible,
    effect_from_boxes_range,
    effect_from_counts_in_span,
    effect_from_percents_range,
    format_fixed,
    format_outward,
    grim_neighbours,
    grim_possible,
    grimmer_possible,
    is_count,
    is_plain,
    mean_possible,
    or_ci,
    or_counts,
    p_from_ci,
    p_from_z,
    p_span,
    percent_box,
    ratio_in_span,
    rd_ci,
    rd_counts,
    rr_ci,
    rr_counts,
    span_of,
    sum_range,
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


@settings(max_examples=400)  # the nine conditions are exact only as a whole: try many boxes
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


# -- p_from_ci and its neighbours, value by value (a mutation run left these loose) ---------


def test_p_from_ci_published_examples_exactly() -> None:
    # Altman & Bland, BMJ 2011;343:d2304: RR 0.81 (0.70 to 0.94) gives P = 0.005 ...
    p = p_from_ci(0.81, 0.70, 0.94, ratio=True)
    se = (math.log(0.94) - math.log(0.70)) / (2 * z_for_level(95))
    z = -math.log(0.81) / se
    assert p == pytest.approx(math.exp(-0.717 * z - 0.416 * z * z), rel=1e-12)
    assert p == pytest.approx(0.005118, abs=1e-6)
    # ... and a difference of 17 (1.4 to 32.6) gives P = 0.032.
    assert p_from_ci(17, 1.4, 32.6, ratio=False) == pytest.approx(0.032414, abs=1e-6)


def test_p_from_ci_level_sign_and_centre() -> None:
    # A 90% CI is narrower for the same SE: the same bounds mean a larger SE, a larger p; 99% the reverse.
    assert p_from_ci(17, 1.4, 32.6, ratio=False, level=90) == pytest.approx(0.072673, abs=1e-6)
    assert p_from_ci(17, 1.4, 32.6, ratio=False, level=99) == pytest.approx(0.005040, abs=1e-6)
    # The sign of the estimate does not matter; without an estimate the CI's centre is used.
    assert p_from_ci(-17, -32.6, -1.4, ratio=False) == pytest.approx(0.032414, abs=1e-6)
    assert p_from_ci(None, 1.4, 32.6, ratio=False) == pytest.approx(0.032414, abs=1e-6)
    # For a ratio the centre is the geometric mean: 0.5 to 2.0 centres on 1, p = 1.
    assert p_from_ci(None, 0.5, 2.0, ratio=True) == pytest.approx(1.0)
    assert p_from_ci(None, 0.70, 0.94, ratio=True) == pytest.approx(
        p_from_ci(math.sqrt(0.70 * 0.94), 0.70, 0.94, ratio=True), rel=1e-12
    )
    # An estimate at the null gives p = 1, whatever the scale.
    assert p_from_ci(1.0, 0.5, 2.0, ratio=True) == pytest.approx(1.0)
    assert p_from_ci(0.0, -1.0, 1.0, ratio=False) == pytest.approx(1.0)
    # A ratio is read on the log scale, not the linear one: 2 (1 to 4) is at the edge, z = 1.96.
    z = 1.959964
    assert p_from_ci(2.0, 1.0, 4.0, ratio=True) == pytest.approx(math.exp(-0.717 * z - 0.416 * z * z), rel=1e-5)
    assert p_from_ci(2.0, 1.0, 4.0, ratio=False) != pytest.approx(p_from_ci(2.0, 1.0, 4.0, ratio=True), rel=1e-3)


@pytest.mark.parametrize(
    ("est", "low", "high", "ratio"),
    [
        (1.0, 0.0, 2.0, True),  # a ratio's bound at 0
        (1.0, -0.5, 2.0, True),
        (1.0, 0.5, 0.0, True),
        (1.0, 0.5, -2.0, True),
        (0.0, 0.5, 2.0, True),  # a ratio estimate at 0
        (-1.0, 0.5, 2.0, True),
        (1.0, 2.0, 2.0, False),  # no width: no SE
        (1.0, 2.0, 1.0, False),  # reversed
        (1.0, 2.0, 1.0, True),
    ],
)
def test_p_from_ci_none(est: float, low: float, high: float, ratio: bool) -> None:
    assert p_from_ci(est, low, high, ratio=ratio) is None


def test_z_for_level_and_p_from_z_values() -> None:
    assert z_for_level() == pytest.approx(1.959964, abs=1e-6)
    assert z_for_level(99) == pytest.approx(2.575829, abs=1e-6)
    assert z_for_level(50) == pytest.approx(0.674490, abs=1e-6)
    assert p_from_z(0) == pytest.approx(1.0)
    assert p_from_z(-1.959964) == pytest.approx(0.05, abs=1e-6)
    assert p_from_z(2.575829) == pytest.approx(0.01, abs=1e-6)
    assert p_from_z(3.290527) == pytest.approx(0.001, abs=1e-7)


def test_rr_or_rd_ci_numbers() -> None:
    # 40/100 vs 50/100, as a textbook works them (Katz, Woolf and Wald intervals), to 4 decimals.
    rr = rr_ci(40, 100, 50, 100)
    assert (round(rr.value, 4), round(rr.low, 4), round(rr.high, 4), round(rr.p, 4)) == (0.8, 0.5868, 1.0906, 0.1582)
    orr = or_ci(40, 100, 50, 100)
    assert (round(orr.value, 4), round(orr.low, 4), round(orr.high, 4), round(orr.p, 4)) == (
        0.6667,
        0.3808,
        1.1672,
        0.1559,
    )
    rd = rd_ci(40, 100, 50, 100)
    assert (round(rd.value, 4), round(rd.low, 4), round(rd.high, 4), round(rd.p, 4)) == (
        -10.0,
        -23.7197,
        3.7197,
        0.1531,
    )
    # The level narrows or widens the interval, never moves the estimate or p.
    rr90 = rr_ci(40, 100, 50, 100, level=90)
    assert (round(rr90.low, 4), round(rr90.high, 4), rr90.value, rr90.p) == (0.6168, 1.0376, rr.value, rr.p)
    or90 = or_ci(40, 100, 50, 100, level=90)
    assert or90.low > orr.low and or90.high < orr.high and or90.value == orr.value
    rd90 = rd_ci(40, 100, 50, 100, level=90)
    assert round(rd90.high - rd90.value, 4) == round(1.644854 * 100 * math.sqrt(0.4 * 0.6 / 100 + 0.25 / 100), 4)
    # Unequal arms: the arm sizes are not interchangeable.
    assert rr_ci(10, 50, 30, 200).value == pytest.approx(4 / 3)
    assert or_ci(10, 50, 30, 200).value == pytest.approx((10 * 170) / (40 * 30))
    assert rd_ci(10, 50, 30, 200).value == pytest.approx(5.0)


def test_rd_ci_without_variance() -> None:
    # 0/10 vs 10/10: no variance in either arm; a difference of −100 points is certain.
    rd = rd_ci(0, 10, 10, 10)
    assert (rd.value, rd.low, rd.high, rd.p) == (-100.0, -100.0, -100.0, 0.0)
    assert rd_ci(0, 10, 0, 10).p == 1.0
    assert rd_ci(10, 10, 10, 10).p == 1.0


def test_counts_are_exact_fractions() -> None:
    assert rr_counts(40, 100, 50, 100) == (4000, 5000)
    assert or_counts(40, 100, 50, 100) == (2000, 3000)
    assert rd_counts(40, 100, 50, 100) == (-100000, 10000)
    assert rr_counts(1, 10, 0, 10) is None
    assert or_counts(10, 10, 5, 10) is None and or_counts(1, 10, 0, 10) is None
    assert rd_counts(1, 0, 1, 10) is None
    sp = span_of(P("0.80"))
    assert effect_from_counts_in_span("RR", 40, 100, 50, 100, sp) is True
    assert effect_from_counts_in_span("RR", 40, 100, 50, 100, span_of(P("0.81"))) is False
    assert effect_from_counts_in_span("RR", 40, 100, 0, 100, sp) is None


def test_ratio_in_span_ends() -> None:
    closed = span_of(P("0.8"))  # [0.75, 0.85]
    assert ratio_in_span(3, 4, closed) and ratio_in_span(17, 20, closed)
    assert not ratio_in_span(149, 200, closed) and not ratio_in_span(171, 200, closed)
    assert not ratio_in_span(1, 20, span_of(P(">0.05"))) and ratio_in_span(1, 20, span_of(P("≥0.05")))
    assert not ratio_in_span(1, 20, span_of(P("<0.05"))) and ratio_in_span(1, 20, span_of(P("≤0.05")))


def test_span_relations_and_predicates() -> None:
    gt, ge = span_of(P(">2")), span_of(P("≥2"))
    assert (gt.lo, gt.hi, gt.lo_open, ge.lo_open) == (Decimal(2), None, True, False)
    assert gt.all_above(Decimal(2)) and not ge.all_above(Decimal(2)) and ge.all_at_least(Decimal(2))
    assert not gt.contains(Decimal(2)) and ge.contains(Decimal(2)) and gt.contains(Decimal(10**9))
    eq = span_of(P("=0.03"))
    assert (eq.lo, eq.hi) == (Decimal("0.025"), Decimal("0.035")) and eq.bounded and not gt.bounded
    assert not span_of(P("<1")).all_at_least(Decimal(0))
    sp = span_of(P("1.0"))  # [0.95, 1.05]
    assert sp.meets(Decimal("1.05"), Decimal(2)) and sp.meets(Decimal(0), Decimal("0.95"))
    assert not sp.meets(Decimal("1.051"), Decimal(2)) and not sp.meets(Decimal(0), Decimal("0.949"))
    # Touching closed ends overlap; an open end does not.
    assert not span_of(P("2.0")).entirely_above(span_of(P("1.9")))  # 1.95 is in both
    assert span_of(P(">1.95")).entirely_above(span_of(P("1.9")))
    assert span_of(P("2.0")).entirely_above(span_of(P("<1.95")))
    assert not span_of(P("≥1.95")).entirely_above(span_of(P("1.9")))
    assert not gt.entirely_above(span_of(P(">1")))


def test_grim_possible_with_open_spans_and_neighbours_at_the_ends() -> None:
    # n = 4: 0, 25, 50, 75, 100 %.
    assert grim_possible(span_of(P(">75")), 4)  # 100 is above 75
    assert not grim_possible(span_of(P(">100")), 4)
    assert not grim_possible(span_of(P("<0")), 4)
    assert not grim_possible(Span(Decimal(25), Decimal(50), True, True), 4)
    assert grim_possible(Span(Decimal(25), Decimal(50), False, True), 4)
    assert grim_possible(Span(Decimal(25), Decimal(50), True, False), 4)
    assert grim_neighbours(span_of(P("-3")), 4) == [0]  # nothing below
    assert grim_neighbours(span_of(P("103")), 4) == [4]  # nothing above
    assert grim_neighbours(span_of(P("60")), 4) == [2, 3]


def test_sum_range_and_mean_possible() -> None:
    assert sum_range(span_of(P("5.19")), 32) == (166, 166)
    assert sum_range(span_of(P("5.19")), 28) == (146, 145)  # empty: GRIM fails
    assert sum_range(span_of(P("-2.5")), 2) == (-5, -5)
    assert sum_range(Span(Decimal(1), Decimal(2), True, True), 2) == (3, 3)
    lo, hi = sum_range(span_of(P("<1")), 2)
    assert hi == 1 and lo < -(10**18)
    assert mean_possible(span_of(P("5.19")), 32) and not mean_possible(span_of(P("5.19")), 28)


def test_grimmer_possible_verdicts() -> None:
    assert grimmer_possible(span_of(P("5.23")), span_of(P("2.55")), 35) is False
    assert grimmer_possible(span_of(P("5.23")), span_of(P("2.55")), 31) is True
    assert grimmer_possible(span_of(P("5.19")), span_of(P("2.55")), 28) is None  # GRIM's business
    assert grimmer_possible(span_of(P("<5")), span_of(P("2.55")), 28) is None
    assert grimmer_possible(span_of(P("5.2")), span_of(P("-1.0")), 10) is None
    assert grimmer_possible(span_of(P("5.2")), span_of(P("2.5")), 0) is None
    # n = 1: any whole number has SD 0 (Q = S²).
    assert grimmer_possible(span_of(P("3")), span_of(P("0")), 1) is True


def test_p_span_reads_a_printed_zero_as_below_half_a_unit() -> None:
    for text in ("0.000", "=0.000", "≤0.000", "<0.000"):
        sp = p_span(P(text))
        assert (sp.lo, sp.hi, sp.hi_open) == (None, Decimal("0.0005"), True), text
    assert p_span(P("0")).hi == Decimal("0.5")
    assert p_span(P(">0.000")) == span_of(P(">0.000"))
    assert p_span(P("0.03")) == span_of(P("0.03"))


def test_boxes_exact_and_division_by_zero() -> None:
    half = (Fraction(25), Fraction(25))
    assert effect_from_boxes_possible("RR", half, (Fraction(50), Fraction(50)), span_of(P("0.50"))) is True
    assert effect_from_boxes_possible("RR", half, (Fraction(50), Fraction(50)), span_of(P("0.56"))) is False
    assert effect_from_boxes_possible("RR", half, (Fraction(0), Fraction(1)), span_of(P("0.5"))) is None
    assert effect_from_boxes_possible("OR", (Fraction(99), Fraction(100)), half, span_of(P("2"))) is None
    assert effect_from_boxes_possible("RD", half, half, span_of(P("<1"))) is None
    with pytest.raises(ValueError, match="no recomputation for HR"):
        effect_from_boxes_possible("HR", half, half, span_of(P("1")))
    assert effect_from_boxes_range("OR", half, (Fraction(50), Fraction(50))) == (Fraction(1, 3), Fraction(1, 3))
    assert effect_from_boxes_range("RR", half, (Fraction(0), Fraction(1))) is None
    assert effect_from_percents_range("RD", span_of(P("30")), span_of(P("<20"))) is None
    assert percent_box(span_of(P("101"))) is None and percent_box(span_of(P("<5"))) is None
    assert percent_box(span_of(P("100"))) == (Fraction(199, 2), Fraction(100))  # clipped at 100
    assert percent_box(span_of(P("0.0"))) == (Fraction(0), Fraction(1, 20))  # and at 0


def test_formatting_more() -> None:
    assert format_fixed(Decimal("2.5"), 0) == "3" and format_fixed(Decimal("-2.5"), 0) == "-3"
    assert format_fixed(Fraction(1, 3), -1) == "0"  # negative decimals print whole numbers
    assert format_fixed(7, 2) == "7.00"
    assert format_outward(Fraction(-1, 3), Fraction(-1, 6), 1) == ("-0.4", "-0.1")


def _box(lo: str, hi: str | None = None) -> tuple[Fraction, Fraction]:
    return Fraction(lo), Fraction(hi if hi is not None else lo)


@pytest.mark.parametrize(
    ("measure", "b1", "b2", "effect", "possible"),
    [
        # RD = p1 − p2 over [30, 31] × [20, 21]: [9, 11]. Edges touch (both ends included).
        ("RD", ("30", "31"), ("20", "21"), "8.5", False),  # [8.45, 8.55]
        ("RD", ("30", "31"), ("20", "21"), "8.95", False),  # [8.945, 8.955]: just short of 9
        ("RD", ("30", "31"), ("20", "21"), "9.0", True),  # [8.95, 9.05]
        ("RD", ("30", "31"), ("20", "21"), "11.0", True),
        ("RD", ("30", "31"), ("20", "21"), "11.1", False),  # [11.05, 11.15]
        ("RD", ("30", "31"), ("20", "21"), "11.05", False),  # [11.045, 11.055]: just past 11
        ("RD", ("30", "31"), ("20.05", "21"), "9.0", True),  # [8.95, 9.05] touches 30 − 21 = 9
        ("RD", ("30", "30.95"), ("20", "21"), "11.0", True),  # [10.95, 11.05] touches 30.95 − 20
        # RR = p1/p2 over [30, 31] × [20, 21]: [30/21, 31/20] = [1.4286, 1.55].
        ("RR", ("30", "31"), ("20", "21"), "1.42", False),  # [1.415, 1.425]
        ("RR", ("30", "31"), ("20", "21"), "1.43", True),
        ("RR", ("30", "31"), ("20", "21"), "1.55", True),
        ("RR", ("30", "31"), ("20", "21"), "1.56", False),
        ("RR", ("30",), ("20",), "1.5", True),  # exact arms
        ("RR", ("30",), ("20",), "1.6", False),
        ("RR", ("30",), ("20",), "1.4", False),
        # OR over [30, 31] × [20, 21]: [30·79/(21·70), 31·80/(20·69)] = [1.6122, 1.7971].
        ("OR", ("30", "31"), ("20", "21"), "1.60", False),  # [1.595, 1.605]
        ("OR", ("30", "31"), ("20", "21"), "1.61", True),  # [1.605, 1.615] ∋ 1.6122
        ("OR", ("30", "31"), ("20", "21"), "1.80", True),  # [1.795, 1.805] ∋ 1.7971
        ("OR", ("30", "31"), ("20", "21"), "1.81", False),
        ("OR", ("50",), ("50",), "1.0", True),
        ("OR", ("60",), ("40",), "2.25", True),  # 60·60/(40·40)
        ("OR", ("60",), ("40",), "2.3", True),  # [2.25, 2.35] touches 2.25
        ("OR", ("60",), ("40",), "2.2", True),  # [2.15, 2.25] touches 2.25
        ("OR", ("60",), ("40",), "2.26", False),
        ("OR", ("60",), ("40",), "2.24", False),
    ],
)
def test_effect_from_boxes_edges(
    measure: str, b1: tuple[str, ...], b2: tuple[str, ...], effect: str, possible: bool
) -> None:
    result = effect_from_boxes_possible(measure, _box(*b1), _box(*b2), span_of(P(effect)))
    reach = effect_from_boxes_range(measure, _box(*b1), _box(*b2))
    assert reach is not None
    sp = span_of(P(effect))
    assert sp.lo is not None and sp.hi is not None
    # The verdict is exactly whether the reachable range meets the effect's interval.
    assert result is possible is (reach[0] <= sp.hi and reach[1] >= sp.lo)


def test_effect_from_percents_possible_clips_and_skips() -> None:
    from curator.checks.stats import effect_from_percents_possible

    assert effect_from_percents_possible("RD", span_of(P("101")), span_of(P("20")), span_of(P("80"))) is None
    assert effect_from_percents_possible("RD", span_of(P("30")), span_of(P("<20")), span_of(P("10"))) is None
    assert effect_from_percents_possible("RD", span_of(P("30")), span_of(P("20")), span_of(P("10"))) is True
    assert effect_from_percents_possible("RR", span_of(P("30")), span_of(P("0.0")), span_of(P("10"))) is None
    assert effect_from_percents_possible("RR", span_of(P("30")), span_of(P("20")), span_of(P("1.5"))) is True
    assert effect_from_percents_range("RR", span_of(P("30")), span_of(P("20"))) == (Fraction(59, 41), Fraction(61, 39))
    assert effect_from_percents_range("OR", span_of(P("100")), span_of(P("20"))) is None  # p1 may be 100


def test_is_plain_and_is_count() -> None:
    assert is_plain(P("1.2")) and is_plain(P("=1.2"))
    assert not is_plain(P("<1.2")) and not is_plain(P("≥1.2")) and not is_plain(None)
    assert is_count(P("0")) and not is_count(P("=3"))


def test_span_contains_and_bounds_with_open_ends() -> None:
    sp = Span(Decimal(1), Decimal(2), True, True)
    assert not sp.contains(Decimal(1)) and not sp.contains(Decimal(2)) and sp.contains(Decimal("1.5"))
    assert Span(Decimal(1), Decimal(2)).contains(Decimal(1)) and Span(Decimal(1), Decimal(2)).contains(Decimal(2))
    assert not sp.contains(Decimal("0.9")) and not sp.contains(Decimal("2.1"))
    assert sp.all_below(Decimal(2)) and not Span(Decimal(1), Decimal(2)).all_below(Decimal(2))
    assert sp.all_above(Decimal(1)) and not Span(Decimal(1), Decimal(2)).all_above(Decimal(1))
    assert Span(None, Decimal(2)).bounded is False and Span(Decimal(1), None).bounded is False
    assert not Span(None, Decimal(2)).all_above(Decimal(-5)) and not Span(Decimal(1), None).all_below(Decimal(5))
    assert Span(Decimal(1), None).all_at_least(Decimal(1)) and not Span(Decimal(1), None).all_at_least(Decimal(2))
    assert not Span(None, Decimal(2)).entirely_above(Span(Decimal(0), Decimal(1)))
    assert not Span(Decimal(3), Decimal(4)).entirely_above(Span(Decimal(0), None))


@pytest.mark.parametrize(
    ("e", "lo", "hi", "centred"),
    [
        # Exactly at 10% of the half-width: |2e − l − h| = 0.1(h − l) is allowed, a hair more is not.
        (("1.1", "1.1"), ("0", "0"), ("2", "2"), True),
        (("1.1001", "1.1001"), ("0", "0"), ("2", "2"), False),
        (("0.9", "0.9"), ("0", "0"), ("2", "2"), True),
        (("0.8999", "0.8999"), ("0", "0"), ("2", "2"), False),
        # Rounding boxes rescue it: 2e ≤ 0.9·l + 1.1·h needs l ≥ 2/9 with h = 2, or h ≥ 24/11 with l = 0.
        (("1.2", "1.2"), ("0", "0.2223"), ("2", "2"), True),
        (("1.2", "1.2"), ("0", "0.2222"), ("2", "2"), False),
        (("1.2", "1.2"), ("0", "0"), ("2", "2.1819"), True),
        (("1.2", "1.2"), ("0", "0"), ("2", "2.1818"), False),
        (("1.2", "1.3"), ("0", "0"), ("1.8", "2.1819"), True),
        (("0.8", "0.8"), ("-0.1819", "0"), ("2", "2"), True),  # the other side, by symmetry
        (("0.8", "0.8"), ("-0.1818", "0"), ("2", "2"), False),
        # Reversed bounds cannot be made to work.
        (("1", "1"), ("3", "3"), ("2", "2"), False),
    ],
)
def test_centre_possible_edges(e: tuple[str, str], lo: tuple[str, str], hi: tuple[str, str], centred: bool) -> None:
    def d(b: tuple[str, str]) -> tuple[Decimal, Decimal]:
        return Decimal(b[0]), Decimal(b[1])

    def f(b: tuple[str, str]) -> tuple[Fraction, Fraction]:
        return Fraction(b[0]), Fraction(b[1])

    assert centre_possible(d(e), d(lo), d(hi)) is centred
    assert _feasible_lp(f(e), f(lo), f(hi)) is centred


def test_centre_possible_slack_loosens() -> None:
    e, lo, hi = (Decimal("1.1001"),) * 2, (Decimal(0),) * 2, (Decimal(2),) * 2
    assert not centre_possible(e, lo, hi)
    assert centre_possible(e, lo, hi, Decimal("0.0001"))
    assert not centre_possible(e, lo, hi, Decimal("0.00001"))


def test_grim_ends_of_the_count_range() -> None:
    assert grim_possible(span_of(P("0")), 4) and grim_possible(span_of(P("100")), 4)  # k = 0 and k = n
    assert grim_neighbours(span_of(P("10")), 4) == [0, 1]  # the one below is k = 0
    assert grim_neighbours(span_of(P("90")), 4) == [3, 4]  # the one above is k = n
    assert sum_range(Span(Decimal("1.1"), Decimal("2.9"), True, True), 2) == (3, 5)  # open ends off whole sums


@pytest.mark.parametrize(
    ("mean", "sd", "n", "possible"),
    [
        # The least sum of squares binds: mean 0.5 over 8 needs four 1s (Q = 4), so SD 0 is impossible
        # although Q = 2 has the right parity and fits (n − 1)·sd² + S²/n = 2.
        ("0.500", "0.000", 8, False),
        ("0.500", "0.535", 8, True),  # four 0s and four 1s: SD 0.5345
        ("1.500", "0.000", 8, False),  # S = 12: q = 1, r = 4, Q ≥ 20 > 18
        ("-1.500", "0.000", 8, False),  # S = −12: q = −2, r = 4, Q ≥ 20 > 18
        ("-1.500", "0.535", 8, True),
        # Parity: S = 2 is even, Q = 5 is not (Q − S = 3).
        ("1.0", "1.732", 2, False),
        ("1.0", "1.414", 2, True),
    ],
)
def test_grimmer_least_sum_of_squares_and_parity(mean: str, sd: str, n: int, possible: bool) -> None:
    assert grimmer_possible(span_of(P(mean)), span_of(P(sd)), n) is possible


@pytest.mark.parametrize(
    ("measure", "b1", "b2", "effect"),
    [
        ("RD", ("30.05", "31"), ("20", "21"), "9.0"),  # lo1 − hi2 = 9.05, the effect's upper end
        ("RD", ("30", "30.95"), ("20", "21"), "11.0"),  # hi1 − lo2 = 10.95, its lower end
        ("RR", ("30", "30.9"), ("20", "21"), "1.55"),  # hi1/lo2 = 1.545
        ("RR", ("31.1", "32"), ("19", "20"), "1.55"),  # lo1/hi2 = 1.555
    ],
)
def test_effect_from_boxes_touching_ends_are_possible(
    measure: str, b1: tuple[str, str], b2: tuple[str, str], effect: str
) -> None:
    assert effect_from_boxes_possible(measure, _box(*b1), _box(*b2), span_of(P(effect))) is True


def test_effect_from_boxes_zero_guards_are_exact() -> None:
    small = (Fraction(1, 2), Fraction(1))  # a comparator between 0.5% and 1%: no division by zero
    assert effect_from_boxes_possible("RR", _box("30"), small, span_of(P("45"))) is True
    assert effect_from_boxes_possible("OR", _box("30"), small, span_of(P("60"))) is True
    assert effect_from_boxes_range("RR", _box("30"), small) == (Fraction(30), Fraction(60))
    zero = (Fraction(0), Fraction(1))
    assert effect_from_boxes_possible("OR", _box("30"), zero, span_of(P("60"))) is None
    assert effect_from_boxes_range("OR", _box("30"), zero) is None
    assert effect_from_boxes_range("OR", (Fraction(99), Fraction(100)), _box("50")) is None
    assert percent_box(Span(Decimal(100), Decimal("100.1"))) == (Fraction(100), Fraction(100))  # keeps 100 alone
