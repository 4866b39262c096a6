"""grim-percent, events-percent, missing-denominator."""

from __future__ import annotations

import pytest

from tests.checks.builders import arm, fires, row


def one_arm(value: str, n: str | None = None, events: str | None = None) -> object:
    return row(intervention=arm(value, n=n, events=events), comparator=arm("50", n="2", events="1"))


# -- grim-percent ----------------------------------------------------------------


def test_grim_message_of_the_catalogue() -> None:
    (f,) = fires("grim-percent", one_arm("50.9", n="474"))
    assert f.message == "50.9% is not possible with n = 474: the nearest are 50.8% (241/474) and 51.1% (242/474)"
    assert (f.field, f.severity) == ("intervention.value", "error")


@pytest.mark.parametrize(
    ("value", "n"),
    [
        ("50.9", "474"),
        ("33.4", "3"),  # 1/3 = 33.33.., 2/3 = 66.67
        ("33.34", "3"),  # [33.335, 33.345]: 100/3 = 33.333.. is just past it
        ("25", "7"),  # [24.5, 25.5]: 1/7 = 14.3, 2/7 = 28.6
        ("14.25", "4"),
        ("12.5", "7"),
        ("104.5", "200"),  # out of range: impossible for any count too
        ("−1.0", "10"),
    ],
)
def test_grim_fires(value: str, n: str) -> None:
    assert len(fires("grim-percent", one_arm(value, n=n))) == 1


@pytest.mark.parametrize(
    ("value", "n"),
    [
        ("50.8", "474"),
        ("51.1", "474"),
        ("33.3", "3"),
        ("33.33", "3"),
        ("12.5", "8"),
        ("62.5", "8"),
        ("0", "13"),
        ("100", "13"),
        ("100.0", "13"),
        (".5", "200"),  # leading dot: 1/200 = 0.5
        ("<1", "30"),  # 0/30 fits a half-line
        ("14.3", "7"),  # 1/7 = 14.2857: on [14.25, 14.35]
    ],
)
def test_grim_clean(value: str, n: str) -> None:
    assert fires("grim-percent", one_arm(value, n=n)) == []


def test_grim_exact_interval_edges() -> None:
    # 1/8 = 12.5 exactly; "12" stands for [11.5, 12.5] and "13" for [12.5, 13.5]: both include it.
    assert fires("grim-percent", one_arm("12", n="8")) == []
    assert fires("grim-percent", one_arm("13", n="8")) == []
    # "12.4" stands for [12.35, 12.45]: 12.5 is just past it.
    assert len(fires("grim-percent", one_arm("12.4", n="8"))) == 1
    # 1/40 = 2.5: edge of "2" and of "3".
    assert fires("grim-percent", one_arm("2", n="40")) == []
    assert fires("grim-percent", one_arm("3", n="40")) == []


def test_grim_skips_events_and_bad_n() -> None:
    assert fires("grim-percent", one_arm("50.9", n="474", events="241")) == []  # events-percent's job
    assert fires("grim-percent", one_arm("50.9", n="474.5")) == []
    assert fires("grim-percent", one_arm("50.9", n="0")) == []
    assert fires("grim-percent", one_arm("50.9")) == []
    assert fires("grim-percent", row(measure="mean", unit="mg", intervention=arm("50.9", n="474"))) == []


def test_grim_single_neighbour_above_100() -> None:
    (f,) = fires("grim-percent", one_arm("104.5", n="200"))
    assert "the nearest is 100.0% (200/200)" in f.message


# -- events-percent ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "events", "n"),
    [("42.6", "45", "100"), ("45.1", "45", "100"), ("44.9", "45", "100"), ("33.4", "1", "3"), ("50", "101", "100")],
)
def test_events_percent_fires(value: str, events: str, n: str) -> None:
    (f,) = fires("events-percent", one_arm(value, n=n, events=events))
    assert f.field == "intervention.value"
    assert f"{events}/{n}" in f.message


def test_events_percent_message() -> None:
    (f,) = fires("events-percent", one_arm("42.6", n="100", events="45"))
    assert f.message == "42.6% does not match 45/100 = 45.0%"


@pytest.mark.parametrize(
    ("value", "events", "n"),
    [
        ("45", "45", "100"),
        ("45.0", "45", "100"),
        ("33.3", "1", "3"),
        ("33", "1", "3"),
        ("12", "1", "8"),
        ("13", "1", "8"),
        ("12.50", "1", "8"),
        ("0", "0", "5"),
        ("<1", "0", "5"),
    ],
)
def test_events_percent_clean(value: str, events: str, n: str) -> None:
    assert fires("events-percent", one_arm(value, n=n, events=events)) == []


# -- missing-denominator --------------------------------------------------------------


def test_missing_denominator_per_arm() -> None:
    r = row(intervention=arm("42.6"), comparator=arm("68.4", n="120"))
    found = fires("missing-denominator", r)
    assert [(f.field, f.severity) for f in found] == [("intervention.n", "info")]
    assert "42.6%" in found[0].message


def test_missing_denominator_only_percent_values() -> None:
    assert fires("missing-denominator", row(measure="median", unit="days", intervention=arm("7"))) == []
    assert fires("missing-denominator", row(intervention=arm(None, text="Higher"))) == []
