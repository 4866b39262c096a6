"""grim-mean, grimmer-sd, median-order (format 1.1)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.checks.stats import grimmer_possible, mean_possible, span_of
from curator.numbers import parse_reported
from tests.checks.builders import arm, fires, row

P = parse_reported


def mean_row(*arms: object, items: str | None = "1", measure: str = "mean", **kw: object) -> object:
    a = arms[0] if arms else None
    b = arms[1] if len(arms) > 1 else None
    return row(
        measure=measure,
        unit="points",
        intervention=a,  # type: ignore[arg-type]
        comparator=b,  # type: ignore[arg-type]
        integer_items=P(items, whole=True) if items is not None else None,
        **kw,
    )


# -- grim-mean ------------------------------------------------------------------------


def test_grim_published_example() -> None:
    # Brown & Heathers (2017): a mean of 5.19 from 28 whole numbers is impossible, from 32 possible.
    (f,) = fires("grim-mean", mean_row(arm("5.19", n="28")))
    assert (f.severity, f.field) == ("error", "intervention.value")
    assert f.message == (
        "mean 5.19 is not possible for whole-number data with n = 28: "
        "the nearest means are 5.18 (145/28) and 5.21 (146/28)"
    )
    assert fires("grim-mean", mean_row(arm("5.19", n="32"))) == []


def test_grim_items_multiply_the_count() -> None:
    # 3 items per patient, n = 10: means are S/30; 5.19 stands for [5.185, 5.195] (155.55..155.85): none.
    (f,) = fires("grim-mean", mean_row(arm("5.19", n="10"), items="3"))
    assert "n = 10 × 3 items" in f.message and "5.17 (155/30) and 5.20 (156/30)" in f.message
    assert fires("grim-mean", mean_row(arm("5.20", n="10"), items="3")) == []
    # 4 items: 40 data, 5.19 is [207.4, 207.8]/40: none; 5.20 is [207.8, 208.2]/40 ∋ 208/40.
    assert len(fires("grim-mean", mean_row(arm("5.19", n="10"), items="4"))) == 1
    assert fires("grim-mean", mean_row(arm("5.20", n="10"), items="4")) == []


def test_grim_rounding_edges() -> None:
    # n = 8: means are k/8. 2.4375 = 19.5/8 is not one; 2.44 stands for [2.435, 2.445] = [19.48, 19.56]/8: none.
    assert len(fires("grim-mean", mean_row(arm("2.44", n="8")))) == 1
    # 2.4375 printed as 2.4375 is 19.5/8: impossible; 2.375 = 19/8 exactly: possible.
    assert len(fires("grim-mean", mean_row(arm("2.4375", n="8")))) == 1
    assert fires("grim-mean", mean_row(arm("2.375", n="8"))) == []
    # 2.38 stands for [2.375, 2.385]: its lower end is exactly 19/8 (both ends included).
    assert fires("grim-mean", mean_row(arm("2.38", n="8"))) == []
    # 2.39 stands for [2.385, 2.395] = [19.08, 19.16]/8: just past.
    assert len(fires("grim-mean", mean_row(arm("2.39", n="8")))) == 1
    # Negative data are allowed: −2.375 = −19/8.
    assert fires("grim-mean", mean_row(arm("−2.375", n="8"))) == []
    assert len(fires("grim-mean", mean_row(arm("−2.39", n="8")))) == 1


@pytest.mark.parametrize(
    "r",
    [
        mean_row(arm("5.19", n="28"), items=None),  # no integer_items: the data need not be whole
        mean_row(arm("5.19", n="28"), analysis="adjusted"),  # a least-squares mean
        mean_row(arm("5.19", n="28"), measure="median"),
        mean_row(arm("<5.19", n="28")),
        mean_row(arm("5.19", n="28.5")),  # range-n's business
        mean_row(arm("5.19")),
        mean_row(arm(n="28")),
    ],
)
def test_grim_mean_does_not_apply(r: object) -> None:
    assert fires("grim-mean", r) == []


def test_grim_mean_checks_each_arm() -> None:
    fs = fires("grim-mean", mean_row(arm("5.20", n="10"), arm("5.19", n="28")))
    assert [f.field for f in fs] == ["comparator.value"]


# -- grimmer-sd -----------------------------------------------------------------------


def test_grimmer_published_example() -> None:
    # Anaya (2016): mean 5.23, SD 2.55 is impossible with n = 35 and possible with n = 31.
    (f,) = fires("grimmer-sd", mean_row(arm("5.23", n="35", sd="2.55")))
    assert (f.severity, f.field) == ("error", "intervention.sd")
    assert f.message.startswith("SD 2.55 is not possible with mean 5.23 and n = 35 for whole-number data")
    assert fires("grimmer-sd", mean_row(arm("5.23", n="31", sd="2.55"))) == []


def test_grimmer_rounding_edge() -> None:
    # n = 2, mean 1.0: the total S is 2. Data {0, 2}: SD √2 = 1.41421…
    assert fires("grimmer-sd", mean_row(arm("1.0", n="2", sd="1.41"))) == []  # [1.405, 1.415] ∋ √2
    assert fires("grimmer-sd", mean_row(arm("1.0", n="2", sd="1.414"))) == []
    # 1.42 stands for [1.415, 1.425]: Q = sd² + S²/n ∈ [4.0022, 4.0306]: no whole Q there.
    assert len(fires("grimmer-sd", mean_row(arm("1.0", n="2", sd="1.42")))) == 1
    # Data {1, 1}: SD 0 exactly; "0.00" stands for [−0.005, 0.005], clipped at 0.
    assert fires("grimmer-sd", mean_row(arm("1.00", n="2", sd="0.00"))) == []
    # Parity: S = 2 is even, so Q is even; SD 1.00 needs Q ∈ [2.99, 3.01], i.e. 3: impossible.
    assert len(fires("grimmer-sd", mean_row(arm("1.0", n="2", sd="1.00")))) == 1
    # The least sum of squares: S = 3 over n = 2 is at least 1² + 2² = 5; SD 0.00 would need Q = 4.5.
    assert len(fires("grimmer-sd", mean_row(arm("1.50", n="2", sd="0.00")))) == 1


@pytest.mark.parametrize(
    "r",
    [
        mean_row(arm("5.23", n="35", sd="2.55"), items="2"),  # only for one item per patient
        mean_row(arm("5.23", n="35", sd="2.55"), items=None),
        mean_row(arm("5.23", n="35", sd="2.55"), analysis="kaplan_meier"),
        mean_row(arm("5.23", n="35", sd="<2.55")),
        mean_row(arm("5.23", n="35")),
        mean_row(arm("5.19", n="28", sd="2.55")),  # the mean itself fails: grim-mean speaks
    ],
)
def test_grimmer_does_not_apply(r: object) -> None:
    assert fires("grimmer-sd", r) == []


def test_grimmer_gives_up_on_a_huge_search() -> None:
    assert grimmer_possible(span_of(P("5")), span_of(P("2.55")), 10_000_000) is None


def _half_up(x: Decimal, decimals: int) -> str:
    return str(x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@given(
    st.lists(st.integers(-5, 20), min_size=2, max_size=40),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_whole_number_data_rounded_as_printed_never_fire(data: list[int], dm: int, ds: int) -> None:
    n, s = len(data), sum(data)
    q = sum(x * x for x in data)
    with localcontext() as c:
        c.prec = 60
        mean = Decimal(s) / Decimal(n)
        sd = ((Decimal(q) - Decimal(s * s) / Decimal(n)) / Decimal(n - 1)).sqrt()
    m, sd_text = _half_up(mean, dm), _half_up(sd, ds)
    assert mean_possible(span_of(P(m)), n)
    assert grimmer_possible(span_of(P(m)), span_of(P(sd_text)), n) is not False
    assert fires("grim-mean", mean_row(arm(m, n=str(n), sd=sd_text))) == []
    assert fires("grimmer-sd", mean_row(arm(m, n=str(n), sd=sd_text))) == []


@given(st.integers(1, 12), st.integers(1, 4), st.data())
def test_item_means_rounded_as_printed_never_fire(n: int, items: int, data: st.DataObject) -> None:
    total = data.draw(st.integers(-10 * n * items, 30 * n * items))
    decimals = data.draw(st.integers(0, 3))
    m = _half_up(Decimal(total) / Decimal(n * items), decimals)
    assert fires("grim-mean", mean_row(arm(m, n=str(n)), items=str(items))) == []


# -- median-order ---------------------------------------------------------------------


def median_arm(**kw: str) -> object:
    return arm(kw.pop("value", "20"), n="50", **kw)


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"q1": "25"}, "intervention.value", "Q1 25 is above median 20"),
        ({"q3": "18"}, "intervention.value", "median 20 is above Q3 18"),
        ({"q1": "15", "q3": "12"}, "intervention.q1", "Q1 15 is above Q3 12"),
        ({"min": "21.0"}, "intervention.value", "minimum 21.0 is above median 20"),  # [20.95, ..] > 20.5
        ({"max": "19.4"}, "intervention.value", "median 20 is above maximum 19.4"),  # [19.35, 19.45] < [19.5, 20.5]
        ({"min": "6", "q1": "4"}, "intervention.min", "minimum 6 is above Q1 4"),
        ({"q3": "28", "max": "26"}, "intervention.q3", "Q3 28 is above maximum 26"),
    ],
)
def test_median_order_fires(kw: dict[str, str], field: str, words: str) -> None:
    (f,) = fires("median-order", row(measure="median", unit="days", intervention=median_arm(**kw)))  # type: ignore[arg-type]
    assert (f.severity, f.field) == ("error", field)
    assert f.message.startswith(words)
    assert f.message.endswith("minimum ≤ Q1 ≤ median ≤ Q3 ≤ maximum must hold")


@pytest.mark.parametrize(
    "kw",
    [
        {"q1": "15", "q3": "28", "min": "2", "max": "60"},
        {"q1": "20", "q3": "20", "min": "20", "max": "20"},  # all equal
        {"q1": "20.4"},  # [20.35, 20.45] meets [19.5, 20.5]: the rounding edge
        {"max": "19.5"},  # [19.45, 19.55] meets [19.5, 20.5]
        {"q3": "19"},  # [18.5, 19.5] touches [19.5, 20.5]
        {"min": "21"},
        {"min": "5", "q1": "4"},
        {"q1": "<25"},  # a relation: a half-line
        {},
    ],
)
def test_median_order_clean(kw: dict[str, str]) -> None:
    assert fires("median-order", row(measure="median", unit="days", intervention=median_arm(**kw))) == []  # type: ignore[arg-type]


def test_median_order_on_a_mean_row_reads_min_and_max_only() -> None:
    r = row(measure="mean", unit="points", intervention=arm("12.1", n="50", min="13", max="30"))
    (f,) = fires("median-order", r)
    assert f.message.startswith("minimum 13 is above mean 12.1") and f.message.endswith("≤ mean ≤ maximum must hold")
    clean = row(measure="mean", unit="points", intervention=arm("12.1", n="50", min="2", max="30", q1="40"))
    assert fires("median-order", clean) == []  # q1 is not read on a mean row
    assert fires("median-order", row(measure="percent", intervention=arm("12", n="50", min="13"))) == []


def test_median_order_names_the_arm() -> None:
    r = row(measure="median", unit="days", intervention=median_arm(), comparator=median_arm(q3="10"))
    assert [f.field for f in fires("median-order", r)] == ["comparator.value"]


def test_a_minus_printed_with_a_space_is_closed_up_in_a_message() -> None:
    """'− 4.6' as printed, in 'minimum 2.6 is above mean − 4.6', would read as mean minus 4.6."""
    from curator.checks.rules.common import shown
    from curator.numbers import parse_reported

    assert shown(parse_reported("− 4.6")) == "−4.6"
    assert shown(parse_reported("– 0·55")) == "–0·55"
    assert shown(parse_reported("- 3"), "%") == "-3%"
    assert shown(parse_reported(" 12.1 ")) == "12.1"
