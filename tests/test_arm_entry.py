"""An arm's cell takes what reviewers type there: the value, events/n, or both."""

from __future__ import annotations

import pytest

from curator.arm_entry import parse_arm_entry
from curator.formats.display import arm_text
from curator.numbers import parse_reported
from curator.review import Arm, Row


def percent(text: str) -> dict[str, str]:
    return parse_arm_entry("intervention", text, measure="percent", unit="%")


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("35.6", {"value": "35.6"}),
        ("35.60", {"value": "35.60"}),  # kept as printed
        ("35.6%", {"value": "35.6"}),
        ("95/267", {"events": "95", "n": "267"}),  # the value stays as it is: not computed
        (" 95 / 267 ", {"events": "95", "n": "267"}),
        ("(95/267)", {"events": "95", "n": "267"}),
        ("35.6% (95/267)", {"value": "35.6", "events": "95", "n": "267"}),
        ("35.6 (95/267)", {"value": "35.6", "events": "95", "n": "267"}),
        ("n = 267", {"n": "267"}),
        ("N=267", {"n": "267"}),
        ("95 events", {"events": "95"}),
        ("12.3 (SD 4.1; n = 80)", {"value": "12.3", "sd": "4.1", "n": "80"}),
        ("SD 2; n = 4", {"sd": "2", "n": "4"}),
        ("<0.1", {"value": "<0.1"}),
        ("137%", {"value": "137"}),  # a value printed above 100, said to be a percentage
        ("", {"value": ""}),  # empties the value, as before
    ],
)
def test_what_is_typed_sets_only_the_fields_it_names(text: str, fields: dict[str, str]) -> None:
    assert percent(text) == {f"intervention.{k}": v for k, v in fields.items()}


def test_a_plain_number_above_100_is_not_taken_as_a_percentage_and_the_reason_says_how_to_type_n() -> None:
    with pytest.raises(ValueError) as caught:
        percent("137")
    message = str(caught.value)
    assert message.startswith("137 is above 100, impossible for a percentage")
    assert "type events/n (e.g. 95/267) or n = 137" in message
    assert "137%" in message
    # The same in a row whose unit says percent without a measure; fine when the value is not a percentage.
    with pytest.raises(ValueError):
        parse_arm_entry("comparator", "137", measure=None, unit="% of study days")
    assert parse_arm_entry("comparator", "137", measure="mean", unit="mg") == {"comparator.value": "137"}
    assert percent("100") == {"intervention.value": "100"}
    assert percent("<137") == {"intervention.value": "<137"}  # a bound: the checks judge it
    assert percent("NR") == {"intervention.value": "NR"}  # not reported: no value to judge, and no crash


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("35,6", '"35,6" is not a number (write it without a thousands separator or decimal comma)'),
        ("35,6 (95/267)", '"35,6" is not a number (write it without a thousands separator or decimal comma)'),
        ("about half", '"about half" is not a number'),
        ("95/2x7", '"2x7" is not a whole number'),
        ("95/267/3", '"95/267/3" is not events/n (95/267), n = 267, 95 events, SD 4.1, SE 0.6 or IQR 15–28'),
        ("35.6 (95/267; n = 3)", '"n = 3" gives n a second time'),
        ("35.6 (about)", '"about" is not events/n (95/267), n = 267, 95 events, SD 4.1, SE 0.6 or IQR 15–28'),
        ("35.6 (95/267", '"35.6 (95/267" is not the value (35.6), events/n (95/267) or both (35.6% (95/267))'),
    ],
)
def test_what_does_not_fit_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        percent(text)
    assert str(caught.value) == reason


def test_a_percent_sign_makes_a_new_row_a_percentage_row_and_is_refused_in_a_row_measured_otherwise() -> None:
    assert parse_arm_entry("intervention", "35.6% (95/267)", measure=None, unit=None) == {
        "intervention.value": "35.6",
        "intervention.events": "95",
        "intervention.n": "267",
        "measure": "percent",
        "unit": "%",
    }
    assert parse_arm_entry("intervention", "28%", measure=None, unit="% of study days") == {"intervention.value": "28"}
    with pytest.raises(ValueError) as caught:
        parse_arm_entry("intervention", "35.6%", measure="mean", unit="mg")
    assert str(caught.value) == (
        '"35.6%": this row\'s values are not percentages (measure mean, unit mg); '
        "type the value without %, or change Measure and Unit first"
    )


@pytest.mark.parametrize(
    "arm",
    [
        Arm(value=parse_reported("35.6"), events=parse_reported("95"), n=parse_reported("267")),
        Arm(value=parse_reported("42.60"), n=parse_reported("474")),
        Arm(events=parse_reported("12")),
        Arm(value=parse_reported("12.3"), sd=parse_reported("4.1"), n=parse_reported("80")),
    ],
)
def test_the_cell_takes_back_what_it_shows(arm: Arm) -> None:
    row = Row(endpoint="Itch", measure="percent", unit="%", intervention=arm)
    typed = percent(arm_text(arm, row))
    for name in ("value", "events", "n", "sd"):
        stored = getattr(arm, name)
        assert typed.get(f"intervention.{name}") == (stored.text if stored is not None else None)


