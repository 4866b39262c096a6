"""curator.checks.precision: normal and t quantiles as enclosures, the search
over accepted distributions, reading a p, and the two-speed comparison."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.checks.precision import (
    DF_CAP,
    Distributions,
    PReading,
    _half_gamma_ratio,
    accepted,
    any_fits,
    leq,
    normal_quantile,
    normal_tail,
    read_p,
    t_quantile,
    t_tail,
    tail_of_level,
    tail_of_p,
)
from curator.numbers import parse_reported

P = parse_reported


def _holds(enclosure: tuple[float, float], value: float) -> bool:
    lo, hi = enclosure
    return lo <= value <= hi and hi - lo <= 1e-8 * max(value, 1.0)


# --- quantiles --------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "tail", "table"),
    [
        # Printed t tables (two-sided 95% and 99%), and the Cochrane Handbook's
        # t = 2.78 for P = 0.008 with 45 df (section 6.5.2.3).
        (1, 0.025, 12.706),
        (2, 0.025, 4.303),
        (3, 0.025, 3.182),
        (10, 0.025, 2.228),
        (21, 0.025, 2.080),
        (30, 0.025, 2.042),
        (120, 0.025, 1.980),
        (10, 0.005, 3.169),
        (45, 0.004, 2.78),
    ],
)
def test_t_quantiles_match_printed_tables(df: int, tail: float, table: float) -> None:
    lo, hi = t_quantile(df, tail)
    assert round(lo, len(str(table).split(".")[1])) == table
    assert 0 < hi - lo < 3e-9 * lo


@pytest.mark.parametrize("tail", [0.45, 0.3, 0.1, 0.025, 1e-3, 1e-6, 1e-12, 1e-40])
def test_t_quantiles_with_closed_forms(tail: float) -> None:
    # df 1 (Cauchy), 2 and 4 have closed-form quantiles.
    assert _holds(t_quantile(1, tail), 1 / math.tan(math.pi * tail))
    assert _holds(t_quantile(2, tail), (1 - 2 * tail) / math.sqrt(2 * tail * (1 - tail)))
    a = 4 * tail * (1 - tail)
    q = math.cos(math.acos(math.sqrt(a)) / 3) / math.sqrt(a)
    assert _holds(t_quantile(4, tail), 2 * math.sqrt(q - 1))


def test_t_tail_with_closed_forms() -> None:
    for x in (0.01, 0.5, 1.0, 2.0, 10.0, 1e3):
        assert math.isclose(t_tail(1, x), math.atan(1 / x) / math.pi, rel_tol=1e-13)
        s = math.sqrt(x * x + 2)
        assert math.isclose(t_tail(2, x), 1 / (s * (s + x)), rel_tol=1e-13)  # ½(1 − x/s) without cancelling
    assert t_tail(7, 0.0) == 0.5


def test_normal_quantiles() -> None:
    assert _holds(normal_quantile(0.025), 1.959963984540054)
    assert _holds(normal_quantile(0.005), 2.5758293035489004)
    assert normal_quantile(0.5) == (0.0, 0.0)
    lo, hi = normal_quantile(1e-300)
    assert lo > 36 and hi == math.inf  # beyond floats: bounded below only
    assert normal_tail(normal_quantile(1e-20)[0]) >= 1e-20 >= normal_tail(normal_quantile(1e-20)[1])


def test_half_gamma_ratio_against_exact_factorials() -> None:
    # Γ(a + ½)/Γ(a) = (2a)! √π / (4^a a! (a − 1)!) for whole a.
    with localcontext() as c:
        c.prec = 60
        ln_pi = Decimal("3.14159265358979323846264338327950288419716939937510582097494").ln()
        for a in (3, 10, 49, 50, 51, 200, 5000):
            exact = (Decimal(math.factorial(2 * a)) / (4**a * math.factorial(a) * math.factorial(a - 1))).ln()
            assert abs(float(exact + ln_pi / 2) - _half_gamma_ratio(float(a))) < 1e-14


@pytest.mark.parametrize("tail", [0.4, 0.025, 1e-4, 1e-9])
def test_t_quantiles_fall_with_df_and_stay_above_the_normal(tail: float) -> None:
    dfs = [*range(1, 80), 200, 1000, 10**4, 10**5, DF_CAP, DF_CAP + 1]
    his = [t_quantile(df, tail)[1] for df in dfs]
    los = [t_quantile(df, tail)[0] for df in dfs]
    assert all(b <= a for a, b in zip(his, his[1:], strict=False))
    assert all(b <= a for a, b in zip(los, los[1:], strict=False))
    assert min(his) >= normal_quantile(tail)[0]


def test_df_beyond_the_cap_is_bounded_by_the_normal_and_the_cap() -> None:
    lo, hi = t_quantile(DF_CAP * 5, 0.025)
    assert lo == normal_quantile(0.025)[0] and hi == t_quantile(DF_CAP, 0.025)[1]
    with pytest.raises(ValueError):
        t_quantile(0, 0.025)


# --- the accepted distributions ----------------------------------------------


def test_accepted_distributions() -> None:
    assert accepted(True, 25, 22) == Distributions(21, 45)
    assert accepted(True, 1, 2) == Distributions(1, 1)
    assert not accepted(True, 1, 1).has_t  # no whole df from 1 to 0
    assert not accepted(True, None, 22).has_t
    assert not accepted(False, 25, 22).has_t  # ratios and RD: the normal only
    assert "21 to 45 df" in Distributions(21, 45).describe()
    assert Distributions().describe() == "the normal distribution"


@settings(max_examples=60)
@given(
    a=st.integers(1, 40),
    span=st.integers(0, 40),
    tail=st.sampled_from([0.025, 0.004, 0.1]),
    target=st.floats(1.9, 14.0),
    width=st.floats(0.0, 0.3),
)
def test_any_fits_agrees_with_trying_every_df(a: int, span: int, tail: float, target: float, width: float) -> None:
    """The search over a range of df finds a fitting df exactly when one exists."""
    b = a + span

    def fits(q):  # the quantile lies in [target, target + width]
        lo, hi = q(tail)
        return hi >= target and lo <= target + width

    brute = fits(normal_quantile) or any(fits(lambda t, df=df: t_quantile(df, t)) for df in range(a, b + 1))
    assert any_fits(Distributions(a, b), fits) == brute


def test_any_fits_with_the_normal_only() -> None:
    assert not any_fits(Distributions(), lambda q: q(0.025)[1] > 2.0)
    assert any_fits(Distributions(), lambda q: q(0.025)[1] > 1.9)


# --- levels and p-values -------------------------------------------------------


def test_tails() -> None:
    assert tail_of_level(Decimal(95)) == 0.025
    assert tail_of_level(Decimal("95.02")) == pytest.approx(0.0249)
    assert tail_of_level(Decimal(100)) is None and tail_of_level(Decimal(0)) is None
    assert tail_of_p(Decimal("0.05")) == 0.025 and tail_of_p(Decimal("1.05")) == 0.5


@pytest.mark.parametrize(
    ("text", "lo", "hi", "exact"),
    [
        ("0.032", "0.0315", "0.0325", True),
        ("=0.03", "0.025", "0.035", True),
        ("0.001", "0.0005", "0.0015", True),
        ("0.0003", "0", "0.0003", True),  # below 0.001: read as ≤ its printed value
        ("0.000", "0", "0.0005", False),  # zero: below half a unit
        ("<0.000", "0", "0.0005", False),
        ("≤0", "0", "0.5", False),
        ("<0.05", "0", "0.05", False),
        ("≤0.05", "0", "0.05", False),
        (">0.05", "0.05", "1", False),
        ("≥0.5", "0.5", "1", False),
        ("1.0", "0.95", "1", True),
        ("<2", "0", "1", False),
    ],
)
def test_read_p(text: str, lo: str, hi: str, exact: bool) -> None:
    assert read_p(P(text)) == PReading(Decimal(lo), Decimal(hi), exact)


@pytest.mark.parametrize("text", ["1.5", "-0.1", ">1", ">1.0"])
def test_read_p_outside_zero_one_is_range_ps_business(text: str) -> None:
    assert read_p(P(text)) is None


def test_read_p_zero_with_greater_than_says_nothing() -> None:
    assert read_p(P(">0")) == PReading(Decimal(0), Decimal(1), False)


# --- deciding a comparison -----------------------------------------------------


def test_leq_decides_in_floats_when_clear_and_exactly_when_not() -> None:
    kinds: list[object] = []

    def compute(k):
        kinds.append(k)
        return k(Decimal("0.1")) * 3, k(Decimal("0.3"))  # equal; 0.30000000000000004 in floats

    assert leq(compute) is True
    assert kinds == [float, Fraction]
    kinds.clear()
    assert leq(lambda k: (kinds.append(k) or k(1), k(2))) is True
    assert kinds == [float]
    assert leq(lambda k: (k(Decimal("0.3000000000000000001")), k(Decimal("0.3")))) is False
