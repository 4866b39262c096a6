"""Reported numbers keep what was printed and what it means."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.numbers import NotANumber, parse_reported, reported_from_json


@pytest.mark.parametrize(
    ("text", "value", "relation", "exponent"),
    [
        ("42.6", "42.6", None, -1),
        ("42.60", "42.60", None, -2),
        ("<0.001", "0.001", "<", -3),
        ("≤ .05", "0.05", "<=", -2),
        ("< .05", "0.05", "<", -2),
        ("=0.03", "0.03", "=", -2),
        (">= 10", "10", ">=", 0),
        ("1.2e-5", "0.000012", None, -6),
        ("1.2E3", "1200", None, 2),
        ("−1.5", "-1.5", None, -1),
        ("–1.5", "-1.5", None, -1),
        (".03", "0.03", None, -2),
        ("12.", "12", None, 0),
        ("+3", "3", None, 0),
        (" 474 ", "474", None, 0),
        ("0.000", "0", None, -3),
    ],
)
def test_parse_keeps_text_value_relation_and_precision(
    text: str, value: str, relation: str | None, exponent: int
) -> None:
    r = parse_reported(text)
    assert r.text == text
    assert r.value == Decimal(value)
    assert r.relation == relation
    assert r.exponent == exponent


def test_42_60_is_not_42_6() -> None:
    a, b = parse_reported("42.6"), parse_reported("42.60")
    assert a.value == b.value and a != b
    assert a.interval == (Decimal("42.55"), Decimal("42.65"))
    assert b.interval == (Decimal("42.595"), Decimal("42.605"))


def test_relation_is_a_half_line() -> None:
    low, high = parse_reported("<0.001").interval
    assert low == Decimal("-Infinity") and high == Decimal("0.001")
    assert parse_reported("<0.001") != parse_reported("0.001")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("forty", '"forty" is not a number'),
        ("", '"" is not a number'),
        ("42.6%", 'give the unit in "unit"'),
        ("1,234", "without a thousands separator or decimal comma"),
        ("NaN", '"NaN" is not a number'),
        ("inf", '"inf" is not a number'),
        ("1e400", '"1e400" is not a number'),
        ("٣", '"٣" is not a number'),
        ("0x10", '"0x10" is not a number'),
        ("1.2.3", '"1.2.3" is not a number'),
    ],
)
def test_not_numbers_are_refused_with_the_text(text: str, message: str) -> None:
    with pytest.raises(NotANumber, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_reported(text)


def test_whole_numbers_say_so() -> None:
    with pytest.raises(NotANumber, match='"forty" is not a whole number'):
        parse_reported("forty", whole=True)


def test_json_values() -> None:
    assert reported_from_json(42.60).text == "42.6"
    assert reported_from_json(474).text == "474"
    assert reported_from_json(-0.5).text == "-0.5"
    with pytest.raises(TypeError):
        reported_from_json(True)
    with pytest.raises(TypeError):
        reported_from_json(None)


# -- printed forms read by every version (format 1.1 contract) --------------------


@pytest.mark.parametrize(
    ("text", "value", "exponent"),
    [
        ("0·55", "0.55", -2),  # U+00B7, as the Lancet prints it
        ("0∙55", "0.55", -2),  # U+2219, as it arrives copied from a PDF
        ("−0·5", "-0.5", -1),
        ("<0·001", "0.001", -3),
        ("− 4.6", "-4.6", -1),  # a minus sign, then a space
        ("– 4.6", "-4.6", -1),  # an en dash as a minus
        ("- 4", "-4", 0),
        ("1·2e-3", "0.0012", -4),
    ],
)
def test_printed_forms_are_read_and_kept_as_printed(text: str, value: str, exponent: int) -> None:
    r = parse_reported(text)
    assert (r.text, r.value, r.exponent) == (text, Decimal(value), exponent)
    assert not r.not_reported


@pytest.mark.parametrize("text", ["·55", "0·", "0··5", "1·5·3", "0 · 55"])
def test_a_middle_dot_is_a_decimal_point_only_between_digits(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_reported(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3,145", 3145), ("10 096", 10096), ("10\u2009096", 10096), ("10\u00a0096", 10096), ("1,234,567", 1234567)],
)
def test_grouped_digits_are_one_whole_number_in_a_reported_integer(text: str, value: int) -> None:
    r = parse_reported(text, whole=True)
    assert (r.text, r.value, r.is_whole) == (text, Decimal(value), True)


@pytest.mark.parametrize("text", ["3,145", "10 096"])
def test_grouped_digits_stay_refused_where_a_comma_could_be_a_decimal_comma(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_reported(text)


@pytest.mark.parametrize("text", ["1,23", "12,3456", "1 2", "1,234.5", "1.5 000", ",123"])
def test_only_groups_of_three_digits_are_grouped(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_reported(text, whole=True)


@pytest.mark.parametrize("text", ["NR", "nr", "Nr", " NR "])
def test_nr_is_not_reported_and_kept_as_printed(text: str) -> None:
    for whole in (False, True):
        r = parse_reported(text, whole=whole)
        assert r.text == text and r.not_reported and r.value.is_nan()
        assert not r.is_whole


@pytest.mark.parametrize("text", ["N/R", "n.r.", "NR.", "NRR", "N R"])
def test_only_the_two_letters_are_nr(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_reported(text)


def test_two_nr_of_the_same_print_are_equal_and_differ_from_other_prints() -> None:
    # NaN is never equal to itself; a review holding NR must still equal its own copy.
    assert parse_reported("NR") == parse_reported("NR")
    assert hash(parse_reported("NR")) == hash(parse_reported("NR"))
    assert parse_reported("NR") != parse_reported("nr")  # kept as printed
    assert parse_reported("NR") != parse_reported("0")
    assert parse_reported("42.6") == parse_reported("42.6") != parse_reported("42.60")


def test_a_count_with_a_comma_not_grouping_threes_says_how_counts_may_be_grouped() -> None:
    with pytest.raises(
        NotANumber, match=r'"3,14" is not a whole number \(digits may be grouped in threes, as in 3,145'
    ):
        parse_reported("3,14", whole=True)


@given(
    st.from_regex(r"-?[0-9]{1,18}(\.[0-9]{1,14})?", fullmatch=True)
    | st.text(alphabet="0123456789.-+ eE<>·−", max_size=12),
    st.booleans(),
)
def test_the_quick_reading_of_plain_numbers_gives_what_the_full_reading_gives(text: str, whole: bool) -> None:
    """``parse_reported`` reads plain digits without the printed forms; the result must not differ."""
    from curator.numbers import _parse_printed

    try:
        full = _parse_printed(text, whole)
    except NotANumber:
        with pytest.raises(NotANumber):
            parse_reported(text, whole=whole)
        return
    quick = parse_reported(text, whole=whole)
    assert (quick.text, quick.relation, quick.exponent) == (full.text, full.relation, full.exponent)
    assert str(quick.value) == str(full.value)  # the same Decimal, sign and digits (not only equal)
