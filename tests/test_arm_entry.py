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


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("35,6", '"35,6" is not a number (write it without a thousands separator or decimal comma)'),
        ("35,6 (95/267)", '"35,6" is not a number (write it without a thousands separator or decimal comma)'),
        ("about half", '"about half" is not a number'),
        ("95/2x7", '"2x7" is not a whole number'),
        ("95/267/3", '"95/267/3" is not events/n (95/267), n = 267, 95 events or SD 4.1'),
        ("35.6 (95/267; n = 3)", '"n = 3" gives n a second time'),
        ("35.6 (about)", '"about" is not events/n (95/267), n = 267, 95 events or SD 4.1'),
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
