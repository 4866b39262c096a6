"""range-percent, range-p, range-n, range-ratio, ci-order."""

from __future__ import annotations

import pytest

from tests.checks.builders import arm, effect, fires, row


def pct_row(a: str, b: str = "50.0") -> object:
    return row(intervention=arm(a), comparator=arm(b))


# -- range-percent ----------------------------------------------------------


@pytest.mark.parametrize("value", ["104.5", "100.1", "100.04", "101", "-0.1", "-1", "−2.5", "<0", ">100"])
def test_range_percent_fires(value: str) -> None:
    found = fires("range-percent", pct_row(value))
    assert [f.field for f in found] == ["intervention.value"]
    assert found[0].severity == "error"
    assert value.strip() in found[0].message


@pytest.mark.parametrize("value", ["100", "100.0", "0", "0.0", "-0.0", "<1", ">99", "≤100", "≥0", ".5"])
def test_range_percent_clean(value: str) -> None:
    assert fires("range-percent", pct_row(value)) == []


def test_range_percent_rounding_edge() -> None:
    # "100.5" with no decimals beyond one stands for [100.45, 100.55]: above 100.
    assert fires("range-percent", pct_row("100.5"))
    # A one-digit "100" stands for [99.5, 100.5]: it may be 100.
    assert not fires("range-percent", pct_row("100"))


def test_range_percent_only_on_percent_rows() -> None:
    r = row(measure="mean", unit="points", intervention=arm("150"), comparator=arm("-3"))
    assert fires("range-percent", r) == []


# -- range-p ------------------------------------------------------------------


def p_row(p: str) -> object:
    return row(intervention=arm("40"), comparator=arm("30"), effect=effect(p=p))


@pytest.mark.parametrize(
    "p", ["0", "0.000", "=0.000", "≤0.00", "<=0", "1.1", "1.04", "-0.01", "−0.2", ">1", "<-0.1", "≥1.5"]
)
def test_range_p_fires(p: str) -> None:
    found = fires("range-p", p_row(p))
    assert [(f.rule, f.field, f.severity) for f in found] == [("range-p", "effect.p", "error")]


@pytest.mark.parametrize(
    "p",
    [
        "<0.001",
        "< .001",
        "<0.000",
        "<0",
        "0.0002",
        "1",
        "1.00",
        "1.0",
        ".03",
        "=0.03",
        "≥1",
        ">0.99",
        "0.05",
        "1e-5",
        "1.2e-5",
    ],
)
def test_range_p_clean(p: str) -> None:
    assert fires("range-p", p_row(p)) == []


def test_range_p_zero_message_suggests_bound() -> None:
    (f,) = fires("range-p", p_row("0.000"))
    assert "0.000" in f.message and "<" in f.message


# -- range-n ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "events", "field"),
    [
        ("12.5", None, "intervention.n"),
        ("-3", None, "intervention.n"),
        ("<50", None, "intervention.n"),
        ("0", None, "intervention.n"),
        ("100", "101", "intervention.events"),
        ("100", "2.5", "intervention.events"),
        ("100", "-1", "intervention.events"),
        ("100", ">5", "intervention.events"),
    ],
)
def test_range_n_fires(n: str, events: str | None, field: str) -> None:
    r = row(intervention=arm("40", n=n, events=events), comparator=arm("30", n="100", events="30"))
    found = fires("range-n", r)
    assert [f.field for f in found] == [field]


@pytest.mark.parametrize(("n", "events"), [("100", "100"), ("100", "0"), ("1", None), ("12.0", None), ("1e2", "40")])
def test_range_n_clean(n: str, events: str | None) -> None:
    r = row(measure="count", intervention=arm(None, n=n, events=events), comparator=arm(None, n="100", events="30"))
    assert fires("range-n", r) == []


def test_range_n_message_names_both_numbers() -> None:
    r = row(intervention=arm("40", n="100", events="101"))
    (f,) = fires("range-n", r)
    assert "101" in f.message and "100" in f.message


# -- range-ratio ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "v", "lo", "hi", "fields"),
    [
        ("RR", "0.00", "0.50", "1.20", ["effect.value"]),
        ("OR", "0.80", "-0.10", "1.20", ["effect.ci_low"]),
        ("HR", "0.80", "0", "0", ["effect.ci_low", "effect.ci_high"]),
        ("RR", "−0.5", "0.5", "1.2", ["effect.value"]),
    ],
)
def test_range_ratio_fires(measure: str, v: str, lo: str, hi: str, fields: list[str]) -> None:
    r = row(effect=effect(measure, v, lo, hi))
    assert [f.field for f in fires("range-ratio", r)] == fields