def test_an_arm_value_takes_the_cell_forms_and_other_fields_only_themselves() -> None:
    from curator.arm_entry import typed_fields

    assert typed_fields("comparator.value", "95/267", measure="percent", unit="%") == {
        "comparator.events": "95",
        "comparator.n": "267",
    }
    assert typed_fields("intervention.n", "267", measure="percent", unit="%") == {"intervention.n": "267"}
    with pytest.raises(ValueError, match="is not a whole number"):
        typed_fields("intervention.n", "95/267", measure="percent", unit="%")


# -- continuous arms and the paper's printed forms (format 1.1) ----------------------


def typed(text: str, measure: str) -> dict[str, str]:
    found = parse_arm_entry("comparator", text, measure=measure, unit=None)
    return {k.removeprefix("comparator."): v for k, v in found.items()}


@pytest.mark.parametrize(
    ("text", "measure", "fields"),
    [
        ("12.1 (4.0), n = 50", "mean", {"value": "12.1", "sd": "4.0", "n": "50"}),  # mean (SD), as printed
        ("12.1 (SE 0.6; n = 50)", "mean", {"value": "12.1", "se": "0.6", "n": "50"}),
        ("12.1 (SEM 0.6)", "mean", {"value": "12.1", "se": "0.6"}),
        ("12.1 (95% CI 10.9–13.3)", "mean", {"value": "12.1", "ci_low": "10.9", "ci_high": "13.3"}),
        ("−2.1 (CI −3.4 to −0.8)", "mean", {"value": "−2.1", "ci_low": "−3.4", "ci_high": "−0.8"}),
        ("12.1, n = 3,145, range 1–30", "mean", {"value": "12.1", "n": "3,145", "min": "1", "max": "30"}),
        ("mean 0·55 (NR)", "mean", {"value": "0·55", "sd": "NR"}),
        (
            "median 20 (IQR 15–28), range 3–60",
            "median",
            {"value": "20", "q1": "15", "q3": "28", "min": "3", "max": "60"},
        ),
        ("20 (15–28)", "median", {"value": "20", "q1": "15", "q3": "28"}),  # median (IQR), as printed
        ("-3 (-5 - -1)", "median", {"value": "-3", "q1": "-5", "q3": "-1"}),  # a minus stays with its number
        ("NR", "mean", {"value": "NR"}),
    ],
)
def test_what_the_table_shows_of_a_continuous_arm_can_be_typed_back(
    text: str, measure: str, fields: dict[str, str]
) -> None:
    assert typed(text, measure) == fields


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("95/267 (35.6%)", {"events": "95", "n": "267", "value": "35.6"}),  # counts first, as many papers print
        ("1,234/10,096 (12.2%)", {"events": "1,234", "n": "10,096", "value": "12.2"}),  # grouped counts
        ("35.6% (95/267), n = 3,145", None),
    ],
)
def test_counts_first_and_grouped_counts(text: str, fields: dict[str, str] | None) -> None:
    if fields is None:
        with pytest.raises(ValueError, match="gives n a second time"):
            percent(text)
        return
    assert percent(text) == {f"intervention.{k}": v for k, v in fields.items()}


@pytest.mark.parametrize(
    ("text", "measure", "reason"),
    [
        ("12.1 (IQR 15)", "median", '"IQR 15": "15" is not an interquartile range printed as low–high (15–28)'),
        ("12.1 (4.0; SD 3.9)", "mean", '"SD 3.9" gives sd a second time'),
        ("20 (4.0)", "median", '"4.0" is not events/n'),  # a bare number beside a median is not read as anything
        ("12.1 (15–28)", "mean", '"15–28" is not events/n'),  # a bare range beside a mean: CI or range? Say which
    ],
)
def test_an_ambiguous_or_repeated_detail_is_refused_with_its_reason(text: str, measure: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        typed(text, measure)
    assert str(caught.value).startswith(reason)


@pytest.mark.parametrize(
    ("measure", "unit", "arm"),
    [
        ("mean", "points", Arm(value=parse_reported("8.3"), sd=parse_reported("0.96"), n=parse_reported("25"))),
        (
            "mean",
            "points",
            Arm(
                value=parse_reported("8.3"),
                sd=parse_reported("0.96"),
                min=parse_reported("0.4"),
                max=parse_reported("19.2"),
                n=parse_reported("25"),
            ),
        ),
        (
            "median",
            "days",
            Arm(value=parse_reported("20"), q1=parse_reported("15"), q3=parse_reported("28"), n=parse_reported("50")),
        ),
        ("median", "days", Arm(value=parse_reported("7"), n=parse_reported("80"))),
    ],
)
def test_a_cell_with_the_rows_unit_takes_back_what_it_shows(measure: str, unit: str, arm: Arm) -> None:
    """The table shows '8.3 points (SD 0.96; range 0.4–19.2), n = 25' on a row measured in points:
    typed (or pasted) back as shown, it sets the same fields, not 'is not a number'."""
    shown = arm_text(arm, Row(endpoint="Score", measure=measure, unit=unit, intervention=arm))
    assert unit in shown
    typed = parse_arm_entry("intervention", shown, measure=measure, unit=unit)
    expected = {
        f"intervention.{name}": getattr(arm, name).text
        for name in ("value", "n", "sd", "q1", "q3", "min", "max")
        if getattr(arm, name) is not None
    }
    assert typed == expected
    with pytest.raises(ValueError, match="is not a number"):  # another unit is not this row's
        parse_arm_entry("intervention", "8.3 mg", measure=measure, unit=unit)
