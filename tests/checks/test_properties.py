"""Data computed correctly from true counts and rounded as printed never raises a finding."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from curator.checks import run_checks
from curator.checks.stats import (
    Span,
    effect_from_percents_possible,
    effect_from_percents_range,
    grim_possible,
    span_of,
)
from curator.numbers import parse_reported
from curator.review import Comparison, Review
from tests.checks.builders import ref
from tests.checks.generate import clean_row


@st.composite
def counts(draw: st.DrawFn) -> tuple[int, int, int, int]:
    n1 = draw(st.integers(2, 3000))
    n2 = draw(st.integers(2, 3000))
    e1 = draw(st.integers(1, n1 - 1))
    e2 = draw(st.integers(1, n2 - 1))
    return e1, n1, e2, n2


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(counts(), st.sampled_from(["RR", "OR", "RD"]), st.booleans(), st.sampled_from([95, 95, 90, 99])),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 2**32),
)
def test_clean_data_raises_no_error_or_warning(specs: list, seed: int) -> None:
    rng = random.Random(seed)
    rows = [
        clean_row(rng, f"Endpoint {i}", *c, measure=m, swapped=s, level=level)
        for i, (c, m, s, level) in enumerate(specs)
    ]
    review = Review(
        references=[ref("1")],
        comparisons=[Comparison("a-vs-b", "A vs B", "Drug A", "Drug B", rows=rows)],
    )
    serious = [f for f in run_checks(review) if f.severity != "info"]
    assert serious == [], [f.message for f in serious]


# -- the exact statistics agree with brute force ---------------------------------------


@st.composite
def printed(draw: st.DrawFn, lo: int = -20, hi: int = 120, max_decimals: int = 3) -> str:
    d = draw(st.integers(0, max_decimals))
    units = draw(st.integers(lo * 10**d, hi * 10**d))
    return str(units) if d == 0 else str(Decimal(units).scaleb(-d))


@given(printed(), st.integers(1, 400))
def test_grim_matches_brute_force(text: str, n: int) -> None:
    sp = span_of(parse_reported(text))
    assert sp.lo is not None and sp.hi is not None
    lo, hi = Fraction(sp.lo), Fraction(sp.hi)
    brute = any(lo <= Fraction(100 * k, n) <= hi for k in range(n + 1))
    assert grim_possible(sp, n) == brute


@given(printed(0, 100, 2), printed(0, 100, 2), printed(-100, 20, 3), st.sampled_from(["RR", "OR", "RD"]))
def test_percent_effects_match_the_corner_range(t1: str, t2: str, te: str, measure: str) -> None:
    s1, s2, se = (span_of(parse_reported(t)) for t in (t1, t2, te))
    ok = effect_from_percents_possible(measure, s1, s2, se)
    reach = effect_from_percents_range(measure, s1, s2)
    assert (ok is None) == (reach is None)
    if reach is not None:
        assert se.lo is not None and se.hi is not None
        assert ok == (reach[0] <= Fraction(se.hi) and reach[1] >= Fraction(se.lo))


def test_span_relations() -> None:
    assert span_of(parse_reported("<0.05")) == Span(None, parse_reported("0.05").value, hi_open=True)
    assert span_of(parse_reported("≥ .05")).lo_open is False
