"""What text selected in a paper fills a field with: the number as printed, an arm's result at once,
words collapsed; and what is refused, in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.capture import captured_fields, numbers_in
from curator.numbers import parse_reported


def capture(name: str, selected: str, measure: str | None = "percent", unit: str | None = "%") -> dict[str, str]:
    return captured_fields(name, selected, measure=measure, unit=unit)


@pytest.mark.parametrize(
    ("name", "selected", "filled"),
    [
        ("intervention.value", "42.6%", "42.6"),
        ("intervention.value", "  42.6 %\n", "42.6"),
        ("effect.value", "0·55", "0·55"),
        ("effect.value", "−4.6", "−4.6"),
        ("effect.value", "mean difference − 4.6 points", "− 4.6"),
        ("effect.p", "p = 0.03", "0.03"),
        ("effect.p", "<0.001", "<0.001"),
        ("effect.p", "P≤.05", "≤.05"),
        ("intervention.n", "n = 3,145", "3,145"),
        ("effect.ci_level", "95% CI", "95"),
    ],
)
def test_a_number_field_takes_the_number_as_printed(name: str, selected: str, filled: str) -> None:
    assert capture(name, selected) == {name: filled}


def test_a_dash_between_two_numbers_is_no_minus() -> None:
    assert numbers_in("15–28") == ["15", "28"] and numbers_in("−3.4 to −0.8") == ["−3.4", "−0.8"]
    assert numbers_in("3,145") == ["3", "145"] and numbers_in("3,145", whole=True) == ["3,145"]


@pytest.mark.parametrize(
    ("name", "selected", "measure", "filled"),
    [
        (
            "intervention.value",
            "95/267 (35.6%)",
            "percent",
            {"intervention.value": "35.6", "intervention.events": "95", "intervention.n": "267"},
        ),
        (
            "comparator.n",
            "35.6% (95/267)",
            "percent",
            {"comparator.value": "35.6", "comparator.events": "95", "comparator.n": "267"},
        ),
        ("intervention.events", "95/267", "percent", {"intervention.events": "95", "intervention.n": "267"}),
        (
            "intervention.value",
            "Responders 95/267 (35.6%)",
            "percent",
            {"intervention.value": "35.6", "intervention.events": "95", "intervention.n": "267"},
        ),
        (
            "intervention.value",
            "12.1 (4.0), n = 50",
            "mean",
            {"intervention.value": "12.1", "intervention.sd": "4.0", "intervention.n": "50"},
        ),
    ],
)
def test_an_arms_printed_result_fills_its_parts_at_once(
    name: str, selected: str, measure: str, filled: dict[str, str]
) -> None:
    assert capture(name, selected, measure, "%" if measure == "percent" else "points") == filled


def test_a_text_field_takes_the_selection_with_its_white_space_collapsed() -> None:
    assert capture("population", "Children\n(2–17\tyears) ") == {"population": "Children (2–17 years)"}
    assert capture("endpoint", "HR 0.55") == {"endpoint": "HR 0.55"}  # words are taken whole, numbers and all


@pytest.mark.parametrize(
    ("name", "selected", "says"),
    [
        (
            "intervention.value",
            "not reported",
            "the selection 'not reported' holds no number; select the number itself",
        ),
        (
            "effect.value",
            "0.55 (0.41–0.74)",
            "the selection '0.55 (0.41–0.74)' holds 3 numbers (0.55, 0.41, 0.74); select only the one to read",
        ),
        (
            "intervention.sd",
            "4.0 and 4.2",
            "the selection '4.0 and 4.2' holds 2 numbers (4.0, 4.2); select only the one to read "
            "(or an arm's events/n as printed, 95/267)",
        ),
        (
            "intervention.value",
            "95/267/3",
            "the selection '95/267/3' is not an arm's result as printed: \"95/267/3\" is not events/n (95/267), "
            "n = 267, 95 events, SD 4.1, SE 0.6 or IQR 15–28",
        ),
        ("favours", "intervention", "Favours is chosen in the form, not read from the paper's text"),
        ("note", "seen", "Note is about the work, not the paper; type it in the form"),
        ("intervention.value", " \n ", "nothing is selected; select the text in the paper first"),
    ],
)
def test_a_selection_that_cannot_fill_the_field_says_why(name: str, selected: str, says: str) -> None:
    with pytest.raises(ValueError) as refused:
        capture(name, selected)
    assert str(refused.value) == says


_PRINTED = st.builds(
    lambda sign, whole, decimals, dot: f"{sign}{whole}" + (f"{dot}{decimals}" if decimals else ""),
    st.sampled_from(["", "−", "-", "–"]),
    st.integers(min_value=0, max_value=99999),
    st.sampled_from(["", "0", "5", "05", "123"]),
    st.sampled_from([".", "·"]),
)


@given(
    printed=_PRINTED,
    before=st.sampled_from(["", "mean ", "HR ", "("]),
    after=st.sampled_from(["", "%", " points", ")"]),
)
def test_any_number_printed_amid_words_is_taken_exactly_as_printed(printed: str, before: str, after: str) -> None:
    (filled,) = capture("effect.value", f"{before}{printed}{after}").values()
    assert filled == printed
    assert parse_reported(filled) == parse_reported(printed)  # the same value, the same last digit