@pytest.mark.parametrize(
    ("measure", "v"), [("RR", "0.01"), ("RD", "-5.0"), ("MD", "0"), ("SMD", "-0.3"), ("HR", "<0.01")]
)
def test_range_ratio_clean(measure: str, v: str) -> None:
    assert fires("range-ratio", row(effect=effect(measure, v))) == []


# -- ci-order -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("v", "lo", "hi", "field"),
    [
        ("0.63", "0.65", "0.80", "effect.value"),
        ("0.644", "0.65", "0.80", "effect.value"),  # just past the rounding interval
        ("0.90", "0.65", "0.80", "effect.value"),
        ("0.70", "0.90", "0.60", "effect.ci_low"),
        (None, "1.30", "1.10", "effect.ci_low"),
        ("0.50", "0.65", None, "effect.value"),
    ],
)
def test_ci_order_fires(v: str | None, lo: str, hi: str | None, field: str) -> None:
    assert [f.field for f in fires("ci-order", row(effect=effect("RR", v, lo, hi)))] == [field]


@pytest.mark.parametrize(
    ("v", "lo", "hi"),
    [
        ("0.65", "0.65", "0.80"),  # estimate equal to a bound as printed
        ("0.64", "0.65", "0.80"),  # rounding intervals touch at 0.645
        ("0.645", "0.65", "0.80"),
        ("1.00", "0.90", "1.00"),
        ("0.8", "0.75", "0.85"),
        ("-1.5", "−2.0", "−1.0"),
        ("0.70", "0.70", "0.70"),
    ],
)
def test_ci_order_clean(v: str, lo: str, hi: str) -> None:
    assert fires("ci-order", row(effect=effect("RR", v, lo, hi))) == []


# -- ci-order on an arm's own CI (1.1) -----------------------------------------------


def test_ci_order_checks_an_arms_own_ci() -> None:
    r = row(measure="mean", unit="points", intervention=arm("12.1", n="50", ci_low="13.0", ci_high="15.2"))
    (f,) = fires("ci-order", r)
    assert (f.severity, f.field) == ("error", "intervention.value")
    assert f.message == "Drug A 10 mg: the value 12.1 lies outside its CI 13.0 to 15.2"


def test_ci_order_an_arms_reversed_ci() -> None:
    r = row(measure="percent", comparator=arm("20.0", n="50", ci_low="28.1", ci_high="11.5"))
    (f,) = fires("ci-order", r)
    assert f.field == "comparator.ci_low"
    assert f.message == "Placebo: the CI is reversed: lower bound 28.1 is above upper bound 11.5"


@pytest.mark.parametrize(
    ("v", "lo", "hi"),
    [
        ("12.9", "13.0", "15.2"),  # [12.85, 12.95] touches [12.95, 13.05]
        ("15.3", "13.0", "15.2"),
        ("14.0", "13.0", "15.2"),
        ("14.0", None, "15.2"),
        ("14.0", "<13.0", "15.2"),
    ],
)
def test_ci_order_arm_clean_at_the_rounding_edge(v: str, lo: str | None, hi: str) -> None:
    r = row(measure="mean", unit="points", intervention=arm(v, n="50", ci_low=lo, ci_high=hi))
    assert fires("ci-order", r) == []


def test_ci_order_arm_just_past_the_edge_and_both_arms_and_effect() -> None:
    r = row(
        measure="mean",
        unit="points",
        intervention=arm("12.8", n="50", ci_low="13.0", ci_high="15.2"),  # [12.75, 12.85] < 12.95
        comparator=arm("15.4", n="50", ci_low="13.0", ci_high="15.2"),  # [15.35, ..] > 15.25
        effect=effect("MD", "-2.6", "-1.0", "1.0"),
    )
    assert [f.field for f in fires("ci-order", r)] == ["effect.value", "intervention.value", "comparator.value"]


def test_range_ratio_includes_irr() -> None:
    (f,) = fires("range-ratio", row(measure="count", effect=effect("IRR", "0.00", "0.50", "1.20")))
    assert f.field == "effect.value" and f.message.startswith("IRR 0.00 is not above 0")
