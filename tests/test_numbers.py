"""Reported numbers keep what was printed and what it means."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
